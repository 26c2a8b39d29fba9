// One file, one identity, in the editor: Debian's sites-enabled/chat is a link to
// sites-available/chat. The server shows the file's problems once, on the path that is open (else
// on the real path), never also on the link; a quick fix and fix-all edit that one path, once.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { LspSession, uriOf } from './harness';

const MAIN = `events {}
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    include /etc/nginx/sites-enabled/*;
}
`;

/** Connection asks for an upgrade, Upgrade is not forwarded, no read timeout: two safe fixes. */
const CHAT = `server {
    listen 127.0.0.1:8080;
    location /ws/ {
        proxy_pass http://127.0.0.1:9000;
        proxy_http_version 1.1;
        proxy_set_header Connection $connection_upgrade;
    }
}
`;

const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, 'g')) ?? []).length;
const codes = (d: Diagnostic[]) => d.map((x) => String(x.code)).sort();

test('a site enabled through a link: diagnostics once, quick fix and fix-all once, on the path that is open', async (t) => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-lsp-alias-')));
  fs.mkdirSync(path.join(root, 'sites-available'));
  fs.mkdirSync(path.join(root, 'sites-enabled'));
  fs.writeFileSync(path.join(root, 'nginx.conf'), MAIN);
  const real = path.join(root, 'sites-available/chat');
  const link = path.join(root, 'sites-enabled/chat');
  fs.writeFileSync(real, CHAT);
  fs.symlinkSync('../sites-available/chat', link);
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  await session.initialize(root);
  await session.rpc.sendNotification('initialized', {});

  const shownOn = (file: string) => session.history.filter((p) => p.uri === uriOf(file) && p.diagnostics.length > 0);
  const apply = (change: TextDocumentEdit, before: string) => TextDocument.applyEdits(TextDocument.create(change.textDocument.uri, 'nginx', 0, before), change.edits as TextEdit[]);
  const fixAll = async (file: string): Promise<TextDocumentEdit[]> => {
    const actions: CodeAction[] = await session.rpc.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(file) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.nginx-websocket'] },
    });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    return actions[0].edit!.documentChanges as TextDocumentEdit[];
  };

  await t.test('the scan publishes the file once, on its real path, not on the link', async () => {
    const p = await session.diagnostics(uriOf(real), (d) => d.length > 0);
    assert.deepEqual(codes(p.diagnostics), ['ws-read-timeout', 'ws-upgrade-header-missing']);
    assert.deepEqual(shownOn(link), [], 'nothing is shown on sites-enabled/chat');
  });

  await t.test('opened under sites-available: quick fix edits that file once', async () => {
    await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(real), languageId: 'nginx', version: 1, text: CHAT } });
    const p = await session.diagnostics(uriOf(real), (_, p) => p.version === 1);
    assert.deepEqual(codes(p.diagnostics), ['ws-read-timeout', 'ws-upgrade-header-missing']);
    const diag = p.diagnostics.find((d) => d.code === 'ws-upgrade-header-missing')!;
    const actions: CodeAction[] = await session.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(real) }, range: diag.range, context: { diagnostics: [diag] } });
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, JSON.stringify(actions));
    const changes = preferred[0].edit!.documentChanges as TextDocumentEdit[];
    assert.deepEqual(changes.map((c) => c.textDocument.uri), [uriOf(real)]);
    const after = apply(changes[0], CHAT);
    assert.equal(count(after, /proxy_set_header Upgrade \$http_upgrade;/), 1, after);
    assert.deepEqual(shownOn(link), []);
  });

  await t.test('fix-all on sites-available: each fix once, one document edited', async () => {
    const changes = await fixAll(real);
    assert.deepEqual(changes.map((c) => c.textDocument), [{ uri: uriOf(real), version: 1 }]);
    const after = apply(changes[0], CHAT);
    assert.equal(count(after, /proxy_set_header Upgrade \$http_upgrade;/), 1, after);
    assert.equal(count(after, /proxy_read_timeout /), 1, after);
  });

  await t.test('opened under the link instead: the problems move to it, fix-all edits it once', async () => {
    await session.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(real) } });
    await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(link), languageId: 'nginx', version: 1, text: CHAT } });
    const p = await session.diagnostics(uriOf(link), (d, p) => p.version === 1 && d.length > 0);
    assert.deepEqual(codes(p.diagnostics), ['ws-read-timeout', 'ws-upgrade-header-missing']);
    await session.diagnostics(uriOf(real), (d) => d.length === 0);
    const changes = await fixAll(link);
    assert.deepEqual(changes.map((c) => c.textDocument), [{ uri: uriOf(link), version: 1 }]);
    const after = apply(changes[0], CHAT);
    assert.equal(count(after, /proxy_set_header Upgrade \$http_upgrade;/), 1, after);
    assert.equal(count(after, /proxy_read_timeout /), 1, after);
  });
});
