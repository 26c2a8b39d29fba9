// The web language server (dist/web/server.js) as VS Code for the Web runs it: a classic Worker
// in a real headless Chromium, created by a page served from a local HTTP server, spoken to over
// postMessage. The page plays the web client: it answers the server's reads from an in-memory
// file system, as client/src/web.ts answers them from workspace.fs. The diagnostics are compared
// with the desktop server's (dist/server.js over stdio, the same tree on disk) and nginx's own
// error with the real nginx -t.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { FIND_FILES_REQUEST, READ_DIRECTORY_REQUEST, READ_FILE_REQUEST, SERVER_COMMAND } from '../../server/src/protocol';
import { LspSession, REPO, uriOf } from '../lsp/harness';
import { nginxTest, withLocalPaths } from '../util/nginx';

const CHROMIUM = process.env.NGINX_WS_CHROMIUM || '/usr/bin/chromium';
const BUNDLE = path.join(REPO, 'dist/web/server.js');
const ROOT = 'vscode-test-web://mount';

/** The page: starts the Worker and plays the client (answers from window.vfs; `fs: false`: answers no read). */
const PAGE = `<!doctype html><meta charset="utf-8"><title>web server</title><script>
window.inbox = []; window.requests = []; window.vfs = {}; window.fsAnswers = true;
const worker = new Worker('server.js');
let nextId = 1; const pending = {};
window.send = (method, params) => { const id = nextId++; worker.postMessage({ jsonrpc: '2.0', id, method, params }); return new Promise((resolve) => { pending[id] = resolve; }); };
window.notify = (method, params) => worker.postMessage({ jsonrpc: '2.0', method, params });
const reply = (id, result) => worker.postMessage({ jsonrpc: '2.0', id, result });
const refuse = (id, method) => worker.postMessage({ jsonrpc: '2.0', id, error: { code: -32601, message: 'unhandled method ' + method } });
const fsMethods = [${JSON.stringify(READ_FILE_REQUEST)}, ${JSON.stringify(READ_DIRECTORY_REQUEST)}, ${JSON.stringify(FIND_FILES_REQUEST)}];
worker.onerror = (e) => window.inbox.push({ method: 'worker/error', params: String(e.message) });
worker.onmessage = ({ data: m }) => {
  if (m.id !== undefined && m.method === undefined) { pending[m.id]?.(m); delete pending[m.id]; return; }
  if (m.id === undefined) { window.inbox.push(m); return; }
  window.requests.push(m);
  const p = m.params || {};
  if (fsMethods.includes(m.method) && !window.fsAnswers) return refuse(m.id, m.method);
  switch (m.method) {
    case 'workspace/configuration': return reply(m.id, p.items.map(() => ({})));
    case 'client/registerCapability': case 'window/workDoneProgress/create': return reply(m.id, null);
    case ${JSON.stringify(READ_FILE_REQUEST)}: return reply(m.id, p.uri in window.vfs ? { text: window.vfs[p.uri] } : { missing: true });
    case ${JSON.stringify(READ_DIRECTORY_REQUEST)}: {
      const dir = p.uri.replace(/\\/$/, '') + '/';
      const names = new Map();
      for (const u of Object.keys(window.vfs)) if (u.startsWith(dir)) { const rest = u.slice(dir.length); const i = rest.indexOf('/'); names.set(i < 0 ? rest : rest.slice(0, i), i < 0 ? 'file' : 'dir'); }
      return reply(m.id, names.size ? [...names] : null);
    }
    case ${JSON.stringify(FIND_FILES_REQUEST)}: return reply(m.id, Object.keys(window.vfs).filter((u) => u.startsWith(p.folderUri.replace(/\\/$/, '') + '/')));
    default: return refuse(m.id, m.method);
  }
};
</script>`;

/** A main config that includes a folder by glob, and in it a file with a mistyped directive; a project file. */
const TREE: Record<string, string> = {
  '.nginx-ws.json': '{ "rules": { "nginx-directive": "warning" } }\n',
  'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
  'conf.d/app.conf': [
    'server {',
    '    listen 8080;',
    '    location /ws/ {',
    '        proxy_pass http://127.0.0.1:9000;',
    '        proxy_http_version 1.1;',
    '        proxy_set_header Upgrade $http_upgrade;',
    '        proxy_set_header Connection "upgrade";',
    '        proxy_set_heder X-Real-IP $remote_addr;',
    '    }',
    '}',
    '',
  ].join('\n'),
};

