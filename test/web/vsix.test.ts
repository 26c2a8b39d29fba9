// The packaged extension (.vsix) as the Marketplace and VS Code for the Web receive it: built by
// `vsce package` (which runs vscode:prepublish, the production bundles) in a copy of the sources,
// so the shared dist/ is left alone. It holds the desktop and the web entries the manifest names,
// no source maps, and stays under 1 MB. The sizes are printed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { REPO } from '../lsp/harness';

const LIMIT = 1024 * 1024;
/** What the package needs to be built from (the rest of the repository is not read by vsce). */
const SOURCES = ['package.json', 'esbuild.mjs', '.vscodeignore', 'README.md', 'LICENSE', 'CHANGELOG.md', 'language-configuration.json', 'images', 'syntaxes', 'snippets', 'docs', 'client', 'server'];

interface Entry { name: string; size: number; compressed: number; method: number; offset: number }

/** The central directory of a zip file (no zip64: a .vsix this small has none). */
function zipEntries(buf: Buffer): Entry[] {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'a central directory entry');
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    out.push({ method: buf.readUInt16LE(p + 10), compressed: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24), offset: buf.readUInt32LE(p + 42), name: buf.toString('utf8', p + 46, p + 46 + nameLen) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function contents(buf: Buffer, e: Entry): Buffer {
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const raw = buf.subarray(start, start + e.compressed);
  return e.method === 8 ? zlib.inflateRawSync(raw) : raw;
}

test('the .vsix holds the desktop and web bundles, no source maps, and is under 1 MB', { timeout: 180_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-vsix-'));
  try {
    for (const s of SOURCES) fs.cpSync(path.join(REPO, s), path.join(dir, s), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
    const vsix = path.join(dir, 'nginx-websocket.vsix');
    const vsce = path.join(REPO, 'node_modules/@vscode/vsce/vsce');
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
    assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);

    const buf = fs.readFileSync(vsix);
    const entries = zipEntries(buf);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const manifest = JSON.parse(contents(buf, byName.get('extension/package.json')!).toString('utf8'));
    for (const entry of [manifest.main, manifest.browser, 'dist/server.js', 'dist/web/server.js']) {
      const name = `extension/${path.posix.normalize(entry)}`;
      assert.ok(byName.has(name), `${name} is packaged`);
    }
    assert.deepEqual(entries.filter((e) => e.name.endsWith('.map')).map((e) => e.name), [], 'no source maps');
    // the packaged web server is the production bundle and still needs nothing from Node
    const webServer = contents(buf, byName.get('extension/dist/web/server.js')!).toString('utf8');
    assert.doesNotMatch(webServer, /\brequire\s*\(|["']node:[a-z_]+["']/);

    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    for (const e of entries.filter((x) => x.name.startsWith('extension/dist/'))) console.log(`  ${e.name.slice('extension/'.length)}: ${kb(e.size)} (${kb(e.compressed)} compressed)`);
    console.log(`  .vsix: ${kb(buf.length)} (${entries.length} files), limit ${kb(LIMIT)}`);
    assert.ok(buf.length < LIMIT, `.vsix is ${buf.length} bytes, over ${LIMIT}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
