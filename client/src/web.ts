// The extension in VS Code for the Web (package.json's `browser` entry): starts the language
// server as a Worker (dist/web/server.js) and answers its reads through workspace.fs, since the
// Worker has no disk. nginx -t and the endpoint check need a machine: their commands are hidden in
// the browser (`!nginxWebSocket.inBrowser`, a context key this entry sets; `isWeb` would also hide
// them in code-server, whose extension host is Node and runs them) and say so when run anyway.
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/browser';
import {
  CLIENT_COMMANDS, FIND_FILES_REQUEST, READ_DIRECTORY_REQUEST, READ_FILE_REQUEST, SERVER_COMMAND, TRUST_NOTIFICATION,
  type DirectoryEntry, type FindFilesParams, type ReadFileParams, type ReadFileResult,
} from '../../server/src/protocol';
import { LANGUAGE_IDS } from './languages';
import { whichLocation } from './route';

/** The Worker constructor of the web extension host (the project's types are Node's, not the DOM's). */
declare const Worker: new (url: string, options?: { name?: string }) => unknown;

export const CHECK_ENDPOINT_WEB = 'Check endpoint opens a WebSocket connection from the editor\'s machine: it needs the desktop VS Code (or a remote one), not VS Code for the Web.';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const url = vscode.Uri.joinPath(context.extensionUri, 'dist/web/server.js');
  const worker = new Worker(url.toString(true), { name: 'nginx WebSocket language server' });
  const clientOptions: LanguageClientOptions = {
    // any scheme: a virtual workspace's files are vscode-vfs:, and the server reads them through us
    documentSelector: LANGUAGE_IDS.map((language) => ({ language })),
    synchronize: { configurationSection: 'nginxWebSocket' },
    initializationOptions: { trusted: vscode.workspace.isTrusted === true },
  };
  const c = new LanguageClient('nginxWebSocket', 'nginx WebSocket', worker as ServerOptions, clientOptions);
  client = c;
  c.onRequest(READ_FILE_REQUEST, readFile);
  c.onRequest(READ_DIRECTORY_REQUEST, readDirectory);
  c.onRequest(FIND_FILES_REQUEST, findFiles);
  await c.start();
  // hides the desktop-only commands from the palette (package.json's when clauses)
  void vscode.commands.executeCommand('setContext', 'nginxWebSocket.inBrowser', true);
  let routeChannel: vscode.OutputChannel | undefined;
  const forward = (command: string) => () =>
    c.sendRequest('workspace/executeCommand', { command, arguments: [vscode.window.activeTextEditor?.document.uri.toString()] });
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void c.sendNotification(TRUST_NOTIFICATION, { trusted: true })),
    vscode.commands.registerCommand(CLIENT_COMMANDS.insertUpgradeMap, forward(SERVER_COMMAND.insertUpgradeMap)),
    // the server answers that nginx -t is desktop-only
    vscode.commands.registerCommand(CLIENT_COMMANDS.runNginxTest, forward(SERVER_COMMAND.runNginxTest)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.checkEndpoint, () => vscode.window.showInformationMessage(`nginx WebSocket: ${CHECK_ENDPOINT_WEB}`)),
    { dispose: () => routeChannel?.dispose() },
    vscode.commands.registerCommand(CLIENT_COMMANDS.whichLocation, () => whichLocation(c, () => (routeChannel ??= vscode.window.createOutputChannel('nginx WebSocket: route')))),
  );
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

/** The text of a file, as the Node host would read it from disk (same limits and messages). */
export async function readFile({ uri, maxBytes }: ReadFileParams): Promise<ReadFileResult> {
  const u = vscode.Uri.parse(uri);
  // no file system for the scheme (file:///etc/nginx/… in the browser): nothing is there
  if (vscode.workspace.fs.isWritableFileSystem(u.scheme) === undefined) return { missing: true };
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(u);
  } catch (e) {
    return notRead(e);
  }
  if (stat.type & vscode.FileType.Directory) return { error: 'is a directory, not a file' };
  if (stat.size > maxBytes) return { error: tooLarge(stat.size, maxBytes) };
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(u);
  } catch (e) {
    return notRead(e);
  }
  if (bytes.length > maxBytes) return { error: tooLarge(bytes.length, maxBytes) };
  if (bytes.subarray(0, 8192).includes(0)) return { error: 'skipped: binary file (contains NUL bytes)' };
  return { text: new TextDecoder().decode(bytes) };
}

function notRead(e: unknown): ReadFileResult {
  const code = (e as { code?: string })?.code;
  if (code === 'FileNotFound' || code === 'EntryNotFound' || code === 'FileNotADirectory') return { missing: true };
  if (code === 'NoPermissions') return { error: 'skipped: permission denied' };
  return { error: `skipped: ${(e as Error)?.message ?? String(e)}` };
}

function tooLarge(size: number, limit: number): string {
  return `skipped: ${(size / 1048576).toFixed(1)} MB is larger than the ${limit / 1048576} MB limit`;
}

/** A directory's entries (files and folders; links count as what they point to), or null. */
export async function readDirectory({ uri }: { uri: string }): Promise<DirectoryEntry[] | null> {
  try {
    const u = vscode.Uri.parse(uri);
    if (vscode.workspace.fs.isWritableFileSystem(u.scheme) === undefined) return null;
    const entries = await vscode.workspace.fs.readDirectory(u);
    return entries.flatMap(([name, type]): DirectoryEntry[] =>
      type & vscode.FileType.Directory ? [[name, 'dir']] : type & vscode.FileType.File ? [[name, 'file']] : []);
  } catch {
    return null;
  }
}

/** The folder's files that match the globs (the server keeps the nginx ones). */
export async function findFiles({ folderUri, globs, maxResults }: FindFilesParams): Promise<string[]> {
  const pattern = new vscode.RelativePattern(vscode.Uri.parse(folderUri), globs.length === 1 ? globs[0] : `{${globs.join(',')}}`);
  const found = await vscode.workspace.findFiles(pattern, '**/node_modules/**', maxResults);
  return found.map((u) => u.toString());
}
