// Navigation and refactoring over stdio, on a tree with conf.d, a snippet and a sites-enabled
// link: definition, references, highlight and rename of an upstream, a map variable and a named
// location across the files (the renamed tree goes through the real nginx -t), prepareRename's
// refusals, document links, folding and selection ranges, and the disable / documentation actions.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, DocumentHighlight, DocumentLink, FoldingRange, Location, Position, SelectionRange, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

/** The shape the server sends (plain text edits only). */
type TextDocumentEdit = { textDocument: { uri: string; version: number | null }; edits: TextEdit[] };
import { copyFixture, LspSession, uriOf } from './harness';
import { nginxTest, withLocalPaths } from '../util/nginx';
import { SERVER_COMMAND } from '../../server/src/protocol';

test('definition, references, rename, links, folding, selection and disable actions over stdio', async (t) => {
  const root = copyFixture('refactor');
  fs.mkdirSync(path.join(root, 'sites-enabled'));
  fs.symlinkSync('../sites-available/chat', path.join(root, 'sites-enabled/chat'));
  const main = path.join(root, 'nginx.conf');
  const app = path.join(root, 'conf.d/app.conf');
  const chat = path.join(root, 'sites-available/chat');
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  const init = await session.initialize(root);
  const caps = init.capabilities;
  assert.equal(caps.referencesProvider, true);
  assert.equal(caps.documentHighlightProvider, true);
  assert.deepEqual(caps.renameProvider, { prepareProvider: true });
  assert.ok(caps.documentLinkProvider);
  assert.equal(caps.foldingRangeProvider, true);
  assert.equal(caps.selectionRangeProvider, true);
  const legend = caps.semanticTokensProvider!.legend;
  await session.rpc.sendNotification('initialized', {});
  await session.until('the folder scan', () => session.logs.some((l) => /: \d+ nginx files? in \d+ folders/.test(l)));
  const texts = new Map<string, string>([main, app, chat, path.join(root, 'snippets/ws.conf')].map((f) => [uriOf(f), fs.readFileSync(f, 'utf8')]));
  const textOf = (file: string) => texts.get(uriOf(file))!;
  await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(app), languageId: 'nginx', version: 1, text: textOf(app) } });
  await session.diagnostics(uriOf(app), () => true);
  /** The position of the k-th character of `needle` in the file. */
  const pos = (file: string, needle: string, k = 1): Position => {
    const text = textOf(file);
    const i = text.indexOf(needle);
    assert.ok(i >= 0, needle);
    const before = text.slice(0, i + k).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  const req = <R>(method: string, file: string, position: Position, extra: object = {}): Promise<R> =>
    session.rpc.sendRequest(method, { textDocument: { uri: uriOf(file) }, position, ...extra });
  /** Each location as "file:line: text of the range". */
  const where = (locs: Location[]) => locs.map((l) => {
    const file = path.relative(root, new URL(l.uri).pathname);
    const line = [...texts].find(([u]) => fs.realpathSync(new URL(u).pathname) === fs.realpathSync(new URL(l.uri).pathname))![1].split('\n')[l.range.start.line];
    return `${file}:${l.range.start.line + 1}:${line.slice(l.range.start.character, l.range.end.character)}`;
  }).sort();
  /** The tree after a rename's edits, through the real nginx -t (every path in its own prefix). */
  const nginxAccepts = async (edit: WorkspaceEdit) => {
    const after = new Map(texts);
    for (const change of edit.documentChanges as TextDocumentEdit[]) {
      const uri = [...after.keys()].find((u) => fs.realpathSync(new URL(u).pathname) === fs.realpathSync(new URL(change.textDocument.uri).pathname))!;
      const lines = after.get(uri)!.split('\n');
      const offset = (p: Position) => lines.slice(0, p.line).join('\n').length + (p.line ? 1 : 0) + p.character;
      let text = after.get(uri)!;
      for (const e of [...change.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
      after.set(uri, text);
    }
    const rel = (f: string) => after.get(uriOf(path.join(root, f)))!;
    const verdict = await nginxTest({ 'nginx.conf': withLocalPaths(rel('nginx.conf')), 'conf.d/app.conf': rel('conf.d/app.conf'), 'snippets/ws.conf': rel('snippets/ws.conf'), 'sites-available/chat': rel('sites-available/chat') }, { links: { 'sites-enabled/chat': '../sites-available/chat' } });
    assert.ok(verdict.ok, verdict.output);
    return after;
  };

  await t.test('F12 on an upstream in conf.d/app.conf jumps to its block in nginx.conf', async () => {
    const defs = await req<Location[]>('textDocument/definition', app, pos(app, 'chat_backend', 3));
    assert.deepEqual(where(defs), ['nginx.conf:8:chat_backend']);
  });

  await t.test('references of the upstream and of $connection_upgrade: three files, through the sites-enabled link', async () => {
    assert.deepEqual(where(await req<Location[]>('textDocument/references', main, pos(main, 'chat_backend', 2), { context: { includeDeclaration: true } })), [
      'conf.d/app.conf:6:chat_backend',
      'nginx.conf:8:chat_backend',
      'sites-available/chat:4:chat_backend',
    ]);
    assert.deepEqual(where(await req<Location[]>('textDocument/references', app, pos(app, '$connection_upgrade', 4), { context: { includeDeclaration: false } })), [
      'conf.d/app.conf:7:$connection_upgrade',
      'sites-available/chat:7:$connection_upgrade',
    ]);
  });

  await t.test('highlight: the named location\'s definition is a write, its use a read', async () => {
    const h = await req<DocumentHighlight[]>('textDocument/documentHighlight', app, pos(app, '@fallback', 3));
    assert.deepEqual(h.map((x) => [x.range.start.line + 1, x.kind]).sort(), [[11, 3], [8, 2]].sort());
  });

  await t.test('prepareRename: the name\'s range, or a refusal the editor shows', async () => {
    assert.deepEqual(await req('textDocument/prepareRename', app, pos(app, 'chat_backend', 5)), { range: { start: pos(app, 'chat_backend', 0), end: pos(app, 'chat_backend', 12) }, placeholder: 'chat_backend' });
    await assert.rejects(req('textDocument/prepareRename', chat, pos(chat, '$http_upgrade', 3)), /\$http_upgrade is an nginx variable/);
    await assert.rejects(req('textDocument/prepareRename', app, pos(app, 'listen', 2)), /"listen" is a directive of nginx/);
  });

  await t.test('rename an upstream, a map variable and a named location: every file edited, nginx -t accepts the result', async () => {
    const up = await req<WorkspaceEdit>('textDocument/rename', app, pos(app, 'chat_backend', 2), { newName: 'chat_v2' });
    const files = (up.documentChanges as TextDocumentEdit[]).map((c) => path.basename(new URL(c.textDocument.uri).pathname)).sort();
    assert.deepEqual(files, ['app.conf', 'chat', 'nginx.conf']);
    const after = await nginxAccepts(up);
    assert.match(after.get(uriOf(main))!, /upstream chat_v2 \{/);
    await nginxAccepts(await req<WorkspaceEdit>('textDocument/rename', chat, pos(chat, '$connection_upgrade', 3), { newName: '$conn_upgrade' }));
    const named = await req<WorkspaceEdit>('textDocument/rename', app, pos(app, 'location @fallback', 12), { newName: 'offline' });
    assert.equal((named.documentChanges as TextDocumentEdit[])[0].edits.length, 2);
    await nginxAccepts(named);
    await assert.rejects(req('textDocument/rename', app, pos(app, '$connection_upgrade', 3), { newName: 'host' }), /\$host is an nginx variable/);
  });

  await t.test('document links: the snippet, a glob\'s first match, the sites-enabled link', async () => {
    const fromApp = await session.rpc.sendRequest<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(app) } });
    assert.deepEqual(fromApp.map((l) => path.relative(root, new URL(l.target!).pathname)), ['snippets/ws.conf']);
    const fromMain = await session.rpc.sendRequest<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(main) } });
    assert.deepEqual(fromMain.map((l) => [l.range.start.line + 1, path.basename(new URL(l.target!).pathname)]), [[11, 'app.conf'], [12, 'chat']]);
  });

  await t.test('folding ranges: blocks, the region', async () => {
    const folds = await session.rpc.sendRequest<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: uriOf(app) } });
    assert.deepEqual(folds.map((f) => [f.startLine + 1, f.endLine + 1, f.kind ?? '']), [[1, 13, ''], [3, 10, 'region'], [4, 8, ''], [11, 12, '']]);
  });

  await t.test('selection ranges: word, arguments, directive, block, parent', async () => {
    const [r] = await session.rpc.sendRequest<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri: uriOf(app) }, positions: [pos(app, 'Connection', 2)] });
    const lines: number[][] = [];
    for (let s: SelectionRange | undefined = r; s; s = s.parent) lines.push([s.range.start.line + 1, s.range.end.line + 1]);
    assert.deepEqual(lines, [[7, 7], [7, 7], [7, 7], [4, 9], [4, 9], [1, 14], [1, 14], [1, 15]]);
  });

  await t.test('semantic tokens: the upstream, the map variable from nginx.conf, the named location', async () => {
    const { data } = await session.rpc.sendRequest<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: uriOf(app) } });
    const lines = textOf(app).split('\n');
    const seen: string[] = [];
    for (let i = 0, line = 0, ch = 0; i < data.length; i += 5) {
      line += data[i];
      ch = data[i] ? data[i + 1] : ch + data[i + 1];
      const mods = legend.tokenModifiers.filter((_, k) => data[i + 4] & (1 << k));
      seen.push(`${lines[line].slice(ch, ch + data[i + 2])} ${legend.tokenTypes[data[i + 3]]}${mods.length ? ' ' + mods.join(',') : ''}`);
    }
    assert.deepEqual(seen, ['chat_backend namespace', '$connection_upgrade variable', '@fallback function', '@fallback function declaration']);
  });

  await t.test('disable for this line, for this file, and the documentation, for a finding', async () => {
    await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(chat), languageId: 'nginx', version: 1, text: textOf(chat) } });
    const published = await session.diagnostics(uriOf(chat), (d) => d.some((x) => x.code === 'ws-read-timeout'));
    const diag = published.diagnostics.find((x) => x.code === 'ws-read-timeout') as Diagnostic;
    const actions = await session.rpc.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uriOf(chat) }, range: diag.range, context: { diagnostics: [diag] } });
    const titles = actions.map((a) => a.title);
    for (const title of ['Disable ws-read-timeout for this line', 'Disable ws-read-timeout for this file', 'Show the documentation of ws-read-timeout']) assert.ok(titles.includes(title), `${title} in ${titles.join(' | ')}`);
    const line = actions.find((a) => a.title === 'Disable ws-read-timeout for this line')!;
    const change = (line.edit!.documentChanges as TextDocumentEdit[])[0];
    assert.equal(change.edits[0].newText, '    # nginx-ws-disable-next-line ws-read-timeout\n');
    const lines = textOf(chat).split('\n');
    lines.splice(change.edits[0].range.start.line, 0, change.edits[0].newText.replace(/\n$/, ''));
    await session.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(chat), version: 2 }, contentChanges: [{ text: lines.join('\n') }] });
    await session.diagnostics(uriOf(chat), (d, p) => p.version === 2 && !d.some((x) => x.code === 'ws-read-timeout'));
    const docs = actions.find((a) => a.title === 'Show the documentation of ws-read-timeout')!;
    assert.equal(docs.command?.command, SERVER_COMMAND.showDocs);
    // this client cannot open a page (no window/showDocument): it is told where the page is
    await session.rpc.sendRequest('workspace/executeCommand', { command: docs.command!.command, arguments: docs.command!.arguments });
    await session.until('the page named', () => session.shown.some((m) => m.message.includes(String(docs.command!.arguments![0]))));
    assert.match(String(docs.command!.arguments![0]), /^https:\/\/.*ws-read-timeout/);
  });
});
