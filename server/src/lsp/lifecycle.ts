// initialize / initialized: what the server offers, then registrations and the first scan.
import { DidChangeConfigurationNotification, TextDocumentSyncKind, CodeActionKind, type InitializeParams, type InitializeResult, type WorkspaceFolder } from 'vscode-languageserver';
import { clientCaps, type ServerContext } from './context';
import { FIX_ALL_KIND } from './codeActions';
import type { Guard } from './guard';
import type { Publisher } from './publisher';
import { addFolders, onFoldersChanged, watchFiles } from './workspace';
import { SECTION } from './settings';

export function initialize(ctx: ServerContext, params: InitializeParams): { result: InitializeResult; folders: WorkspaceFolder[] } {
  ctx.caps = clientCaps(params);
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri.replace(/.*\//, '') }] : []);
  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'nginx-websocket' },
  };
  return { result, folders };
}

export async function initialized(ctx: ServerContext, publisher: Publisher, guard: Guard, params: InitializeParams, folders: WorkspaceFolder[]): Promise<void> {
  const { connection } = ctx;
  if (params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
    await connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
  }
  if (params.capabilities.workspace?.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(guard('didChangeWorkspaceFolders', undefined, (e) => onFoldersChanged(ctx, publisher, e)));
  }
  await watchFiles(ctx);
  await addFolders(ctx, publisher, folders);
}
