// The names a configuration defines and uses, across every file of its include graph: upstreams
// (and the *_pass directives that name them), `@named` locations (and try_files, error_page,
// post_action), variables (map, geo, split_clients, set, auth_request_set… and regex named
// captures, and every `$name` that reads them). Go to Definition, Find All References, Rename
// and Document Highlight all read this one index. Pure: reads only the Workspace.
import { isKnownVariable } from '../data/directives';
import type { Workspace } from '../analysis';
import type { ENode, RootAnalysis } from '../model/tree';
import { DEFINES_FIRST } from '../model/validate';
import type { Directive, Word } from '../syntax/ast';
import type { FileId, Span, TextEdit } from '../types';

/** What a name is; two occurrences with the same key (and, for named locations, scope) are one symbol. */
export type RefKind = 'upstream' | 'named' | 'variable' | 'capture';

export interface Occurrence {
  file: FileId;
  /** The name alone: `backend` in `http://backend/`, `name` in `$name` or `${name}`, `app` in `@app`. */
  span: Span;
  /** The name as the reader sees it: `$name`, `${name}`, `@app`, `backend`. */
  token: Span;
  /** A definition (upstream block, location @x, map/set/… or a named capture) rather than a use. */
  def: boolean;
  kind: RefKind;
  /** Lower case for upstreams and variables (nginx compares them so), as written for named locations. */
  name: string;
  /** http or stream: two namespaces of upstreams and variables. */
  family: 'http' | 'stream';
  /** For named locations: the server it belongs to (file:offset of the server directive), or the http block for an http-level use. */
  scope?: string;
  /** For named locations in a server: the http block around it. */
  outer?: string;
  /** The directive it is written in. */
  d: Directive;
}

/** Directives whose argument names an upstream: the index of that argument and the schemes it may carry. */
const PASSES: Record<string, true> = { proxy_pass: true, grpc_pass: true, fastcgi_pass: true, uwsgi_pass: true, scgi_pass: true, memcached_pass: true };

/** Directives that name a variable they make in their second argument, or (geo, split_clients) their last. */
const DEFINES_LAST = new Set(['geo', 'split_clients']);

/** Directives with a regex argument whose named captures become variables. */
const CAPTURE_RE = /\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/g;
const VAR_RE = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

const familyOf = (n: ENode): 'http' | 'stream' => {
  for (let p: ENode | undefined = n; p; p = p.parent) {
    if (p.d.name === 'stream' && !p.parent) return 'stream';
    if (p.ctx === 'stream' || p.ctx === 'stream-server' || p.ctx === 'stream-upstream') return 'stream';
  }
  return 'http';
};


