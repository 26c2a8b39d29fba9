// Hostile input to the language server. Malformed input on its stdin: after each bad frame (generated, fresh seed
// every run plus fixed ones) the next well-formed request is answered, and the server lives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { LspSession, uriOf } from './harness';
import { rng } from '../hostile/gen';

/** One malformed piece of input, chosen and shaped by `rand`. */
function badFrame(rand: () => number): { kind: string; bytes: Buffer } {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 900 + Math.floor(rand() * 100), method: 'workspace/symbol', params: { query: '' } }));
  const kinds: (() => { kind: string; bytes: Buffer })[] = [
    () => ({ kind: 'length not a number', bytes: Buffer.from(`Content-Length: ${pick(['abc', '1e3', '0x10', ' ', '12a'])}\r\n\r\n{}`) }),
    () => ({ kind: 'negative length', bytes: Buffer.from(`Content-Length: -${1 + Math.floor(rand() * 100)}\r\n\r\n{}`) }),
    () => ({ kind: 'no Content-Length', bytes: Buffer.from(`Content-Type: application/json\r\n\r\n${body}`) }),
    () => ({ kind: 'length past the body', bytes: Buffer.concat([Buffer.from(`Content-Length: ${body.length + 1 + Math.floor(rand() * 5000)}\r\n\r\n`), body]) }),
    () => ({ kind: 'huge length', bytes: Buffer.from(`Content-Length: ${pick(['99999999999', '4294967296', '999999999999'])}\r\n\r\n{}`) }),
    () => {
      const b = Buffer.from(pick(['{bad json', '[1,2', '"x"', 'null', '{"jsonrpc":"2.0","id":{},"method":7}', '\u0000\u0001']));
      return { kind: 'invalid JSON body', bytes: Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]) };
    },
    () => ({ kind: 'random bytes', bytes: junk(1 + Math.floor(rand() * 3000)) }),
    () => ({ kind: 'header without its blank line', bytes: Buffer.from('X-Junk: ' + 'a'.repeat(9000 + Math.floor(rand() * 4000)) + '\r\n') }),
  ];
  return pick(kinds)();
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);

const fresh = Math.floor(Math.random() * 2 ** 31);
for (const seed of [1, 2, fresh]) {
  test(`after a malformed frame the next request is answered (seed ${seed}${seed === fresh ? ', fresh' : ''})`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-frames-'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), 'events {}\nhttp { server { listen 8080; } }\n');
    const s = LspSession.start();
    try {
      await s.initialize(dir);
      await s.rpc.sendNotification('initialized', {});
      const rand = rng(seed);
      for (let i = 0; i < 12; i++) {
        const bad = badFrame(rand);
        await new Promise<void>((resolve, reject) => s.child.stdin!.write(bad.bytes, (e) => (e ? reject(e) : resolve())));
        const r = await withTimeout(s.rpc.sendRequest('workspace/symbol', { query: '' }), 8000, `seed ${seed}, frame ${i} (${bad.kind}), then workspace/symbol`);
        assert.ok(Array.isArray(r), `seed ${seed}, frame ${i} (${bad.kind}): ${JSON.stringify(r)}`);
      }
      assert.equal(s.child.exitCode, null, `the server exited; stderr: ${s.stderr}`);
      assert.equal(await s.stop(), 0);
    } finally {
      if (s.child.exitCode === null) s.child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('an invalid glob range (include [z-a].conf;) stops no diagnostics; a FIFO in the folder blocks nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-badglob-'));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), 'events {}\nhttp {\n    include [z-a].conf;\n    include conf.d/*.conf;\n}\n');
  fs.mkdirSync(path.join(dir, 'conf.d'));
  const app = path.join(dir, 'conf.d/app.conf');
  fs.writeFileSync(app, 'server {\n    listen 8080;\n    bogus_directive on;\n}\n');
  spawnSync('mkfifo', [path.join(dir, 'conf.d/pipe.conf')]);
  const s = LspSession.start();
  try {
    await s.initialize(dir);
    await s.rpc.sendNotification('initialized', {});
    const p = await s.diagnostics(uriOf(app), (d) => d.length > 0, 15_000);
    assert.deepEqual(p.diagnostics.map((d) => d.message), ['unknown directive "bogus_directive"']);
    const main = await s.diagnostics(uriOf(path.join(dir, 'nginx.conf')), (d) => d.some((x) => /pipe\.conf: skipped: not a regular file \(a named pipe\)/.test(String(x.message))), 15_000);
    assert.ok(main.diagnostics.length >= 1);
    assert.equal(await s.stop(), 0);
  } finally {
    if (s.child.exitCode === null) s.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
