// Language server entry: the connection and its handlers, nothing else.
import { createConnection, ProposedFeatures, TextDocuments, type InitializeParams, type WorkspaceFolder } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeHost } from './host/node-host';
import { codeActions } from './lsp/codeActions';
import { clientCaps, type ServerContext } from './lsp/context';
import { wireDocuments } from './lsp/documents';
import { logUncaught, makeGuard } from './lsp/guard';
import { initialize, initialized } from './lsp/lifecycle';
import { Projects } from './lsp/projects';
import { Publisher } from './lsp/publisher';
import { onWatchedFiles } from './lsp/workspace';

const connection = createConnection(ProposedFeatures.all);
const guard = makeGuard(connection);
logUncaught(connection);

const ctx: ServerContext = {
  connection,
  documents: new TextDocuments(TextDocument),
  projects: new Projects(new NodeHost()),
  caps: clientCaps({ capabilities: {} } as InitializeParams),
  openUris: new Map(),
};
const publisher = new Publisher(ctx);
let init: { params: InitializeParams; folders: WorkspaceFolder[] } | undefined;

connection.onInitialize((params) => {
  const { result, folders } = initialize(ctx, params);
  init = { params, folders };
  return result;
});
connection.onInitialized(guard('initialized', undefined, () => initialized(ctx, publisher, guard, init!.params, init!.folders)));
connection.onDidChangeConfiguration(guard('didChangeConfiguration', undefined, () => publisher.refreshProjects(ctx.projects.all())));
connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, (params) => onWatchedFiles(ctx, publisher, params)));
connection.onCodeAction(guard('codeAction', [], (params) => codeActions(ctx, params)));
wireDocuments(ctx, publisher, guard);

ctx.documents.listen(connection);
connection.listen();