type Message = { method: string; params: unknown };
type Seen = { inbox: Message[]; requests: Message[] };
/** What PAGE puts on window (the code below runs in the page, through page.evaluate). */
declare const window: Seen & { vfs: Record<string, string>; fsAnswers: boolean; send(method: string, params: unknown): Promise<unknown>; notify(method: string, params: unknown): void };
const seen = (page: Page): Promise<Seen> => page.evaluate(() => ({ inbox: window.inbox, requests: window.requests }));

/** Resolves with the newest publication for `uri` once one satisfies `pred` (bounded: a hang fails with what was seen). */
async function published(page: Page, uri: string, pred: (d: Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
  const t0 = Date.now();
  for (;;) {
    const s = await seen(page);
    const pubs = s.inbox.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => m.params as PublishDiagnosticsParams).filter((p) => p.uri === uri);
    const last = pubs[pubs.length - 1];
    if (last && pred(last.diagnostics)) return last;
    if (Date.now() - t0 > timeoutMs) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; seen: ${JSON.stringify(s.inbox).slice(0, 4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const shape = (ds: Diagnostic[]) => ds.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range })).sort((a, b) => a.range.start.line - b.range.start.line || String(a.code).localeCompare(String(b.code)));

describe('web language server in a Worker (headless Chromium)', () => {
  let browser: Browser;
  let server: http.Server;
  let base: string;

  before(async () => {
    assert.ok(fs.existsSync(BUNDLE), `${BUNDLE} is built (npm run build)`);
    assert.ok(fs.existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set NGINX_WS_CHROMIUM)`);
    server = http.createServer((req, res) => {
      if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(PAGE); return; }
      if (req.url === '/server.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(fs.readFileSync(BUNDLE)); return; }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const pageErrors: string[] = [];
  const open = async (): Promise<Page> => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(base);
    return page;
  };
  const noErrors = async (page: Page) => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual((await seen(page)).inbox.filter((m) => m.method === 'worker/error'), []);
  };

  it('answers initialize, reads the folder through the client and publishes what the desktop server publishes', { timeout: 60_000 }, async () => {
    const page = await open();
    await page.evaluate(([root, tree]) => { for (const [rel, text] of Object.entries(tree)) window.vfs[`${root}/${rel}`] = text; }, [ROOT, TREE] as const);
    const init = await page.evaluate((root) => window.send('initialize', {
      processId: null, rootUri: `${root}/`, workspaceFolders: [{ uri: `${root}/`, name: 'mount' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
    }), ROOT) as { result: { capabilities: Record<string, unknown>; serverInfo: { name: string } } };
    assert.equal(init.result.serverInfo.name, 'nginx-websocket');
    for (const cap of ['codeActionProvider', 'completionProvider', 'hoverProvider', 'definitionProvider', 'documentFormattingProvider']) assert.ok(init.result.capabilities[cap], cap);
    await page.evaluate((root) => {
      const w = window;
      w.notify('initialized', {});
      w.notify('textDocument/didOpen', { textDocument: { uri: `${root}/nginx.conf`, languageId: 'nginx', version: 1, text: w.vfs[`${root}/nginx.conf`] } });
    }, ROOT);

    // the included file was never opened: it came through findFiles / readDirectory / readFile
    const web = await published(page, `${ROOT}/conf.d/app.conf`, (d) => d.some((x) => x.code === 'nginx-directive'));
    const methods = new Set((await seen(page)).requests.map((r) => r.method));
    for (const m of [FIND_FILES_REQUEST, READ_FILE_REQUEST]) assert.ok(methods.has(m), `the server asked ${m}`);

    // nginx's own error: the real nginx says the same text on the same line
    const real = await nginxTest({ ...TREE, 'nginx.conf': withLocalPaths(TREE['nginx.conf']) });
    assert.equal(real.ok, false);
    const ours = web.diagnostics.find((d) => d.code === 'nginx-directive')!;
    assert.equal(ours.severity, 2, 'the project file (read through the client) made it a warning');
    assert.equal(ours.message, real.error!.message);
    assert.equal(ours.range.start.line + 1, real.error!.line);
    assert.equal(real.error!.file, 'conf.d/app.conf');

    // the desktop server on the same tree on disk publishes the same diagnostics
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-web-'));
    const desktop = LspSession.start();
    try {
      for (const [rel, text] of Object.entries(TREE)) { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); }
      await desktop.initialize(dir);
      await desktop.rpc.sendNotification('initialized', {});
      await desktop.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(path.join(dir, 'nginx.conf')), languageId: 'nginx', version: 1, text: TREE['nginx.conf'] } });
      // once the folder scan is done (a file opened before it is first checked with no project file)
      const node = await desktop.diagnostics(uriOf(path.join(dir, 'conf.d/app.conf')), (d) => d.some((x) => x.code === 'nginx-directive' && x.severity === ours.severity));
      assert.deepEqual(shape(web.diagnostics), shape(node.diagnostics));
      const nodeMain = await desktop.diagnostics(uriOf(path.join(dir, 'nginx.conf')), () => true);
      const webMain = await published(page, `${ROOT}/nginx.conf`, () => true);
      assert.deepEqual(shape(webMain.diagnostics), shape(nodeMain.diagnostics));
    } finally {
      await desktop.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // an include added later (not in the first scan) is read when the analysis asks for it
    await page.evaluate((root) => {
      const w = window;
      w.vfs[`${root}/extra/late.conf`] = 'server {\n    listen 8081\n}\n';
      w.notify('textDocument/didChange', { textDocument: { uri: `${root}/nginx.conf`, version: 2 }, contentChanges: [{ text: 'events {}\nhttp {\n    include conf.d/*.conf;\n    include extra/late.conf;\n}\n' }] });
    }, ROOT);
    const late = await published(page, `${ROOT}/extra/late.conf`, (d) => d.some((x) => x.code === 'nginx-syntax'));
    const realLate = await nginxTest({ ...TREE, 'extra/late.conf': 'server {\n    listen 8081\n}\n', 'nginx.conf': withLocalPaths('events {}\nhttp {\n    include extra/late.conf;\n}\n') });
    const lateErr = late.diagnostics.find((d) => d.code === 'nginx-syntax')!;
    assert.equal(lateErr.message, realLate.error!.message);
    assert.equal(lateErr.range.start.line + 1, realLate.error!.line);
    // and the include that named it is found (no "No such file" left from before it was read)
    await published(page, `${ROOT}/nginx.conf`, (ds) => !ds.some((x) => x.code === 'nginx-include'));
    // never, not even for a moment while the file was being read: what waits for a read is held back
    const includeErrors = (await seen(page)).inbox.filter((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as PublishDiagnosticsParams).diagnostics.some((d) => d.code === 'nginx-include'));
    assert.deepEqual(includeErrors, []);
    await noErrors(page);
    await page.close();
  });

  it('with a client that reads nothing: the open documents are analysed, and nginx -t says it is desktop-only', { timeout: 60_000 }, async () => {
    const page = await open();
    const broken = 'events {}\nhttp {\n    server {\n        listen 80\n    }\n}\n';
    await page.evaluate(() => { window.fsAnswers = false; });
    const init = await page.evaluate((root) => window.send('initialize', {
      processId: null, rootUri: `${root}/`, workspaceFolders: [{ uri: `${root}/`, name: 'mount' }], capabilities: {},
    }), ROOT) as { result?: unknown };
    assert.ok(init.result);
    await page.evaluate(([root, text]) => {
      const w = window;
      w.notify('initialized', {});
      w.notify('textDocument/didOpen', { textDocument: { uri: `${root}/nginx.conf`, languageId: 'nginx', version: 1, text } });
    }, [ROOT, broken] as const);
    const d = await published(page, `${ROOT}/nginx.conf`, (ds) => ds.some((x) => x.code === 'nginx-syntax'));
    const real = await nginxTest({ 'nginx.conf': withLocalPaths(broken) });
    const ours = d.diagnostics.find((x) => x.code === 'nginx-syntax')!;
    assert.equal(ours.message, real.error!.message);
    assert.equal(ours.range.start.line + 1, real.error!.line);

    const answer = await page.evaluate(([root, command]) => window.send('workspace/executeCommand', { command, arguments: [`${root}/nginx.conf`] }), [ROOT, SERVER_COMMAND.runNginxTest] as const) as { error?: unknown };
    assert.equal(answer.error, undefined);
    const shown = (await seen(page)).inbox.filter((m) => m.method === 'window/showMessage').map((m) => (m.params as { message: string }).message);
    assert.ok(shown.some((m) => /nginx -t needs the nginx executable/.test(m) && /not in VS Code for the Web/.test(m)), JSON.stringify(shown));
    const logs = (await seen(page)).inbox.filter((m) => m.method === 'window/logMessage').map((m) => (m.params as { message: string }).message);
    assert.ok(logs.some((m) => /only the open documents are analysed/.test(m)), JSON.stringify(logs));
    await noErrors(page);
    await page.close();
  });
  it('answers code actions, completion, hover, symbols and formatting as the desktop server does', { timeout: 60_000 }, async () => {
    const text = 'events {}\nhttp {\n  server {\nlisten 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:9000;\n    }\n  }\n}\n';
    const page = await open();
    await page.evaluate(() => { window.fsAnswers = false; });
    const caps = { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } } };
    await page.evaluate((c) => window.send('initialize', { processId: null, rootUri: null, workspaceFolders: null, capabilities: c }).then(() => window.notify('initialized', {})), caps);
    const webUri = `${ROOT}/nginx.conf`;
    await page.evaluate(([uri, t]) => window.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nginx', version: 1, text: t } }), [webUri, text] as const);
    const webDiags = (await published(page, webUri, (d) => d.length > 0)).diagnostics;

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-web-'));
    const desktop = LspSession.start();
    try {
      const nodeUri = uriOf(path.join(dir, 'nginx.conf'));
      await desktop.rpc.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: caps });
      await desktop.rpc.sendNotification('initialized', {});
      await desktop.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: nodeUri, languageId: 'nginx', version: 1, text } });
      const nodeDiags = (await desktop.diagnostics(nodeUri, (d) => d.length > 0)).diagnostics;
      assert.deepEqual(shape(webDiags), shape(nodeDiags));
      const requests: [string, (uri: string, diags: Diagnostic[]) => unknown][] = [
        ['textDocument/codeAction', (uri, diags) => ({ textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } })],
        ['textDocument/completion', (uri) => ({ textDocument: { uri }, position: { line: 5, character: 8 } })],
        ['textDocument/hover', (uri) => ({ textDocument: { uri }, position: { line: 5, character: 11 } })],
        ['textDocument/documentSymbol', (uri) => ({ textDocument: { uri } })],
        ['textDocument/formatting', (uri) => ({ textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } })],
      ];
      const same = (x: unknown, uri: string) => JSON.parse(JSON.stringify(x ?? null).split(uri).join('<uri>'));
      for (const [method, params] of requests) {
        const web = (await page.evaluate(([m, p]) => window.send(m, p), [method, params(webUri, webDiags)] as const)) as { result: unknown; error?: unknown };
        assert.equal(web.error, undefined, method);
        const node = await desktop.rpc.sendRequest(method, params(nodeUri, nodeDiags));
        assert.ok(web.result && (!Array.isArray(web.result) || web.result.length > 0), `${method} answered something`);
        assert.deepEqual(same(web.result, webUri), same(node, nodeUri), method);
      }
    } finally {
      await desktop.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await noErrors(page);
    await page.close();
  });
});

describe('web server bundle', () => {
  it('needs no Node module: no require(), no node: import, no process global', () => {
    const text = fs.readFileSync(BUNDLE, 'utf8');
    assert.doesNotMatch(text, /\brequire\s*\(/);
    assert.doesNotMatch(text, /["']node:[a-z_]+["']/);
    assert.doesNotMatch(text, /\bprocess\.(on|argv|env|stdin|stdout|cwd|platform)\b/);
  });
});
