// Starts the language server (dist/server.js) over IPC; everything else happens in the server.
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** Language ids we serve: ours, and the one another popular nginx extension registers. */
export const LANGUAGE_IDS = ['nginx', 'NGINX'];

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
  };
  // the id matches the settings prefix, so `nginxWebSocket.trace.server` is honoured
  client = new LanguageClient('nginxWebSocket', 'nginx WebSocket', serverOptions, clientOptions);
  await client.start();
  // commands (client/src/commands.ts) get registered here, with `client` and `context`
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