/** The upstream name in a *_pass argument (`http://backend:80/x` → `backend`), as an offset range of the raw word. */
function upstreamIn(w: Word): { start: number; end: number } | undefined {
  const raw = w.raw;
  const q = w.quote === 'none' ? 0 : 1;
  let start = q;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(raw.slice(q));
  if (scheme) start += scheme[0].length;
  else if (/^unix:/i.test(raw.slice(q))) return undefined;
  let end = start;
  while (end < raw.length - q && !/[:/?#$\s"']/.test(raw[end])) end++;
  if (end === start || raw[end] === '$' || raw.slice(start, end).includes('$')) return undefined;
  return { start, end };
}

/** Everything the index holds for one root. */
interface RootIndex {
  occurrences: Occurrence[];
  /** By file, in order of their start: what stands at an offset is found by bisection. */
  byFile: Map<FileId, Occurrence[]>;
  /** By symbol key (see keyOf). */
  byKey: Map<string, Occurrence[]>;
  /** Text of opaque blocks (*_by_lua_block…), by file: a rename must not miss a use there. */
  opaque: { file: FileId; text: string }[];
}

const indexes = new WeakMap<RootAnalysis, RootIndex>();

/** Directives that may define or name something even without a `$` in them. */
const WATCHED = new Set(['map', ...DEFINES_LAST, ...DEFINES_FIRST, 'upstream', ...Object.keys(PASSES), 'location', 'try_files', 'error_page', 'post_action', 'server_name', 'rewrite', 'if']);

/** Occurrences with the same key are the same symbol (named locations are then narrowed to their servers). */
const keyOf = (o: Occurrence) => `${o.family}:${o.kind === 'capture' ? 'variable' : o.kind}:${o.name}`;

function indexOf(ws: Workspace, r: RootAnalysis): RootIndex {
  let ix = indexes.get(r);
  if (ix) return ix;
  const idOf = (n: ENode) => `${ws.canonical(n.file)}:${n.d.span.start}`;
  const occurrences: Occurrence[] = [];
  const opaque: RootIndex['opaque'] = [];
  const upstreamUses: { n: ENode; w: Word; at: { start: number; end: number } }[] = [];
  const upstreamNames = new Set<string>();
  const real = new Map<FileId, FileId>();
  const add = (n: ENode, kind: RefKind, name: string, span: Span, def: boolean, token = span, scope?: string, outer?: string) => {
    let file = real.get(n.file);
    if (file === undefined) real.set(n.file, (file = ws.canonical(n.file)));
    occurrences.push({ file, span, token, def, kind, name: kind === 'named' ? name : name.toLowerCase(), family: familyOf(n), scope, outer, d: n.d });
  };
  const serverOf = (n: ENode): ENode | undefined => {
    for (let p = n.parent; p; p = p.parent) if (p.d.name === 'server' && (p.ctx === 'http' || p.ctx === 'stream')) return p;
    return undefined;
  };
  const httpOf = (n: ENode): ENode | undefined => {
    for (let p: ENode | undefined = n; p; p = p.parent) if (p.d.name === 'http' && p.ctx === 'main') return p;
    return undefined;
  };
  const named = (n: ENode, w: Word, def: boolean) => {
    if (w.quote !== 'none' || w.raw.length < 2 || w.raw[0] !== '@' || w.raw.includes('$')) return;
    const server = serverOf(n);
    const http = httpOf(n);
    const scope = server ? idOf(server) : http ? idOf(http) : `${r.root}:top`;
    add(n, 'named', w.raw.slice(1), { start: w.span.start + 1, end: w.span.end }, def, w.span, scope, server && http ? idOf(http) : undefined);
  };
  const texts = new Map<FileId, ReturnType<typeof dollarsOf>>();
  const stack: ENode[] = [...r.top].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    const d = n.d;
    if (n.ctx === 'opaque') continue;
    if (d.block?.kind === 'opaque' && d.block.close) {
      opaque.push({ file: n.file, text: (ws.text(n.file) ?? '').slice(d.block.open.end, d.block.close.start) });
    }
    // most directives name nothing and read no variable: their words are never made
    let t = texts.get(n.file);
    if (t === undefined) texts.set(n.file, (t = dollarsOf(ws.text(n.file) ?? '')));
    const hasVar = t.any(d.span.start, d.endOffset >= 0 ? d.endOffset : d.span.end);
    if (!hasVar && !WATCHED.has(d.name) && !(n.ctx === 'handler' && t.text[d.span.start] === '~')) continue;
    if (!d.wordCount) continue;
    const args = d.args;
    // the word that makes a variable, if this directive makes one
    let defWord: Word | undefined;
    if (n.ctx !== 'handler') {
      if (d.name === 'map' && args.length >= 2) defWord = args[1];
      else if (DEFINES_LAST.has(d.name) && args.length >= 1 && d.block) defWord = args[args.length - 1];
      else if (DEFINES_FIRST.has(d.name) && args.length >= 1) defWord = args[0];
      if (d.name === 'upstream' && args.length >= 1 && d.block && (n.ctx === 'http' || n.ctx === 'stream')) {
        const w = args[0];
        const q = w.quote === 'none' ? 0 : 1;
        add(n, 'upstream', w.value, { start: w.span.start + q, end: w.span.end - q }, true);
        upstreamNames.add(`${familyOf(n)}:${w.value.toLowerCase()}`);
      }
      if (PASSES[d.name] && args.length >= 1) {
        const at = upstreamIn(args[0]);
        if (at) upstreamUses.push({ n, w: args[0], at });
      }
      if (d.name === 'location') {
        if (args.length === 1 && args[0].raw.startsWith('@')) named(n, args[0], true);
      } else if ((d.name === 'try_files' || d.name === 'error_page') && args.length >= 2) named(n, args[args.length - 1], false);
      else if (d.name === 'post_action' && args.length === 1) named(n, args[0], false);
    }
    // named captures of a regex: location ~, server_name ~, if (… ~ …), rewrite, a map's ~key
    const regexWords: Word[] = [];
    if (d.name === 'location' && args.length >= 2 && /^~\*?$/.test(args[0].value)) regexWords.push(args[1]);
    else if (d.name === 'location' && args.length === 1 && args[0].value.startsWith('~')) regexWords.push(args[0]);
    else if (d.name === 'server_name') regexWords.push(...args.filter((w) => w.value.startsWith('~')));
    else if (d.name === 'rewrite' && args.length >= 1) regexWords.push(args[0]);
    else if (d.name === 'if' && args.some((w) => /^!?~\*?$/.test(w.value))) regexWords.push(args[args.length - 1]);
    else if (n.ctx === 'handler' && n.parent?.d.name === 'map' && d.words[0].value.startsWith('~')) regexWords.push(d.words[0]);
    for (const w of regexWords) {
      for (const m of w.raw.matchAll(CAPTURE_RE)) {
        const name = m[1] ?? m[2];
        const start = w.span.start + m.index! + m[0].indexOf(name);
        add(n, 'capture', name, { start, end: start + name.length }, true);
      }
    }
    // every $name written in a word: a use, or the definition when it is the defining word
    for (const w of d.words) {
      if (!w.raw.includes('$')) continue;
      const regex = regexWords.includes(w);
      for (const m of w.raw.matchAll(VAR_RE)) {
        const name = m[1] ?? m[2];
        // `$` ends a regex (`^/ws$`): in a pattern, only `$name` followed by a name counts, which it does
        if (regex && m[2] && /^[0-9]/.test(name)) continue;
        const start = w.span.start + m.index! + (m[1] ? 2 : 1);
        const token = { start: w.span.start + m.index!, end: w.span.start + m.index! + m[0].length };
        add(n, 'variable', name, { start, end: start + name.length }, w === defWord && m.index === (w.quote === 'none' ? 0 : 1), token);
      }
    }
  }
  for (const u of upstreamUses) {
    const name = u.w.raw.slice(u.at.start, u.at.end);
    if (!upstreamNames.has(`${familyOf(u.n)}:${name.toLowerCase()}`)) continue;
    add(u.n, 'upstream', name, { start: u.w.span.start + u.at.start, end: u.w.span.start + u.at.end }, false);
  }
  const byFile = new Map<FileId, Occurrence[]>();
  const byKey = new Map<string, Occurrence[]>();
  for (const o of occurrences) {
    const f = byFile.get(o.file);
    if (f) f.push(o); else byFile.set(o.file, [o]);
    const k = keyOf(o);
    const l = byKey.get(k);
    if (l) l.push(o); else byKey.set(k, [o]);
  }
  for (const l of byFile.values()) l.sort((a, b) => a.token.start - b.token.start);
  ix = { occurrences, opaque, byFile, byKey };
  indexes.set(r, ix);
  return ix;
}

/** Where a file's `$` signs are, for "is there one between a and b" by bisection (a scan forward would be quadratic on one long line). */
function dollarsOf(text: string) {
  const at: number[] = [];
  for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i + 1)) at.push(i);
  return {
    text,
    any(from: number, to: number): boolean {
      let lo = 0;
      let hi = at.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (at[mid] < from) lo = mid + 1; else hi = mid;
      }
      return lo < at.length && at[lo] < to;
    },
  };
}

