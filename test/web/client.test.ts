// The web client bundle (dist/web/extension.js, package.json's `browser` entry) loaded in Node
// with the `vscode` module stubbed and a fake Worker standing in for the language server: it
// activates, starts the Worker named in the manifest, completes the initialize handshake with
// it, registers the commands, and answers the server's reads from workspace.fs the way the
// Node host reads a disk (missing, directory, binary, too large).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module = require('node:module');
import { CLIENT_COMMANDS, FIND_FILES_REQUEST, READ_DIRECTORY_REQUEST, READ_FILE_REQUEST, SERVER_COMMAND, type ReadFileResult } from '../../server/src/protocol';
import { REPO } from '../lsp/harness';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const BUNDLE = path.join(REPO, manifest.browser);

type Msg = { jsonrpc: '2.0'; id?: number | string; method?: string; params?: unknown; result?: unknown; error?: unknown };

/** A Worker as the browser client sees it: postMessage in, onmessage out. Plays a minimal server. */
class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((e: { data: Msg }) => void) | undefined;
  readonly received: Msg[] = [];
  private readonly waiting = new Map<number | string, (m: Msg) => void>();
  private next = 1000;
  constructor(readonly url: string, readonly options?: unknown) {
    FakeWorker.made.push(this);
  }
  addEventListener(): void {}
  terminate(): void {}
  postMessage(m: Msg): void {
    this.received.push(m);
    if (m.method === undefined && m.id !== undefined) { this.waiting.get(m.id)?.(m); this.waiting.delete(m.id); return; }
    if (m.method === 'initialize') this.emit({ jsonrpc: '2.0', id: m.id, result: { capabilities: { textDocumentSync: 2 }, serverInfo: { name: 'fake' } } });
    else if (m.method === 'shutdown' || m.method === 'workspace/executeCommand') this.emit({ jsonrpc: '2.0', id: m.id, result: null });
  }
  /** A request from the "server" to the client; resolves with the client's answer. */
  request(method: string, params: unknown): Promise<Msg> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.emit({ jsonrpc: '2.0', id, method, params });
    });
  }
  private emit(m: Msg): void {
    setTimeout(() => this.onmessage?.({ data: m }), 0);
  }
}

/** Files of the stubbed workspace.fs, by URI. */
const files = new Map<string, Uint8Array>();
const dirs = new Map<string, [string, number][]>();
const commands = new Map<string, (...a: unknown[]) => unknown>();
const executed: unknown[][] = [];
const messages: string[] = [];
const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };
class FileSystemError extends Error {
  constructor(readonly code: string) { super(code); }
}

/** A stub for whatever the language client touches and this test does not care about. */
function anything(name: string): unknown {
  const fn = function () { return anything(`${name}()`); };
  return new Proxy(fn, {
    get: (_t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => name : p === 'dispose' ? () => {} : anything(`${name}.${String(p)}`)),
    construct: () => anything(`new ${name}`) as object,
  });
}

function stubbed(real: Record<string, unknown>, name: string): unknown {
  return new Proxy(real, { get: (t, p) => (p in t ? t[p as string] : anything(`${name}.${String(p)}`)) });
}

class Uri {
  constructor(readonly scheme: string, readonly authority: string, readonly path: string) {}
  static parse(s: string): Uri {
    const m = /^([^:]+):\/\/([^/]*)(.*)$/.exec(s)!;
    return new Uri(m[1], m[2], m[3] || '/');
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri(u.scheme, u.authority, [u.path.replace(/\/$/, ''), ...parts].join('/'));
  }
  get fsPath(): string { return this.path; }
  toString(): string { return `${this.scheme}://${this.authority}${this.path}`; }
  toJSON(): unknown { return { scheme: this.scheme, authority: this.authority, path: this.path }; }
}
class RelativePattern {
  constructor(readonly baseUri: Uri, readonly pattern: string) {}
}
const found: { pattern: RelativePattern; exclude: unknown; max: unknown }[] = [];

const vscodeStub = stubbed({
  Uri, RelativePattern, FileType, FileSystemError,
  version: '1.91.0',
  workspace: stubbed({
    isTrusted: false,
    workspaceFolders: [],
    textDocuments: [],
    fs: {
      // the test's file system serves one scheme; others have no provider
      isWritableFileSystem: (scheme: string) => (scheme === 'vscode-test-web' ? true : undefined),
      stat: async (u: Uri) => {
        if (u.scheme !== 'vscode-test-web') throw new Error('ENOPRO: No file system provider found');
        const k = u.toString();
        if (dirs.has(k)) return { type: FileType.Directory, size: 0 };
        if (!files.has(k)) throw new FileSystemError('FileNotFound');
        return { type: FileType.File, size: files.get(k)!.length };
      },
      readFile: async (u: Uri) => { const b = files.get(u.toString()); if (!b) throw new FileSystemError('FileNotFound'); return b; },
      readDirectory: async (u: Uri) => { const d = dirs.get(u.toString()); if (!d) throw new FileSystemError('FileNotADirectory'); return d; },
    },
    findFiles: async (pattern: RelativePattern, exclude: unknown, max: unknown) => { found.push({ pattern, exclude, max }); return [Uri.parse('vscode-test-web://mount/nginx.conf')]; },
    getConfiguration: () => stubbed({ get: (_k: string, d: unknown) => d }, 'configuration'),
  }, 'workspace'),
  window: stubbed({
    showInformationMessage: async (m: string) => { messages.push(m); return undefined; },
    showWarningMessage: async (m: string) => { messages.push(`warning: ${m}`); return undefined; },
    showErrorMessage: async (m: string) => { messages.push(`error: ${m}`); return undefined; },
    activeTextEditor: undefined,
  }, 'window'),
  commands: stubbed({
    registerCommand: (id: string, fn: (...a: unknown[]) => unknown) => { commands.set(id, fn); return { dispose: () => commands.delete(id) }; },
    executeCommand: async (...a: unknown[]) => { executed.push(a); return undefined; },
  }, 'commands'),
}, 'vscode');

