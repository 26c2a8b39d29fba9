// The bundled CLI as a CI pipeline runs it: dist/cli.js in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nginxTestSync } from './util/nginx';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');
const FIX = path.join(REPO, 'test/fixtures/cli');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function copy(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-cli-'));
  fs.cpSync(path.join(FIX, name), dir, { recursive: true });
  return dir;
}

test('clean tree: exit 0 and a summary line', () => {
  const r = run('check', path.join(FIX, 'clean'));
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^1 file checked: 0 errors, 0 warnings, 0 info, 0 hints$/m);
});

test('text output is file:line:col: severity: message [code], exit 1', () => {
  const r = run('check', path.join(FIX, 'broken'));
  assert.equal(r.code, 1);
  const app = path.join(FIX, 'broken/conf.d/app.conf');
  assert.ok(r.out.includes(`${app}:6:37: error: unknown "connection_upgrade" variable`), r.out);
  assert.ok(r.out.includes(`${app}:3:5: error: Upgrade is forwarded but proxy_http_version is not set`), r.out);
  assert.match(r.out, /\[ws-map-missing\]$/m);
});

test('--format json: every field, 1-based positions', () => {
  const r = run('check', '--format', 'json', path.join(FIX, 'broken'));
  assert.equal(r.code, 1);
  const rows = JSON.parse(r.out) as Record<string, unknown>[];
  const map = rows.find((x) => x.code === 'ws-map-missing')!;
  assert.deepEqual(
    { ...map, file: path.relative(FIX, map.file as string) },
    {
      file: 'broken/conf.d/app.conf',
      line: 6,
      column: 37,
      endLine: 6,
      endColumn: 56,
      severity: 'error',
      code: 'ws-map-missing',
      message: map.message,
      fixable: true,
      docs: 'https://github.com/nginx-websocket/nginx-websocket/blob/main/docs/rules/ws-map-missing.md',
    },
  );
  for (const row of rows) for (const k of ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'fixable']) assert.ok(k in row, k);
});

test('a file means that file and what it includes', () => {
  const r = run('check', '--format', 'json', path.join(FIX, 'broken/nginx.conf'));
  assert.equal(r.code, 1);
  const rows = JSON.parse(r.out) as { file: string; code: string }[];
  assert.ok(rows.some((x) => x.file.endsWith('conf.d/app.conf') && x.code === 'ws-map-missing'));
});

test('--rule turns a rule off or changes its severity; only warnings and errors fail', () => {
  // with the rule off, nginx's own error for the same fault comes back
  const ruleOff = run('check', '--rule', 'ws-map-missing=off', path.join(FIX, 'broken'));
  assert.ok(!ruleOff.out.includes('[ws-map-missing]'));
  assert.match(ruleOff.out, /error: unknown "connection_upgrade" variable \[nginx-variable\]/);
  const off = run('check', '--rule', 'ws-map-missing=off', '--rule', 'nginx-variable=off', '--rule', 'ws-http-version=info', path.join(FIX, 'broken'));
  assert.equal(off.code, 0, off.out);
  assert.match(off.out, /: info: Upgrade is forwarded/);
});

test('--fix applies every safe fix, across files, and nginx -t accepts the result', () => {
  const dir = copy('broken');
  const r = run('check', '--fix', dir);
  assert.equal(r.code, 0, r.out);
  const main = fs.readFileSync(path.join(dir, 'nginx.conf'), 'utf8');
  const app = fs.readFileSync(path.join(dir, 'conf.d/app.conf'), 'utf8');
  assert.match(main, /map \$http_upgrade \$connection_upgrade \{\n {8}default upgrade;\n {8}'' close;\n {4}\}/);
  assert.match(app, /proxy_http_version 1\.1;/);
  assert.match(app, /proxy_read_timeout 600s;/);
  const v = nginxTestSync({ 'nginx.conf': main, 'conf.d/app.conf': app });
  assert.ok(v.ok, v.output);
  // idempotent: a second run changes nothing
  run('check', '--fix', dir);
  assert.equal(fs.readFileSync(path.join(dir, 'nginx.conf'), 'utf8'), main);
  assert.equal(fs.readFileSync(path.join(dir, 'conf.d/app.conf'), 'utf8'), app);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('usage and I/O errors exit 2 with a clear message', () => {
  assert.equal(run().code, 2);
  const unknown = run('lint', 'x');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "lint"/);
  const missing = run('check', path.join(FIX, 'no-such-dir'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no-such-dir: no such file or directory/);
  const fmt = run('check', '--format', 'xml', FIX);
  assert.equal(fmt.code, 2);
  assert.match(fmt.err, /--format takes "text", "json", "github", "sarif", "checkstyle", "junit" or "codequality", not "xml"/);
  assert.equal(run('check', '--rule', 'ws-read-timeout=loud', FIX).code, 2);
  assert.equal(run('check').code, 2);
});

test('a binary file is skipped with a message, the rest is still checked', () => {
  const dir = copy('clean');
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'conf.d/blob.conf'), Buffer.from([0x73, 0x65, 0x00, 0xff, 0x01]));
  const r = run('check', '--format', 'json', dir);
  const rows = JSON.parse(r.out) as { code: string; message: string }[];
  assert.deepEqual(rows.map((x) => x.code), ['nginx-file']);
  assert.match(rows[0].message, /binary file/);
  assert.equal(r.code, 1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('output piped into a reader that stops early (| head): no EPIPE crash, the exit code still says findings', async () => {
  const { spawn } = await import('node:child_process');
  const corpus = path.join(REPO, 'test/fixtures/nginx-tests');
  const child = spawn(process.execPath, [CLI, 'check', corpus], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // read the first chunk, then close our end as `head -1` does
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(err, '');
  assert.equal(code, 1);
});
