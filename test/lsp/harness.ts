/**
 * Drives dist/server.js as an editor would: a child process spoken to over stdio with
 * vscode-jsonrpc. Waits are for notifications, bounded by a timeout that reports the last
 * thing seen; nothing sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NGINX_TEST_STATUS_NOTIFICATION, type NginxTestStatus } from '../../server/src/protocol';
import { createMessageConnection, ErrorCodes, ResponseError, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { ApplyWorkspaceEditParams, ConfigurationParams, Diagnostic, InitializeResult, PublishDiagnosticsParams, ShowMessageParams } from 'vscode-languageserver-protocol';

export const REPO = path.resolve(__dirname, '../../..');
export const SERVER = path.join(REPO, 'dist/server.js');

/** A fresh copy of test/lsp/fixtures/<name> in a temp folder, so tests may edit files on disk. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-lsp-'));
  fs.cpSync(path.join(REPO, 'test/lsp/fixtures', name), dir, { recursive: true });
  return dir;
}

export const uriOf = (file: string) => pathToFileURL(file).href;

/** What the fake editor says it can do by default: VS Code's abilities the server uses. */
export const DEFAULT_CAPABILITIES = {
  textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } },
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } },
  window: { workDoneProgress: true },
};

type Waiter = { uri: string; pred: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class LspSession {
  readonly rpc: MessageConnection;
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, in order. */
  readonly history: PublishDiagnosticsParams[] = [];
  /** Settings the fake editor answers workspace/configuration with, by scope URI ('' = none). */
  settings = new Map<string, unknown>();
  readonly configurationScopes: (string | undefined)[] = [];
  readonly logs: string[] = [];
  /** window/showMessage notifications, in order. */
  readonly shown: ShowMessageParams[] = [];
  /** workspace/applyEdit requests, in order (answered with applied: true). */
  readonly applied: ApplyWorkspaceEditParams[] = [];
  /** nginx -t results the server reported for the status bar, in order. */
  readonly nginxTestStatus: NginxTestStatus[] = [];
  private waiters: Waiter[] = [];
  private watchers: (() => void)[] = [];
  stderr = '';

  /** Every request the server sent, by method (a bare session answers none of them). */
  readonly requests: string[] = [];

  private constructor(readonly child: ChildProcess, bare = false) {
    this.rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.rpc.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.latest.set(p.uri, p);
      this.history.push(p);
      this.waiters = this.waiters.filter((w) => !(w.uri === p.uri && w.pred(p.diagnostics, p) && (w.resolve(p), true)));
      this.poke();
    });
    this.rpc.onNotification(NGINX_TEST_STATUS_NOTIFICATION, (p: NginxTestStatus) => { this.nginxTestStatus.push(p); this.poke(); });
    this.rpc.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); this.poke(); });
    this.rpc.onNotification('window/showMessage', (p: ShowMessageParams) => { this.shown.push(p); this.poke(); });
    this.rpc.onRequest((method: string) => {
      this.requests.push(method);
      this.poke();
      throw new ResponseError(ErrorCodes.MethodNotFound, `unhandled method ${method}`);
    });
    if (bare) { this.rpc.listen(); return; }
    this.rpc.onRequest('workspace/applyEdit', (p: ApplyWorkspaceEditParams) => { this.applied.push(p); this.poke(); return { applied: true }; });
    this.rpc.onRequest('workspace/configuration', (p: ConfigurationParams) =>
      p.items.map((item) => {
        this.configurationScopes.push(item.scopeUri);
        return this.settings.get(item.scopeUri ?? '') ?? {};
      }),
    );
    this.rpc.onRequest('client/registerCapability', () => null);
    this.rpc.onRequest('window/workDoneProgress/create', () => null);
    this.rpc.listen();
  }

  /** `as`: run the server as another user (tests run as root; an unprivileged uid shows what a user meets). */
  /**
   * The server started by another command (an npm bin); `bare`: a client with no handler for any
   * server-to-client request (each is recorded in `requests` and refused).
   */
  static command(args: string[], bare = false): LspSession {
    return new LspSession(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }), bare);
  }

  static start(as?: { uid: number; gid: number }): LspSession {
    return new LspSession(spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...as }));
  }

  /** `capabilities`: instead of the defaults below (a client that has none of VS Code's: `{}`). */
  initialize(folder: string, initializationOptions?: unknown, capabilities?: object): Promise<InitializeResult> {
    return this.rpc.sendRequest('initialize', {
      processId: process.pid,
      initializationOptions,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
      capabilities: capabilities ?? DEFAULT_CAPABILITIES,
    });
  }

  /** Resolves with the first publication for `uri` (the latest one included) that satisfies `pred`. */
  diagnostics(uri: string, pred: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const now = this.latest.get(uri);
    if (now && pred(now.diagnostics, now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const last = this.latest.get(uri);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(last?.diagnostics ?? null)}\nserver stderr: ${this.stderr}`));
      }, timeoutMs);
      const waiter: Waiter = { uri, pred, resolve: (p) => { clearTimeout(timer); resolve(p); } };
      this.waiters.push(waiter);
    });
  }

  private poke(): void {
    for (const w of [...this.watchers]) w();
  }

  /** Resolves once `pred` holds, re-checked on every log line, message, edit, publication and nginx -t status the server sends. */
  until(what: string, pred: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pred()) return;
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.watchers = this.watchers.filter((w) => w !== check);
        reject(new Error(`${what}: not within ${timeoutMs} ms\nlogs: ${this.logs.join('\n')}\nmessages: ${JSON.stringify(this.shown)}\nnginx -t statuses: ${JSON.stringify(this.nginxTestStatus)}`));
      }, timeoutMs);
      this.watchers.push(check);
    });
  }

  /** shutdown + exit; resolves with the process exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.rpc.sendRequest('shutdown');
    await this.rpc.sendNotification('exit');
    const code = await exited;
    this.rpc.dispose();
    return code;
  }
}