/** The occurrence under the cursor, read from the trees that hold the file. */
function occurrenceAt(ws: Workspace, file: FileId, offset: number, roots: RootAnalysis[]): Occurrence | undefined {
  const real = ws.canonical(file);
  let best: Occurrence | undefined;
  for (const r of roots) {
    const list = indexOf(ws, r).byFile.get(real) ?? [];
    // the last occurrence starting at or before the offset, and the few before it that may still reach it
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].token.start <= offset) lo = mid + 1; else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
      const o = list[i];
      if (offset > o.token.end || offset < o.token.start) continue;
      if (!best || o.token.end - o.token.start < best.token.end - best.token.start) best = o;
    }
    if (best) return best;
  }
  return best;
}

/** Roots whose tree holds the file, main configurations first. */
function rootsFor(ws: Workspace, file: FileId): RootAnalysis[] {
  return ws.rootsOf(file).sort((a, b) => Number(b.kind === 'main') - Number(a.kind === 'main'));
}

export interface SymbolGroup {
  /** The occurrence under the cursor. */
  at: Occurrence;
  /** Every occurrence of the same symbol, definitions first, in file and offset order, each once. */
  occurrences: Occurrence[];
  /** The roots read. */
  roots: RootAnalysis[];
}

/**
 * The symbol under the cursor and all its occurrences in every tree that holds the file. When
 * those trees (fragments only) do not define it, every tree of the workspace is read, as nginx
 * would when the fragment is included from the main configuration. A rename needs the closure:
 * `closed` adds every tree that holds a file where the symbol occurs, until none is added.
 */
