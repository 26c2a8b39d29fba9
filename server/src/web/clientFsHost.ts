// The core's Host in VS Code for the Web: the Worker has no disk, so files and directories are
// read through the client's workspace.fs (READ_FILE_REQUEST, READ_DIRECTORY_REQUEST). The core
// reads synchronously, the client answers asynchronously: a read that is not known yet answers
// "not there" at once, asks the client, and `onArrived` is told when the answer comes, so that
// the files depending on it are analysed again. The folder scan fetches every file it finds
// before the first analysis (prefetch), so that first analysis already has them. When the
// client cannot answer (an older client, or a failing file system), only the open documents are
// analysed: the store's overlays win over the host and its globs include them.
import { globToRegExp, MAX_FILE_BYTES } from '../core/index';
import { HostError, type FileId, type Host } from '../core/types';
import { READ_DIRECTORY_REQUEST, READ_FILE_REQUEST, type DirectoryEntry, type ReadFileParams, type ReadFileResult } from '../protocol';

/** Sends a request to the client (connection.sendRequest). */
export type Ask = (method: string, params: unknown) => Promise<unknown>;

type Text = string | null | HostError; // null: nothing there
type Listing = Map<string, 'file' | 'dir'> | null; // null: not a directory

export interface ClientFsHostOptions {
  ask: Ask;
  toUri: (file: FileId) => string;
  /**
   * Something arrived that the core was told was not there yet: a file's text (files: [it]), or a
   * directory's listing (files: the files in it, dir: the directory).
   */
  onArrived: (arrived: { files: FileId[]; dir?: FileId }) => void;
  /** Told once when the client cannot read files (only the open documents are analysed then). */
  onUnavailable: (reason: string) => void;
  /** Every request asked has been answered. */
  onIdle?: () => void;
}

export class ClientFsHost implements Host {
  private readonly texts = new Map<FileId, Text>();
  private readonly dirs = new Map<FileId, Listing>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** False once the client failed to answer: then nothing more is asked. */
  private available = true;

  constructor(private readonly o: ClientFsHostOptions) {}

  read(file: FileId): string | undefined {
    const t = this.texts.get(file);
    if (t instanceof HostError) throw t;
    if (t !== undefined) return t ?? undefined;
    void this.fetchFile(file, true);
    return undefined;
  }

  glob(pattern: string): FileId[] {
    if (!pattern.startsWith('/')) return [];
    const segs = pattern.split('/');
    // candidates, and whether each is known to be a file (a wildcard segment listed it as one)
    let current: { path: FileId; file: boolean }[] = [{ path: '/', file: false }];
    for (let i = 1; i < segs.length && current.length; i++) {
      const seg = segs[i];
      if (seg === '') continue;
      const last = i === segs.length - 1;
      if (!/[*?[]/.test(seg)) {
        // a literal name needs no listing here: a later wildcard lists it, or the end checks it
        current = current.map((c) => ({ path: join(c.path, seg), file: false }));
        continue;
      }
      const re = globToRegExp(seg);
      const next: { path: FileId; file: boolean }[] = [];
      for (const { path: dir } of current) {
        const listing = this.listing(dir);
        if (!listing) continue; // not known yet (asked) or not a directory
        for (const [name, kind] of listing) {
          if (!re.test(name) || (name.startsWith('.') && !seg.startsWith('.'))) continue;
          if (last ? kind === 'file' : kind === 'dir') next.push({ path: join(dir, name), file: kind === 'file' });
        }
      }
      current = next;
    }
    return current.filter((c) => c.file || this.listing(dirOf(c.path))?.get(baseOf(c.path)) === 'file').map((c) => c.path).sort(byCodePoint);
  }

  /** Requests are outstanding. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Forget a file (and its directory's listing): it changed in the editor's file system. */
  forget(file: FileId): void {
    this.texts.delete(file);
    this.dirs.delete(file);
    this.dirs.delete(dirOf(file));
  }

  /** Reads these files and the listings of their directories now, before an analysis needs them. */
  async prefetch(files: FileId[], concurrency = 16): Promise<void> {
    const dirs = [...new Set(files.map(dirOf))];
    const jobs: (() => Promise<void>)[] = [...dirs.map((d) => () => this.fetchDir(d, false)), ...files.map((f) => () => this.fetchFile(f, false))];
    let next = 0;
    const worker = async () => { while (next < jobs.length) await jobs[next++](); };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  }

  /** The text read, when it has been (for the scan, which looks at a bare .conf's first lines). */
  known(file: FileId): string | undefined {
    const t = this.texts.get(file);
    return typeof t === 'string' ? t : undefined;
  }

  private listing(dir: FileId): Listing | undefined {
    const l = this.dirs.get(dir);
    if (l === undefined) void this.fetchDir(dir, true);
    return l;
  }

  private fetchFile(file: FileId, late: boolean): Promise<void> {
    return this.once(`f:${file}`, async () => {
      const params: ReadFileParams = { uri: this.o.toUri(file), maxBytes: MAX_FILE_BYTES };
      const r = (await this.o.ask(READ_FILE_REQUEST, params)) as ReadFileResult | null;
      const t: Text = r && 'text' in r ? r.text : r && 'error' in r ? new HostError(r.error) : null;
      this.texts.set(file, t);
      if (late && t !== null) this.o.onArrived({ files: [file] });
    }, () => this.texts.has(file));
  }

  private fetchDir(dir: FileId, late: boolean): Promise<void> {
    return this.once(`d:${dir}`, async () => {
      const r = (await this.o.ask(READ_DIRECTORY_REQUEST, { uri: this.o.toUri(dir) })) as DirectoryEntry[] | null;
      const listing: Listing = Array.isArray(r) ? new Map(r.filter((e) => Array.isArray(e) && typeof e[0] === 'string').map(([n, k]) => [n, k === 'dir' ? 'dir' : 'file'] as const)) : null;
      this.dirs.set(dir, listing);
      if (late && listing?.size) this.o.onArrived({ files: [...listing].filter(([, k]) => k === 'file').map(([n]) => join(dir, n)), dir });
    }, () => this.dirs.has(dir));
  }

  /** One request per key at a time; none once the client has failed or the answer is known. */
  private once(key: string, run: () => Promise<void>, done: () => boolean): Promise<void> {
    if (!this.available || done()) return Promise.resolve();
    let p = this.inFlight.get(key);
    if (!p) {
      p = run().catch((e: unknown) => {
        if (!this.available) return;
        this.available = false;
        this.o.onUnavailable((e as Error)?.message ?? String(e));
      }).finally(() => {
        this.inFlight.delete(key);
        if (!this.inFlight.size) this.o.onIdle?.();
      });
      this.inFlight.set(key, p);
    }
    return p;
  }
}

function join(dir: FileId, name: string): FileId {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function baseOf(file: FileId): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function dirOf(file: FileId): FileId {
  const i = file.lastIndexOf('/');
  return i <= 0 ? '/' : file.slice(0, i);
}

/** glob(3)'s order: by bytes (UTF-8 order is code point order). */
function byCodePoint(a: string, b: string): number {
  const x = [...a], y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}
