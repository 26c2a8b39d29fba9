// "Which location serves this URL?": the same on the desktop and in VS Code for the Web (the
// routing is the server's; this module only asks and shows).
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { SERVER_COMMAND, type RouteAnswer } from '../../server/src/protocol';

let lastRoute = 'http://localhost/';

/**
 * "Which location serves this URL?": asks for a URL (a Host after a space sends another Host
 * header), has the server route it as nginx would, shows the report and reveals the location.
 */
export async function whichLocation(client: BaseLanguageClient, output: () => vscode.OutputChannel): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  const input = await vscode.window.showInputBox({
    title: 'nginx WebSocket: Which location serves this URL?',
    prompt: 'A URL (http, https, ws or wss), optionally followed by a space and the Host header to send',
    placeHolder: 'http://127.0.0.1:8080/ws/chat example.com',
    value: lastRoute,
    validateInput: (v) => (/^\s*(\/|[a-z][a-z0-9+.-]*:\/\/)\S*(\s+\S+)?\s*$/i.test(v) ? undefined : 'A URL such as http://example.com/ws/, optionally followed by a Host'),
  });
  if (!input?.trim()) return;
  lastRoute = input.trim();
  const [url, host] = lastRoute.split(/\s+/);
  const answer = await client.sendRequest<RouteAnswer | undefined>('workspace/executeCommand', { command: SERVER_COMMAND.route, arguments: [{ uri: doc?.uri.toString(), url, host }] });
  if (!answer) return;
  const out = output();
  for (const line of answer.lines) out.appendLine(line);
  if (answer.error && !answer.lines.length) out.appendLine(answer.error);
  out.appendLine('');
  out.show(true);
  const target = answer.location ?? answer.server;
  if (target) {
    const c = client.protocol2CodeConverter;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), { preserveFocus: false });
    const range = c.asRange(target.range);
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  void (answer.error ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(answer.summary);
}
