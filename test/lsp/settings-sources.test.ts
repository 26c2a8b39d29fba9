// Where the language server's settings come from, over stdio: a client without the
// configuration capability gives them in initializationOptions (and didChangeConfiguration) and
// is never asked; a project file (.nginx-ws.json) in or above the folder applies, under the
// user's settings; restricted options are taken from it only in a trusted workspace; a broken
// project file is shown, naming the file; editing it applies at once.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession, uriOf } from './harness';

const CONF = [
  'events {}',
  'http {',
  '    server {',
  '        listen 80;',
  '        location / {',
  '            proxy_pass http://127.0.0.1:9000;',
  '            proxy_http_version 1.1;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '            proxy_set_header Connection "upgrade";',
  '        }',
  '        location /live/ {',
  '            proxy_pass http://127.0.0.1:9001;',
  '        }',
  '    }',
  '}',
  '',
].join('\n');

function folder(): { root: string; conf: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-settings-')));
  fs.mkdirSync(path.join(root, 'nginx'));
  const conf = path.join(root, 'nginx/nginx.conf');
  fs.writeFileSync(conf, CONF);
  return { root, conf };
}

const codes = (d: Diagnostic[]) => d.map((x) => `${x.code}:${x.severity}`).sort();
const has = (d: Diagnostic[], code: string, severity?: number) => d.some((x) => x.code === code && (severity === undefined || x.severity === severity));
/** A client with nothing VS Code has: no configuration, no watchers, no progress. */
const BARE = { textDocument: { publishDiagnostics: {} }, workspace: {} };

test('a client without the configuration capability: initializationOptions.settings, then didChangeConfiguration; never asked', async (t) => {
  const { root, conf } = folder();
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  await session.initialize(root, { settings: { rules: { 'ws-read-timeout': 'off', 'ws-connection-hardcoded': 'error' }, endpointPatterns: ['^/live/'] } }, BARE);
  await session.rpc.sendNotification('initialized', {});
  const p = await session.diagnostics(uriOf(conf), (d) => d.length > 0);
  assert.ok(!has(p.diagnostics, 'ws-read-timeout'), codes(p.diagnostics).join());
  assert.ok(has(p.diagnostics, 'ws-connection-hardcoded', 1), codes(p.diagnostics).join());
  // the user's own settings may set restricted options (the client vouches for them)
  assert.ok(has(p.diagnostics, 'ws-upgrade-header-missing'), codes(p.diagnostics).join());
  // pushed later, in the shape most clients send
  await session.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { nginxWebSocket: { rules: { 'ws-connection-hardcoded': 'off' } } } });
  const q = await session.diagnostics(uriOf(conf), (d) => !has(d, 'ws-connection-hardcoded'));
  assert.ok(has(q.diagnostics, 'ws-read-timeout'), 'the new settings replace the first ones');
  assert.deepEqual(session.configurationScopes, [], 'a client without the capability is never asked');
  assert.equal(await session.stop(), 0);
});

test('the project file applies under the user\'s settings; restricted options only when trusted; problems are shown', async (t) => {
  const { root, conf } = folder();
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  // above the folder's nginx/ directory: found walking up from the workspace folder
  const projectFile = path.join(root, '.nginx-ws.json');
  fs.writeFileSync(projectFile, JSON.stringify({ rules: { 'ws-read-timeout': 'off', 'ws-connection-hardcoded': 'warning' }, endpointPatterns: ['^/live/'], nginx: { path: '/bin/false' } }));
  const workspaceFolder = path.join(root, 'nginx');

  for (const trusted of [false, true]) {
    const session = LspSession.start();
    t.after(() => session.child.kill());
    // VS Code's way: every setting answered, defaults included; one set by the user
    session.settings.set(uriOf(workspaceFolder), { rules: { 'ws-connection-hardcoded': 'error' }, endpointPatterns: [], nginxVersion: '', readTimeout: '600s', nginx: { path: '', testOnSave: false, timeoutMs: 5000 } });
    await session.initialize(workspaceFolder, { trusted });
    await session.rpc.sendNotification('initialized', {});
    const p = await session.diagnostics(uriOf(conf), (d) => d.length > 0);
    assert.ok(!has(p.diagnostics, 'ws-read-timeout'), `the project file's level applies: ${codes(p.diagnostics)}`);
    assert.ok(has(p.diagnostics, 'ws-connection-hardcoded', 1), `the user's level wins: ${codes(p.diagnostics)}`);
    assert.equal(has(p.diagnostics, 'ws-upgrade-header-missing'), trusted, `endpoint patterns from the project file only when trusted: ${codes(p.diagnostics)}`);
    if (!trusted) {
      await session.until('the ignored options are said', () => session.logs.some((l) => l.includes(projectFile) && l.includes('"endpointPatterns" is not taken from the project file: the workspace is not trusted')));
      assert.ok(session.logs.some((l) => l.includes('"nginx.path" is not taken')));
    }
    session.child.kill();
  }

  // a broken value: shown once, naming the file and the key; the rest still applies
  fs.writeFileSync(projectFile, JSON.stringify({ rules: { 'ws-read-timeout': 'off' }, nginxVersion: 122, surprise: true }));
  const session = LspSession.start();
  t.after(() => session.child.kill());
  await session.initialize(workspaceFolder);
  await session.rpc.sendNotification('initialized', {});
  const p = await session.diagnostics(uriOf(conf), (d) => d.length > 0);
  assert.ok(!has(p.diagnostics, 'ws-read-timeout'));
  await session.until('the problems are shown', () => session.shown.some((m) => m.message.includes(`${projectFile}: error: "nginxVersion": expected a string, not 122`)) && session.shown.some((m) => m.message.includes('unknown option "surprise"')));
  // edited: the watcher's event applies the new file at once
  fs.writeFileSync(projectFile, JSON.stringify({ rules: { 'ws-proxy-pass-scheme': 'off' } }));
  await session.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(projectFile), type: 2 }] });
  await session.diagnostics(uriOf(conf), (d) => has(d, 'ws-read-timeout'));
  assert.equal(session.shown.filter((m) => m.message.includes('unknown option "surprise"')).length, 1, 'each problem once');
  assert.equal(await session.stop(), 0);
});
