// Editor features over stdio: context-aware snippet completion, the "Insert upgrade map" command
// and the endpoint suggestions for "Check endpoint…".
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Position, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { copyFixture, LspSession, uriOf } from './harness';
import { expandSnippet } from '../util/snippet';
import { nginxTest as run, withLocalPaths, type Files } from '../util/nginx';

/** nginx -t with every path nginx opens (logs, temp folders) inside its own prefix. */
const nginxTest = (files: Record<string, string>) => run({ ...files, 'nginx.conf': withLocalPaths(files['nginx.conf']) } satisfies Files);
import type { RouteAnswer } from '../../server/src/protocol';

/** The snippets offered (directive names are items of their own kind, tested apart). */
const labels = (items: CompletionItem[]) => items.filter((i) => i.kind === 15).map((i) => i.label).sort();
const directives = (items: CompletionItem[]) => items.filter((i) => i.kind === 14).map((i) => i.label);

test('editor features over stdio', async (t) => {
  const root = copyFixture('editor');
  const main = path.join(root, 'nginx.conf');
  const app = path.join(root, 'conf.d/app.conf');
  const site = path.join(root, 'standalone/conf.d/site.conf');
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  const texts = new Map<string, string>();
  const open = (file: string) => {
    texts.set(file, fs.readFileSync(file, 'utf8'));
    return session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'nginx', version: 1, text: texts.get(file) } });
  };
  let version = 1;
  /** Types `text` at a position (as the editor would send it) and returns the position after it. */
  const type = async (file: string, at: Position, text: string): Promise<Position> => {
    const doc = TextDocument.create(uriOf(file), 'nginx', 0, texts.get(file)!);
    const next = TextDocument.applyEdits(doc, [{ range: { start: at, end: at }, newText: text }]);
    texts.set(file, next);
    await session.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version: ++version }, contentChanges: [{ range: { start: at, end: at }, text }] });
    const lines = text.split('\n');
    return lines.length === 1 ? { line: at.line, character: at.character + text.length } : { line: at.line + lines.length - 1, character: lines[lines.length - 1].length };
  };
  const complete = (file: string, position: Position): Promise<CompletionItem[]> =>
    session.rpc.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(file) }, position });
  /** The document text once the item is accepted with every default. */
  const accept = (file: string, item: CompletionItem): string => {
    const edit = item.textEdit as TextEdit;
    const doc = TextDocument.create(uriOf(file), 'nginx', 0, texts.get(file)!);
    return TextDocument.applyEdits(doc, [{ range: edit.range, newText: expandSnippet(edit.newText).text }]);
  };

  const init = await session.initialize(root);
  assert.deepEqual(init.capabilities.executeCommandProvider, { commands: ['nginxWebSocket.server.insertUpgradeMap', 'nginxWebSocket.server.runNginxTest', 'nginxWebSocket.server.route', 'nginxWebSocket.server.showDocs'] });
  assert.ok(init.capabilities.completionProvider);
  await session.rpc.sendNotification('initialized', {});
  await session.diagnostics(uriOf(app), (d) => d.some((x) => x.code === 'ws-map-missing'));

  let mainWithMap = '';
  await t.test('ws-map is offered at http level (typed "ws-m"), not ws-location', async () => {
    await open(main);
    const at = await type(main, { line: 3, character: 0 }, '    ws-m\n');
    const items = await complete(main, { line: 3, character: 8 });
    assert.ok(at.line === 4);
    assert.deepEqual(labels(items), ['ws-map', 'ws-server', 'ws-upstream', 'wss-server']);
    const map = items.find((i) => i.label === 'ws-map')!;
    assert.equal(map.kind, 15); // Snippet
    assert.equal(map.insertTextFormat, 2); // Snippet
    assert.deepEqual((map.textEdit as TextEdit).range, { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } });
    assert.match((map.documentation as { value: string }).value, /```nginx\n# WebSocket[^]*map \$http_upgrade \$connection_upgrade \{/);
    mainWithMap = accept(main, map);
    assert.match(mainWithMap, /http \{\n {4}# WebSocket[^\n]*\nmap \$http_upgrade/);
  });

  await t.test('the top of an included conf.d file is http: ws-map and ws-server', async () => {
    await open(app);
    assert.deepEqual(labels(await complete(app, { line: 0, character: 0 })), ['ws-map', 'ws-server', 'ws-upstream', 'wss-server']);
  });

  await t.test('inside location: ws-location only, never the map', async () => {
    const items = await complete(app, { line: 5, character: 8 });
    assert.deepEqual(labels(items), ['ws-location']);
    // and the directives nginx accepts in a location, not those of server or http
    const names = directives(items);
    for (const n of ['proxy_set_header', 'proxy_send_timeout', 'return', 'location']) assert.ok(names.includes(n), `${n} offered in a location`);
    for (const n of ['server_name', 'listen', 'map', 'upstream', 'server', 'worker_processes']) assert.ok(!names.includes(n), `${n} not offered in a location`);
    const pp = items.find((i) => i.label === 'proxy_send_timeout')!;
    // the reference's whole text comes when the item is selected: completionItem/resolve
    assert.equal(pp.documentation, undefined);
    const resolved: CompletionItem = await session.rpc.sendRequest('completionItem/resolve', pp);
    assert.match((resolved.documentation as { value: string }).value, /\*\*Default:\*\* `60s`[\s\S]*nginx\.org/);
    assert.equal((pp.textEdit as TextEdit).newText, 'proxy_send_timeout $0;');
    assert.deepEqual(await complete(app, { line: 5, character: 20 }), [], 'in the middle of proxy_pass: nothing');
  });

  await t.test('ws-location inside server; with the map, the real nginx -t accepts both expansions', async () => {
    const at = await type(app, { line: 3, character: 0 }, '    ws-loc\n');
    const items = await complete(app, { line: at.line - 1, character: 10 });
    assert.deepEqual(labels(items), ['ws-location']);
    const appAfter = accept(app, items[0]);
    const verdict = await nginxTest({ 'nginx.conf': mainWithMap, 'conf.d/app.conf': appAfter });
    assert.ok(verdict.ok, `nginx -t: ${verdict.output}\n${mainWithMap}\n${appAfter}`);
    // and without the map, nginx refuses $connection_upgrade: the context really matters
    assert.equal((await nginxTest({ 'nginx.conf': fs.readFileSync(main, 'utf8'), 'conf.d/app.conf': appAfter })).ok, false);
    // the trigger word is not accepted here: back to the text on disk
    texts.set(app, fs.readFileSync(app, 'utf8'));
    await session.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(app), version: ++version }, contentChanges: [{ text: texts.get(app) }] });
  });

  await t.test('a fragment nobody includes (server inside): its top level is http', async () => {
    await open(site);
    assert.ok(labels(await complete(site, { line: 0, character: 0 })).includes('ws-map'));
    assert.deepEqual(labels(await complete(site, { line: 4, character: 4 })), ['ws-location']);
  });

  await t.test('endpoint suggestions: server_name, listen port, ssl → wss, location path', async () => {
    // /live/ is no WebSocket path by name: the endpointPatterns setting makes it one
    session.settings.set(uriOf(root), { endpointPatterns: ['/live/'] });
    await session.rpc.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await session.diagnostics(uriOf(site), (d) => d.some((x) => x.code === 'ws-upgrade-header-missing'));
    const siteUrls = (await session.rpc.sendRequest('nginxWebSocket/endpoints', { uri: uriOf(site) }) as { url: string }[]).map((e) => e.url);
    assert.deepEqual(siteUrls, ['wss://chat.example.com/live/', 'wss://localhost/live/']);
    const appUrls = (await session.rpc.sendRequest('nginxWebSocket/endpoints', { uri: uriOf(app) }) as { url: string }[]).map((e) => e.url);
    assert.ok(appUrls.includes('ws://localhost:8080/socket/'), JSON.stringify(appUrls));
  });

  await t.test('which location serves a URL: the place of the location, the report, the headers sent upstream', async () => {
    const answer = await session.rpc.sendRequest('workspace/executeCommand', { command: 'nginxWebSocket.server.route', arguments: [{ uri: uriOf(app), url: 'http://127.0.0.1:8080/socket//chat/../room', host: 'LOCALHOST.' }] }) as RouteAnswer;
    assert.equal(answer.error, undefined);
    assert.deepEqual(answer.location, { uri: uriOf(app), range: { start: { line: 4, character: 4 }, end: { line: 10, character: 5 } } });
    assert.deepEqual(answer.server?.range.start, { line: 0, character: 0 });
    assert.equal(answer.summary, 'location /socket/ in server_name localhost');
    const text = answer.lines.join('\n');
    assert.match(text, /^location {2}conf\.d\/app\.conf:5 {2}location \/socket\/$/m);
    assert.match(text, /the URI nginx matches is \/socket\/room/);
    assert.match(text, /^ {2}Upgrade: +\$http_upgrade +conf\.d\/app\.conf:8 \(location\)$/m);
    assert.match(text, /^ {2}HTTP version: 1\.1 +conf\.d\/app\.conf:7/m);
    // nothing listens on port 81: an error, no place
    const none = await session.rpc.sendRequest('workspace/executeCommand', { command: 'nginxWebSocket.server.route', arguments: [{ uri: uriOf(app), url: 'http://127.0.0.1:81/' }] }) as RouteAnswer;
    assert.match(none.error ?? '', /no server listens on 127\.0\.0\.1:81/);
    assert.equal(none.location, undefined);
  });

  await t.test('insert upgrade map: from conf.d/app.conf, the edit goes into nginx.conf', async () => {
    // back to the disk text of nginx.conf (closed), so the edit is for version null
    await session.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(main) } });
    const before = session.shown.length;
    await session.rpc.sendRequest('workspace/executeCommand', { command: 'nginxWebSocket.server.insertUpgradeMap', arguments: [uriOf(app)] });
    assert.equal(session.applied.length, 1);
    const [change] = session.applied[0].edit.documentChanges as TextDocumentEdit[];
    assert.deepEqual(change.textDocument, { uri: uriOf(main), version: null });
    const after = TextDocument.applyEdits(TextDocument.create(uriOf(main), 'nginx', 0, fs.readFileSync(main, 'utf8')), change.edits as TextEdit[]);
    assert.equal(after, "events {}\n\nhttp {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }\n    include conf.d/*.conf;\n}\n");
    await session.until('the info message', () => session.shown.length > before);
    assert.equal(session.shown[before].message, 'Inserted the $connection_upgrade map in nginx.conf:4. Use it with proxy_set_header Connection $connection_upgrade;');
    fs.writeFileSync(main, after);
    await session.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(main), type: 2 }] });
    await session.diagnostics(uriOf(app), (d) => !d.some((x) => x.code === 'ws-map-missing'));
  });

  await t.test('a second call sends no edit and says where the map is', async () => {
    const before = session.shown.length;
    await session.rpc.sendRequest('workspace/executeCommand', { command: 'nginxWebSocket.server.insertUpgradeMap', arguments: [uriOf(app)] });
    await session.until('the info message', () => session.shown.length > before);
    assert.equal(session.applied.length, 1);
    assert.equal(session.shown[before].message, '$connection_upgrade is already defined in nginx.conf:4; nothing inserted.');
  });

  await t.test('shutdown', async () => {
    assert.equal(await session.stop(), 0);
  });
});
