import { allowsArgCount, isKnownVariable, lookup, type Ctx, type DirectiveSpec } from '../data/directives';
import type { Directive, SyntaxError } from '../syntax/ast';
import { isThirdPartyDirective } from '../data/thirdParty';
import { literalArgs } from '../data/literalArgs';
import { isNotIn122 } from '../data/valueTypes';
import { isUpTo122, ValueChecks, type ValueSite } from './values';
import { AFTER_ALL, type FileId, type Finding, type Span } from '../types';
import { childContext } from './contexts';
import type { ENode, IncludeSource, NodeCtx, RootAnalysis, ValidateOptions } from './tree';

export type { ValidateOptions } from './tree';

/** Codes of the nginx-level findings (rules use their own ids). */
export type NginxCode = 'nginx-syntax' | 'nginx-directive' | 'nginx-include' | 'nginx-variable';

/** Include nesting deeper than this is reported instead of followed. */
export const MAX_INCLUDE_DEPTH = 64;
/** Blocks nested deeper than this across includes: the include there is not followed (later passes recurse by depth). */
export const MAX_EXPANDED_DEPTH = 256;
/**
 * Budget of one root's include expansion: files read into the tree (a file included twice
 * counts twice) and their total size. An include diamond or a glob whose files include it
 * again doubles the tree at each level; past the budget includes are not expanded.
 */
export const MAX_INCLUDE_EXPANSIONS = 50_000;
export const MAX_EXPANDED_BYTES = 64 * 1024 * 1024;
/** Syntax errors listed per file; one more finding counts the rest (a file of 4 million `;`). */
export const MAX_SYNTAX_FINDINGS = 10_000;

/** `seen` key of the document root directive (root or alias) a level already has. */
const DOCROOT = '#docroot:';

/**
 * Whether a repeat is a duplicate, for set() handlers where that depends on the arguments:
 * records this occurrence in `seen` and answers for it.
 */
type ValueDup = (args: string[], key: string, seen: Map<string, number>, at: number) => boolean;

/**
 * `off` excludes every other occurrence at the same level, in either order; repeats of other
 * values add up (ngx_http_proxy_redirect, ngx_http_proxy_cookie_domain, _path, _flags and
 * ngx_http_mirror: "is duplicate" once the list exists and `off` comes, or after `off`).
 */
const offExcludesOthers: ValueDup = (args, key, seen, at) => {
  const off = args.length === 1 && args[0] === 'off';
  const dup = seen.has(key + '#off') || (off && seen.has(key));
  seen.set(key, at);
  if (off) seen.set(key + '#off', at);
  return dup;
};

/** The same shared-memory zone twice (ngx_http_limit_req, ngx_http_limit_conn). */
const sameZone = (zoneOf: (args: string[]) => string | undefined): ValueDup => (args, key, seen, at) => {
  const zone = zoneOf(args);
  if (zone === undefined) return false;
  const k = `${key}@${zone}`;
  const dup = seen.has(k);
  seen.set(k, at);
  return dup;
};

const VALUE_DUPS: Record<string, ValueDup | undefined> = {
  'ngx_http_proxy_module:proxy_redirect': offExcludesOthers,
  'ngx_http_proxy_module:proxy_cookie_domain': offExcludesOthers,
  'ngx_http_proxy_module:proxy_cookie_path': offExcludesOthers,
  'ngx_http_proxy_module:proxy_cookie_flags': offExcludesOthers,
  'ngx_http_mirror_module:mirror': offExcludesOthers,
  'ngx_http_limit_req_module:limit_req': sameZone((args) => args.find((a) => a.startsWith('zone='))?.slice(5)),
  'ngx_http_limit_conn_module:limit_conn': sameZone((args) => args[0]),
};

/** Names with a value-dependent duplicate check (a cheap test before building the key). */
const VALUE_DUP_NAMES = new Set(Object.keys(VALUE_DUPS).map((k) => k.slice(k.indexOf(':') + 1)));

/** The spec nginx would pick for a name in a context, mirroring ngx_conf_handler's module loop. */
export function specsFor(name: string, opts: ValidateOptions): readonly DirectiveSpec[] | undefined {
  const all = lookup(name);
  if (!all) return undefined;
  if (opts.directiveSet === 'light-1.22') {
    const light = all.filter((s) => s.inLight122);
    return light.length ? light : undefined;
  }
  // directives that appeared after nginx 1.22 (`http2 on`) are unknown to it
  if (isUpTo122(opts.nginxVersion)) {
    let old = specsOf122.get(all);
    if (old === undefined) {
      const kept = all.some((s) => isNotIn122(s.module, name)) ? all.filter((s) => !isNotIn122(s.module, name)) : all;
      specsOf122.set(all, (old = kept.length ? kept : null));
    }
    return old ?? undefined;
  }
  return all;
}

/** specsFor's answer for nginx 1.22, per list of specs of a name (the same list every time). */
const specsOf122 = new WeakMap<readonly DirectiveSpec[], readonly DirectiveSpec[] | null>();

/**
 * Whether a directive belongs to the main level only (user, pid, worker_processes, events, http…):
 * a file that has one at top level is written for main, whatever else it holds.
 */
export function isMainOnly(name: string): boolean {
  const specs = lookup(name);
  return !!specs && specs.every((s) => s.contexts.every((c) => c === 'main'));
}