describe('web client bundle with vscode stubbed', () => {
  let ext: { activate(ctx: unknown): Promise<void>; deactivate(): Promise<void> };
  const subscriptions: { dispose(): void }[] = [];
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const realLoad = loader._load;
  const g = globalThis as { Worker?: unknown };

  before(() => {
    assert.ok(fs.existsSync(BUNDLE), `${BUNDLE} (the manifest's browser entry) is built`);
    loader._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? vscodeStub : realLoad.call(this, request, ...rest);
    };
    g.Worker = FakeWorker;
    ext = require(BUNDLE);
  });

  after(async () => {
    await ext?.deactivate();
    loader._load = realLoad;
    delete g.Worker;
  });

  it('activates: starts the Worker of dist/web/server.js and completes initialize', { timeout: 20_000 }, async () => {
    const extensionUri = Uri.parse('vscode-test-web://extension/nginx-websocket');
    await ext.activate({ subscriptions, extensionUri, extension: { packageJSON: manifest }, asAbsolutePath: (p: string) => p });
    assert.deepEqual(messages, [], 'the client reported no problem');
    assert.equal(FakeWorker.made.length, 1);
    const w = FakeWorker.made[0];
    assert.equal(w.url, 'vscode-test-web://extension/nginx-websocket/dist/web/server.js');
    assert.ok(fs.existsSync(path.join(REPO, 'dist/web/server.js')), 'the Worker script it names is built');
    const init = w.received.find((m) => m.method === 'initialize')!.params as { initializationOptions: { trusted: boolean }; capabilities: object };
    assert.deepEqual(init.initializationOptions, { trusted: false });
    assert.ok(w.received.some((m) => m.method === 'initialized'), 'initialized sent after the answer');
    for (const id of Object.values(CLIENT_COMMANDS)) assert.ok(commands.has(id), `${id} registered`);
    // the palette hides the desktop-only commands by this key (isWeb is true in code-server too)
    assert.ok(executed.some((a) => a[0] === 'setContext' && a[1] === 'nginxWebSocket.inBrowser' && a[2] === true), JSON.stringify(executed));
  });

  it('answers the server\'s reads from workspace.fs as the Node host reads a disk', async () => {
    const w = FakeWorker.made[0];
    files.set('vscode-test-web://mount/nginx.conf', new TextEncoder().encode('events {}\n'));
    files.set('vscode-test-web://mount/bin.conf', new Uint8Array([104, 0, 105]));
    files.set('vscode-test-web://mount/big.conf', new Uint8Array(2 * 1048576 + 1));
    dirs.set('vscode-test-web://mount/conf.d', [['a.conf', FileType.File], ['sub', FileType.Directory], ['link.conf', FileType.File | FileType.SymbolicLink], ['odd', FileType.Unknown]]);
    const read = async (uri: string, maxBytes = 1 << 20) => (await w.request(READ_FILE_REQUEST, { uri, maxBytes })).result as ReadFileResult;
    assert.deepEqual(await read('vscode-test-web://mount/nginx.conf'), { text: 'events {}\n' });
    assert.deepEqual(await read('vscode-test-web://mount/none.conf'), { missing: true });
    assert.deepEqual(await read('file:///etc/nginx/mime.types'), { missing: true }, 'a scheme with no file system: nothing there');
    assert.deepEqual(await read('vscode-test-web://mount/bin.conf'), { error: 'skipped: binary file (contains NUL bytes)' });
    assert.deepEqual(await read('vscode-test-web://mount/big.conf'), { error: 'skipped: 2.0 MB is larger than the 1 MB limit' });
    assert.deepEqual(await read('vscode-test-web://mount/conf.d'), { error: 'is a directory, not a file' });
    const listing = (await w.request(READ_DIRECTORY_REQUEST, { uri: 'vscode-test-web://mount/conf.d' })).result;
    assert.deepEqual(listing, [['a.conf', 'file'], ['sub', 'dir'], ['link.conf', 'file']]);
    assert.equal((await w.request(READ_DIRECTORY_REQUEST, { uri: 'vscode-test-web://mount/nginx.conf' })).result, null);
    const uris = (await w.request(FIND_FILES_REQUEST, { folderUri: 'vscode-test-web://mount/', globs: ['**/*.conf', '**/*_params'], maxResults: 10 })).result;
    assert.deepEqual(uris, ['vscode-test-web://mount/nginx.conf']);
    assert.equal(found[0].pattern.pattern, '{**/*.conf,**/*_params}');
    assert.equal(found[0].pattern.baseUri.toString(), 'vscode-test-web://mount/');
    assert.equal(found[0].max, 10);
  });

  it('the desktop-only commands: the endpoint check says so, nginx -t goes to the server (which says so)', async () => {
    const w = FakeWorker.made[0];
    await commands.get(CLIENT_COMMANDS.checkEndpoint)!();
    assert.match(messages.join('\n'), /needs the desktop VS Code/);
    await commands.get(CLIENT_COMMANDS.runNginxTest)!();
    assert.ok(w.received.some((m) => m.method === 'workspace/executeCommand' && (m.params as { command: string }).command === SERVER_COMMAND.runNginxTest));
  });
});
