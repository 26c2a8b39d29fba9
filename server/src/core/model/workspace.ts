import type { Ctx } from '../data/directives';
import { parse } from '../syntax/parser';
import type { Directive, ParsedFile } from '../syntax/ast';
import type { Level } from './effective';
import { HostError, type FileId, type Finding, type Fix, type Host, type Severity, type Span } from '../types';
import { dirname, hasGlob, resolveFrom, basename } from './paths';
import { inferContext, isMainOnly, validateRoot, type ValidateOptions } from './validate';
import { judge, modelOf } from '../rules/run';

/** Where a directive stands once includes are expanded. */
export type NodeCtx = Ctx | 'handler' | 'opaque' | 'unknown';

/** A directive in the include-expanded tree of one root. */
export interface ENode {
  d: Directive;
  file: FileId;
  /** The context the directive stands in. */
  ctx: NodeCtx;
  /** The enclosing block directive, across include boundaries. */
  parent?: ENode;
  /** Block contents, with included files' directives spliced in after their `include`. */
  children: ENode[];
  /** For directives of an included file: the include that brought the file in. */
  includedFrom?: ENode;
  /** Cache of the model (effective.ts): this block as a configuration level. */
  level?: Level;
  /** Cache of the model: the lower-cased first argument (the header of a proxy_set_header). */
  header?: string;
}

export interface RootAnalysis {
  root: FileId;
  /** 'main': has events/http at top level; 'fragment': a file nobody includes (conf.d style). */
  kind: 'main' | 'fragment';
  ctx: Ctx;
  top: ENode[];
  /** Every file reached, root included. */
  files: Set<FileId>;
  /** False when an include could not be followed (missing, outside the workspace, a cycle). */
  complete: boolean;
  /** Everything reported in the root's files: nginx's checks and the rules'. */
  findings: Finding[];
  /** What nginx's own checks (validate) found, before rules and settings, in the order nginx meets them. */
  nginxFindings: Finding[];
  /** A fragment whose rules asked whether the rest of the workspace defines a variable. */
  readsWorkspaceVars?: boolean;
  /** Include directives whose files could not be read: what they hold is unknown. */
  unfollowed: Set<ENode>;
  /** Every path and glob its includes looked up: a file appearing there changes this root. */
  lookups: { paths: Set<string>; globs: RegExp[] };
  /**
   * Files reached outside the configuration's folder that the workspace does not hold (an
   * absolute include of /etc/secret.conf): each with the include in the workspace that led
   * there. What is found in them is reported at that include, without their text.
   */
  outside: Map<FileId, { file: FileId; span: Span }>;
}

export interface AnalyzeOptions extends ValidateOptions {
  /** Target nginx version ('1.22', '1.29.7'); rules follow its defaults. Default 1.22. */
  nginxVersion?: string;
  /** Per-rule severity override; 'off' silences the rule. */
  rules?: Record<string, Severity | 'off'>;
  /** Extra location paths or upstream names (regex sources) that mark WebSocket endpoints. */
  endpointPatterns?: string[];
  /** Value the read-timeout fix writes (default 600s, as in the article). */
  readTimeout?: string;
  /** How the Connection fix writes the header: via the $connection_upgrade map, or "upgrade". */
  connectionStyle?: 'map' | 'literal';
}

export const DEFAULT_OPTIONS: AnalyzeOptions = { extraDirectives: [], directiveSet: 'reference' };

/** Files above this size are skipped with a message (nginx itself reads any size; editors shouldn't stall). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

interface FileState {
  text?: string;
  error?: string;
  parsed?: ParsedFile;
  parsedHandler?: ParsedFile;
}

/**
 * All nginx files of a workspace, their include graph and the analysis of each root.
 * Open editor buffers (overlays) win over the host's disk view. Pure: all I/O goes through Host.
 */
