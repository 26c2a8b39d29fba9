// Language server entry: the connection and its handlers, nothing else.
import { createConnection, ProposedFeatures, TextDocuments, type InitializeParams, type WorkspaceFolder } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeHost } from './host/node-host';
import { codeActions, resolveCodeAction } from './lsp/codeActions';
import { endpoints, ENDPOINTS_REQUEST, executeCommand, TRUST_NOTIFICATION } from './lsp/commands';
import { completion } from './lsp/completion';
import { formatDocument, formatDocumentOnType, formatDocumentRange } from './lsp/format';
import { clientCaps, type ServerContext } from './lsp/context';
import { uriToFile } from './lsp/convert';
import { wireDocuments } from './lsp/documents';
import { logUncaught, makeGuard } from './lsp/guard';
import { initialize, initialized } from './lsp/lifecycle';
import { documentSymbols, hover, workspaceSymbols } from './lsp/navigation';
import { definition, documentHighlight, folding, links, prepareRename, references, rename, selection, semantic } from './lsp/refactor';
import { NginxTester } from './lsp/nginxTest';
import { Projects } from './lsp/projects';
import { Publisher } from './lsp/publisher';
import { onWatchedFiles } from './lsp/workspace';
import { pushedSettings } from './lsp/settings';
import { FrameGuard } from './lsp/framing';
import { format } from 'node:util';

// Over stdio the frames are checked first: a malformed one is dropped, the next request answered.
const stdio = process.argv.includes('--stdio');
const connection = stdio
  ? createConnection(ProposedFeatures.all, process.stdin.pipe(new FrameGuard((d) => connection.console.warn(`dropped ${d.bytes} bytes of input: ${d.reason}`))), process.stdout)
  : createConnection(ProposedFeatures.all);
if (stdio) {
  // stdout carries the protocol: what the console prints goes to the client's log instead
  const toLog = (level: 'log' | 'info' | 'warn' | 'error') => (...a: unknown[]) => connection.console[level](format(...a));
  console.log = toLog('log');
  console.info = toLog('info');
  console.warn = toLog('warn');
  console.error = toLog('error');
}
const guard = makeGuard(connection);
logUncaught(connection);

const ctx: ServerContext = {
  connection,
  documents: new TextDocuments(TextDocument),
  projects: new Projects(new NodeHost()),
  caps: clientCaps({ capabilities: {} } as InitializeParams),
  openUris: new Map(),
  trusted: false, // until the client says otherwise (initialize)
};
const publisher = new Publisher(ctx);
const nginxTest = new NginxTester(ctx, publisher);
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
connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, (params) => onWatchedFiles(ctx, publisher, params)));
connection.onCodeAction(guard('codeAction', [], (params) => codeActions(ctx, params)));
connection.onCodeActionResolve((action) => guard('codeActionResolve', action, () => resolveCodeAction(ctx, action))());
connection.onCompletion(guard('completion', [], (params) => completion(ctx, params)));
connection.onHover(guard('hover', null, (params) => hover(ctx, params)));
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

ctx.documents.listen(connection);
connection.listen();
