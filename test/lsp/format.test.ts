// Formatting over stdio, as an editor asks for it: the whole document (with the editor's tab
// size and spaces or tabs), a selection, and on type after `}` and `;`; a file with a syntax
// error gets no edits and a log line saying why; format.enable off gets nothing; format.align
// lines up a map's values.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspSession, uriOf } from './harness';

const apply = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create('file:///x', 'nginx', 1, text), edits);

test('document, range and on-type formatting over stdio', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-lsp-fmt-'));
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  const file = path.join(root, 'nginx.conf');
  const text = 'events {}\nhttp {\nmap $http_upgrade $c {\ndefault upgrade;\n\'\' close;\n}\n  server { listen 80;\n        location / { return 204; }\n    location /ws {\n  proxy_pass http://127.0.0.1:9000;\n      }\n } # managed by Certbot\n}\n';
  fs.writeFileSync(file, text);
  const init = await session.initialize(root);
  assert.equal(init.capabilities.documentFormattingProvider, true);
  assert.equal(init.capabilities.documentRangeFormattingProvider, true);
  assert.deepEqual(init.capabilities.documentOnTypeFormattingProvider, { firstTriggerCharacter: '}', moreTriggerCharacter: [';'] });
  await session.rpc.sendNotification('initialized', {});
  const uri = uriOf(file);
  let version = 1;
  const open = async (body: string) => {
    await session.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: body }] });
  };
  await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nginx', version, text } });
  const format = (options: object): Promise<TextEdit[]> => session.rpc.sendRequest('textDocument/formatting', { textDocument: { uri }, options });

  await t.test('the whole document, with 4 spaces, then with tabs', async () => {
    const edits = await format({ tabSize: 4, insertSpaces: true });
    assert.equal(
      apply(text, edits),
      'events {}\nhttp {\n    map $http_upgrade $c {\n        default upgrade;\n        \'\' close;\n    }\n    server {\n        listen 80;\n        location / { return 204; }\n        location /ws {\n            proxy_pass http://127.0.0.1:9000;\n        }\n    } # managed by Certbot\n}\n',
    );
    assert.ok(edits.every((e) => /^[ \t\r\n]*$/.test(e.newText)), 'only blanks are written');
    const tabs = apply(text, await format({ tabSize: 8, insertSpaces: false }));
    assert.match(tabs, /\n\tserver \{\n\t\tlisten 80;\n/);
  });

  await t.test('format.align lines up the map', async () => {
    session.settings.set(uriOf(root), { format: { align: true } });
    assert.match(apply(text, await format({ tabSize: 4, insertSpaces: true })), /\n {8}default upgrade;\n {8}'' {6}close;\n/);
    session.settings.delete(uriOf(root));
  });

  await t.test('a selection formats its statements and nothing else', async () => {
    const line = text.split('\n').findIndex((l) => l.includes('proxy_pass'));
    const edits: TextEdit[] = await session.rpc.sendRequest('textDocument/rangeFormatting', { textDocument: { uri }, range: { start: { line, character: 3 }, end: { line, character: 5 } }, options: { tabSize: 4, insertSpaces: true } });
    const after = apply(text, edits);
    assert.equal(after, text.replace('\n  proxy_pass', '\n            proxy_pass'));
  });

  await t.test('on type: } re-indents its line', async () => {
    const body = 'events {}\nhttp {\n    server {\n        listen 80;\n        }\n}\n';
    await open(body);
    const edits: TextEdit[] = await session.rpc.sendRequest('textDocument/onTypeFormatting', { textDocument: { uri }, position: { line: 4, character: 9 }, ch: '}', options: { tabSize: 4, insertSpaces: true } });
    assert.equal(apply(body, edits), 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}\n');
    const semi = 'events {}\nhttp {\nserver_tokens off;\n';
    await open(semi);
    const e2: TextEdit[] = await session.rpc.sendRequest('textDocument/onTypeFormatting', { textDocument: { uri }, position: { line: 2, character: 18 }, ch: ';', options: { tabSize: 2, insertSpaces: true } });
    assert.equal(apply(semi, e2), 'events {}\nhttp {\n  server_tokens off;\n', 'while the file is still unfinished');
  });

  await t.test('a syntax error: no edits, and the log says why', async () => {
    await open('http {\n  server {\n  listen 80\n  }\n}\n');
    assert.deepEqual(await format({ tabSize: 4, insertSpaces: true }), []);
    await session.until('the refusal in the log', () => session.logs.some((l) => /format .*nginx\.conf:4: the file has a syntax error \(unexpected "\}"\): not formatted/.test(l)));
  });

  await t.test('format.enable off: nothing', async () => {
    await open(text);
    session.settings.set(uriOf(root), { format: { enable: false } });
    assert.deepEqual(await format({ tabSize: 4, insertSpaces: true }), []);
    session.settings.delete(uriOf(root));
    assert.ok((await format({ tabSize: 4, insertSpaces: true })).length > 0, 'and on again');
  });

  assert.equal(await session.stop(), 0);
});