export function symbolGroup(ws: Workspace, file: FileId, offset: number, closed = false): SymbolGroup | undefined {
  let roots = rootsFor(ws, file);
  const at = occurrenceAt(ws, file, offset, roots);
  if (!at) return undefined;
  const collect = (rs: RootAnalysis[]) => {
    const seen = new Map<string, Occurrence>();
    for (const r of rs) for (const o of indexOf(ws, r).byKey.get(keyOf(at)) ?? []) seen.set(`${o.file}:${o.span.start}`, o);
    return [...seen.values()];
  };
  let found = collect(roots);
  if (!found.some((o) => o.def) && !roots.some((r) => r.kind === 'main')) {
    roots = [...ws.analysis().values()];
    found = collect(roots);
  }
  if (closed) {
    for (let round = 0; round < 8; round++) {
      const more = new Set(roots);
      for (const f of new Set(found.map((o) => o.file))) for (const r of ws.rootsOf(f)) more.add(r);
      if (more.size === roots.length) break;
      roots = [...more];
      found = collect(roots);
    }
  }
  if (at.kind === 'named') found = namedScope(found, at);
  found.sort((a, b) => Number(b.def) - Number(a.def) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
  return { at, occurrences: found, roots };
}

/**
 * The uses and definitions of a named location that are one: those of its server, and, when
 * the http block uses the name itself (an http-level error_page), every server of that http.
 */
function namedScope(all: Occurrence[], at: Occurrence): Occurrence[] {
  const scopes = new Set([at.scope]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const o of all) {
      if (scopes.has(o.scope) && o.outer && !scopes.has(o.outer) && all.some((h) => h.scope === o.outer)) { scopes.add(o.outer); grew = true; }
      if (o.outer && scopes.has(o.outer) && !scopes.has(o.scope)) { scopes.add(o.scope); grew = true; }
    }
  }
  return all.filter((o) => scopes.has(o.scope));
}

export interface RefPlace {
  file: FileId;
  span: Span;
  def: boolean;
}

const place = (o: Occurrence): RefPlace => ({ file: o.file, span: o.token, def: o.def });

/** Where the symbol under the cursor is defined (upstream block, location @x, map/set…); undefined when nothing stands there. */
export function definitionsAt(ws: Workspace, file: FileId, offset: number): RefPlace[] | undefined {
  const g = symbolGroup(ws, file, offset);
  return g && g.occurrences.filter((o) => o.def).map(place);
}

/** Every occurrence of the symbol under the cursor; without its definitions unless asked. */
export function referencesAt(ws: Workspace, file: FileId, offset: number, includeDeclaration = true): RefPlace[] {
  const g = symbolGroup(ws, file, offset);
  return g ? g.occurrences.filter((o) => includeDeclaration || !o.def).map(place) : includesOfSame(ws, file, offset);
}

/**
 * On an include's path: every include of the workspace that reads one of the same files (where
 * else this snippet is included), each path as written.
 */
