// The language server's handlers, wired once for both entries: main.ts (Node, over stdio or IPC)
// and web/server.ts (a Worker in VS Code for the Web). What differs comes in the Platform.
import { TextDocuments, type Connection, type InitializeParams, type WorkspaceFolder } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, resolveCodeAction } from './codeActions';
import { endpoints, ENDPOINTS_REQUEST, executeCommand, TRUST_NOTIFICATION } from './commands';
import { completion, resolveCompletion } from './completion';
import { hover } from './hover';
import { signatureHelp } from './signature';
import { formatDocument, formatDocumentOnType, formatDocumentRange } from './format';
import { clientCaps, type ServerContext } from './context';
import { uriToFile } from './convert';
import { wireDocuments } from './documents';
import { makeGuard } from './guard';
import { initialize, initialized } from './lifecycle';
import { documentSymbols, workspaceSymbols } from './navigation';
import { definition, documentHighlight, folding, links, prepareRename, references, rename, selection, semantic } from './refactor';
import type { Platform } from './platform';
import { inlayHints, wireInlayRefresh, withEffectiveHover } from './effective';
import { Projects } from './projects';
import { Publisher } from './publisher';
import { onWatchedFiles } from './workspace';
import { pushedSettings } from './settings';

/** Wires every handler on the connection and starts listening; returns the server's state. */
export function serve(connection: Connection, platform: Platform): { ctx: ServerContext; publisher: Publisher } {
  const guard = makeGuard(connection);
  const ctx: ServerContext = {
    connection,
    documents: new TextDocuments(TextDocument),
    projects: new Projects(platform.host),
    platform,
    caps: clientCaps({ capabilities: {} } as unknown as InitializeParams),
    openUris: new Map(),
    trusted: false, // until the client says otherwise (initialize)
  };
  const publisher = new Publisher(ctx);
  const nginxTest = platform.saveChecker(ctx, publisher);
  let init: { params: InitializeParams; folders: WorkspaceFolder[] } | undefined;

  connection.onInitialize((params) => {
    const { result, folders } = initialize(ctx, params);
    init = { params, folders };
    return result;
  });
  connection.onInitialized(guard('initialized', undefined, () => initialized(ctx, publisher, guard, init!.params, init!.folders)));
  connection.onDidChangeConfiguration(guard('didChangeConfiguration', undefined, (params) => {
    // pushed settings (clients without workspace/configuration); VS Code's notification carries none
    const pushed = pushedSettings(params?.settings);
    if (pushed) ctx.pushedSettings = pushed;
    publisher.refreshProjects(ctx.projects.all());
    return nginxTest.refresh();
  }));
  connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, (params) => {
    for (const c of params.changes) { const f = uriToFile(c.uri); if (f !== undefined) platform.forget?.(f); }
    return onWatchedFiles(ctx, publisher, params);
  }));
  connection.onCodeAction(guard('codeAction', [], (params) => codeActions(ctx, params)));
  connection.onCodeActionResolve((action) => guard('codeActionResolve', action, () => resolveCodeAction(ctx, action))());
  connection.onCompletion(guard('completion', [], (params) => completion(ctx, params)));
  connection.onCompletionResolve((item) => guard('completionResolve', item, () => resolveCompletion(ctx, item))());
  connection.onHover(guard('hover', null, (params) => withEffectiveHover(ctx, params, hover(ctx, params))));
  connection.onSignatureHelp(guard('signatureHelp', null, (params) => signatureHelp(ctx, params)));
  connection.languages.inlayHint.on(guard('inlayHint', [], (params) => inlayHints(ctx, params)));
  connection.onDefinition(guard('definition', null, (params) => definition(ctx, params)));
  connection.onReferences(guard('references', [], (params) => references(ctx, params)));
  connection.onDocumentHighlight(guard('documentHighlight', [], (params) => documentHighlight(ctx, params)));
  connection.onPrepareRename(guard('prepareRename', null, (params) => prepareRename(ctx, params)));
  connection.onRenameRequest(guard('rename', null, (params) => rename(ctx, params)));
  connection.onDocumentLinks(guard('documentLinks', [], (params) => links(ctx, params)));
  connection.onFoldingRanges(guard('foldingRanges', [], (params) => folding(ctx, params)));
  connection.onSelectionRanges(guard('selectionRanges', [], (params) => selection(ctx, params)));
  connection.languages.semanticTokens.on(guard('semanticTokens', { data: [] }, (params) => semantic(ctx, params)));
  connection.onDocumentSymbol(guard('documentSymbol', [], (params) => documentSymbols(ctx, params)));
  connection.onDocumentFormatting(guard('formatting', [], (params) => formatDocument(ctx, params)));
  connection.onDocumentRangeFormatting(guard('rangeFormatting', [], (params) => formatDocumentRange(ctx, params)));
  connection.onDocumentOnTypeFormatting(guard('onTypeFormatting', [], (params) => formatDocumentOnType(ctx, params)));
  connection.onWorkspaceSymbol(guard('workspaceSymbol', [], (params) => workspaceSymbols(ctx, params)));
  connection.onExecuteCommand(guard('executeCommand', undefined, (params) => executeCommand(ctx, params, { runNginxTest: (uri) => nginxTest.onCommand(uri) })));
  connection.onRequest(ENDPOINTS_REQUEST, guard('endpoints', [], (params: { uri?: string }) => endpoints(ctx, params)));
  connection.onNotification(TRUST_NOTIFICATION, guard('didChangeTrust', undefined, (params: { trusted?: boolean }) => {
    ctx.trusted = params?.trusted === true;
    // a project file's restricted options count only in a trusted workspace
    publisher.refreshProjects(ctx.projects.all());
    return nginxTest.refresh();
  }));
  ctx.documents.onDidSave(guard('didSave', undefined, ({ document }) => {
    const file = uriToFile(document.uri);
    // not awaited: a slow nginx never holds up the next message
    if (file !== undefined) void guard('nginx -t', undefined, () => nginxTest.onSave(file))();
  }));
  wireDocuments(ctx, publisher, guard);
  wireInlayRefresh(ctx, () => init?.params.capabilities.workspace?.inlayHint?.refreshSupport === true);

  ctx.documents.listen(connection);
  connection.listen();
  return { ctx, publisher };
}
