// A throwaway copy of one configuration tree for `nginx -t`, so the real nginx can judge the
// files as they are without touching the running server:
// - the files of the root's include graph that lie under `base` are copied with their relative
//   paths; every other entry of the directories on the way is symlinked (certificates,
//   htpasswd files… read relative to the config stay readable);
// - includes that point outside `base` are left as they are (nginx reads those files where they
//   are); absolute includes the workspace re-rooted onto its own files point into the copy;
// - paths nginx opens for writing even with -t (pid, lock_file, error_log, access_log, the
//   *_temp_path and *_cache_path directories) are rewritten to a scratch directory, one word
//   each, so every line keeps its number. pid is then NOT passed with -g: nginx would report a
//   pid in the file as "is duplicate" (-g directives are read first).
// - relative load_module paths are made absolute under the binary's compiled-in prefix, which
//   `-p <copy>` would otherwise replace.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ENode, RootAnalysis } from '../core/model/workspace';
import type { Word } from '../core/syntax/ast';
import type { FileId } from '../core/types';

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

export interface SandboxSource {
  root: RootAnalysis;
  /** The directory mirrored into the copy (the workspace folder, or the main file's directory). */
  base: FileId;
  text(file: FileId): string | undefined;
  /** Where an include points, as the workspace resolved it. */
  resolveInclude(arg: string): { path: string; outside: boolean };
  /** The binary's --prefix, for relative load_module paths. */
  nginxPrefix?: string;
}

export interface Sandbox {
  /** Arguments for `nginx` (test, quiet, prefix, config, globals). */
  args: string[];
  /** The copy's path of a file → the original's (unchanged when not in the copy). */
  toOriginal(p: string): string;
  /** Message text with copy paths turned back into the originals. */
  unmap(message: string): string;
  dispose(): void;
}

const under = (dir: string, p: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');
const quote = (p: string) => (/^[\w./@:+-]+$/.test(p) ? p : `"${p.replace(/(["\\])/g, '\\$1')}"`);

interface Rewrite { start: number; end: number; text: string }

function walk(nodes: ENode[], f: (n: ENode) => void): void {
  for (const n of nodes) {
    if (n.ctx === 'handler' || n.ctx === 'opaque') continue;
    f(n);
    walk(n.children, f);
  }
}

export function buildSandbox(src: SandboxSource): Sandbox {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-t-')));
  const tree = path.posix.join(dir, 'tree');
  const run = path.posix.join(dir, 'run');
  fs.mkdirSync(run, { recursive: true });
  const base = src.base.replace(/\/+$/, '');
  const inCopy = (p: string) => path.posix.join(tree, path.posix.relative(base, p));
  const copied = [...src.root.files].filter((f) => under(base, f) && src.text(f) !== undefined);
  const copiedSet = new Set(copied);

  const rewrites = new Map<FileId, Map<number, Rewrite>>();
  const rewrite = (file: FileId, w: Word, text: string) => {
    let m = rewrites.get(file);
    if (!m) rewrites.set(file, (m = new Map()));
    m.set(w.span.start, { start: w.span.start, end: w.span.end, text });
  };
  let setsPid = false;
  let scratch = 0;
  walk(src.root.top, (n) => {
    if (!copiedSet.has(n.file)) return;
    const d = n.d;
    if (d.name === 'pid') setsPid = true;
    const w = WRITES[d.name];
    const word = w ? d.args[w.arg] : undefined;
    if (w && word && !w.skip?.test(word.value)) {
      rewrite(n.file, word, quote(path.posix.join(run, `w${++scratch}-${path.posix.basename(word.value).replace(/[^\w.-]/g, '_') || 'path'}`)));
    } else if (d.name === 'include' && d.args[0]) {
      const arg = d.args[0].value;
      const r = src.resolveInclude(arg);
      if (arg.startsWith('/') && !r.outside && r.path !== arg && under(base, r.path)) rewrite(n.file, d.args[0], quote(inCopy(r.path)));
      else if (!arg.startsWith('/') && !under(base, r.path)) rewrite(n.file, d.args[0], quote(r.path));
    } else if (d.name === 'load_module' && d.args[0] && src.nginxPrefix && !d.args[0].value.startsWith('/')) {
      rewrite(n.file, d.args[0], quote(path.posix.join(src.nginxPrefix, d.args[0].value)));
    }
  });

  for (const f of copied) {
    let text = src.text(f)!;
    for (const r of [...(rewrites.get(f)?.values() ?? [])].sort((a, b) => b.start - a.start)) text = text.slice(0, r.start) + r.text + text.slice(r.end);
    fs.mkdirSync(path.dirname(inCopy(f)), { recursive: true });
    fs.writeFileSync(inCopy(f), text);
  }
  shadow(base, tree, copied);

  const main = inCopy(src.root.root);
  const globals = `error_log ${quote(path.posix.join(run, 'error.log'))};` + (setsPid ? '' : ` pid ${quote(path.posix.join(run, 'nginx.pid'))};`);
  const unmapRe = new RegExp(tree.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '(?=/|\\b)', 'g');
  return {
    args: ['-t', '-q', '-p', path.posix.dirname(main) + '/', '-c', main, '-g', globals],
    toOriginal: (p) => (under(tree, p) ? path.posix.join(base, path.posix.relative(tree, p)) : p),
    unmap: (m) => m.replace(unmapRe, base),
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
      try { fs.symlinkSync(orig, target); } catch { /* unreadable or exotic: nginx will say so if it needs it */ }
    }
  }
}
