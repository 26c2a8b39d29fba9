// Hover, Go to Definition, the Outline and workspace symbols over stdio: from `$connection_upgrade` in conf.d/app.conf to the
// map in nginx.conf, from an include to the file it reads, and a directive's reference.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentSymbol, Hover, Location, Position, SymbolInformation } from 'vscode-languageserver-protocol';
import { copyFixture, LspSession, uriOf } from './harness';

test('hover, go to definition and the outline over stdio', async (t) => {
  const root = copyFixture('navigation');
  const main = path.join(root, 'nginx.conf');
  const app = path.join(root, 'conf.d/app.conf');
  const snippet = path.join(root, 'snippets/ws.conf');
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  const init = await session.initialize(root);
  assert.equal(init.capabilities.hoverProvider, true);
  assert.equal(init.capabilities.definitionProvider, true);
  assert.equal(init.capabilities.documentSymbolProvider, true);
  assert.equal(init.capabilities.workspaceSymbolProvider, true);
  await session.rpc.sendNotification('initialized', {});
  // the folder scan runs in slices: answers about other files need it finished
  await session.until('the folder scan', () => session.logs.some((l) => /: \d+ nginx files? in \d+ folders/.test(l)));
  const text = fs.readFileSync(app, 'utf8');
  await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(app), languageId: 'nginx', version: 1, text } });
  await session.diagnostics(uriOf(app), () => true);
  /** The position of the n-th character of `needle` in app.conf. */
  const pos = (needle: string, n = 1): Position => {
    const at = text.indexOf(needle) + n;
    const before = text.slice(0, at).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  const hover = (p: Position): Promise<Hover | null> => session.rpc.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(app) }, position: p });
  const definition = (p: Position): Promise<Location[] | null> => session.rpc.sendRequest('textDocument/definition', { textDocument: { uri: uriOf(app) }, position: p });
  const mainText = fs.readFileSync(main, 'utf8');

  await t.test('$connection_upgrade leads to the map in nginx.conf', async () => {
    const defs = await definition(pos('$connection_upgrade', 5));
    assert.equal(defs?.length, 1);
    assert.equal(defs![0].uri, uriOf(main));
    const mapLine = mainText.split('\n').findIndex((l) => l.includes('map $http_upgrade'));
    assert.deepEqual(defs![0].range.start, { line: mapLine, character: mainText.split('\n')[mapLine].indexOf('$connection_upgrade') });
    const h = await hover(pos('$connection_upgrade', 3));
    const value = (h?.contents as { value: string }).value;
    assert.match(value, /is defined by/);
    assert.match(value, new RegExp(`\\.\\./nginx\\.conf:${mapLine + 1}`));
    assert.deepEqual(h?.range?.start, pos('$connection_upgrade', 0));
  });

  await t.test('a built-in variable says so, and has no definition', async () => {
    assert.match(((await hover(pos('$host', 2)))?.contents as { value: string }).value, /an nginx variable/);
    assert.deepEqual(await definition(pos('$host', 2)), []);
  });

  await t.test('an include leads to the file it reads', async () => {
    const defs = await definition(pos('snippets/ws.conf', 3));
    assert.deepEqual(defs?.map((d) => d.uri), [uriOf(snippet)]);
    assert.match(((await hover(pos('snippets/ws.conf', 3)))?.contents as { value: string }).value, /reads:[\s\S]*ws\.conf/);
  });

  await t.test('the Outline: blocks nested as written, a server named by its listen, includes', async () => {
    const symbols: DocumentSymbol[] = await session.rpc.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uriOf(app) } });
    const shape = (s: DocumentSymbol): unknown => [s.name, s.kind, (s.children ?? []).map(shape)];
    assert.deepEqual(symbols.map(shape), [['server (8080)', 5, [['location /ws/', 6, [['include snippets/ws.conf', 1, []]]]]]]);
    assert.deepEqual(symbols[0].range.start, { line: 0, character: 0 });
    assert.deepEqual(symbols[0].range.end, { line: text.split('\n').length - 2, character: 1 });
    const mainSymbols: DocumentSymbol[] = await session.rpc.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uriOf(main) } });
    assert.deepEqual(mainSymbols.map(shape), [['events', 24, []], ['http', 3, [['map $http_upgrade $connection_upgrade', 13, []], ['include conf.d/*.conf', 1, []]]]]);
  });

  await t.test('Go to Symbol in Workspace finds blocks of every file, with their container', async () => {
    const find = (query: string): Promise<SymbolInformation[]> => session.rpc.sendRequest('workspace/symbol', { query });
    const ws = await find('/ws');
    assert.deepEqual(ws.map((x) => [x.name, x.containerName, x.location.uri]), [['location /ws/', 'server (8080)', uriOf(app)]]);
    assert.deepEqual(ws[0].location.range.start, pos('location /ws/', 0));
    const maps = await find('CONNECTION_UPGRADE');
    assert.deepEqual(maps.map((x) => [x.name, x.containerName, x.location.uri]), [['map $http_upgrade $connection_upgrade', 'http', uriOf(main)]]);
    assert.deepEqual((await find('')).map((x) => x.name).sort(), ['events', 'http', 'location /ws/', 'map $http_upgrade $connection_upgrade', 'server (8080)']);
  });

  await t.test('a directive name shows its module, contexts and documentation link', async () => {
    const value = ((await hover(pos('proxy_pass', 2)))?.contents as { value: string }).value;
    assert.match(value, /\*\*proxy_pass\*\* — ngx_http_proxy_module/);
    assert.match(value, /location/);
    assert.match(value, /https:\/\/nginx\.org\/en\/docs\/http\/ngx_http_proxy_module\.html#proxy_pass/);
    assert.equal(await hover(pos('    listen', 0)), null, 'whitespace has no hover');
    assert.equal(await definition(pos('proxy_pass', 2)), null);
  });
});
