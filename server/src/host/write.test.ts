// The fix writer never leaves a file damaged: a write that fails half-way (a full disk), a
// temporary file that cannot be made, a rename that fails, a file changed meanwhile — the
// original keeps every byte, and no temporary file is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NODE_IO, NotWritten, prepareWrite, writeFileAtomic, type WriteIo } from './write';

const ORIGINAL = 'server {\r\n    listen 80;\r\n    location /ws/ {\r\n        proxy_pass http://127.0.0.1:3000;\r\n    }\r\n}';
const FIXED = ORIGINAL.replace('proxy_pass http://127.0.0.1:3000;', 'proxy_pass http://127.0.0.1:3000;\r\n        proxy_read_timeout 600s;');

const io: WriteIo = NODE_IO;

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-write-'));
  const file = path.join(dir, 'site');
  fs.writeFileSync(file, ORIGINAL);
  fs.chmodSync(file, 0o640);
  return { dir, file, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n !== 'site' && n !== 'link');

test('a disk that fills up half-way through: the original is intact, no temporary file remains', () => {
  const { dir, file, done } = setup();
  try {
    let calls = 0;
    const full: WriteIo = {
      ...io,
      // the first call writes part of the text, as a filling disk does, the next one fails
      writeSync: (fd, buf, offset, length) => {
        if (calls++ === 0) return fs.writeSync(fd, buf, offset, Math.min(length, 20));
        throw enospc();
      },
    };
    assert.throws(() => writeFileAtomic(file, FIXED, ORIGINAL, full), /ENOSPC/);
    assert.ok(calls >= 2, 'the write really was cut off mid-way');
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(leftovers(dir), []);
  } finally {
    done();
  }
});

test('the temporary file cannot be created (read-only directory): nothing changes', () => {
  const { dir, file, done } = setup();
  try {
    const readOnly: WriteIo = { ...io, openSync: () => { throw Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' }); } };
    assert.throws(() => writeFileAtomic(file, FIXED, ORIGINAL, readOnly), /EACCES/);
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
    assert.deepEqual(leftovers(dir), []);
  } finally {
    done();
  }
});

test('flushing, chmod or the rename fails: the original is intact, the temporary file removed', () => {
  for (const failing of ['fsyncSync', 'fchmodSync', 'renameSync'] as const) {
    const { dir, file, done } = setup();
    try {
      const broken: WriteIo = { ...io, [failing]: () => { throw new Error(`${failing} failed`); } };
      assert.throws(() => writeFileAtomic(file, FIXED, ORIGINAL, broken), new RegExp(`${failing} failed`));
      assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL, failing);
      assert.deepEqual(leftovers(dir), [], failing);
    } finally {
      done();
    }
  }
});

test('prepared but aborted (another file of the same fix could not be written): nothing changes', () => {
  const { dir, file, done } = setup();
  try {
    const p = prepareWrite(file, FIXED, ORIGINAL);
    assert.equal(leftovers(dir).length, 1, 'the new text waits in a temporary file beside the original');
    p.abort();
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
    assert.deepEqual(leftovers(dir), []);
  } finally {
    done();
  }
});

test('success: the whole new text, mode kept, a link stays a link and its target is replaced', () => {
  const { dir, file, done } = setup();
  try {
    const link = path.join(dir, 'link');
    fs.symlinkSync('site', link);
    const ino = fs.statSync(file).ino;
    writeFileAtomic(link, FIXED, ORIGINAL);
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readlinkSync(link), 'site');
    assert.equal(fs.readFileSync(file, 'utf8'), FIXED);
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.notEqual(fs.statSync(file).ino, ino, 'replaced by rename, not rewritten in place');
    assert.deepEqual(leftovers(dir), []);
  } finally {
    done();
  }
});

test('refusals: changed on disk meanwhile, not UTF-8, hard links', () => {
  const { dir, file, done } = setup();
  try {
    assert.throws(() => writeFileAtomic(file, FIXED, ORIGINAL + ' '), (e) => e instanceof NotWritten && /changed on disk/.test(e.message));
    // a Latin-1 comment: decoding replaced the byte, writing the text back would alter it
    fs.writeFileSync(file, Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const decoded = fs.readFileSync(file, 'utf8');
    assert.throws(() => writeFileAtomic(file, decoded + 'x', decoded), (e) => e instanceof NotWritten && /not valid UTF-8/.test(e.message));
    fs.writeFileSync(file, ORIGINAL);
    fs.linkSync(file, path.join(dir, 'hard'));
    assert.throws(() => writeFileAtomic(file, FIXED, ORIGINAL), (e) => e instanceof NotWritten && /2 hard links/.test(e.message));
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
  } finally {
    done();
  }
});