/**
 * Picks the context a file nobody includes was written for. A file with a main-only directive at
 * top level is main (a stray `location` next to `worker_processes` is nginx's error, not a hint
 * that the file is a server snippet); otherwise the context that accepts the most of its names.
 */
export function inferContext(directives: Directive[], opts: ValidateOptions): Ctx {
  const names = directives.map((d) => d.name).filter((n) => n && n !== 'include');
  if (names.some(isMainOnly)) return 'main';
  const candidates: Ctx[] = ['location', 'server', 'http', 'main'];
  let best: Ctx = 'http';
  let bestScore = -1;
  for (const c of candidates) {
    let score = 0;
    for (const n of names) {
      const specs = specsFor(n, opts);
      if (!specs || specs.some((s: DirectiveSpec) => s.contexts.includes(c))) score++;
    }
    if (score > bestScore) { best = c; bestScore = score; }
  }
  return best;
}

/** Walks one root with includes expanded: nginx's directive checks, the expanded tree, variables. */
export function validateRoot(ws: IncludeSource, root: FileId, kind: 'main' | 'fragment', ctx: Ctx, opts: ValidateOptions): RootAnalysis {
  const findings: Finding[] = [];
  const files = new Set<FileId>();
  const prefix = ws.prefixOf(root, kind);
  let complete = true;
  let sawUnknown = false;
  const lookups: RootAnalysis['lookups'] = { paths: new Set(), globs: [] };
  const defined = new Set<string>();
  const uses: { name: string; file: FileId; span: Span }[] = [];
  const values = new ValueChecks(opts);

  /** An nginx-level finding; `nginxAt`: where nginx reports it (its line), see Finding.nginxAt. */
  const report = (file: FileId, span: Span, code: NginxCode, message: string, nginxAt: number | undefined, severity: Finding['severity'] = 'error', after?: Finding['after']) => {
    findings.push(after ? { file, span, severity, code, message, nginxAt, after } : { file, span, severity, code, message, nginxAt });
  };

  /**
   * Files whose syntax errors are reported, per reading mode (a handler block reads differently).
   * findings is kept in the order nginx meets them: a file's syntax errors are reported during
   * its first reading, each just before the first directive nginx finishes after it (`reading`).
   */
  const readAs = new Set<string>();
  let reading: { file: FileId; errors: readonly SyntaxError[]; next: number } | undefined;
  /** Reports the syntax errors of the file being read that nginx meets before offset `to`. */
  const syntaxUpTo = (to: number) => {
    const r = reading;
    if (!r) return;
    while (r.next < r.errors.length && r.errors[r.next].span.start <= to) {
      if (r.next === MAX_SYNTAX_FINDINGS) {
        const e = r.errors[r.next];
        report(r.file, e.span, 'nginx-syntax', `${(r.errors.length - r.next).toLocaleString('en-US')} more syntax errors in this file from here on are not listed (nginx stops at the first)`, e.span.start, 'warning');
        r.next = r.errors.length;
        break;
      }
      const e = r.errors[r.next++];
      report(r.file, e.span, 'nginx-syntax', e.message, e.span.start, e.severity ?? 'error');
    }
  };
  /** Reads a file (walks it with `body`), reporting its syntax errors on the first reading in this mode. */
  const readFile = (file: FileId, handler: boolean, body: () => void) => {
    files.add(file);
    const mode = `${handler ? 'handler' : 'directives'}:${file}`;
    const first = !readAs.has(mode);
    readAs.add(mode);
    const outer = reading;
    const p = ws.parsed(file, handler);
    reading = first && p?.errors.length ? { file, errors: p.errors, next: 0 } : undefined;
    body();
    syntaxUpTo(Number.MAX_SAFE_INTEGER);
    reading = outer;
  };
  /**
   * Errors nginx finds once a block is read (duplicate locations, when the http block ends):
   * reported when the walk leaves that block, by its close offset.
   */
  const late = new Map<string, Finding[]>();
  /** The duplicate location each late "duplicate location" finding is about (see nginxLocationOrder). */
  const dupOf = new Map<Finding, ENode>();
  const reportLate = (f: Finding, dup?: ENode) => {
    const k = `${f.after!.offset}:${f.after!.file}`;
    const list = late.get(k);
    if (list) list.push(f); else late.set(k, [f]);
    if (dup) dupOf.set(f, dup);
  };
  const flushLate = (list: Finding[]) => {
    if (dupOf.size) list.sort(nginxLocationOrder(dupOf));
    for (const f of list) findings.push(f);
  };
  const lateAt = (file: FileId, close: number) => {
    const k = `${close}:${file}`;
    const list = late.get(k);
    if (!list) return;
    late.delete(k);
    flushLate(list);
  };

  // Most directives hold no `$` and no `(?`: find that with one amortized forward scan per file
  // instead of slicing every word. Directives of a file are visited in increasing offsets.
  const scans = new Map<FileId, { text: string; from: number; dollar: number; paren: number }>();
  const mayHaveVariables = (file: FileId, d: Directive): number => {
    const from = d.span.start;
    const to = d.block ? d.block.openAt : d.span.end;
    let sc = scans.get(file);
    if (!sc || from < sc.from) {
      // first visit, or the file is read again (included twice): start over
      const text = sc?.text ?? ws.text(file) ?? '';
      scans.set(file, (sc = { text, from, dollar: text.indexOf('$', from), paren: text.indexOf('(?', from) }));
    }
    sc.from = from;
    // each cursor is the first occurrence at or after the last `from`; advance only when passed
    if (sc.dollar !== -1 && sc.dollar < from) sc.dollar = sc.text.indexOf('$', from);
    if (sc.paren !== -1 && sc.paren < from) sc.paren = sc.text.indexOf('(?', from);
    return (sc.dollar >= from && sc.dollar < to ? HAS_DOLLAR : 0) | (sc.paren >= from && sc.paren < to ? HAS_CAPTURE : 0) | (DEFINES.has(d.name) ? DEFINES_VAR : 0);
  };

  /** The one site values.check reads (it keeps nothing of it): filled per directive. */
  const site: ValueSite = { d: undefined as unknown as Directive, file: '', parent: undefined, ctx: '', at: 0 };
  const seenAt: Map<string, number>[] = [];
  let depth = 0;
  /** Walks the directives of one block (or file), sharing `seen` for nginx's duplicate checks. */
  const walk = (list: Directive[], file: FileId, nctx: NodeCtx, parent: ENode | undefined, out: ENode[], seen: Map<string, number>, chain: FileId[], includedFrom?: ENode) => {
    for (const d of list) {
      // leaves share one empty list: only blocks ever get children
      const node: ENode = { d, file, ctx: nctx, parent, children: d.block ? [] : NO_CHILDREN, includedFrom, level: undefined, header: undefined };
      out.push(node);
      const at = d.endOffset >= 0 ? d.endOffset : d.span.end;
      syntaxUpTo(at);
      if (!d.wordCount) continue; // `{` with no name: already a syntax error (`""` is a name)
      const vars = mayHaveVariables(file, d);
      if (vars) collectVariables(d, vars, nctx, file, defined, uses);

      if (nctx === 'opaque' || nctx === 'unknown') continue;
      if (nctx === 'handler') {
        handlerEntry(node, file, parent, out, chain);
        continue;
      }
      if (d.name === 'include') {
        if (d.terminator === undefined) continue;
        if (d.terminator !== ';') { report(file, nameOf(d), 'nginx-directive', 'directive "include" is not terminated by ";"', at); continue; }
        if (d.args.length !== 1) { report(file, nameOf(d), 'nginx-directive', 'invalid number of arguments in "include" directive', at); continue; }
        include(node, d.args[0].value, file, nctx, parent, out, seen, chain, false);
        continue;
      }
      if (d.terminator === undefined) continue; // cut off by a syntax error: nginx never reached its handler
      const specs = specsFor(d.name, opts);
      if (!specs) {
        if (opts.extraDirectives.includes(d.name) || (opts.directiveSet === 'reference' && isThirdPartyDirective(d.name))) { sawUnknown = true; skipBlock(node, file); continue; }
        report(file, nameOf(d), 'nginx-directive', `unknown directive "${d.name}"`, at);
        if (d.name.startsWith('\uFEFF') && d.span.start === 0) {
          // a UTF-8 byte order mark (saved by some Windows editors): nginx reads it as part of the name
          findings[findings.length - 1].fixes = [{ title: 'Remove the byte order mark at the start of the file', kind: 'safe', edits: [{ file, span: { start: 0, end: 1 }, text: '' }] }];
        }
        sawUnknown = true;
        skipBlock(node, file);
        continue;
      }
      let spec: DirectiveSpec | undefined;
      for (const sp of specs) if (sp.contexts.includes(nctx as Ctx)) { spec = sp; break; }
      if (!spec) {
        report(file, nameOf(d), 'nginx-directive', `"${d.name}" directive is not allowed here`, at);
        skipBlock(node, file);
        continue;
      }
      if (!spec.block && d.terminator !== ';') {
        report(file, nameOf(d), 'nginx-directive', `directive "${d.name}" is not terminated by ";"`, at);
        skipBlock(node, file);
        continue;
      }
      if (spec.block && d.terminator !== '{') {
        report(file, nameOf(d), 'nginx-directive', `directive "${d.name}" has no opening "{"`, at);
        continue;
      }
      if (!allowsArgCount(spec, d.wordCount - 1, opts.directiveSet === 'light-1.22' ? 'light122' : 'current')) {
        report(file, nameOf(d), 'nginx-directive', `invalid number of arguments in "${d.name}" directive`, at);
        skipBlock(node, file);
        continue;
      }
      const reported = findings.length;
      const valueDup = VALUE_DUP_NAMES.has(d.name) ? VALUE_DUPS[spec.module + ':' + d.name] : undefined;
      if (valueDup) {
        if (valueDup(d.args.map((a) => a.value), spec.module + ':' + d.name, seen, at)) {
          report(file, nameOf(d), 'nginx-directive', `"${d.name}" directive is duplicate`, at);
        }
      } else if (spec.dup) {
        const key = spec.name === d.name ? specKey(spec) : spec.module + ':' + d.name;
        if (seen.has(key)) {
          report(file, nameOf(d), 'nginx-directive', `"${d.name}" directive is duplicate`, at);
        } else if ((d.name === 'root' || d.name === 'alias') && spec.module === 'ngx_http_core_module') {
          // one document root per location: ngx_http_core_root names the other directive
          const other = d.name === 'root' ? 'alias' : 'root';
          if (seen.has(DOCROOT + other)) report(file, nameOf(d), 'nginx-directive', `"${d.name}" directive is duplicate, "${other}" directive was specified earlier`, at);
          else seen.set(key, at).set(DOCROOT + d.name, at);
        } else seen.set(key, at);
      }
      // nginx's set() handler: the duplicate check first, then the value (one error per directive)
      if (findings.length === reported) {
        site.d = d; site.file = file; site.parent = parent; site.ctx = nctx; site.at = at;
        values.check(site, spec);
        // in nginx's reading order: the value errors of this directive, now
        values.drainInto(findings);
      }
      if (d.name === 'if' && spec.module === 'ngx_http_rewrite_module') {
        const bad = ifConditionError(d.args.map((a) => a.value));
        if (bad) {
          report(file, nameOf(d), 'nginx-directive', bad, at);
          skipBlock(node, file);
          continue;
        }
      }
      if (d.name === 'location' && spec.module === 'ngx_http_core_module' && !checkLocation(node, file, at, seen)) {
        skipBlock(node, file);
        continue;
      }
      if (d.block) {
        const inner: NodeCtx = d.block.kind === 'handler' ? 'handler' : d.block.kind === 'opaque' ? 'opaque' : childContext(nctx as Ctx, d.name) ?? 'unknown';
        // the duplicate checks of a block live while it is read: one map per depth, reused
        const inSeen = (seenAt[++depth] ??= new Map());
        inSeen.clear();
        walk(d.block.children, file, inner, node, node.children, inSeen, chain);
        depth--;
        const closeAt = d.block.closeAt;
        if (closeAt >= 0) syntaxUpTo(closeAt);
        if (d.name === 'upstream' && inner === 'upstream' && closeAt >= 0 && !hasServer(node)) {
          report(file, nameOf(d), 'nginx-directive', 'no servers are inside upstream', closeAt);
        }
        if (late.size && closeAt >= 0) lateAt(file, closeAt);
      }
    }
  };

  /**
   * ngx_http_core_location's own checks: the modifier, what may nest in what, a nested prefix
   * location inside its parent's prefix; and ngx_http_join_exact_locations' duplicates.
   * false when nginx stops at this location.
   */
  const checkLocation = (node: ENode, file: FileId, at: number, seen: Map<string, number>): boolean => {
    const loc = locationOf(node.d);
    const bad = (message: string) => { report(file, nameOf(node.d), 'nginx-directive', message, at); return false; };
    if (!loc) return bad(`invalid location modifier "${node.d.args[0].value}"`);
    const outer = node.parent?.d.name === 'location' ? locationOf(node.parent.d) : undefined;
    if (outer && outer.name !== '') {
      if (outer.kind === 'exact') return bad(`location "${loc.name}" cannot be inside the exact location "${outer.name}"`);
      if (outer.kind === 'named') return bad(`location "${loc.name}" cannot be inside the named location "${outer.name}"`);
      if (loc.kind === 'named') return bad(`named location "${loc.name}" can be on the server level only`);
      if (loc.kind !== 'regex' && !loc.name.startsWith(outer.name)) return bad(`location "${loc.name}" is outside location "${outer.name}"`);
    }
    // `location /x` and `location ^~ /x` are one location; `= /x` beside them is joined, not a duplicate
    if (loc.kind === 'exact' || loc.kind === 'prefix') {
      const key = `#location:${loc.kind}:${loc.name}`;
      // found by ngx_http_init_locations once the http block is read: after the errors before its `}`
      if (seen.has(key)) {
        let http = node.parent;
        while (http && http.d.name !== 'http') http = http.parent;
        const close = http?.d.block?.close;
        const after = close && http ? { file: http.file, offset: close.start } : { file: root, offset: AFTER_ALL };
        reportLate({ file, span: nameOf(node.d), severity: 'error', code: 'nginx-directive', message: `duplicate location "${loc.name}"`, nginxAt: at, after }, node);
      }
      else seen.set(key, at);
    }
    return true;
  };

  const hasServer = (n: ENode): boolean => n.children.some((c) => c.d.name === 'server');

  /** The block of a directive nginx rejected: keep the tree, skip judging its contents. */
  const skipBlock = (node: ENode, file: FileId) => {
    if (!node.d.block) return;
    const mark = (list: Directive[], parent: ENode) => {
      for (const d of list) {
        const n: ENode = { d, file, ctx: 'unknown', parent, children: [], includedFrom: undefined, level: undefined, header: undefined };
        parent.children.push(n);
        if (d.block) mark(d.block.children, n);
      }
    };
    mark(node.d.block.children, node);
  };

  /** A line inside map{}/types{}/geo{}…: the module's own checks, and its `include`. */
  const handlerEntry = (node: ENode, file: FileId, parent: ENode | undefined, out: ENode[], chain: FileId[]) => {
    const d = node.d;
    if (d.terminator !== ';') return;
    const owner = parent?.d.name;
    const at = d.endSpan!.start;
    const n = d.words.length;
    const bad = (message: string) => report(file, d.words[0].span, 'nginx-directive', message, at);
    if (owner === 'map') {
      // ngx_http_map: `hostnames;` and `volatile;` alone, otherwise exactly two words (include too)
      if (n === 1 && (d.name === 'hostnames' || d.name === 'volatile')) return;
      if (n !== 2) { bad('invalid number of the map parameters'); return; }
    } else if (owner === 'geo') {
      // ngx_http_geo: `ranges;` and `proxy_recursive;` alone (`volatile;` since 1.29.3),
      // otherwise exactly two words (include too)
      if (n === 1 && (d.name === 'ranges' || d.name === 'proxy_recursive' || (d.name === 'volatile' && opts.directiveSet !== 'light-1.22'))) return;
      if (n !== 2) { bad('invalid number of the geo parameters'); return; }
    } else if (owner === 'types') {
      // ngx_http_core_type: any number of extensions; `include` takes exactly one file
      if (d.name === 'include' && n !== 2) { bad('invalid number of arguments in "include" directive'); return; }
    } else if (owner === 'charset_map') {
      // ngx_http_charset_map: two codes per line; no include
      if (n !== 2) { bad('invalid parameters number'); return; }
      return;
    }
    if (d.name === 'include' && d.words.length === 2) {
      include(node, d.args[0].value, file, 'handler', parent, out, new Map(), chain, true);
    }
  };

  /** Include directives whose files were not read (missing, outside the workspace, a cycle…). */
  const unfollowed = new Set<ENode>();
  /** The include expansion budget (see MAX_INCLUDE_EXPANSIONS): spent so far, and what it stopped. */
  const budget = { expansions: 0, bytes: 0, first: undefined as { file: FileId; span: Span; at: number; why: string } | undefined, skipped: 0 };
  /** Include cycles already reported, by include directive and file: a glob that includes itself meets each many times. */
  const cycles = new Set<string>();
  /** Files outside the workspace, with the include in the workspace that led to each (see RootAnalysis). */
  const outside: RootAnalysis['outside'] = new Map();
  const include = (node: ENode, arg: string, file: FileId, nctx: NodeCtx, parent: ENode | undefined, out: ENode[], seen: Map<string, number>, chain: FileId[], handler: boolean) => {
    const d = node.d;
    const at = d.endSpan ? d.endSpan.start : d.span.end;
    const argSpan = d.args[0].span;
    if (budget.first) {
      budget.skipped++;
      unfollowed.add(node);
      return;
    }
    if (chain.length >= MAX_INCLUDE_DEPTH) {
      report(file, argSpan, 'nginx-include', `include nesting deeper than ${MAX_INCLUDE_DEPTH} levels: not followed`, at, 'warning');
      complete = false;
      unfollowed.add(node);
      return;
    }
    let depth = 0;
    for (let a = parent; a && depth <= MAX_EXPANDED_DEPTH; a = a.parent) depth++;
    if (depth > MAX_EXPANDED_DEPTH) {
      report(file, argSpan, 'nginx-include', `blocks nested deeper than ${MAX_EXPANDED_DEPTH} levels across included files: not followed`, at, 'warning');
      complete = false;
      unfollowed.add(node);
      return;
    }
    const r = ws.resolveInclude(prefix, arg, lookups);
    if (r.files.length === 0) {
      if (r.glob) {
        // glob(3) with no match: nginx accepts it silently. An absolute one outside the
        // workspace may match files on the server (the upgrade map, say): not followed.
        if (r.outside) {
          complete = false;
          unfollowed.add(node);
        }
        return;
      }
      complete = false;
      unfollowed.add(node);
      if (r.outside || kind === 'fragment') {
        report(file, argSpan, 'nginx-include', `open() "${r.path}" failed (2: No such file or directory): not found in the workspace, not checked`, at, 'info');
      } else {
        report(file, argSpan, 'nginx-include', `open() "${r.path}" failed (2: No such file or directory)`, at, 'warning');
      }
      return;
    }
    for (const f of r.files) {
      if (budget.first) {
        // the budget ran out inside an earlier file of this include: the rest are not read
        budget.skipped++;
        unfollowed.add(node);
        return;
      }
      if (chain.includes(f)) {
        const key = `${file}\0${argSpan.start}\0${f}`;
        if (cycles.has(key)) { complete = false; continue; }
        cycles.add(key);
        const cycle = [...chain.slice(chain.indexOf(f)), f].map((x) => x.slice(x.lastIndexOf('/') + 1)).join(' → ');
        report(file, argSpan, 'nginx-include', `include cycle: ${cycle}; not followed`, at, 'error');
        complete = false; // (a cycle's content is known: it is not `unfollowed`)
        // nginx has no cycle check: it reads the file again in the include's context, and inside
        // map{}/types{}… that reading fails on the file's first `{` (nginx-tests' map.t does this)
        if (handler) readFile(f, true, () => {});
        continue;
      }
      const err = ws.readError(f);
      if (err) {
        report(file, argSpan, 'nginx-include', `${f.slice(f.lastIndexOf('/') + 1)}: ${err}`, at, 'warning');
        complete = false;
        unfollowed.add(node);
        continue;
      }
      const size = ws.text(f)?.length ?? 0;
      if (budget.expansions + 1 > MAX_INCLUDE_EXPANSIONS || budget.bytes + size > MAX_EXPANDED_BYTES) {
        const why = budget.expansions + 1 > MAX_INCLUDE_EXPANSIONS
          ? `more than ${MAX_INCLUDE_EXPANSIONS.toLocaleString('en-US')} included files (a file counts each time it is included)`
          : `more than ${MAX_EXPANDED_BYTES / 1048576} MB of included text (a file counts each time it is included)`;
        budget.first = { file, span: argSpan, at, why };
        budget.skipped++;
        complete = false;
        unfollowed.add(node);
        return;
      }
      budget.expansions++;
      budget.bytes += size;
      const entry = ws.isOutside(f, prefix) ? (outside.get(file) ?? { file, span: argSpan }) : undefined;
      if (entry && !outside.has(f)) outside.set(f, entry);
      readFile(f, handler, () => {
        const p = ws.parsed(f, handler);
        if (p) walk(p.directives, f, nctx, parent, out, seen, [...chain, f], node);
      });
    }
  };

  const top: ENode[] = [];
  budget.bytes += ws.text(root)?.length ?? 0;
  readFile(root, false, () => {
    const p = ws.parsed(root);
    if (p) walk(p.directives, root, ctx, undefined, top, new Map(), [root]);
  });
  for (const list of late.values()) flushLate(list);
  if (budget.first) {
    const { file, span, at, why } = budget.first;
    const more = budget.skipped - 1;
    report(file, span, 'nginx-include', `include not expanded: this configuration expands to ${why}; this include and ${more.toLocaleString('en-US')} more after it were not followed, so what they hold is not checked`, at, 'warning');
  }

  if (kind === 'main' && complete && !sawUnknown && opts.directiveSet === 'reference') {
    for (const u of uses) {
      if (defined.has(u.name) || isKnownVariable(u.name)) continue;
      // found once the whole configuration is read; nginx prints it with no file or line
      report(u.file, u.span, 'nginx-variable', `unknown "${u.name}" variable`, undefined, 'error', { file: root, offset: AFTER_ALL });
    }
  }
  // after the whole configuration is read (ngx_event_init_conf runs after the http block's variables)
  values.finish(root, kind, complete);
  values.drainInto(findings);
  atNginxLines(ws, findings);
  return { root, kind, ctx, top, files, complete, nginxFindings: findings, lookups, unfollowed, outside };
}

