import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostError, type FileId, type Host } from '../core/types';
import { globToRegExp, MAX_FILE_BYTES, optionDefault } from '../core/index';
import { isNginxFileName, looksLikeNginxText } from './names';

/** How many files a folder scan takes at most (the CLI's --max-files default). */
const SCAN_LIMIT = optionDefault<number>('maxFiles');

/** Reads files from disk for the core: the only place the analysis touches the file system. */
export class NodeHost implements Host {
  read(file: FileId): string | undefined {
    let buf: Buffer;
    try {
      buf = readRegularFile(file, MAX_FILE_BYTES);
    } catch (e) {
      if (e instanceof HostError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      if (code === 'EACCES' || code === 'EPERM') throw new HostError('skipped: permission denied');
      throw new HostError(`skipped: ${(e as Error).message}`);
    }
    const probe = buf.subarray(0, 8192);
    if (probe.includes(0)) throw new HostError('skipped: binary file (contains NUL bytes)');
    return buf.toString('utf8');
  }

  glob(pattern: string): FileId[] {
    return globSync(pattern);
  }

  realpath(file: FileId): FileId {
    try {
      return toFileId(fs.realpathSync.native(file));
    } catch {
      return file;
    }
  }
}

/** What a file that is not a regular file is, for the message that says it was not read. */
function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'of another kind';
}

/**
 * The bytes of a regular file, at most `limit` of them. Device files, FIFOs and sockets are
 * refused before they are opened (`include /dev/zero;` never ends; opening a FIFO blocks until
 * a writer comes), the open itself never blocks (O_NONBLOCK, in case the path was swapped for
 * a FIFO after the check), and the size is what is read, not what stat said (/proc files
 * say 0, a file may grow while it is read).
 */
export function readRegularFile(file: string, limit: number): Buffer {
  const st = fs.statSync(file);
  if (st.isDirectory()) throw new HostError('is a directory, not a file');
  if (!st.isFile()) throw new HostError(`skipped: not a regular file (${kindOf(st)}), not read`);
  if (st.size > limit) throw new HostError(tooLarge(st.size, limit));
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) throw new HostError(`skipped: not a regular file (${kindOf(fst)}), not read`);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Math.min(Math.max(fst.size + 1, 65536), limit + 1);
    for (;;) {
      const b = Buffer.allocUnsafe(chunk);
      const n = fs.readSync(fd, b, 0, b.length, null);
      if (n === 0) break;
      chunks.push(n === b.length ? b : b.subarray(0, n));
      total += n;
      if (total > limit) throw new HostError(tooLarge(total, limit));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(size: number, limit: number): string {
  return `skipped: ${(size / 1048576).toFixed(1)} MB is larger than the ${limit / 1048576} MB limit`;
}

/** glob(3) with flags 0, as nginx's include uses: sorted matches, no error when none. */
export function globSync(pattern: string): string[] {
  const segs = pattern.split('/');
  let current = [pattern.startsWith('/') ? '/' : '.'];
  for (let i = pattern.startsWith('/') ? 1 : 0; i < segs.length; i++) {
    const seg = segs[i];
    if (seg === '') continue;
    const next: string[] = [];
    const isLast = i === segs.length - 1;
    if (!/[*?[]/.test(seg)) {
      for (const dir of current) {
        const p = path.posix.join(dir, seg);
        if (isLast ? fs.existsSync(p) : isDir(p)) next.push(p);
      }
    } else {
      const re = globToRegExp(seg);
      for (const dir of current) {
        let names: string[];
        try { names = fs.readdirSync(dir); } catch { continue; }
        for (const n of names) {
          if (n.startsWith('.') && !seg.startsWith('.')) continue;
          if (!re.test(n)) continue;
          const p = path.posix.join(dir, n);
          if (!isLast && !isDir(p)) continue;
          next.push(p);
        }
      }
    }
    current = next;
    if (!current.length) break;
  }
  return current.filter((p) => !isDir(p)).sort(byteOrder);
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

export { isNginxFileName } from './names';

/** What a folder scan found, and what it left out. */
export interface ScanResult {
  files: string[];
  /** Directories read. */
  dirs: number;
  /** Why the scan stopped early, when it did. */
  truncated?: string;
  /** When it stopped at the limit: the last file it took (the walk is depth first, in name order). */
  lastTaken?: string;
}

/**
 * Walks a folder for nginx files one directory per step (skips dot folders and node_modules),
 * so that the synchronous and the time-sliced scan share one walk.
 */
function* walkNginxFiles(root: string, limit: number, out: ScanResult): Generator<void> {
  const pending = [root];
  while (pending.length) {
    const dir = pending.pop()!;
    let ents: fs.Dirent[];
    try { ents = fs.readdirSync(dir, { withFileTypes: true }); } catch { continue; }
    out.dirs++;
    const subdirs: string[] = [];
    for (const e of ents) {
      const p = path.posix.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) subdirs.push(p);
      } else if ((e.isFile() || (e.isSymbolicLink() && isFile(p))) && (isNginxFileName(p) || (e.name.endsWith('.conf') && looksLikeNginx(p)))) {
        // a link to a file (sites-enabled/app -> ../sites-available/app) is one more path of it:
        // the workspace knows both are one file
        if (out.files.length >= limit) {
          out.truncated = `stopped after ${limit} nginx files`;
          out.lastTaken = out.files[out.files.length - 1];
          return;
        }
        out.files.push(p);
      }
    }
    // depth first, in name order
    for (let i = subdirs.length - 1; i >= 0; i--) pending.push(subdirs[i]);
    yield;
  }
}

/** Every nginx file under a directory (skips VCS folders and node_modules). */
export function findNginxFiles(root: string, limit = SCAN_LIMIT): string[] {
  return scanNginxFilesSync(root, limit).files;
}

/** findNginxFiles, saying whether it stopped at the limit (and where). */
export function scanNginxFilesSync(root: string, limit = SCAN_LIMIT): ScanResult {
  const out: ScanResult = { files: [], dirs: 0 };
  for (const _ of walkNginxFiles(root, limit, out)) { /* one directory per step */ }
  out.files.sort();
  return out;
}

/**
 * findNginxFiles for the language server: gives the event loop back every `sliceMs` so that
 * edits and requests are served during the scan of a large folder; stops when `cancelled()`.
 */
export async function scanNginxFiles(
  root: string,
  opts: { limit?: number; sliceMs?: number; cancelled?: () => boolean; onProgress?: (dirs: number, files: number) => void } = {},
): Promise<ScanResult> {
  const out: ScanResult = { files: [], dirs: 0 };
  const slice = opts.sliceMs ?? 8;
  let t0 = Date.now();
  for (const _ of walkNginxFiles(root, opts.limit ?? SCAN_LIMIT, out)) {
    if (Date.now() - t0 < slice) continue;
    opts.onProgress?.(out.dirs, out.files.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.cancelled?.()) {
      out.truncated = 'cancelled';
      break;
    }
    t0 = Date.now();
  }
  out.files.sort();
  return out;
}

/** A bare *.conf outside nginx folders counts when its first lines look like nginx. */
function looksLikeNginx(file: string): boolean {
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) { fs.closeSync(fd); return false; }
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, 4096, 0);
    fs.closeSync(fd);
    return looksLikeNginxText(buf.subarray(0, n).toString('utf8'));
  } catch {
    return false;
  }
}

export function toFileId(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}