export class Workspace {
  private files = new Set<FileId>();
  private overlays = new Map<FileId, string>();
  private states = new Map<FileId, FileState>();
  private roots: Map<FileId, RootAnalysis> | undefined;
  /** The last analysis of each root, reused when nothing it read has changed. */
  private previous = new Map<FileId, RootAnalysis>();
  /** Files changed since the last analysis. */
  private dirty = new Set<FileId>();
  private globCache = new Map<string, FileId[]>();
  /** The variables the workspace defined at the last analysis (see analysis()). */
  private varsKey = '';
  /** Files of the fragments the last analysis judged again because those variables changed. */
  private rejudged = new Set<FileId>();
  /** Paths read so far → the file each really is (symbolic links resolved by the host). */
  private canon = new Map<FileId, FileId>();
  /** Real path → the other paths (links) read that are the same file. */
  private aliases = new Map<FileId, Set<FileId>>();
  /** See index(). */
  private indexed: { of: Map<FileId, RootAnalysis>; roots: Map<FileId, RootAnalysis[]>; findings: WeakMap<Finding[], Map<FileId, Finding[]>> } | undefined;

  constructor(private readonly host: Host, public options: AnalyzeOptions = DEFAULT_OPTIONS) {}

  /** The set of nginx files the workspace knows (from a folder scan). */
  setFiles(files: Iterable<FileId>): void {
    this.files = new Set(files);
    this.invalidateAll();
  }

  addFile(file: FileId): void {
    if (!this.files.has(file)) { this.files.add(file); this.invalidate(file); }
  }

  removeFile(file: FileId): void {
    this.files.delete(file);
    this.invalidate(file);
  }

  /** An open buffer's text (undefined: closed, fall back to disk). */
  setOverlay(file: FileId, text: string | undefined): void {
    if (text === undefined) this.overlays.delete(file); else this.overlays.set(file, text);
    this.invalidate(file);
  }

  setOptions(options: AnalyzeOptions): void {
    this.options = options;
    this.invalidateAll();
  }

  /** Forget what is known of a file (changed on disk or in an editor), under every path it has. */
  invalidate(file: FileId): void {
    for (const p of this.samePaths(file)) {
      this.states.delete(p);
      this.dirty.add(p);
    }
    this.states.delete(this.canonical(file));
    // a link may have been made, removed or pointed elsewhere
    this.forgetPath(file);
    this.roots = undefined;
    this.globCache.clear();
  }

  private forgetPath(file: FileId): void {
    const c = this.canon.get(file);
    if (c !== undefined && c !== file) this.aliases.get(c)?.delete(file);
    this.canon.delete(file);
  }

  /** The file a path really is (sites-enabled/app → sites-available/app when that is a link). */
  canonical(file: FileId): FileId {
    let c = this.canon.get(file);
    if (c === undefined) {
      c = this.host.realpath?.(file) ?? file;
      this.canon.set(file, c);
      if (c !== file) {
        let a = this.aliases.get(c);
        if (!a) this.aliases.set(c, (a = new Set()));
        a.add(file);
      }
    }
    return c;
  }

  /**
   * Every path known to be the same file as `file`: itself, its real path, the links to it. A path
   * is known once read: after analysis() for every file the analysis reached.
   */
  samePaths(file: FileId): FileId[] {
    const c = this.canonical(file);
    const a = this.aliases.get(c);
    if (c === file && !a?.size) return [file];
    return [...new Set([file, c, ...(a ?? [])])];
  }

  /** The open buffer of this file, opened under this path or another one of it. */
  private overlayOf(file: FileId): string | undefined {
    const own = this.overlays.get(file);
    if (own !== undefined || this.overlays.size === 0) return own;
    // by real path (few buffers are open): a path just forgotten by invalidate() still counts
    const real = this.canonical(file);
    for (const [p, text] of this.overlays) if (this.canonical(p) === real) return text;
    return undefined;
  }

  invalidateAll(): void {
    this.varsKey = '';
    this.canon.clear();
    this.aliases.clear();
    this.states.clear();
    this.previous.clear();
    this.dirty.clear();
    this.roots = undefined;
    this.globCache.clear();
  }

  /** The previous analysis of a root, if nothing it read (or looked for) has changed since. */
  private reusable(root: FileId, kind: RootAnalysis['kind'], ctx: Ctx): RootAnalysis | undefined {
    const p = this.previous.get(root);
    if (!p || p.kind !== kind || p.ctx !== ctx) return undefined;
    for (const f of this.dirty) {
      if (p.files.has(f) || p.lookups.paths.has(f) || p.lookups.globs.some((re) => re.test(f))) return undefined;
    }
    return p;
  }

  /** The file's text, or undefined (missing); an unreadable file yields its error text. */
  text(file: FileId): string | undefined {
    return this.state(file).text;
  }

