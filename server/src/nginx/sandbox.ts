// A throwaway copy of one configuration tree for `nginx -t`, so the real nginx can judge the
// files as they are without touching the machine or running anything of the workspace's:
// - every file of the root's include graph is copied: those under `base` with their relative
//   paths (every other entry of the directories on the way is symlinked, so certificates and
//   htpasswd files read relative to the config stay readable), those elsewhere under
//   `_outside/<their absolute path>`, and every include points at the copies (a glob at a
//   generated file that includes the copies of what it matched, in order);
// - paths nginx opens or creates even with -t (pid, lock_file, error_log, access_log, the
//   *_temp_path and *_cache_path directories) are rewritten into a scratch directory, at any
//   depth and in every file, one word each, so every line keeps its number. nginx's compiled-in
//   defaults go there too: `-e` for the startup error log, and right after `http {` (same line)
//   an access_log and the *_temp_path directives the user did not set at that level — as root,
//   nginx -t otherwise creates the machine's /var/lib/nginx directories and chowns them to its
//   worker user. pid is passed with -g only when the files set none (else "is duplicate").
// - `load_module` of anything but a root-owned module in the binary's own modules directory is
//   blanked out (a shared object's constructor runs as soon as nginx loads it); the directives
//   it would provide are set aside round by round as nginx names them (setAside).
// - when nginx stops on something that exists only where the configuration is deployed (a
//   certificate, a user, an upstream host, a file), setAside neutralises that directive in the
//   copy and says so, and the caller runs nginx again.
// When the analysis could not see every directive nginx would read (blocks nested deeper than the
// parser keeps, an include it could not read), `unseen` says why and nginx must not run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ENode, RootAnalysis, Word } from '../core/index';
import type { FileId, Span } from '../core/types';
import type { NginxMessage } from './output';
import type { NginxBinary } from './run';
import { placeholderPair } from './placeholder';

/** Directive → the argument nginx opens for writing (index), and values that are not paths. */
const WRITES: Record<string, { arg: number; skip?: RegExp }> = {
  pid: { arg: 0 },
  lock_file: { arg: 0 },
  error_log: { arg: 0, skip: /^(stderr$|syslog:|memory:)/ },
  access_log: { arg: 0, skip: /^(off$|syslog:)|\$/ },
  client_body_temp_path: { arg: 0 },
  proxy_temp_path: { arg: 0 },
  fastcgi_temp_path: { arg: 0 },
  uwsgi_temp_path: { arg: 0 },
  scgi_temp_path: { arg: 0 },
  proxy_cache_path: { arg: 0 },
  fastcgi_cache_path: { arg: 0 },
  uwsgi_cache_path: { arg: 0 },
  scgi_cache_path: { arg: 0 },
};

/** http-level paths nginx falls back to its compiled-in value for, with the module that has them. */
const HTTP_DEFAULTS: { name: string; module?: string }[] = [
  { name: 'access_log' },
  { name: 'client_body_temp_path' },
  { name: 'proxy_temp_path', module: 'proxy' },
  { name: 'fastcgi_temp_path', module: 'fastcgi' },
  { name: 'uwsgi_temp_path', module: 'uwsgi' },
  { name: 'scgi_temp_path', module: 'scgi' },
];

/**
 * Directives whose argument names a host nginx resolves while it reads the configuration, with
 * the contexts where it does (`server` names one only inside `upstream`).
 */
const RESOLVES: Record<string, { url: boolean; ctx?: RegExp }> = {
  proxy_pass: { url: true },
  grpc_pass: { url: true },
  uwsgi_pass: { url: true },
  scgi_pass: { url: true },
  fastcgi_pass: { url: true },
  memcached_pass: { url: true },
  server: { url: false, ctx: /^(stream-)?upstream$/ },
  listen: { url: false },
};

/**
 * The host name in a host-bearing argument that nginx would look up in DNS, or undefined when it
 * needs no lookup (an address, localhost, a unix: socket, a variable, a port alone, `*`) or names
 * an upstream block of the configuration.
 */
