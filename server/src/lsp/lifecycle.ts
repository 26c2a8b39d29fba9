// initialize / initialized: what the server offers, then registrations and the first scan.
import { DidChangeConfigurationNotification, TextDocumentSyncKind, CodeActionKind, type InitializeParams, type InitializeResult, type WorkspaceFolder } from 'vscode-languageserver';
import { clientCaps, trustOf, type ServerContext } from './context';
import { SERVER_COMMANDS } from './commands';
import { FIX_ALL_KIND } from './codeActions';
import type { Guard } from './guard';
import type { Publisher } from './publisher';
import { addFolders, onFoldersChanged, watchFiles } from './workspace';
import { SECTION, pushedSettings } from './settings';
import { ON_TYPE_TRIGGERS } from './format';
import { COMPLETION_TRIGGERS } from './completion';
import { SIGNATURE_TRIGGERS } from './signature';
import { SEMANTIC_LEGEND } from './refactor';

export function initialize(ctx: ServerContext, params: InitializeParams): { result: InitializeResult; folders: WorkspaceFolder[] } {
  ctx.caps = clientCaps(params);
  ctx.trusted = trustOf(params);
  // a client that is not asked for its settings can give them here
  ctx.pushedSettings = pushedSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri.replace(/.*\//, '') }] : []);
  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: true },
      signatureHelpProvider: { triggerCharacters: SIGNATURE_TRIGGERS, retriggerCharacters: SIGNATURE_TRIGGERS },
      hoverProvider: true,
      inlayHintProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      documentOnTypeFormattingProvider: { firstTriggerCharacter: ON_TYPE_TRIGGERS[0], moreTriggerCharacter: ON_TYPE_TRIGGERS.slice(1) },
      executeCommandProvider: { commands: SERVER_COMMANDS },
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentLinkProvider: { resolveProvider: false },
      foldingRangeProvider: true,
      selectionRangeProvider: true,
      semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'nginx-websocket' },
  };
  return { result, folders };
}

export async function initialized(ctx: ServerContext, publisher: Publisher, guard: Guard, params: InitializeParams, folders: WorkspaceFolder[]): Promise<void> {
  const { connection } = ctx;
  // each step on its own: a client refusing one registration must not cost the folder scan
  const step = (name: string, fn: () => unknown) => guard(name, undefined, fn)();
  if (params.capabilities.workspace?.workspaceFolders) {
    await step('workspace folder events', () => connection.workspace.onDidChangeWorkspaceFolders(guard('didChangeWorkspaceFolders', undefined, (e) => onFoldersChanged(ctx, publisher, e))));
  }
  if (params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
    await step('register didChangeConfiguration', () => connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }));
  }
  await step('register file watchers', () => watchFiles(ctx));
  await step('folder scan', () => addFolders(ctx, publisher, folders));
}
