// The language server end to end over stdio: initialize → scan → publish → edit → fix → shutdown.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { copyFixture, LspSession, uriOf } from './harness';

const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const messages = (d: Diagnostic[]) => d.map(text);
const mentionsMap = (d: Diagnostic[]) => d.some((x) => text(x).includes('"connection_upgrade" variable'));

test('language server over stdio', async (t) => {
  const root = copyFixture('workspace');
  const main = path.join(root, 'nginx.conf');
  const app = path.join(root, 'conf.d/app.conf');
  const ws = path.join(root, 'conf.d/ws.conf');
  // a file the host skips (binary): reported as a finding and logged, never a crash
  const blob = path.join(root, 'nginx/blob.conf');
  fs.mkdirSync(path.dirname(blob));
  fs.writeFileSync(blob, Buffer.from([0x73, 0x65, 0x72, 0x76, 0x65, 0x72, 0x00, 0x01, 0x02]));
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  const open = (file: string, version = 1) =>
    session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'nginx', version, text: fs.readFileSync(file, 'utf8') } });
  const insert = (file: string, version: number, line: number, character: number, text: string, endLine = line, endCharacter = character) =>
    session.rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri: uriOf(file), version },
      contentChanges: [{ range: { start: { line, character }, end: { line: endLine, character: endCharacter } }, text }],
    });

  const init = await session.initialize(root);
  assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
  await session.rpc.sendNotification('initialized', {});

  await t.test('the folder scan publishes findings of files nobody opened', async () => {
    const p = await session.diagnostics(uriOf(app), (d) => d.length > 0);
    assert.deepEqual(messages(p.diagnostics), ['unexpected "}"']);
    assert.equal(p.version, undefined);
    await session.diagnostics(uriOf(ws), mentionsMap);
    assert.ok(session.configurationScopes.includes(uriOf(root)), 'settings are asked for the folder');
    const skipped = await session.diagnostics(uriOf(blob), (d) => d.length > 0);
    assert.deepEqual(skipped.diagnostics.map((d) => d.code), ['nginx-file']);
    assert.ok(session.logs.some((l) => l.includes('blob.conf') && l.includes('binary')), `logged: ${session.logs.join(' | ')}`);
  });

  await t.test('didOpen: a syntax error, with its code, range and docs link', async () => {
    await open(app);
    const p = await session.diagnostics(uriOf(app), (_, p) => p.version === 1);
    assert.equal(p.diagnostics.length, 1);
    const [d] = p.diagnostics;
    assert.equal(d.source, 'nginx-websocket');
    assert.equal(d.code, 'nginx-syntax');
    assert.equal(d.message, 'unexpected "}"');
    assert.equal(d.severity, 1);
    // the `}` closing the location, line 6 of app.conf
    assert.deepEqual(d.range, { start: { line: 5, character: 4 }, end: { line: 5, character: 5 } });
    assert.match(d.codeDescription!.href, /\/docs\/rules\/nginx-syntax\.md$/);
    assert.equal((d.data as { version: number }).version, 1);
  });

  await t.test('an incremental change that fixes it clears the diagnostics', async () => {
    await insert(app, 2, 4, '        proxy_pass http://127.0.0.1:8080'.length, ';');
    await session.diagnostics(uriOf(app), (d, p) => p.version === 2 && d.length === 0);
  });

  await t.test('an unknown directive', async () => {
    await insert(app, 3, 2, 0, '    foo bar;\n');
    const p = await session.diagnostics(uriOf(app), (_, p) => p.version === 3);
    assert.deepEqual(messages(p.diagnostics), ['unknown directive "foo"']);
    assert.equal(p.diagnostics[0].code, 'nginx-directive');
    assert.deepEqual(p.diagnostics[0].range, { start: { line: 2, character: 4 }, end: { line: 2, character: 7 } });
  });

  await t.test('settings are read per folder: extraDirectives accepts the directive', async () => {
    session.settings.set(uriOf(root), { extraDirectives: ['foo'] });
    await session.rpc.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await session.diagnostics(uriOf(app), (d) => d.length === 0);
  });

  await t.test('a burst of keystrokes is coalesced and the newest text wins', async () => {
    const before = session.history.length;
    // ten keystrokes in one write, as a paste or a fast typist's burst reaches the server: the
    // server handles one message per turn of its event loop, so what it can promise is that the
    // burst makes fewer passes than keystrokes, that no older version is published after a newer
    // one, and that the last one published is the last one sent
    const frame = (o: object) => { const b = JSON.stringify(o); return `Content-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`; };
    const change = (version: number, line: number, character: number, text: string) => frame({
      jsonrpc: '2.0', method: 'textDocument/didChange',
      params: { textDocument: { uri: uriOf(app), version }, contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text }] },
    });
    let burst = change(4, 0, 0, '#\n');
    for (let v = 5; v <= 13; v++) burst += change(v, 0, 1, 'x');
    session.child.stdin!.write(burst);
    const p = await session.diagnostics(uriOf(app), (_, p) => p.version === 13);
    assert.deepEqual(p.diagnostics, []);
    await new Promise((r) => setTimeout(r, 200)); // a stale pass would publish by now
    const versions = session.history.slice(before).filter((h) => h.uri === uriOf(app)).map((h) => h.version as number);
    assert.equal(versions.at(-1), 13, `published ${versions}`);
    assert.ok(versions.every((v, i) => i === 0 || v > versions[i - 1]), `published out of order: ${versions}`);
    assert.ok(versions.length < 10, `every keystroke made its own pass: ${versions}`);
  });

  await t.test('an untitled buffer is analysed under its own URI', async () => {
    const uri = 'untitled:Untitled-1';
    await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nginx', version: 1, text: 'location / {\n    bar;\n}\n' } });
    const p = await session.diagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(messages(p.diagnostics), ['unknown directive "bar"']);
    await session.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await session.diagnostics(uri, (d) => d.length === 0);
  });

  await t.test('a handler that throws answers with a fallback and the server carries on', async () => {
    const r = await session.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(app) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: null });
    assert.deepEqual(r, []);
    assert.ok(session.logs.some((l) => l.startsWith('codeAction failed')));
  });

  await t.test('editing the including file republishes the included one; closing it undoes that', async () => {
    await open(main);
    await session.diagnostics(uriOf(main), (d, p) => p.version === 1 && d.length === 0);
    await insert(main, 2, 3, 0, '    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ""      close;\n    }\n');
    await session.diagnostics(uriOf(ws), (d) => d.length === 0);
    await session.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(main) } });
    await session.diagnostics(uriOf(ws), mentionsMap);
  });

  await t.test('quick fix: the map goes into nginx.conf, which is not open (version null)', async () => {
    await open(ws);
    const p = await session.diagnostics(uriOf(ws), (d, p) => p.version === 1 && mentionsMap(d));
    const diag = p.diagnostics.find((d) => d.code === 'ws-map-missing')!;
    assert.ok(diag, 'ws-map-missing reported');
    const actions: CodeAction[] = await session.rpc.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(ws) },
      range: diag.range,
      context: { diagnostics: [diag] },
    });
    // the one action for the whole location first, then this finding's own fix
    assert.deepEqual(actions.map((x) => x.title).slice(0, 1), ['Make this a working WebSocket location']);
    // then the finding's own fix, then "Disable … for this line / file" and its documentation
    assert.deepEqual(actions.slice(2).map((x) => x.title), ['Disable ws-map-missing for this line', 'Disable ws-map-missing for this file', 'Show the documentation of ws-map-missing']);
    const [, a] = actions;
    assert.equal(a.kind, 'quickfix');
    assert.equal(a.isPreferred, false, 'the one action is the preferred one');
    assert.deepEqual(a.diagnostics, [diag]);
    const [change] = a.edit!.documentChanges! as TextDocumentEdit[];
    assert.deepEqual(change.textDocument, { uri: uriOf(main), version: null });
    const after = TextDocument.applyEdits(TextDocument.create(uriOf(main), 'nginx', 0, fs.readFileSync(main, 'utf8')), change.edits as TextEdit[]);
    assert.match(after, /map \$http_upgrade \$connection_upgrade \{/);

    // a diagnostic from an older version of the document gets no fix
    const stale = { ...diag, data: { ...(diag.data as object), version: 0 } };
    assert.deepEqual(await session.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(ws) }, range: diag.range, context: { diagnostics: [stale] } }), []);
  });

  await t.test('fix-all applies the safe fix; saved to disk, the watcher clears the finding', async () => {
    const actions: CodeAction[] = await session.rpc.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(ws) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.nginx-websocket']);
    const changes = actions[0].edit!.documentChanges! as TextDocumentEdit[];
    assert.deepEqual(changes.map((c) => c.textDocument), [{ uri: uriOf(main), version: null }]);
    const after = TextDocument.applyEdits(TextDocument.create(uriOf(main), 'nginx', 0, fs.readFileSync(main, 'utf8')), changes[0].edits as TextEdit[]);
    fs.writeFileSync(main, after);
    await session.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(main), type: 2 }] });
    await session.diagnostics(uriOf(ws), (d) => d.length === 0);
  });

  await t.test('closing a file falls back to its text on disk', async () => {
    await session.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(app) } });
    const p = await session.diagnostics(uriOf(app), (d, p) => p.version === undefined && d.length === 1);
    assert.deepEqual(messages(p.diagnostics), ['unexpected "}"']);
  });

  await t.test('shutdown and exit end the process with code 0', async () => {
    assert.equal(await session.stop(), 0);
    assert.equal(session.stderr, '');
  });
});
