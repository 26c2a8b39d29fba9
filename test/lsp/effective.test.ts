// "Effective configuration, shown" over stdio: inlay hints beside each proxy_pass (what nginx
// sends upstream, each part linked to its line) and beside the proxy_set_header lines
// inheritance drops (in the file where they are written), the proxy_pass hover, the setting that
// turns it off, and the hints following an edit.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, InlayHint, InlayHintLabelPart, Position } from 'vscode-languageserver-protocol';
import { copyFixture, DEFAULT_CAPABILITIES, LspSession, uriOf } from './harness';

const labelOf = (h: InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
const tooltipOf = (h: InlayHint) => (typeof h.tooltip === 'object' ? h.tooltip.value : h.tooltip ?? '');

test('inlay hints and hover of what nginx sends upstream, over stdio', async (t) => {
  const root = copyFixture('effective');
  const main = path.join(root, 'nginx.conf');
  const app = path.join(root, 'conf.d/app.conf');
  const session = LspSession.start();
  t.after(() => { session.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  let refreshed!: () => void;
  const refresh = new Promise<void>((r) => (refreshed = r));
  session.rpc.onRequest('workspace/inlayHint/refresh', () => { refreshed(); return null; });
  const init = await session.initialize(root, undefined, { ...DEFAULT_CAPABILITIES, workspace: { ...DEFAULT_CAPABILITIES.workspace, inlayHint: { refreshSupport: true } } });
  assert.equal(init.capabilities.inlayHintProvider, true);
  await session.rpc.sendNotification('initialized', {});
  await session.until('the folder scan', () => session.logs.some((l) => /: \d+ nginx files? in \d+ folders/.test(l)));
  const text = fs.readFileSync(app, 'utf8');
  const mainText = fs.readFileSync(main, 'utf8');
  await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(app), languageId: 'nginx', version: 1, text } });
  await session.diagnostics(uriOf(app), () => true);
  const lineOf = (s: string, needle: string) => s.split('\n').findIndex((l) => l.includes(needle));
  const all = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
  const hints = (uri: string): Promise<InlayHint[]> => session.rpc.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: all });

  await t.test('beside each proxy_pass: version, headers and read timeout, parts linked to their lines', async () => {
    const hs = await hints(uriOf(app));
    const wsHint = hs.find((h) => h.position.line === lineOf(text, 'proxy_pass http://127.0.0.1:9000'));
    assert.ok(wsHint, JSON.stringify(hs));
    assert.equal(labelOf(wsHint), '→ HTTP/1.1 · Upgrade, Connection, Host · read 600s');
    assert.equal(wsHint.position.character, text.split('\n')[wsHint.position.line].length); // after the `;`
    const upgrade = (wsHint.label as InlayHintLabelPart[]).find((p) => p.value.startsWith('Upgrade'));
    assert.deepEqual(upgrade?.location?.range.start, { line: lineOf(text, 'proxy_set_header Upgrade'), character: 4 });
    assert.equal(upgrade?.location?.uri, uriOf(app));
    assert.match(tooltipOf(wsHint), /What nginx sends upstream\*\* for location \/ws\//);
    assert.match(tooltipOf(wsHint), /\| Host \| `\$proxy_host` \| nginx default \|/);
    const apiHint = hs.find((h) => h.position.line === lineOf(text, 'proxy_pass http://127.0.0.1:9001'));
    assert.equal(apiHint && labelOf(apiHint), '→ HTTP/1.1 · Host, Connection: close · read 600s');
  });

  await t.test('beside a dropped line, in the file where it is written', async () => {
    const hs = await hints(uriOf(app));
    const dropped = hs.filter((h) => h.position.line === lineOf(text, 'proxy_set_header Upgrade') || h.position.line === lineOf(text, 'proxy_set_header Connection'));
    assert.deepEqual(dropped.map(labelOf), ['not inherited by location /api/', 'not inherited by location /api/']);
    assert.match(tooltipOf(dropped[0]), /nginx sends this line for 1 proxy block below, but not for these/);
    // the http level's line, in nginx.conf: every proxy below has its own lines
    await session.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(main), languageId: 'nginx', version: 1, text: mainText } });
    await session.diagnostics(uriOf(main), () => true);
    const inMain = await hints(uriOf(main));
    assert.deepEqual(inMain.map((h) => [h.position.line, labelOf(h)]), [[lineOf(mainText, 'X-Http-Level'), 'not inherited by any of the 2 proxies below']]);
    assert.match(tooltipOf(inMain[0]), /\[conf\.d\/app\.conf:10\]/);
  });

  await t.test('the hover of proxy_pass adds the view below the directive reference', async () => {
    const line = lineOf(text, 'proxy_pass http://127.0.0.1:9001');
    const position: Position = { line, character: 10 };
    const h: Hover | null = await session.rpc.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(app) }, position });
    const value = (h?.contents as { value: string }).value;
    assert.match(value, /nginx\.org/); // the reference is still there
    assert.match(value, /What nginx sends upstream\*\* for location \/api\//);
    assert.match(value, /\| Host \| `\$host` \(not sent when empty\) \| location \/api\/ \(\[line 14\]/);
    assert.match(value, /Not used here: 3 proxy_set_header lines/);
    // on a dropped line: why, and for which block
    const onDropped: Hover | null = await session.rpc.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(app) }, position: { line: lineOf(text, 'proxy_set_header Upgrade'), character: 8 } });
    assert.match((onDropped?.contents as { value: string }).value, /nginx sends this line for 1 proxy block below, but not for these[^]*- location \/api\/ \(\[line 15\]/);
  });

  await t.test('an edit: the location without its own line inherits again, and nothing is dropped', async () => {
    const edited = text.replace('        proxy_set_header Host $host;\n', '');
    await session.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(app), version: 2 }, contentChanges: [{ text: edited }] });
    await session.diagnostics(uriOf(app), () => true);
    const hs = await hints(uriOf(app));
    assert.deepEqual(hs.filter((h) => labelOf(h).startsWith('not inherited')), []);
    // an edit can change other files' hints: the client is asked to fetch every visible file's again
    await Promise.race([refresh, new Promise((_, reject) => setTimeout(() => reject(new Error('no workspace/inlayHint/refresh within 5 s')), 5000))]);
    // (nginx.conf's line is still dropped: the server level still has lines of its own)
    assert.deepEqual((await hints(uriOf(main))).map(labelOf), ['not inherited by any of the 2 proxies below']);
    const apiHint = hs.find((h) => h.position.line === lineOf(edited, 'proxy_pass http://127.0.0.1:9001'));
    assert.equal(apiHint && labelOf(apiHint), '→ HTTP/1.1 · Upgrade, Connection, Host · read 600s');
  });

  await t.test('effectiveConfig.enable false: no hints, the hover as before', async () => {
    session.settings.set(uriOf(root), { effectiveConfig: { enable: false } });
    session.settings.set('', { effectiveConfig: { enable: false } });
    assert.deepEqual(await hints(uriOf(app)), []);
    const h: Hover | null = await session.rpc.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(app) }, position: { line: lineOf(text, 'proxy_pass'), character: 10 } });
    assert.doesNotMatch((h?.contents as { value: string }).value, /What nginx sends upstream/);
  });
});
