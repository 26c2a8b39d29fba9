// "Make this a working WebSocket location" over stdio, as VS Code asks for it (the edit made by
// codeAction/resolve when picked) and as a client without resolve support does (the edit at once):
// applied, the location has nothing left to fix, its neighbour keeps its own problems, and the
// real nginx -t accepts the result.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { DEFAULT_CAPABILITIES, LspSession, uriOf } from './harness';
import { nginxTestSync } from '../util/nginx';

const TEXT = [
  'events {}',
  'http {',
  '    server {',
  '        listen 8080;',
  '        location /ws/ {',
  '            proxy_pass http://127.0.0.1:9000;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '        }',
  '        location /chat/ {',
  '            proxy_pass http://127.0.0.1:9001;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '        }',
  '    }',
  '}',
  '',
].join('\n');

for (const resolveEdits of [true, false]) {
  test(`one action fixes the whole location (${resolveEdits ? 'edit resolved when picked' : 'edit sent at once'})`, async (t) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-oneshot-'));
    const file = path.join(root, 'nginx.conf');
    fs.writeFileSync(file, TEXT);
    const s = LspSession.start();
    t.after(() => { s.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
    const caps = resolveEdits
      ? { ...DEFAULT_CAPABILITIES, textDocument: { ...DEFAULT_CAPABILITIES.textDocument, codeAction: { ...DEFAULT_CAPABILITIES.textDocument.codeAction, resolveSupport: { properties: ['edit'] }, dataSupport: true } } }
      : DEFAULT_CAPABILITIES;
    await s.initialize(root, undefined, caps);
    await s.rpc.sendNotification('initialized', {});
    const uri = uriOf(file);
    await s.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nginx', version: 1, text: TEXT } });
    const p = await s.diagnostics(uri, (d, pub) => pub.version === 1 && d.length > 0);
    const wsLine = TEXT.split('\n').findIndex((l) => l.includes('location /ws/'));
    const chatLine = TEXT.split('\n').findIndex((l) => l.includes('location /chat/'));
    const inWs = p.diagnostics.filter((d) => d.range.start.line >= wsLine && d.range.start.line < chatLine);
    assert.ok(inWs.length > 0, JSON.stringify(p.diagnostics));
    const actions: CodeAction[] = await s.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: inWs[0].range, context: { diagnostics: inWs } });
    let one = actions[0];
    assert.equal(one?.title, 'Make this a working WebSocket location', actions.map((a) => a.title).join(' | '));
    assert.equal(one.isPreferred, true);
    if (resolveEdits) {
      assert.equal(one.edit, undefined, 'the edit is made when the action is picked');
      one = await s.rpc.sendRequest('codeAction/resolve', one);
    }
    const change = one.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
    assert.ok(change, 'the action edits the document');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'nginx', 1, TEXT), change.edits as TextEdit[]);
    await s.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const after = await s.diagnostics(uri, (_d, pub) => pub.version === 2);
    const fixedLines = fixed.split('\n');
    const ws2 = fixedLines.findIndex((l) => l.includes('location /ws/'));
    const chat2 = fixedLines.findIndex((l) => l.includes('location /chat/'));
    assert.deepEqual(after.diagnostics.filter((d) => d.range.start.line >= ws2 && d.range.start.line < chat2).map((d) => d.code), [], 'nothing left in /ws/');
    assert.ok(after.diagnostics.some((d) => d.range.start.line >= chat2), '/chat/ keeps its own findings');
    const v = nginxTestSync(new Map([['nginx.conf', fixed]]));
    assert.ok(v.ok, `nginx -t: ${v.output}\n${fixed}`);
    // a stale resolve (the document moved on) makes no edit rather than a wrong one
    if (resolveEdits) {
      const stale: CodeAction = await s.rpc.sendRequest('codeAction/resolve', actions[0]);
      assert.equal(stale.edit, undefined);
    }
    assert.equal(await s.stop(), 0);
  });
}