  readError(file: FileId): string | undefined {
    return this.state(file).error;
  }

  /** One state per real file: every path of a file reads the same text and shares one parse. */
  private state(file: FileId): FileState {
    const real = this.canonical(file);
    let s = this.states.get(real);
    if (s) return s;
    s = {};
    const overlay = this.overlayOf(file);
    if (overlay !== undefined) s.text = overlay;
    else {
      try {
        s.text = this.host.read(file);
      } catch (e) {
        s.error = e instanceof HostError ? e.message : `cannot read: ${(e as Error).message}`;
      }
    }
    if (s.text !== undefined && s.text.length > MAX_FILE_BYTES) {
      s.error = `skipped: ${Math.round(s.text.length / 1048576)} MB is larger than the ${MAX_FILE_BYTES / 1048576} MB limit`;
      s.text = undefined;
    }
    this.states.set(real, s);
    return s;
  }

  /** Parsed file; `handler` parses it as nginx does for a file included inside map{}/types{}. */
  parsed(file: FileId, handler = false): ParsedFile | undefined {
    const s = this.state(file);
    if (s.text === undefined) return undefined;
    if (handler) return (s.parsedHandler ??= parse(s.text, { handler: true }));
    return (s.parsed ??= parse(s.text));
  }

  glob(pattern: string): FileId[] {
    let r = this.globCache.get(pattern);
    if (!r) {
      const onDisk = this.host.glob(pattern);
      // unsaved buffers of files not yet on disk still count
      const re = globToRegExp(pattern);
      const extra = [...this.overlays.keys()].filter((f) => re.test(f) && !onDisk.includes(f));
      r = extra.length ? [...onDisk, ...extra].sort() : onDisk;
      this.globCache.set(pattern, r);
    }
    return r;
  }

  exists(file: FileId): boolean {
    const s = this.state(file);
    return s.text !== undefined || s.error !== undefined;
  }

  /** Resolves the include graph of every file and analyses each root once. */
  analysis(): Map<FileId, RootAnalysis> {
    if (this.roots) return this.roots;
    const roots = new Map<FileId, RootAnalysis>();
    const known = [...this.files].sort();
    const reached = new Set<FileId>();
    const mains = known.filter((f) => isMainFile(this.parsed(f)));
    const fresh = new Set<RootAnalysis>();
    const analyse = (root: FileId, kind: RootAnalysis['kind'], ctx: Ctx) => {
      let r = this.reusable(root, kind, ctx);
      if (!r) fresh.add((r = validateRoot(this, root, kind, ctx, this.options)));
      roots.set(root, r);
      // a file reached through a link (sites-enabled/app) is reached under its real path too
      for (const f of r.files) reached.add(f).add(this.canonical(f));
    };
    for (const m of mains) analyse(m, 'main', 'main');
    // Files nobody includes: fragments (conf.d/*.conf, sites-enabled/*, snippets). Those that
    // include others go first, so a snippet they pull in is judged in its real context.
    const orphans = known.filter((f) => !reached.has(f) && !reached.has(this.canonical(f)));
    const includesSomething = (f: FileId) => (this.parsed(f)?.directives ?? []).some(hasInclude);
    orphans.sort((a, b) => Number(includesSomething(b)) - Number(includesSomething(a)) || (a < b ? -1 : 1));
    for (const f of orphans) {
      if (reached.has(f) || reached.has(this.canonical(f))) continue;
      const p = this.parsed(f);
      analyse(f, 'fragment', p ? inferContext(p.directives, this.options) : 'http');
    }
    // Variables defined anywhere in the workspace: a fragment (conf.d/app.conf with the map in
    // conf.d/00-map.conf, or in nginx.conf) is judged as part of a config that has them. A
    // fragment that asked is judged again when that set changes.
    let vars: Set<string> | undefined;
    const workspaceVars = () => (vars ??= new Set([...roots.values()].flatMap((r) => [...modelOf(this, r, this.options).definitions.keys()])));
    const hasFragments = [...roots.values()].some((r) => r.kind === 'fragment');
    const varsKey = hasFragments ? [...workspaceVars()].sort().join(' ') : '';
    const varsChanged = varsKey !== this.varsKey;
    this.varsKey = varsKey;
    this.rejudged = new Set();
    for (const r of roots.values()) {
      const again = !fresh.has(r) && r.kind === 'fragment' && !!r.readsWorkspaceVars && varsChanged;
      if (!fresh.has(r) && !again) continue;
      if (again) for (const f of r.files) this.rejudged.add(f);
      r.readsWorkspaceVars = false;
      r.findings = hideOutside(r, judge(this, r, this.options, (name) => {
        r.readsWorkspaceVars = true;
        return workspaceVars().has(name);
      }));
    }
    this.roots = roots;
    this.previous = roots;
    this.dirty.clear();
    return roots;
  }