/**
 * nginx prints the line where it detected an error: for a directive, the line of the `;`, `{`
 * or `}` it had just read. Where that is a later line than a finding's span (a statement split
 * over lines), the span becomes the statement's text on nginx's line (from its first word there
 * through the terminator), and the related information points at the original span, where the
 * statement starts: the line every edge shows (CLI text and JSON, the editor's Problems) is
 * nginx's. Linear: each finding looks back from its nginxAt only as far as its own span.
 */
/** The note of the related location atNginxLines adds: where the statement starts. */
export const STATEMENT_START_NOTE = 'the statement starts here; nginx reports the error where it ends';

function atNginxLines(ws: IncludeSource, findings: Finding[]): void {
  for (const f of findings) {
    const at = f.nginxAt;
    if (at === undefined || at <= f.span.start) continue;
    const text = ws.text(f.file);
    if (text === undefined) continue;
    let nl = -1;
    for (let i = Math.min(at, text.length) - 1; i >= f.span.start; i--) {
      if (text.charCodeAt(i) === 10) { nl = i; break; }
    }
    if (nl < 0) continue;
    let start = nl + 1;
    while (start < at && (text[start] === ' ' || text[start] === '\t' || text[start] === '\r')) start++;
    const c = text[at];
    const end = at < text.length && (c === ';' || c === '{' || c === '}') ? at + 1 : Math.min(at, text.length);
    f.related = [{ file: f.file, span: f.span, note: STATEMENT_START_NOTE }, ...(f.related ?? [])];
    f.span = { start, end: Math.max(start, end) };
  }
}

