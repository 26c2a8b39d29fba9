// Ctrl+. on a location with both an error and a hint: the one action that fixes the whole
// location comes first and is the preferred one; then the error's fix before the hint's.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { LspSession, uriOf } from './harness';

test('quick fixes are ordered by the severity of their problem', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-order-'));
  const file = path.join(root, 'nginx.conf');
  const text = 'events {}\nhttp {\n    server {\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8080;\n            proxy_http_version 1.1;\n            proxy_set_header Connection "upgrade";\n        }\n    }\n}\n';
  fs.writeFileSync(file, text);
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  await session.initialize(root);
  await session.rpc.sendNotification('initialized', {});
  await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'nginx', version: 1, text } });
  const p = await session.diagnostics(uriOf(file), (d, pub) => pub.version === 1 && d.some((x) => x.code === 'ws-read-timeout') && d.some((x) => x.code === 'ws-upgrade-header-missing'));
  // the client sends them in its own order: hint first
  const diags = [...p.diagnostics].sort((a, b) => (b.severity ?? 0) - (a.severity ?? 0));
  assert.equal(diags[0].code, 'ws-read-timeout');
  const actions: CodeAction[] = await session.rpc.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uriOf(file) },
    range: diags[0].range,
    context: { diagnostics: diags },
  });
  const titles = actions.map((a) => a.title);
  assert.equal(titles[0], 'Make this a working WebSocket location', titles.join(' | '));
  assert.equal(actions[0].isPreferred, true);
  assert.ok(titles[1].startsWith('Add proxy_set_header Upgrade'), titles.join(' | '));
  assert.equal(actions.filter((a) => a.isPreferred).length, 1, 'one preferred action');
  const hint = actions.find((a) => a.title.startsWith('Add proxy_read_timeout'));
  assert.ok(hint, titles.join(' | '));
  assert.equal(hint.isPreferred, false);

  // a diagnostic published before the file was opened (version null) still gets its fixes
  const fromScan = diags.map((d) => ({ ...d, data: { ...(d.data as object), version: null } }));
  const again: CodeAction[] = await session.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range: diags[0].range, context: { diagnostics: fromScan } });
  assert.deepEqual(again.map((a) => a.title), titles);
  assert.equal(await session.stop(), 0);
});