  /** Roots whose include graph reaches the file (under any of its paths). */
  rootsOf(file: FileId): RootAnalysis[] {
    // the index first: analysing is what makes the paths of a file known (see samePaths)
    const byFile = this.index().roots;
    const paths = this.samePaths(file);
    if (paths.length === 1) return byFile.get(file) ?? [];
    const out = new Set<RootAnalysis>();
    for (const p of paths) for (const r of byFile.get(p) ?? []) out.add(r);
    return [...out];
  }

  /**
   * The latest analysis looked up by file: the roots that reach each path, and each root's
   * findings by the path they are on. Built once per analysis (and per re-judging), so that
   * asking every file for its findings is linear in files and findings.
   */
  private index(): { roots: Map<FileId, RootAnalysis[]>; findings: WeakMap<Finding[], Map<FileId, Finding[]>> } {
    const roots = this.analysis();
    if (this.indexed?.of === roots) return this.indexed;
    const byFile = new Map<FileId, RootAnalysis[]>();
    for (const r of roots.values()) {
      for (const f of r.files) {
        const l = byFile.get(f);
        if (l) l.push(r); else byFile.set(f, [r]);
      }
    }
    this.indexed = { of: roots, roots: byFile, findings: new WeakMap() };
    return this.indexed;
  }

  private findingsOn(r: RootAnalysis, file: FileId): Finding[] {
    const cache = this.index().findings;
    let m = cache.get(r.findings);
    if (!m) {
      m = new Map();
      for (const f of r.findings) {
        const l = m.get(f.file);
        if (l) l.push(f); else m.set(f.file, [f]);
      }
      cache.set(r.findings, m);
    }
    return m.get(file) ?? [];
  }

  /**
   * Findings located in one file, from every root that reaches it, without duplicates. A file
   * reached through a link gets them under the path asked for (the one open in the editor).
   * `from` keeps only the findings of some roots.
   */
  findings(file: FileId, from?: (root: RootAnalysis) => boolean): Finding[] {
    const out: Finding[] = [];
    const seen = new Set<string>();
    const roots = this.rootsOf(file);
    const paths = this.samePaths(file);
    for (const r of roots) {
      if (from && !from(r)) continue;
      for (const p of paths) {
        for (const f of this.findingsOn(r, p)) {
          const k = `${f.span.start}:${f.span.end}:${f.code}:${f.message}`;
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(f.file === file ? f : underPath(f, f.file, file));
        }
      }
    }
    if (!out.length && !paths.some((p) => this.files.has(p) || this.overlays.has(p))) return out;
    const err = this.readError(file);
    if (err) out.push({ file, span: { start: 0, end: 0 }, severity: 'warning', code: 'nginx-file', message: `${basename(file)}: ${err}` });
    return out.sort((a, b) => a.span.start - b.span.start);
  }

  /**
   * Files whose findings may change when `file` changes: everything sharing a root with it, under
   * every path, and the fragments the latest analysis judged again.
   */
  dependents(file: FileId): FileId[] {
    const out = new Set<FileId>();
    for (const r of this.rootsOf(file)) for (const f of r.files) for (const p of this.samePaths(f)) out.add(p);
    for (const p of this.samePaths(file)) out.add(p);
    // and the fragments this change re-judged (the workspace's variables changed; see analysis())
    for (const f of this.rejudged) for (const p of this.samePaths(f)) out.add(p);
    return [...out];
  }

  /**
   * A file that is neither under the configuration's folder (`prefix`) nor one the workspace
   * holds (scanned, named or open): /etc/secret.conf reached by an absolute include.
   */
  isOutside(file: FileId, prefix: string): boolean {
    if (file.startsWith(prefix.endsWith('/') ? prefix : prefix + '/')) return false;
    return !this.files.has(file) && !this.files.has(this.canonical(file));
  }