// ---- variables --------------------------------------------------------------------------

/** Directives whose first argument names a variable they create. */
export const DEFINES_FIRST = new Set(['set', 'auth_request_set', 'perl_set', 'js_set', 'js_var', 'set_by_lua', 'set_by_lua_block', 'set_by_lua_file', 'auth_jwt_claim_set', 'auth_jwt_header_set']);
/** Directives whose second argument names a variable they create (map/geo/split_clients/…). */
const DEFINES_SECOND = new Set(['map', 'geo', 'split_clients', 'geoip2', 'num_map']);
/** Directives whose arguments are regexes or patterns, where `$` is an anchor. */
const REGEX_ARGS = new Set(['location', 'server_name', 'valid_referers']);
/** Directives whose first argument is a regex when it starts with `~` (the others are compiled values). */
const TILDE_REGEX_FIRST = new Set(['proxy_redirect', 'proxy_cookie_path', 'proxy_cookie_domain']);
/** `return URL;`: the one-argument form compiles its URL only when it starts so. */
const RETURN_URL = /^(https?:\/\/|\$scheme)/;
const ALL_LITERAL = () => true;

const DEFINES = new Set([...DEFINES_FIRST, ...DEFINES_SECOND]);

/** The span of a directive's name (its words are only made when an error needs them). */
const nameOf = (d: Directive): Span => d.words[0].span;

