// The real `nginx -t` on save, over stdio: errors land on the original file and line with source
// "nginx -t", a correct tree clears them, an untrusted workspace runs nothing, and a hanging
// executable is killed after the timeout and reported once.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { copyFixture, LspSession, uriOf } from './harness';
import { NGINX, requireNginx } from '../util/nginx';

/** Alive and not a zombie waiting for init to reap it. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    try { process.kill(pid, 0); return !fs.existsSync('/proc/self'); } catch { return false; }
  }
}

const fromNginx = (d: Diagnostic[]) => d.filter((x) => x.source === 'nginx -t');

async function start(t: { after(fn: () => void): void }, options?: unknown) {
  const root = copyFixture('nginxt');
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  session.settings.set(uriOf(root), { nginx: { path: NGINX } });
  await session.initialize(root, options ?? { trusted: true });
  await session.rpc.sendNotification('initialized', {});
  const app = path.join(root, 'conf.d/app.conf');
  const main = path.join(root, 'nginx.conf');
  await session.until('the folder scan', () => session.logs.some((l) => /: 2 nginx files in \d+ folders/.test(l)));
  const save = (file: string) => session.rpc.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(file) } });
  await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(app), languageId: 'nginx', version: 1, text: fs.readFileSync(app, 'utf8') } });
  await session.diagnostics(uriOf(app), (_, p) => p.version === 1);
  return { root, session, app, main, save };
}

test('nginx -t on save', async (t) => {
  requireNginx();
  const { root, session, app, main, save } = await start(t);

  await t.test('an error in an included file lands on that file and line', async () => {
    await save(app);
    const p = await session.diagnostics(uriOf(app), (d) => fromNginx(d).length > 0);
    const [d] = fromNginx(p.diagnostics);
    assert.equal(d.message, 'unknown log format "nosuchformat"');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 34 } });
    assert.equal(d.code, 'nginx-t');
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/nginx-t\.md$/);
  });

  await t.test('the sandbox: pid, error_log and access_log of the file never reach the real paths', () => {
    assert.ok(!fs.existsSync(path.join(root, 'logs')), 'no logs/ created in the workspace');
    assert.ok(!fs.existsSync('/var/log/nginx-ws-test'), 'the absolute access_log path is not touched');
    assert.ok(!session.logs.some((l) => l.includes('duplicate')), session.logs.join('\n'));
  });

  await t.test('a correct tree clears them on the next save', async () => {
    const fixed = fs.readFileSync(app, 'utf8').replace('access_log a.log nosuchformat;', 'access_log a.log combined;');
    fs.writeFileSync(app, fixed);
    await session.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(app), version: 2 }, contentChanges: [{ text: fixed }] });
    await save(app);
    await session.diagnostics(uriOf(app), (d, p) => p.version === 2 && fromNginx(d).length === 0);
    await session.until('nginx -t ok logged', () => session.logs.some((l) => /^nginx -t 1\.\d+\.\d+ on .*nginx\.conf: ok$/.test(l)));
  });

  await t.test('what our own check already reports (same file, line, message start) is not reported again', async () => {
    const noMap = fs.readFileSync(main, 'utf8').replace(/ {4}map[^}]*\}\n/, '');
    fs.writeFileSync(main, noMap);
    await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(main), languageId: 'nginx', version: 1, text: noMap } });
    const k = session.nginxTestStatus.length;
    await save(main);
    await session.until('nginx -t reported it', () => session.logs.some((l) => /^nginx -t \S+ on .*: unknown "connection_upgrade" variable$/.test(l)));
    await session.until('its status', () => session.nginxTestStatus.slice(k).some((s) => s.state === 'failed'));
    // its diagnostics are published after the status: wait for that publication
    const n = session.history.filter((h) => h.uri === uriOf(app)).length;
    await session.until('published since', () => session.history.filter((h) => h.uri === uriOf(app)).length > n);
    assert.ok(session.latest.get(uriOf(app))!.diagnostics.some((d) => d.code === 'ws-map-missing' && d.range.start.line === 8));
    assert.equal(fromNginx(session.latest.get(uriOf(app))!.diagnostics).length, 0, JSON.stringify(session.latest.get(uriOf(app))));
  });

  await t.test('an error without a location (unknown variable) goes to its first use', async () => {
    // our own findings off: nginx -t's is the only one
    session.settings.set(uriOf(root), { nginx: { path: NGINX }, rules: { 'ws-map-missing': 'off', 'nginx-variable': 'off' } });
    await session.rpc.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await save(main);
    const p = await session.diagnostics(uriOf(app), (d) => fromNginx(d).length > 0).catch((e) => { throw new Error(`${e.message}\n${session.logs.join('\n')}`); });
    const [d] = fromNginx(p.diagnostics);
    assert.equal(d.message, 'unknown "connection_upgrade" variable');
    assert.equal(d.range.start.line, 8);
  });

  await t.test('nginxWebSocket.rules["nginx-t"] sets the severity of what nginx -t reports', async () => {
    session.settings.set(uriOf(root), { nginx: { path: NGINX }, rules: { 'nginx-t': 'warning', 'ws-map-missing': 'off', 'nginx-variable': 'off' } });
    await save(main);
    await session.diagnostics(uriOf(app), (d) => fromNginx(d).length === 1 && fromNginx(d)[0].severity === 2);
  });

  await t.test('testOnSave off clears them', async () => {
    session.settings.set(uriOf(root), { nginx: { path: NGINX, testOnSave: false } });
    await session.rpc.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await session.diagnostics(uriOf(app), (d) => fromNginx(d).length === 0);
  });

  await session.stop();
});

test('untrusted workspace: nginx -t never runs', async (t) => {
  const { session, app, save } = await start(t, { trusted: false });
  await save(app);
  await session.until('the reason is logged', () => session.logs.some((l) => l.includes('not trusted')));
  // the run would have happened in the same handler that logged: nothing came from nginx
  assert.equal(session.history.flatMap((h) => fromNginx(h.diagnostics)).length, 0);
  await save(app);
  await session.stop();
  assert.equal(session.logs.filter((l) => l.includes('not trusted')).length, 1, 'said once');
  assert.equal(session.history.flatMap((h) => fromNginx(h.diagnostics)).length, 0);
});

test('a hanging nginx is killed after the timeout and reported once', async (t) => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-nginx-'));
  const pidFile = path.join(bin, 'pids');
  const fake = path.join(bin, 'nginx');
  // answers -V like nginx; anything else starts a child that never ends
  fs.writeFileSync(fake, `#!/bin/sh\nif [ "$1" = "-V" ]; then echo "nginx version: nginx/1.22.1" >&2; exit 0; fi\nsleep 60 &\necho $! >> "${pidFile}"\nwait\n`, { mode: 0o755 });
  t.after(() => fs.rmSync(bin, { recursive: true, force: true }));
  const { root, session, app, save } = await start(t);
  session.settings.set(uriOf(root), { nginx: { path: fake, timeoutMs: 300 } });
  const timedOut = () => session.logs.filter((l) => l.startsWith('nginx -t on ') && l.includes('did not finish within 300 ms')).length;
  await save(app);
  await session.until('first timeout', () => timedOut() >= 1);
  await save(app);
  await session.until('second timeout', () => timedOut() >= 2);
  await session.until('the warning', () => session.shown.length > 0);
  const shown = session.shown.filter((m) => m.message.includes('did not finish within 300 ms'));
  assert.equal(shown.length, 1, 'shown once');
  assert.equal(shown[0].type, 2); // Warning
  for (const pid of fs.readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)) {
    assert.ok(!running(pid), `process ${pid} (the script's child) is gone`);
  }
  assert.equal(session.history.flatMap((h) => fromNginx(h.diagnostics)).length, 0);
  await session.stop();
});