export function resolvedHost(value: string, url: boolean, upstreams: ReadonlySet<string>): string | undefined {
  if (value.includes('$') || value.startsWith('unix:')) return undefined;
  let v = value;
  if (url) v = v.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (v.startsWith('[')) return undefined; // an IPv6 address
  const host = v.split(/[:/?]/)[0];
  if (!host || host === '*' || /^\d+$/.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return undefined;
  if (host.toLowerCase() === 'localhost' || upstreams.has(host.toLowerCase())) return undefined;
  if (!/^[A-Za-z0-9_.-]+$/.test(host)) return undefined;
  return host;
}

/** Rounds of "nginx stopped on X: set X aside, run again" before giving up (they share nginx.timeoutMs). */
export const MAX_ROUNDS = 32;


export interface SandboxSource {
  root: RootAnalysis;
  /** The directory mirrored into the copy (the workspace folder, or the main file's directory). */
  base: FileId;
  text(file: FileId): string | undefined;
  /** Where an include points, as the workspace resolved it. */
  resolveInclude(arg: string): { path: string; outside: boolean; files: FileId[]; glob: boolean };
  binary: Pick<NginxBinary, 'prefix' | 'modulesPath' | 'version' | 'configure'>;
}

/** Something in the original files nginx -t could not judge here, and why. */
export interface SetAside {
  file: FileId;
  span: Span;
  /** Starts with nginx's own words when nginx said it. */
  message: string;
  /** nginx's message as it printed it (for de-duplication), when nginx said it. */
  nginx?: string;
}

export interface Sandbox {
  /** Arguments for `nginx` (test, quiet, prefix, config, globals). */
  readonly args: string[];
  /** Why nginx must not run on this tree (directives the analysis could not see), if so. */
  readonly unseen?: SetAside;
  /** What the copy set aside before any run (load_module of a library not installed with nginx). */
  readonly notes: SetAside[];
  /** Writes (or rewrites) the copied files with every edit so far. */
  write(): void;
  /**
   * nginx stopped on `m`: when it is the environment's doing (or a directive of a module not
   * loaded here), neutralise the directive in the copy and say what was set aside; the caller
   * then writes and runs again. undefined: a real error, or nothing left to set aside.
   */
  setAside(m: NginxMessage): SetAside | undefined;
  /** The copy's path of a file → the original's (unchanged when not in the copy). */
  toOriginal(p: string): string;
  /** Message text with copy paths turned back into the originals. */
  unmap(message: string): string;
  dispose(): void;
}

const under = (dir: string, p: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');
const quote = (p: string) => (/^[\w./@:+-]+$/.test(p) ? p : `"${p.replace(/(["\\])/g, '\\$1')}"`);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Edit { start: number; end: number; text: string; blank?: boolean }

/** Every directive at any depth, includes spliced in; another language's body is not nginx's. */
function walk(nodes: ENode[], f: (n: ENode) => void): void {
  const stack: ENode[] = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    f(n);
    if (n.ctx === 'opaque') continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** nginx >= 1.19.5 takes -e (the startup error log). */
function hasDashE(version: string): boolean {
  const [a, b, c] = version.split('.').map(Number);
  return a > 1 || (a === 1 && (b > 19 || (b === 19 && c >= 5)));
}

/**
 * A shared object nginx may load here: a regular file owned by root that nobody else can write,
 * in the binary's own modules directory (itself root-owned and not writable by others), outside
 * the workspace.
 */
export function installedModule(file: string, dirs: string[], workspace?: string): boolean {
  const rootOnly = (st: fs.Stats) => st.uid === 0 && (st.mode & 0o022) === 0;
  try {
    const real = fs.realpathSync(file);
    const st = fs.statSync(real);
    if (!st.isFile() || !rootOnly(st) || !rootOnly(fs.statSync(path.dirname(real)))) return false;
    if (workspace && under(fs.realpathSync(workspace), real)) return false;
    return dirs.some((d) => {
      try {
        const rd = fs.realpathSync(d);
        return under(rd, real) && real !== rd && rootOnly(fs.statSync(rd));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

export function buildSandbox(src: SandboxSource): Sandbox {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-t-')));
  const tree = path.posix.join(dir, 'tree');
  const outside = path.posix.join(tree, '_outside');
  const run = path.posix.join(dir, 'run');
  fs.mkdirSync(run, { recursive: true, mode: 0o700 });
  const base = src.base.replace(/\/+$/, '') || '/';
  const inCopy = (p: string) => (under(base, p) ? path.posix.join(tree, path.posix.relative(base, p)) : path.posix.join(outside, p));
  const files = [...src.root.files].filter((f) => src.text(f) !== undefined);
  const copied = new Set(files);
  const lineStarts = new Map<FileId, number[]>();
  const lineOf = (file: FileId, offset: number) => {
    let ls = lineStarts.get(file);
    if (!ls) {
      ls = [0];
      const t = src.text(file) ?? '';
      for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) ls.push(i + 1);
      lineStarts.set(file, ls);
    }
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  };

  const edits = new Map<FileId, Map<string, Edit>>();
  const edit = (file: FileId, start: number, end: number, text: string, blank = false) => {
    let m = edits.get(file);
    if (!m) edits.set(file, (m = new Map()));
    const orig = (src.text(file) ?? '').slice(start, end);
    // a replaced word that held a line break keeps it, so the lines after keep their numbers
    const breaks = blank ? '' : '\n'.repeat(orig.split('\n').length - 1);
    m.set(`${start}:${end}`, { start, end, text: blank ? orig.replace(/[^\n]/g, ' ') : text + breaks, blank });
  };
  const word = (file: FileId, w: Word, text: string) => edit(file, w.span.start, w.span.end, text);
  const blank = (n: ENode) => edit(n.file, n.d.span.start, n.d.span.end, '', true);

  let scratch = 0;
  let includes = 0;
  /** Scratch path → the path the user wrote, so nginx's messages about it name the user's. */
  const scratchOf = new Map<string, string>();
  const scratchPath = (name: string) => {
    const p = path.posix.join(run, `w${++scratch}-${path.posix.basename(name).replace(/[^\w.-]/g, '_') || 'path'}`);
    scratchOf.set(p, name);
    return quote(p);
  };
  let setsPid = false;
  const modulesDirs = [src.binary.modulesPath ?? (src.binary.prefix ? path.posix.join(src.binary.prefix, 'modules') : undefined), '/usr/lib/nginx/modules'].filter((d): d is string => !!d);
  const notes: SetAside[] = [];
  const droppedModules: ENode[] = [];
  let unseen: SetAside | undefined;
  const all: ENode[] = [];

  // nginx resolves the host names of upstream servers, *_pass and listen while it reads the
  // configuration: the copy names a loopback address instead (one per host name, so that two
  // hosts never become one listen address), so nginx -t never asks DNS (nothing here
  // reaches the network) and a host known only where the configuration is deployed is no error
  const upstreams = new Set<string>();
  const loopback = new Map<string, string>();
  const loopbackOf = (host: string) => {
    const k = host.toLowerCase();
    let a = loopback.get(k);
    if (!a) loopback.set(k, (a = `127.255.${(loopback.size >> 8) & 255}.${(loopback.size & 255) + 1}`));
    return a;
  };
  walk(src.root.top, (n) => { if (n.d.name === 'upstream' && n.d.args[0] && n.ctx !== 'handler') upstreams.add(n.d.args[0].value.toLowerCase()); });

  walk(src.root.top, (n) => {
    all.push(n);
    if (!copied.has(n.file)) return;
    const d = n.d;
    const res = RESOLVES[d.name];
    if (res && d.args[0] && n.ctx !== 'handler' && (!res.ctx || res.ctx.test(n.ctx))) {
      const host = resolvedHost(d.args[0].value, res.url, upstreams);
      if (host) {
        const raw = d.args[0].raw;
        const i = raw.indexOf(host);
        if (i >= 0) word(n.file, d.args[0], raw.slice(0, i) + loopbackOf(host) + raw.slice(i + host.length));
      }
    }
    if (d.name === 'pid' && n.ctx !== 'handler') setsPid = true; // (a map key may be called pid)
    const w = WRITES[d.name];
    const arg = w ? d.args[w.arg] : undefined;
    if (w && arg && !w.skip?.test(arg.value) && n.ctx !== 'handler') {
      word(n.file, arg, scratchPath(arg.value));
    } else if (d.name === 'include' && d.args[0]) {
      const a = d.args[0].value;
      const r = src.resolveInclude(a);
      // every include points at the copies: one file directly; a glob at a generated list of
      // includes of the copies of what it matched, in nginx's order (the copies' layout need not
      // mirror the directory the glob lists: a file may be known by another of its paths)
      if (r.files.length === 1 && !r.glob) word(n.file, d.args[0], quote(inCopy(r.files[0])));
      else if (r.files.length) {
        const list = path.posix.join(run, `include-${++includes}.conf`);
        fs.writeFileSync(list, r.files.map((f) => `include ${quote(inCopy(f))};\n`).join(''));
        word(n.file, d.args[0], quote(list));
      }
    } else if (d.name === 'load_module' && d.args[0] && n.ctx !== 'handler') {
      const a = d.args[0].value;
      const file = a.startsWith('/') ? a : src.binary.prefix ? path.posix.join(src.binary.prefix, a) : undefined;
      if (file && installedModule(file, modulesDirs, base)) {
        if (!a.startsWith('/')) word(n.file, d.args[0], quote(file)); // -p <copy> would replace the prefix
      } else {
        blank(n);
        droppedModules.push(n);
        notes.push({
          file: n.file, span: d.span,
          message: `load_module "${a}" was not loaded by nginx -t here: only modules installed with nginx (root-owned, in ${modulesDirs[0] ?? 'its modules directory'}) are loaded, never a library of the workspace, since loading one runs its code. The directives it provides were not checked.`,
        });
      }
    } else if (d.name === 'http' && d.block && n.ctx !== 'handler') {
      const set = new Set(n.children.map((c) => c.d.name));
      const without = (m: string) => new RegExp(`--without-http_${m}_module\\b`).test(src.binary.configure ?? '');
      const add = HTTP_DEFAULTS.filter((x) => !set.has(x.name) && !(x.module && without(x.module)))
        .map((x) => ` ${x.name} ${quote(path.posix.join(run, x.name === 'access_log' ? 'access.log' : x.name.replace(/_path$/, '')))};`).join('');
      if (add) edit(n.file, d.block.open.end, d.block.open.end, add);
    }
  });

  // what nginx would read but the analysis never saw: nginx must not run on it
  const deep = src.root.nginxFindings.find((f) => /^(blocks nested deeper than|include nesting deeper than)/.test(f.message));
  if (deep) unseen = { file: deep.file, span: deep.span, message: `nginx -t was not run: ${deep.message.replace(/:.*$/, '')}, so this check cannot see every directive nginx would read (and redirect the paths it writes into its temporary copy).` };
  for (const n of src.root.unfollowed) {
    if (unseen) break;
    const a = n.d.args[0]?.value;
    const r = a !== undefined ? src.resolveInclude(a) : undefined;
    if (r?.files.length) unseen = { file: n.file, span: n.d.span, message: `nginx -t was not run: include "${a}" names files this check could not read, so it cannot see every directive nginx would read (and redirect the paths it writes into its temporary copy).` };
  }
  for (const f of src.root.files) if (!unseen && !copied.has(f)) unseen = { file: src.root.root, span: { start: 0, end: 0 }, message: `nginx -t was not run: ${f} could not be read by this check.` };

  const write = () => {
    for (const f of files) {
      const text = src.text(f)!;
      const es = [...(edits.get(f)?.values() ?? [])];
      const blanks = es.filter((e) => e.blank);
      // an edit inside a blanked-out directive goes with it
      const kept = es.filter((e) => e.blank || !blanks.some((b) => b.start <= e.start && e.end <= b.end));
      let out = text;
      for (const e of kept.sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
      fs.mkdirSync(path.dirname(inCopy(f)), { recursive: true });
      fs.writeFileSync(inCopy(f), out);
    }
  };
  shadow(base, tree, files.filter((f) => under(base, f)));
  const cert = path.posix.join(run, 'placeholder.crt');
  const key = path.posix.join(run, 'placeholder.key');
  const pair = placeholderPair();
  fs.writeFileSync(cert, pair.cert);
  fs.writeFileSync(key, pair.key, { mode: 0o600 });

  const main = inCopy(src.root.root);
  const confPrefix = path.posix.dirname(main);
  const toOriginal = (p: string) => (under(outside, p) ? p.slice(outside.length) || '/' : under(tree, p) ? path.posix.join(base, path.posix.relative(tree, p)) : p);
  const outsideRe = new RegExp(escapeRe(outside) + '(?=/)', 'g');
  const treeRe = new RegExp(escapeRe(tree) + '(?=/|\\b)', 'g');
  const scratchRe = new RegExp(`${escapeRe(run)}/w\\d+-[\\w.-]*`, 'g');
  const unmap = (m: string) => m.replace(scratchRe, (p) => scratchOf.get(p) ?? p).replace(outsideRe, '').replace(treeRe, base);

  /** The directive nginx names by its copy path and line. */
  const at = (m: NginxMessage, name?: string | RegExp): ENode | undefined => {
    if (!m.file || m.line === undefined) return undefined;
    const file = toOriginal(m.file);
    const hits = all.filter((n) => n.file === file && (n.ctx !== 'handler' || n.d.name === 'include') && lineOf(file, n.d.span.start) <= m.line! && m.line! <= lineOf(file, n.d.endOffset >= 0 ? n.d.endOffset : n.d.span.end)
      && (name === undefined || (typeof name === 'string' ? n.d.name === name : name.test(n.d.name))));
    return hits[hits.length - 1]; // the innermost
  };
  /** Directives with an argument naming `p` (as nginx resolved it, in the copy). */
  const naming = (p: string, name: RegExp) => all.filter((n) => name.test(n.d.name) && (n.ctx !== 'handler' || n.d.name === 'include') && n.d.args.some((a) => !a.value.includes('$') && path.posix.resolve(confPrefix, a.value) === p));
  const done = new Set<string>();
  const once = (key: string) => !done.has(key) && !!done.add(key);
  const exists = (p: string) => { try { fs.statSync(p); return true; } catch { return false; } };

  const setAside = (m: NginxMessage): SetAside | undefined => {
    const msg = m.message;
    const said = unmap(msg);
    let r: RegExpExecArray | null;
    if ((r = /^unknown directive "([^"]+)"/.exec(msg)) && droppedModules.length) {
      const n = at(m, r[1]);
      if (!n || !once(`u:${n.file}:${n.d.span.start}`)) return undefined;
      blank(n);
      return { file: n.file, span: n.d.span, nginx: said, message: `${said}: a directive of a module nginx -t did not load here (load_module set aside); not checked.` };
    }
    if ((r = /^(getpwnam|getgrnam)\("([^"]*)"\) failed/.exec(msg))) {
      const n = at(m, 'user');
      if (!n || !once(`user:${n.file}:${n.d.span.start}`)) return undefined;
      blank(n);
      return { file: n.file, span: n.d.span, nginx: said, message: `${said}: ${r[1] === 'getpwnam' ? 'no such user' : 'no such group'} on this machine, so nginx -t could not complete this check here; the rest was checked without the user directive.` };
    }
    if ((r = /^host not found in upstream "([^"]+)"/.exec(msg))) {
      const n = at(m);
      const host = r[1].replace(/:\d+$/, '');
      const w = n?.d.args.find((a) => a.raw.includes(host));
      if (!n || !w || !once(`host:${n.file}:${w.span.start}`)) return undefined;
      word(n.file, w, w.raw.split(host).join('127.0.0.1'));
      return { file: n.file, span: n.d.span, nginx: said, message: `${said}: the host does not resolve from this machine, so nginx -t could not complete this check here; the rest was checked with 127.0.0.1 in its place.` };
    }
    const missing = /No such file or directory|Permission denied|\(2: |\(13: /.test(msg);
    if ((r = /^cannot load certificate( key)? "([^"]+)"/.exec(msg)) && missing) {
      const p = r[2];
      const hits = naming(p, /(^|_)ssl_certificate(_key)?$/);
      if (!hits.length || exists(p) && !/Permission denied|\(13: /.test(msg)) return undefined;
      const first = hits[0];
      for (const n of hits) {
        // the pair it belongs to goes too: a placeholder certificate with the real key would not match
        for (const s of n.parent?.children ?? all.filter((x) => !x.parent)) {
          const mm = /^(.*ssl_certificate)(_key)?$/.exec(s.d.name);
          if (!mm || mm[1] !== n.d.name.replace(/_key$/, '') || !s.d.args[0] || s.d.args[0].value.includes('$')) continue;
          word(s.file, s.d.args[0], mm[2] ? key : cert);
        }
      }
      if (!once(`cert:${p}`)) return undefined;
      return { file: first.file, span: first.d.span, nginx: said.replace(/:.*$/s, ''), message: `${unmap(`cannot load certificate${r[1] ?? ''} "${p}"`)}: the file is not readable on this machine (it exists only where the configuration is deployed?), so nginx -t could not complete this check here; the rest was checked with a placeholder certificate.` };
    }
    if ((r = /^(?:open\(\) "([^"]+)"|(?:BIO_new_file|SSL_CTX_load_verify_locations|PEM_read_bio_DHparams)\("([^"]+)"\)) failed/.exec(msg)) && missing) {
      const p = r[1] ?? r[2];
      if (!p.startsWith('/') || under(run, p)) return undefined;
      // only a directive that names this very path (as nginx resolved it) is set aside
      const names = (x: ENode) => x.d.args.some((a) => path.posix.resolve(confPrefix, a.value) === p || toOriginal(path.posix.resolve(confPrefix, a.value)) === p);
      const here = at(m);
      const n = here && names(here) ? here : naming(p, /./)[0];
      if (!n || n.d.block || !n.d.args[0] || !once(`file:${n.file}:${n.d.span.start}`)) return undefined;
      // a CA bundle gets the placeholder (the directive stays checked); anything else is left out
      if (/(^|_)ssl_(trusted|client)_certificate$/.test(n.d.name)) word(n.file, n.d.args[0], cert);
      else blank(n);
      return { file: n.file, span: n.d.span, nginx: said, message: `${said.replace(/ \(SSL:.*$/s, '')}: the file is not on this machine (it exists only where the configuration is deployed?), so nginx -t could not complete this check here; the rest was checked without it.` };
    }
    return undefined;
  };

  const e = hasDashE(src.binary.version);
  const globals = (e ? '' : `error_log ${quote(path.posix.join(run, 'error.log'))};`) + (setsPid ? '' : ` pid ${quote(path.posix.join(run, 'nginx.pid'))};`);
  const args = ['-t', '-q', '-p', confPrefix + '/', '-c', main, ...(e ? ['-e', path.posix.join(run, 'error.log')] : []), ...(globals.trim() ? ['-g', globals.trim()] : [])];
  return {
    args, unseen, notes, write, setAside, toOriginal, unmap,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Symlinks the entries next to the copied files that were not copied (one level per directory on the way). */
function shadow(base: string, tree: string, copied: string[]): void {
  const dirs = new Set<string>();
  for (const f of copied) for (let d = path.posix.dirname(f); under(base, d); d = path.posix.dirname(d)) {
    dirs.add(d);
    if (d === base) break;
  }
  const copiedSet = new Set(copied);
  for (const d of dirs) {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      const orig = path.posix.join(d, e.name);
      if (copiedSet.has(orig) || dirs.has(orig) || e.name === '.git') continue;
      const target = path.posix.join(tree, path.posix.relative(base, orig));
      try {
        fs.mkdirSync(path.posix.dirname(target), { recursive: true });
        fs.symlinkSync(orig, target);
      } catch { /* unreadable or exotic: nginx will say so if it needs it */ }
    }
  }
}