const NO_CHILDREN: ENode[] = Object.freeze([]) as unknown as ENode[];

const specKeys = new WeakMap<object, string>();
function specKey(spec: DirectiveSpec): string {
  let k = specKeys.get(spec);
  if (!k) specKeys.set(spec, (k = spec.module + ':' + spec.name));
  return k;
}

const CAPTURE_RE = /\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g;

/** What mayHaveVariables found in a directive's text. */
const HAS_DOLLAR = 1;
const HAS_CAPTURE = 2;
const DEFINES_VAR = 4;

const isNameChar = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57);

/**
 * Records the variables a directive defines, and its uses of variables that are not nginx's
 * own (only those can be unknown: built-ins such as $host are most uses and never are).
 */
function collectVariables(d: Directive, found: number, nctx: NodeCtx, file: FileId, defined: Set<string>, uses: { name: string; file: FileId; span: Span }[]) {
  // named captures anywhere define variables (location, if, map, server_name, rewrite)
  const argc = d.wordCount - 1;
  if (found & HAS_CAPTURE) {
    for (let k = -1; k < argc; k++) {
      const v = k < 0 ? d.name : d.arg(k)!;
      if (v.includes('(?')) for (const m of v.matchAll(CAPTURE_RE)) defined.add(m[1].toLowerCase());
    }
  }
  if (found & DEFINES_VAR) {
    if (DEFINES_FIRST.has(d.name) && argc >= 1) defined.add(d.arg(0)!.replace(/^\$/, '').toLowerCase());
    if (DEFINES_SECOND.has(d.name) && argc >= 2) defined.add(d.arg(argc - 1)!.replace(/^\$/, '').toLowerCase());
  }
  if (!(found & HAS_DOLLAR)) return;
  if (nctx === 'opaque' || nctx === 'unknown') return;
  if (nctx === 'upstream') {
    if (d.name !== 'hash') return; // the one upstream directive that takes variables
  } else if (nctx !== 'http' && nctx !== 'server' && nctx !== 'location' && nctx !== 'if-server' && nctx !== 'if-location' && nctx !== 'limit_except' && nctx !== 'handler') return;
  if (REGEX_ARGS.has(d.name)) return;
  let from = 0;
  let to = argc;
  if (nctx === 'handler') {
    // map values (not keys) may use variables; geo/types/split_clients entries are literals
    if (d.parent?.name !== 'map' || d.wordCount !== 2) return;
  } else if (d.name === 'if') {
    // the regex operand after ~ / ~* / !~ / !~* is not a value
    for (let k = 0; k < argc; k++) if (/^!?~\*?$/.test(d.arg(k)!)) { to = k; break; }
  } else if (DEFINES_FIRST.has(d.name)) {
    from = 1;
  } else if (DEFINES_SECOND.has(d.name)) {
    to = argc - 1;
  } else if (d.name === 'rewrite') {
    from = 1; // the regex; the replacement is compiled
  } else if (TILDE_REGEX_FIRST.has(d.name) && d.arg(0)?.startsWith('~')) {
    from = 1;
  }
  const template = file.endsWith('.template');
  const literal = nctx === 'handler' ? undefined : d.name === 'return' && argc === 1 ? (RETURN_URL.test(d.arg(0)!) ? undefined : ALL_LITERAL) : literalArgs(d.name);
  for (let k = from; k < to; k++) {
    if (literal && literal(k)) continue;
    const v = d.arg(k)!;
    if (!v.includes('$')) continue;
    const found: { name: string; text: string }[] = [];
    if (!scanVariables(v, found)) continue; // nginx stops at this value with its own error
    for (const { name, text } of found) {
      if (isKnownVariable(name)) continue;
      const a = d.args[k];
      // *.conf.template files go through envsubst first (the nginx Docker image): ${NAME} and
      // upper-case $NAME are placeholders for environment variables, not nginx variables
      if (template && (text.startsWith('${') || /^[A-Z][A-Z0-9_]*$/.test(name))) continue;
      // offsets: find the text in raw for a precise squiggle
      const rawIdx = a.raw.indexOf(text);
      const start = a.span.start + (rawIdx >= 0 ? rawIdx : 0);
      // nginx knows variables by their lower-cased names, and says so in its message
      uses.push({ name: name.toLowerCase(), file, span: { start, end: start + (rawIdx >= 0 ? text.length : a.raw.length) } });
    }
  }
}

