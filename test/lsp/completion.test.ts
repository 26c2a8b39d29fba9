// Argument completion, signature help and hover over stdio, on a two-file workspace: nginx.conf
// with a map and an upstream, conf.d/app.conf including a snippet. What an accepted item writes
// goes through the real nginx -t.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Hover, Position, SignatureHelp, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { copyFixture, LspSession, uriOf } from './harness';
import { nginxTest as run, withLocalPaths, type Files } from '../util/nginx';

/** nginx -t with every path nginx opens (logs, temp folders) inside its own prefix. */
const nginxTest = (files: Record<string, string>) => run({ ...files, 'nginx.conf': withLocalPaths(files['nginx.conf']) } satisfies Files);

test('argument completion, signature help and hover over stdio', async (t) => {
  const root = copyFixture('completion');
  const main = path.join(root, 'nginx.conf');
  const app = path.join(root, 'conf.d/app.conf');
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  const texts = new Map<string, string>();
  const versions = new Map<string, number>();
  const open = async (file: string) => {
    texts.set(file, fs.readFileSync(file, 'utf8'));
    versions.set(file, 1);
    await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'nginx', version: 1, text: texts.get(file) } });
  };
  /** Replaces the document's text (as an editor does after typing) and returns where `‸` was. */
  const edit = async (file: string, text: string): Promise<Position> => {
    const at = text.indexOf('‸');
    const clean = text.replace('‸', '');
    texts.set(file, clean);
    versions.set(file, versions.get(file)! + 1);
    await session.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version: versions.get(file) }, contentChanges: [{ text: clean }] });
    const before = clean.slice(0, at).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  const complete = (file: string, position: Position, triggerCharacter?: string): Promise<CompletionItem[]> =>
    session.rpc.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(file) }, position, context: triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 } });
  const accept = (file: string, item: CompletionItem): string => {
    const e = item.textEdit as TextEdit;
    const doc = TextDocument.create(uriOf(file), 'nginx', 0, texts.get(file)!);
    return TextDocument.applyEdits(doc, [{ range: e.range, newText: e.newText }, ...(item.additionalTextEdits ?? [])]);
  };
  const appText = fs.readFileSync(app, 'utf8');
  const inLocation = (line: string) => appText.replace('        proxy_pass http://chat;\n', `        proxy_pass http://chat;\n        ${line}\n`);

  const init = await session.initialize(root);
  assert.deepEqual(init.capabilities.completionProvider?.triggerCharacters, [' ', '$', '/', '@']);
  assert.equal(init.capabilities.completionProvider?.resolveProvider, true);
  assert.deepEqual(init.capabilities.signatureHelpProvider?.triggerCharacters, [' ']);
  await session.rpc.sendNotification('initialized', {});
  await session.until('the folder scan', () => session.logs.some((l) => /: \d+ nginx files? in \d+ folders/.test(l)));
  await open(app);

  await t.test('header names after proxy_set_header, the upgrade values after Upgrade and Connection', async () => {
    const names = (await complete(app, await edit(app, inLocation('proxy_set_header ‸')), ' ')).map((i) => i.label);
    for (const h of ['Upgrade', 'Connection', 'Host', 'X-Forwarded-For']) assert.ok(names.includes(h), h);
    const up = await complete(app, await edit(app, inLocation('proxy_set_header Upgrade ‸')), ' ');
    assert.deepEqual(up.map((i) => i.label), ['$http_upgrade']);
    const conn = await complete(app, await edit(app, inLocation('proxy_set_header Connection ‸')), ' ');
    assert.deepEqual(conn.map((i) => i.label).slice(0, 2), ['$connection_upgrade', '"upgrade"']);
    // defined in the other file: named there, nothing to add
    const cu = conn[0];
    assert.match(cu.detail!, /\.\.\/nginx\.conf:4$/);
    assert.equal(cu.additionalTextEdits, undefined);
    assert.equal(cu.command, undefined);
    const accepted = accept(app, cu).replace(/Connection \$connection_upgrade\n/, 'Connection $connection_upgrade;\n');
    const verdict = await nginxTest({ 'nginx.conf': fs.readFileSync(main, 'utf8'), 'conf.d/app.conf': accepted, 'snippets/ws.conf': fs.readFileSync(path.join(root, 'snippets/ws.conf'), 'utf8') });
    assert.ok(verdict.ok, verdict.output);
  });

  await t.test('variables after $: the map of nginx.conf, named with its file, and nginx own with docs', async () => {
    const items = await complete(app, await edit(app, inLocation('add_header X-Up $‸')), '$');
    const cu = items.find((i) => i.label === '$connection_upgrade')!;
    assert.match(cu.detail!, /map \$http_upgrade \$connection_upgrade — \.\.\/nginx\.conf:4/);
    const host = items.find((i) => i.label === '$host')!;
    assert.match((host.documentation as { value: string }).value, /host name/);
    assert.deepEqual((host.textEdit as TextEdit).range.start.character, '        add_header X-Up '.length, 'the $ is part of what is replaced');
  });

  await t.test('upstream names after proxy_pass http://, enum values, @named locations', async () => {
    const ups = await complete(app, await edit(app, appText.replace('proxy_pass http://chat;', 'proxy_pass http://‸')), '/');
    assert.deepEqual(ups.map((i) => i.label), ['http://chat']);
    assert.match(ups[0].detail!, /127\.0\.0\.1:9000, 127\.0\.0\.1:9001/);
    const enums = (await complete(app, await edit(app, inLocation('proxy_buffering ‸')), ' ')).map((i) => i.label);
    assert.deepEqual(enums.filter((l) => l === 'on' || l === 'off').sort(), ['off', 'on']);
    const named = await complete(app, await edit(app, appText.replace('    location /ws/ {', '    location @back { return 502; }\n    location /ws/ {\n        try_files $uri @‸;')), '@');
    assert.deepEqual(named.map((i) => i.label), ['@back']);
  });

  await t.test('paths after include, from the configuration folder, with folders to enter', async () => {
    const items = await complete(app, await edit(app, appText.replace('include snippets/ws.conf;', 'include ‸')), ' ');
    const byLabel = new Map(items.map((i) => [i.label, i]));
    assert.ok(byLabel.has('snippets/') && byLabel.has('conf.d/') && byLabel.has('nginx.conf'), [...byLabel.keys()].join());
    assert.equal(byLabel.get('snippets/')!.command?.command, 'editor.action.triggerSuggest');
    const inner = (await complete(app, await edit(app, appText.replace('include snippets/ws.conf;', 'include snippets/‸')), '/')).map((i) => i.label);
    assert.deepEqual(inner, ['ws.conf', '*.conf']);
    const certs = (await complete(app, await edit(app, inLocation('ssl_certificate certs/‸')), '/')).map((i) => i.label);
    assert.deepEqual(certs, ['site.pem']);
  });

  await t.test('signature help: the syntax, the active parameter', async () => {
    const h: SignatureHelp = await session.rpc.sendRequest('textDocument/signatureHelp', { textDocument: { uri: uriOf(app) }, position: await edit(app, inLocation('proxy_set_header Upgrade ‸')) });
    const s = h.signatures[h.activeSignature!];
    assert.equal(s.label, 'proxy_set_header field value;');
    const [a, b] = s.parameters![h.activeParameter!].label as [number, number];
    assert.equal(s.label.slice(a, b), 'value');
    assert.equal(await session.rpc.sendRequest('textDocument/signatureHelp', { textDocument: { uri: uriOf(app) }, position: await edit(app, appText.replace('    listen 8080;', '    listen 8080;‸')) }), null);
  });

  await t.test('hover: the whole description with the default for the configured version; an upstream with its servers', async () => {
    const pos = await edit(app, appText.replace('proxy_pass http://chat;', 'proxy_pass http://ch‸at;'));
    const h: Hover = await session.rpc.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(app) }, position: pos });
    const v = (h.contents as { value: string }).value;
    assert.match(v, /\*\*upstream chat\*\* in \[\.\.\/nginx\.conf:8\]/);
    assert.match(v, /2 servers:\n- `127\.0\.0\.1:9000`\n- `127\.0\.0\.1:9001 backup`/);
    const snippet = path.join(root, 'snippets/ws.conf');
    await open(snippet);
    const d: Hover = await session.rpc.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(snippet) }, position: { line: 0, character: 3 } });
    const dv = (d.contents as { value: string }).value;
    assert.match(dv, /```nginx\nproxy_http_version 1\.0 \| 1\.1 \| 2;\n```/);
    assert.match(dv, /\*\*Default:\*\* `1\.0` in nginx 1\.22/, 'the default for nginx 1.22, the default nginxVersion');
    assert.match(dv, /keepalive[\s\S]*NTLM/, 'the description, beyond its first line');
  });

  await t.test('$connection_upgrade where no map exists: accepting it writes the map into nginx.conf', async () => {
    await open(main);
    const noMap = texts.get(main)!.replace(/    map \$http_upgrade[^}]*\}\n/, '');
    await edit(main, noMap + '‸');
    const conn = await complete(app, await edit(app, inLocation('proxy_set_header Connection ‸')), ' ');
    const cu = conn.find((i) => i.label === '$connection_upgrade')!;
    assert.equal(cu.additionalTextEdits, undefined, 'the map goes in another file');
    assert.equal(cu.command?.command, 'nginxWebSocket.server.insertUpgradeMap');
    await session.rpc.sendRequest('workspace/executeCommand', cu.command);
    const change = session.applied.at(-1)!.edit.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.uri, uriOf(main));
    const mainAfter = TextDocument.applyEdits(TextDocument.create(uriOf(main), 'nginx', 0, noMap), change.edits as TextEdit[]);
    const appAfter = accept(app, cu).replace(/Connection \$connection_upgrade\n/, 'Connection $connection_upgrade;\n');
    const verdict = await nginxTest({ 'nginx.conf': mainAfter, 'conf.d/app.conf': appAfter, 'snippets/ws.conf': fs.readFileSync(path.join(root, 'snippets/ws.conf'), 'utf8') });
    assert.ok(verdict.ok, `${verdict.output}\n${mainAfter}`);
    // and nginx refuses the same line without the map: the edit is what makes it valid
    assert.equal((await nginxTest({ 'nginx.conf': noMap, 'conf.d/app.conf': appAfter, 'snippets/ws.conf': fs.readFileSync(path.join(root, 'snippets/ws.conf'), 'utf8') })).ok, false);
  });
});
