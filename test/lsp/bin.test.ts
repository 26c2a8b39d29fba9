// The language server as other editors start it: package.json's `nginx-ws-language-server` bin,
// with no argument (stdio is the default), driven by a client that has none of VS Code's
// capabilities (no workspace/configuration, no registrations, no progress, no message requests)
// and gives its settings in initializationOptions. It still gets every diagnostic, under those
// settings, and a quick fix; the server asks it nothing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession, REPO, uriOf } from './harness';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const BIN = path.join(REPO, manifest.bin['nginx-ws-language-server']);

test('the bin starts the server over stdio for a client with no VS Code capabilities', async (t) => {
  assert.match(fs.readFileSync(BIN, 'utf8'), /^#!\/usr\/bin\/env node\n/, 'runs as an executable once npm links it');
  const version = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  assert.equal(version.stdout.trim(), manifest.version);

  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-bin-')));
  const conf = path.join(root, 'nginx.conf');
  const text = 'events {}\nhttp {\n    server {\n        listen 80;\n        location /ws/ {\n            proxy_pass http://127.0.0.1:9000;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n        }\n    }\n}\n';
  fs.writeFileSync(conf, text);
  const session = LspSession.command([BIN], true);
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  const init = await session.initialize(root, { settings: { rules: { 'ws-read-timeout': 'off', 'ws-http-version': 'warning' } } }, {});
  assert.ok(init.capabilities.codeActionProvider);
  await session.rpc.sendNotification('initialized', {});
  await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(conf), languageId: 'nginx', version: 1, text } });
  const p = await session.diagnostics(uriOf(conf), (d, q) => q.version === 1 && d.length > 0);
  const codes = p.diagnostics.map((d) => `${d.code}:${d.severity}`).sort();
  assert.deepEqual(codes, ['ws-http-version:2', 'ws-map-missing:1'], 'the settings of initializationOptions apply');
  const versionDiag = p.diagnostics.find((d) => d.code === 'ws-http-version') as Diagnostic;
  const actions = (await session.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(conf) }, range: versionDiag.range, context: { diagnostics: [versionDiag] } })) as CodeAction[];
  const fix = actions.find((a) => a.title.includes('proxy_http_version 1.1'));
  assert.ok(fix?.edit, JSON.stringify(actions));
  assert.equal(await session.stop(), 0);
  assert.deepEqual(session.requests, [], 'the server asked a client without capabilities nothing');
});
