// Language server entry for VS Code for the Web (vscode.dev, github.dev, a web worker extension
// host): a classic Worker script speaking LSP over postMessage. The handlers are the same as on a
// machine (lsp/serve.ts); files come through the client's workspace.fs (ClientFsHost). What needs
// a process is desktop-only and says so: nginx -t (on save and on the command). The endpoint
// check runs in the client, which hides it in the web.
import { BrowserMessageReader, BrowserMessageWriter, createConnection, FileChangeType, MessageType, ProposedFeatures, type PublishDiagnosticsParams } from 'vscode-languageserver/browser';
import { optionDefault, PROJECT_FILE, readProjectConfig } from '../core/index';
import type { FileId } from '../core/types';
import { isNginxFileName, looksLikeNginxText } from '../host/names';
import { acceptOtherSchemes, fileToUri, uriToFile } from '../lsp/convert';
import type { ServerContext } from '../lsp/context';
import type { FoundProject, Platform, SaveChecker } from '../lsp/platform';
import type { Publisher } from '../lsp/publisher';
import { serve } from '../lsp/serve';
import { onWatchedFiles, WATCH_GLOBS } from '../lsp/workspace';
import { FIND_FILES_REQUEST, type FindFilesParams } from '../protocol';
import { ClientFsHost } from './clientFsHost';
import { HeldPublications } from './hold';
import { installShims } from './shims';

installShims();

/** Said when nginx -t is asked for in the web (and once in the log on the first save). */
export const NGINX_T_WEB = 'nginx -t needs the nginx executable on a machine: it runs in the desktop VS Code (or a remote one), not in VS Code for the Web. The analysis here reports nginx\'s own errors without running it.';

/** The Worker's global scope, as far as this file uses it (the project's types are Node's, not the DOM's). */
declare const self: { addEventListener(type: 'error' | 'unhandledrejection', listener: (e: { error?: Error; message?: string; reason?: unknown }) => void): void };

// the Worker's global scope is the port: messages from the client arrive on it
const port = self as unknown as ConstructorParameters<typeof BrowserMessageReader>[0];
const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(port), new BrowserMessageWriter(port));
acceptOtherSchemes(true); // a virtual workspace's documents are vscode-vfs:, not file:

let server: { ctx: ServerContext; publisher: Publisher } | undefined;
const host = new ClientFsHost({
  ask: (method, params) => connection.sendRequest(method, params),
  toUri: (file) => server?.ctx.openUris.get(file) ?? fileToUri(file),
  onArrived: ({ files, dir }) => {
    if (!server) return;
    const { ctx, publisher } = server;
    // as if the file watcher said so: the files depending on them are analysed again
    onWatchedFiles(ctx, publisher, { changes: files.map((f) => ({ uri: fileToUri(f), type: dir ? FileChangeType.Created : FileChangeType.Changed })) });
    // a listing with only folders in it changes what a glob matches, yet no file: publish all again
    if (dir !== undefined && !files.length) publisher.refresh(ctx.projects.all().flatMap((p) => p.knownFiles()));
  },
  onUnavailable: (reason) => connection.console.warn(`Reading files through the editor failed (${reason}); only the open documents are analysed.`),
  onIdle: () => held.idle(),
});
// no diagnostics from an analysis that still waits for files (see hold.ts)
const sendDiagnostics = connection.sendDiagnostics.bind(connection);
const held = new HeldPublications<PublishDiagnosticsParams>({ send: (p) => void sendDiagnostics(p), busy: () => host.busy });
connection.sendDiagnostics = async (p) => held.publish(p);

/**
 * The project file of a folder among the files the scan read (it reads `.nginx-ws.json` and
 * package.json with the rest): the folder's own, else the nearest one above it that is known.
 */
function readProjectKnown(folder: FileId): FoundProject | undefined {
  for (let dir = folder.replace(/\/+$/, ''); dir; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/')))) {
    const own = host.known(`${dir}/${PROJECT_FILE}`);
    if (own !== undefined) return { file: `${dir}/${PROJECT_FILE}`, ...readProjectConfig(own)! };
    const pkg = host.known(`${dir}/package.json`);
    const config = pkg === undefined ? undefined : readProjectConfig(pkg, true);
    if (config) return { file: `${dir}/package.json`, ...config };
  }
  return undefined;
}

const webSaveChecker = (ctx: ServerContext): SaveChecker => {
  let logged = false;
  return {
    async onSave() {
      if (!logged) connection.console.info(NGINX_T_WEB);
      logged = true;
    },
    async onCommand() {
      await ctx.connection.sendNotification('window/showMessage', { type: MessageType.Info, message: `nginx WebSocket: ${NGINX_T_WEB}` });
    },
    refresh() {},
  };
};

const platform: Platform = {
  host,
  forget: (file) => host.forget(file),
  async scanFolder(root: FileId, folderUri: string) {
    const params: FindFilesParams = { folderUri, globs: WATCH_GLOBS, maxResults: optionDefault<number>('maxFiles') * 2 };
    let uris: unknown;
    try {
      uris = await connection.sendRequest(FIND_FILES_REQUEST, params);
    } catch (e) {
      connection.console.warn(`Finding the folder's files through the editor failed (${(e as Error)?.message}); only the open documents are analysed.`);
      return { files: [], dirs: 0 };
    }
    const under = root.endsWith('/') ? root : root + '/';
    const found = (Array.isArray(uris) ? uris : []).flatMap((u) => {
      const f = typeof u === 'string' ? uriToFile(u) : undefined;
      return f !== undefined && f.startsWith(under) && !f.includes('/node_modules/') ? [f] : [];
    });
    // every file the watch globs name (mime.types, fastcgi_params…) is read now: includes find them
    await host.prefetch(found);
    const limit = optionDefault<number>('maxFiles');
    const nginx = found.filter((f) => isNginxFileName(f) || (f.endsWith('.conf') && looksLikeNginxText((host.known(f) ?? '').slice(0, 4096)))).sort();
    const files = nginx.slice(0, limit);
    return { files, dirs: new Set(files.map((f) => f.slice(0, f.lastIndexOf('/')))).size, truncated: nginx.length > limit ? `stopped after ${limit} nginx files` : undefined };
  },
  readProject: (folder) => readProjectKnown(folder),
  saveChecker: webSaveChecker,
};

server = serve(connection, platform);

// errors thrown outside any handler (timers, promises nobody awaits) go to the client's log
self.addEventListener('error', (e) => connection.console.error(`uncaught: ${e.error?.stack ?? e.message}`));
self.addEventListener('unhandledrejection', (e) => connection.console.error(`unhandled rejection: ${(e.reason as Error)?.stack ?? String(e.reason)}`));
