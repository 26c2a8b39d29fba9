// Starts the language server (dist/server.js) over IPC and registers the palette commands.
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { TRUST_NOTIFICATION } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { registerStatus } from './status';
import { LANGUAGE_IDS } from './languages';
import { registerDetection } from './detect';

export { LANGUAGE_IDS };

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGE_IDS.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: { configurationSection: 'nginxWebSocket' },
    // the server runs no executable (nginx -t) in a workspace the user has not trusted, and
    // takes a client that does not say as untrusted: say it, either way
    initializationOptions: { trusted: workspace.isTrusted === true },
  };
  // the id matches the settings prefix, so `nginxWebSocket.trace.server` is honoured
  const c = new LanguageClient('nginxWebSocket', 'nginx WebSocket', serverOptions, clientOptions);
  client = c;
  await c.start();
  context.subscriptions.push(workspace.onDidGrantWorkspaceTrust(() => void c.sendNotification(TRUST_NOTIFICATION, { trusted: true })));
  registerCommands(context, c);
  registerStatus(context, c);
  registerDetection(context);
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