function includesOfSame(ws: Workspace, file: FileId, offset: number): RefPlace[] {
  const here = includeAt(ws.parsed(file)?.directives ?? [], offset);
  if (!here) return [];
  const targetsOf = (r: RootAnalysis, d: Directive) => ws.resolveInclude(ws.prefixOf(r.root, r.kind), d.arg(0)!).files.map((f) => ws.canonical(f));
  const wanted = new Set(ws.rootsOf(file).flatMap((r) => targetsOf(r, here)));
  if (!wanted.size) return [];
  const out = new Map<string, RefPlace>();
  for (const r of ws.analysis().values()) {
    const stack = [...r.top];
    while (stack.length) {
      const n = stack.pop()!;
      stack.push(...n.children);
      if (n.d.name !== 'include' || n.d.wordCount !== 2) continue;
      if (!targetsOf(r, n.d).some((f) => wanted.has(f))) continue;
      const w = n.d.args[0];
      const q = w.quote === 'none' ? 0 : 1;
      const f = ws.canonical(n.file);
      out.set(`${f}:${w.span.start}`, { file: f, span: { start: w.span.start + q, end: w.span.end - q }, def: false });
    }
  }
  return [...out.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
}

/** The include directive whose path the offset is on. */
function includeAt(list: Directive[], offset: number): Directive | undefined {
  for (;;) {
    const d = list.find((x) => x.span.start <= offset && offset <= x.span.end);
    if (!d) return undefined;
    if (d.name === 'include' && d.wordCount === 2) return d.args[0].span.start <= offset && offset <= d.args[0].span.end ? d : undefined;
    if (!d.block) return undefined;
    list = d.block.children;
  }
}

/** The occurrences of the symbol under the cursor in this file (Document Highlight). */
export function highlightsAt(ws: Workspace, file: FileId, offset: number): RefPlace[] {
  const real = ws.canonical(file);
  return referencesAt(ws, file, offset).filter((p) => p.file === real);
}

export type RenameCheck = { ok: true; span: Span; placeholder: string } | { ok: false; message: string };

/** What prepareRename says: the name's range, or why it cannot be renamed. */
export function prepareRename(ws: Workspace, file: FileId, offset: number): RenameCheck {
  const g = symbolGroup(ws, file, offset, true);
  if (!g) return { ok: false, message: refusalOf(ws, file, offset) };
  const why = renameRefusal(ws, g);
  if (why) return { ok: false, message: why };
  return { ok: true, span: g.at.span, placeholder: (ws.text(file) ?? '').slice(g.at.span.start, g.at.span.end) };
}

/** Why there is nothing to rename at the offset. */
function refusalOf(ws: Workspace, file: FileId, offset: number): string {
  let list = ws.parsed(file)?.directives ?? [];
  for (;;) {
    const d = list.find((x) => x.span.start <= offset && offset <= x.span.end);
    if (!d) return 'Only upstreams, named locations (@name) and the variables the configuration defines can be renamed.';
    const i = d.words.findIndex((w) => w.span.start <= offset && offset <= w.span.end);
    if (i === 0) return `"${d.name}" is a directive of nginx: its name cannot be renamed.`;
    if (i > 0 && PASSES[d.name]) return `"${d.words[i].value}" names no upstream block of the configuration: nothing to rename.`;
    if (i > 0) return 'Only upstreams, named locations (@name) and the variables the configuration defines can be renamed.';
    if (!d.block || d.block.kind !== 'directives' || offset <= d.block.open.start) return 'Only upstreams, named locations (@name) and the variables the configuration defines can be renamed.';
    list = d.block.children;
  }
}

function renameRefusal(ws: Workspace, g: SymbolGroup): string | undefined {
  const { at, occurrences } = g;
  const defs = occurrences.filter((o) => o.def);
  if (at.kind === 'variable' || at.kind === 'capture') {
    if (!defs.length) {
      return isKnownVariable(at.name)
        ? `$${at.name} is an nginx variable: only variables the configuration makes (map, geo, split_clients, set, auth_request_set…) can be renamed.`
        : `$${at.name} is defined nowhere in the configuration: nothing to rename.`;
    }
    if (defs.some((o) => o.kind === 'capture')) return `$${at.name} is a named capture of a regex: rename it in the pattern by hand, where the regex is read.`;
    if (defs.some((o) => !['map', 'geo', 'split_clients', 'set', 'auth_request_set', 'js_set', 'perl_set', 'js_var'].includes(o.d.name))) {
      return `$${at.name} is made by ${defs.find((o) => !['map', 'geo', 'split_clients', 'set', 'auth_request_set', 'js_set', 'perl_set', 'js_var'].includes(o.d.name))!.d.name}, whose code may read it by name: not renamed.`;
    }
    const lua = g.roots.flatMap((r) => indexOf(ws, r).opaque).find((b) => new RegExp(`\\b${at.name}\\b`, 'i').test(b.text));
    if (lua) return `$${at.name} may be read by name in an embedded code block in ${lua.file}: not renamed.`;
  } else if (!defs.length) {
    return at.kind === 'named' ? `No location @${at.name} in this server: nothing to rename.` : `No upstream ${at.name} in the configuration: nothing to rename.`;
  }
  const outside = occurrences.find((o) => g.roots.some((r) => r.outside.has(o.file)));
  if (outside) return `${label(at)} is also used in ${outside.file}, outside the workspace: not renamed.`;
  return undefined;
}

const label = (o: Occurrence) => (o.kind === 'named' ? `@${o.name}` : o.kind === 'upstream' ? `upstream ${o.name}` : `$${o.name}`);

export type RenameResult = { ok: true; edits: TextEdit[] } | { ok: false; message: string };

/**
 * The edits that rename the symbol under the cursor in every file of every tree it is used in.
 * The new name is checked so that nginx reads the result as it read the original: a valid name,
 * not one of nginx's variables, not the name of another upstream, location or variable.
 */
export function renameAt(ws: Workspace, file: FileId, offset: number, newName: string): RenameResult {
  const g = symbolGroup(ws, file, offset, true);
  if (!g) return { ok: false, message: refusalOf(ws, file, offset) };
  const why = renameRefusal(ws, g);
  if (why) return { ok: false, message: why };
  const at = g.at;
  let name = newName.trim();
  if (at.kind === 'variable') {
    name = name.replace(/^\$\{?|\}$/g, '');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, message: `"${newName}" is not a variable name nginx reads whole: letters, digits and _, not starting with a digit.` };
    if (isKnownVariable(name)) return { ok: false, message: `$${name} is an nginx variable: choose another name.` };
  } else if (at.kind === 'named') {
    name = name.replace(/^@/, '');
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) return { ok: false, message: `"${newName}" is not a plain location name: letters, digits, _, . and -.` };
  } else if (!/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/.test(name)) {
    return { ok: false, message: `"${newName}" is not a plain upstream name: letters, digits, _, - and dots between them.` };
  }
  if (name.toLowerCase() === at.name.toLowerCase() && at.kind !== 'named') return { ok: true, edits: [] };
  // the new name must not be taken: another upstream, another location @x of the same servers, another variable
  const taken = g.roots.flatMap((r) => indexOf(ws, r).occurrences).find((o) => {
    if (o.family !== at.family) return false;
    if (at.kind === 'variable') return (o.kind === 'variable' || o.kind === 'capture') && o.name === name.toLowerCase();
    if (at.kind === 'named') return o.kind === 'named' && o.def && o.name === name && g.occurrences.some((x) => x.scope === o.scope);
    return o.kind === 'upstream' && o.def && o.name === name.toLowerCase();
  });
  if (taken) return { ok: false, message: `${label({ ...at, name })} already exists in ${taken.file}: choose another name.` };
  const edits = g.occurrences.map((o) => ({ file: o.file, span: o.span, text: name }));
  return { ok: true, edits: edits.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start)) };
}

/**
 * The upstream names, named locations and variables written in a file (from every tree that
 * holds it), each once, with whether the configuration defines it (for variables: a map, set…
 * or a capture; otherwise it is nginx's own or no variable at all).
 */
export function fileSymbols(ws: Workspace, file: FileId): { o: Occurrence; defined: boolean }[] {
  const real = ws.canonical(file);
  const roots = rootsFor(ws, file);
  const all = roots.length && !roots.some((r) => r.kind === 'main') ? [...ws.analysis().values()] : roots;
  const defined = new Map<string, boolean>();
  const seen = new Map<number, { o: Occurrence; defined: boolean }>();
  for (const r of roots) {
    for (const o of indexOf(ws, r).byFile.get(real) ?? []) {
      if (seen.has(o.token.start)) continue;
      const k = keyOf(o);
      let d = defined.get(k);
      if (d === undefined) defined.set(k, (d = all.some((x) => (indexOf(ws, x).byKey.get(k) ?? []).some((y) => y.def))));
      seen.set(o.token.start, { o, defined: d });
    }
  }
  return [...seen.values()].sort((a, b) => a.o.token.start - b.o.token.start);
}