/**
 * The variables of a value as nginx's script compiler reads them (ngx_http_script_compile):
 * `$1`…`$9` are captures; `$name` and `${name}` take letters, digits and `_`. false when the
 * compiler would stop with its own error there ("invalid variable name", a missing `}`).
 */
function scanVariables(v: string, out: { name: string; text: string }[]): boolean {
  for (let i = v.indexOf('$'); i >= 0; i = v.indexOf('$', i)) {
    let j = i + 1;
    if (j >= v.length) return false;
    const c = v.charCodeAt(j);
    if (c >= 49 && c <= 57) { i = j + 1; continue; } // a capture
    const braced = c === 123;
    if (braced && ++j >= v.length) return false;
    const from = j;
    let closed = false;
    for (; j < v.length; j++) {
      const ch = v.charCodeAt(j);
      if (braced && ch === 125) { closed = true; break; }
      if (!isNameChar(ch)) break;
    }
    if (braced && !closed) return false;
    if (j === from) return false;
    const end = closed ? j + 1 : j;
    out.push({ name: v.slice(from, j), text: v.slice(i, end) });
    i = end;
  }
  return true;
}

/**
 * ngx_filename_cmp on Linux: bytes compared as they are, except that `/` sorts lowest, below
 * every other character (and the end of a name below that).
 */
