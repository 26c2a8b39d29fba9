// Writing a fixed file back, so that no failure can leave it damaged: the new text goes into a
// temporary file beside the original (same directory, so same file system), is flushed to disk,
// gets the original's mode and owner, and only then replaces the original by rename(2), which is
// atomic. A full disk, a crash or a refused chown leaves the original as it was.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The file-system calls the writer makes; tests substitute some to make them fail. */
export interface WriteIo {
  openSync: typeof fs.openSync;
  writeSync: (fd: number, buf: Buffer, offset: number, length: number) => number;
  fsyncSync: typeof fs.fsyncSync;
  fchmodSync: typeof fs.fchmodSync;
  fchownSync: typeof fs.fchownSync;
  closeSync: typeof fs.closeSync;
  renameSync: typeof fs.renameSync;
  unlinkSync: typeof fs.unlinkSync;
}

/** The real file system, for writes; tests wrap it to make one call fail. */
export const NODE_IO: WriteIo = {
  openSync: fs.openSync,
  writeSync: (fd, buf, offset, length) => fs.writeSync(fd, buf, offset, length),
  fsyncSync: fs.fsyncSync,
  fchmodSync: fs.fchmodSync,
  fchownSync: fs.fchownSync,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
  unlinkSync: fs.unlinkSync,
};

/** A file the writer refused to change, with a reason for the user. */
export class NotWritten extends Error {}

/** A new text written beside its file, flushed, with the original's mode and owner: commit() puts it in place. */
export interface PreparedWrite {
  /** The file that is replaced (links followed). */
  real: string;
  commit(): void;
  /** Removes the temporary file; the original stays as it is. */
  abort(): void;
}

/**
 * Prepares replacing the contents of `file` (a symbolic link is followed: the file it points at
 * is replaced, the link stays a link) with `text`. `expected` is the text the change was computed
 * from: when the file no longer holds exactly those bytes (changed meanwhile, or bytes that are
 * not UTF-8 and would not survive the round trip), nothing is prepared. Throws NotWritten for
 * refusals and the system's error when writing failed; either way the original is untouched
 * and no temporary file is left behind.
 */
export function prepareWrite(file: string, text: string, expected: string, io: WriteIo = NODE_IO): PreparedWrite {
  const real = fs.realpathSync.native(file);
  const st = fs.statSync(real);
  if (!st.isFile()) throw new NotWritten('not a regular file');
  // another name made by a hard link would keep the old text once the new file is renamed in
  if (st.nlink > 1) throw new NotWritten(`it has ${st.nlink} hard links, which a replaced file would no longer share`);
  const before = fs.readFileSync(real);
  if (!before.equals(Buffer.from(expected, 'utf8'))) {
    throw new NotWritten(before.toString('utf8') === expected ? 'it is not valid UTF-8 text, which rewriting would alter' : 'it changed on disk during the check');
  }
  const dir = path.dirname(real);
  const tmp = path.join(dir, `.${path.basename(real)}.nginx-ws-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  const data = Buffer.from(text, 'utf8');
  // 'wx': never through an existing file or link; readable by nobody else until the original's mode is applied
  const fd = io.openSync(tmp, 'wx', 0o600);
  let done = false;
  const abort = () => {
    if (done) return;
    done = true;
    try { io.unlinkSync(tmp); } catch { /* already gone */ }
  };
  try {
    try {
      for (let at = 0; at < data.length; ) {
        const n = io.writeSync(fd, data, at, data.length - at);
        if (n <= 0) throw new Error('write made no progress');
        at += n;
      }
      io.fsyncSync(fd);
      try {
        io.fchownSync(fd, st.uid, st.gid);
      } catch (e) {
        // without the privilege to give it away, the new file would belong to whoever runs the fix
        if (st.uid !== process.getuid?.() || st.gid !== process.getgid?.()) throw new NotWritten(`its owner (${st.uid}:${st.gid}) could not be kept: ${(e as Error).message}`);
      }
      io.fchmodSync(fd, st.mode & 0o7777);
    } finally {
      io.closeSync(fd);
    }
  } catch (e) {
    abort();
    throw e;
  }
  return {
    real,
    abort,
    commit() {
      if (done) throw new Error('already committed or aborted');
      try {
        io.renameSync(tmp, real);
      } catch (e) {
        abort();
        throw e;
      }
      done = true;
      // the rename reaches the disk with the directory (best effort: not every system allows it)
      try {
        const dfd = fs.openSync(dir, 'r');
        try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
      } catch { /* not supported here */ }
    },
  };
}

/** prepareWrite, then commit: the file holds either its old text or the whole new one, never a part. */
export function writeFileAtomic(file: string, text: string, expected: string, io: WriteIo = NODE_IO): void {
  prepareWrite(file, text, expected, io).commit();
}
