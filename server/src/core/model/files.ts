// The store (see FileStore), the glob matcher it and the host share, and what makes a file a
// main configuration. Below the rules: nothing here judges.
import { parse } from '../syntax/parser';
import type { Directive, ParsedFile } from '../syntax/ast';
import { HostError, type FileId, type Host } from '../types';
import { globToRegExp, prefixOf, resolveInclude } from './includes';
import { isMainOnly } from './validate';
import type { IncludeSource, ResolvedInclude, RootAnalysis } from './tree';

/** Files above this size are skipped with a message (nginx itself reads any size; editors shouldn't stall). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

interface FileState {
  text?: string;
  error?: string;
  parsed?: ParsedFile;
  parsedHandler?: ParsedFile;
}

/**
 * The store: the nginx files of a workspace, open buffers (overlays, which win over the host's
 * disk view), every file's text and parse read once per real file, the paths that are one file
 * (aliases), and include resolution. It judges nothing: core/analysis.ts drives an analysis over
 * it. Pure: all I/O goes through Host.
 */
export class FileStore implements IncludeSource {
  protected files = new Set<FileId>();
  protected overlays = new Map<FileId, string>();
  private states = new Map<FileId, FileState>();
  private globCache = new Map<string, FileId[]>();
  /** Paths read so far → the file each really is (symbolic links resolved by the host). */
  private canon = new Map<FileId, FileId>();
  /** Real path → the other paths (links) read that are the same file. */
  private aliases = new Map<FileId, Set<FileId>>();

  constructor(protected readonly host: Host) {}

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

  /** Forget what is known of a file (changed on disk or in an editor), under every path it has. */
  invalidate(file: FileId): void {
    for (const p of this.samePaths(file)) this.states.delete(p);
    this.states.delete(this.canonical(file));
    // a link may have been made, removed or pointed elsewhere
    this.forgetPath(file);
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
  protected overlayOf(file: FileId): string | undefined {
    const own = this.overlays.get(file);
    if (own !== undefined || this.overlays.size === 0) return own;
    // by real path (few buffers are open): a path just forgotten by invalidate() still counts
    const real = this.canonical(file);
    for (const [p, text] of this.overlays) if (this.canonical(p) === real) return text;
    return undefined;
  }

  invalidateAll(): void {
    this.canon.clear();
    this.aliases.clear();
    this.states.clear();
    this.globCache.clear();
  }

  /** The file's text, or undefined (missing); an unreadable file yields its error text. */
  text(file: FileId): string | undefined {
    return this.state(file).text;
  }

  readError(file: FileId): string | undefined {
    return this.state(file).error;
  }

  /** One state per real file: every path of a file reads the same text and shares one parse. */
  protected state(file: FileId): FileState {
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

  /**
   * A file that is neither under the configuration's folder (`prefix`) nor one the workspace
   * holds (scanned, named or open): /etc/secret.conf reached by an absolute include.
   */
  isOutside(file: FileId, prefix: string): boolean {
    if (file.startsWith(prefix.endsWith('/') ? prefix : prefix + '/')) return false;
    return !this.files.has(file) && !this.files.has(this.canonical(file));
  }

  /** The prefix nginx would use for a root (see includes.ts). */
  prefixOf(root: FileId, kind: 'main' | 'fragment'): string {
    return prefixOf(root, kind);
  }

  /** Resolves an include argument against the prefix, in this store (see includes.ts). */
  resolveInclude(prefix: string, arg: string, lookups?: RootAnalysis['lookups']): ResolvedInclude {
    return resolveInclude(this, prefix, arg, lookups);
  }
}


/** Whether a directive or anything in its block is an include. */
export function hasInclude(d: Directive): boolean {
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