function filenameCmp(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let c1 = a.charCodeAt(i);
    let c2 = b.charCodeAt(i);
    if (c1 === c2) continue;
    c1 = c1 === 47 ? 0 : c1 + 1;
    c2 = c2 === 47 ? 0 : c2 + 1;
    return c1 - c2;
  }
  return a.length - b.length;
}

/** ngx_http_cmp_locations for two exact or prefix locations of one level (equal: keep their order). */
function cmpLocations(a: ENode, b: ENode): number {
  const la = locationOf(a.d);
  const lb = locationOf(b.d);
  if (!la || !lb) return 0;
  const rc = filenameCmp(la.name, lb.name);
  if (rc !== 0) return rc;
  // an exact match sorts before the prefix location of the same name
  if (la.kind === 'exact' && lb.kind !== 'exact') return -1;
  if (la.kind !== 'exact' && lb.kind === 'exact') return 1;
  return 0;
}

/**
 * The order nginx meets duplicate locations in, once the http block is read: server after
 * server (ngx_http_block), and in each the locations sorted by ngx_http_cmp_locations, nested
 * levels before their own (ngx_http_init_static_location_trees recurses first, then
 * ngx_http_join_exact_locations walks the sorted list). Its first error is the first pair in
 * that order, not the first in the file: `location /t` twice and then `location /a` twice
 * reports "/a".
 */