  /** The prefix nginx would use for a root: the directory of the main config. */
  prefixOf(root: FileId, kind: 'main' | 'fragment'): string {
    const dir = dirname(root);
    if (kind === 'main') return dir;
    // a fragment in conf.d/ or sites-enabled/ is usually included from the directory above
    const base = basename(dir);
    if (/^(conf\.d|sites-(enabled|available)|snippets|vhosts?\.d|servers|includes?)$/.test(base)) return dirname(dir);
    return dir;
  }

  /**
   * Resolves an include argument against the prefix. An absolute path that does not exist
   * (a repo that mirrors /etc/nginx) is re-rooted onto the prefix by dropping leading segments.
   */
  resolveInclude(prefix: string, arg: string, lookups?: RootAnalysis['lookups']): { files: FileId[]; glob: boolean; path: string; outside: boolean } {
    const path = resolveFrom(prefix, arg);
    const glob = hasGlob(path);
    const lookup = (p: string) => {
      if (lookups) {
        if (glob) lookups.globs.push(globToRegExp(p));
        else lookups.paths.add(p);
      }
      return glob ? this.glob(p) : this.exists(p) ? [p] : [];
    };
    const reRooted = () => {
      const segs = arg.split('/').filter(Boolean);
      // A glob keeps the directory it lists: /etc/nginx/conf.d/*.conf may become conf.d/*.conf,
      // never a bare *.conf, which would list the main config's own folder (nginx.conf included).
      const last = glob ? segs.length - 2 : segs.length - 1;
      for (let k = 1; k <= last; k++) {
        const alt = resolveFrom(prefix, segs.slice(k).join('/'));
        const f = lookup(alt);
        if (f.length) return { files: f, glob, path: alt, outside: false };
      }
      return undefined;
    };
    // An absolute path outside the config's own folder: the copy in the workspace wins over the
    // machine's (a repository mirroring /etc/nginx, opened where nginx is installed too).
    const abroad = arg.startsWith('/') && !path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/');
    if (abroad) {
      const r = reRooted();
      if (r) return r;
    }
    const files = lookup(path);
    if (files.length === 0 && arg.startsWith('/')) return { files, glob, path, outside: true };
    return { files, glob, path, outside: false };
  }
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * Findings in files outside the workspace are not shown: their messages quote those files
 * (an unknown directive's name, a variable, a header), and CI logs are often public. Each
 * include that leads outside gets one finding instead, as severe as the worst it stands for,
 * that names the file and counts what was found there.
 */
function hideOutside(r: RootAnalysis, findings: Finding[]): Finding[] {
  if (!r.outside.size) return findings;
  const kept: Finding[] = [];
  const hidden = new Map<string, { at: { file: FileId; span: Span }; files: Set<FileId>; count: number; severity: Severity; fixes: Fix[] }>();
  for (const f of findings) {
    const at = r.outside.get(f.file);
    if (!at) { kept.push(f); continue; }
    const key = `${at.file}\0${at.span.start}`;
    let h = hidden.get(key);
    if (!h) hidden.set(key, (h = { at, files: new Set(), count: 0, severity: f.severity, fixes: [] }));
    h.files.add(f.file);
    // what would fix them stays: --fix writes there only when told to (--fix-includes)
    const fix = f.fixes?.find((x) => x.kind === 'safe');
    if (fix) h.fixes.push(fix);
    h.count++;
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[h.severity]) h.severity = f.severity;
  }
  for (const h of hidden.values()) {
    const names = [...h.files].map((f) => `"${f}"`);
    const where = names.length === 1 ? names[0] : `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more files` : ''}`;
    kept.push({
      file: h.at.file,
      span: h.at.span,
      severity: h.severity,
      code: 'nginx-include',
      message: `${h.count} problem${h.count === 1 ? '' : 's'} in ${where}, outside the workspace: not shown here, so that the file's text stays out of this report (check that file itself to see them)`,
      ...(h.fixes.length ? { fixes: h.fixes } : {}),
    });
  }
  return kept;
}

/** A finding of one path of a file, restated for another path of the same file. */
function underPath(f: Finding, from: FileId, to: FileId): Finding {
  const move = <T extends { file: FileId }>(x: T): T => (x.file === from ? { ...x, file: to } : x);
  return {
    ...f,
    file: to,
    related: f.related?.map(move),
    fixes: f.fixes?.map((x) => ({ ...x, edits: x.edits.map(move) })),
  };
}

function hasInclude(d: Directive): boolean {
  return d.name === 'include' || (d.block?.children ?? []).some(hasInclude);
}

/** Main-only directives that also fill files made to be included at main level (modules-enabled/*.conf). */
const INCLUDED_AT_MAIN = new Set(['load_module', 'env']);

/**
 * A main configuration (judged as nginx -c would, with its includes resolved from its folder):
 * events, http, stream or mail at top level, or two main-level directives there (`user` and
 * `worker_processes`; `error_log` counts beside another). A file with only one, or only
 * load_module lines, is a fragment, though its context is still main (inferContext).
 */
export function isMainFile(p: ParsedFile | undefined): boolean {
  if (!p) return false;
  const main = new Set<string>();
  for (const d of p.directives) {
    const n = d.name;
    if (n === 'http' || n === 'events' || n === 'stream' || n === 'mail') return true;
    if (n === 'error_log' || (isMainOnly(n) && !INCLUDED_AT_MAIN.has(n))) main.add(n);
  }
  return main.size >= 2;
}

/** POSIX character classes inside a glob bracket, as JavaScript class ranges. */
const GLOB_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', xdigit: '0-9a-fA-F',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e', graph: '\\x21-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
};

const hex4 = (c: number) => '\\u' + c.toString(16).padStart(4, '0');

/**
 * One bracket expression of a glob at `pattern[i] === '['`, read as glibc's glob(3) does
 * (flags 0): `!` or `^` negates, a leading `]` is literal, `[:alpha:]` classes (at an unknown
 * one glibc stops: only the items before it can match), a backslash is an ordinary character, and a reversed range
 * such as `z-a` matches nothing (no error). Checked against nginx by test/hostile-units.test.ts.
 * Returns the RegExp source and the index after the `]`, or undefined when nothing closes
 * the bracket (then `[` is an ordinary character).
 */
function globBracket(pattern: string, i: number): { re: string; next: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (pattern[j] === '!' || pattern[j] === '^') { negate = true; j++; }
  const parts: string[] = [];
  let first = true;
  let invalid = false;
  for (; j < pattern.length; j++) {
    const c = pattern[j];
    if (c === ']' && !first) {
      // glibc tries the items in order and gives up at an unknown class: only those before it
      // can match, and a negated bracket then matches nothing
      if (invalid && negate) return { re: '(?!)', next: j + 1 };
      // a class that can match nothing never matches; a negated one matches any one character but '/'
      if (!parts.length) return { re: negate ? '[^/]' : '(?!)', next: j + 1 };
      return { re: negate ? `[^/${parts.join('')}]` : `(?!/)[${parts.join('')}]`, next: j + 1 };
    }
    first = false;
    if (c === '/') return undefined; // a bracket never spans a path separator
    if (c === '[' && pattern[j + 1] === ':') {
      const end = pattern.indexOf(':]', j + 2);
      if (end > 0) {
        const cls = GLOB_CLASSES[pattern.slice(j + 2, end)];
        if (!cls) invalid = true;
        else if (!invalid) parts.push(cls);
        j = end + 1;
        continue;
      }
    }
    const lo = pattern.charCodeAt(j);
    if (pattern[j + 1] === '-' && j + 2 < pattern.length && pattern[j + 2] !== ']') {
      const hi = pattern.charCodeAt(j + 2);
      if (lo <= hi && !invalid) parts.push(`${hex4(lo)}-${hex4(hi)}`); // reversed: an empty range
      j += 2;
      continue;
    }
    if (!invalid) parts.push(hex4(lo));
  }
  return undefined;
}

/** glob(3) pattern → RegExp over absolute paths (no path separator crossing). Never throws. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const b = globBracket(pattern, i);
      if (!b) re += '\\[';
      else {
        re += b.re;
        i = b.next - 1;
      }
    } else re += c.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
  }
  try {
    return new RegExp('^' + re + '$');
  } catch {
    return /(?!)/; // unreachable by construction; a glob must never stop the analysis
  }
}