function nginxLocationOrder(dupOf: Map<Finding, ENode>): (a: Finding, b: Finding) => number {
  const pathOf = (n: ENode): ENode[] => {
    const out: ENode[] = [n];
    let p = n.parent;
    while (p && p.d.name === 'location') { out.unshift(p); p = p.parent; }
    if (p) out.unshift(p); // the server (or whatever holds the locations)
    return out;
  };
  const indexIn = (n: ENode) => (n.parent ? n.parent.children.indexOf(n) : -1);
  return (fa, fb) => {
    const a = dupOf.get(fa);
    const b = dupOf.get(fb);
    if (!a || !b) return 0;
    const pa = pathOf(a);
    const pb = pathOf(b);
    // servers in the order they were read
    if (pa[0] !== pb[0]) return indexIn(pa[0]) - indexIn(pb[0]);
    let i = 1;
    while (i < pa.length - 1 && i < pb.length - 1 && pa[i] === pb[i]) i++;
    const aHere = i === pa.length - 1;
    const bHere = i === pb.length - 1;
    // every level inside a location is checked before the level that holds the location
    if (aHere && !bHere) return 1;
    if (!aHere && bHere) return -1;
    return cmpLocations(pa[i], pb[i]) || indexIn(pa[i]) - indexIn(pb[i]);
  };
}

interface LocationName {
  kind: 'exact' | 'prefix' | 'regex' | 'named';
  /** The name nginx keeps: without its modifier. */
  name: string;
}

/** A location's kind and name, read as ngx_http_core_location does; undefined: invalid modifier. */
function locationOf(d: Directive): LocationName | undefined {
  if (d.wordCount === 3) {
    const mod = d.arg(0)!;
    const name = d.arg(1)!;
    if (mod === '=') return { kind: 'exact', name };
    if (mod === '^~') return { kind: 'prefix', name };
    if (mod === '~' || mod === '~*') return { kind: 'regex', name };
    return undefined;
  }
  const v = d.arg(0) ?? '';
  if (v.startsWith('=')) return { kind: 'exact', name: v.slice(1) };
  if (v.startsWith('^~')) return { kind: 'prefix', name: v.slice(2) };
  if (v.startsWith('~')) return { kind: 'regex', name: v.slice(v.startsWith('~*') ? 2 : 1) };
  return { kind: v.startsWith('@') ? 'named' : 'prefix', name: v };
}

/** `if` operators after a variable: comparison and regex match. */
const IF_OPERATORS = new Set(['=', '!=', '~', '~*', '!~', '!~*']);
/** `if` file tests: -f -d -e -x and their negations. */
const IF_FILE_TESTS = new Set(['-f', '-d', '-e', '-x', '!-f', '!-d', '!-e', '!-x']);

/**
 * The condition of `if (…)` read as ngx_http_rewrite_if_condition does (the parentheses may
 * stand alone or stick to the first and last words): nginx's message when it refuses the
 * shape, undefined when the shape is fine (regexes themselves are not compiled here).
 */
function ifConditionError(words: string[]): string | undefined {
  const v = words.slice();
  const first = v[0] ?? '';
  if (!first.startsWith('(')) return `invalid condition "${first}"`;
  let cur = 0;
  if (first.length === 1) cur = 1;
  else v[0] = first.slice(1);
  let last = v.length - 1;
  if (!v[last] || !v[last].endsWith(')')) return `invalid condition "${v[last] ?? ''}"`;
  if (v[last].length === 1) last--;
  else v[last] = v[last].slice(0, -1);
  const p = v[cur] ?? '';
  if (p.length > 1 && p[0] === '$') {
    if (cur !== last && cur + 2 !== last) return `invalid condition "${p}"`;
    if (cur === last) return undefined;
    const op = v[cur + 1];
    return IF_OPERATORS.has(op) ? undefined : `unexpected "${op}" in condition`;
  }
  if ((p.length === 2 && p[0] === '-') || (p.length === 3 && p[0] === '!' && p[1] === '-')) {
    if (cur + 1 !== last) return `invalid condition "${p}"`;
    return IF_FILE_TESTS.has(p) ? undefined : `invalid condition "${p}"`;
  }
  return `invalid condition "${p}"`;
}
