// The palette commands. "Insert upgrade map" forwards to the server with the active document;
// "Check endpoint…" runs the WebSocket probe here in the extension host, and only then touches
// the network.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { probe, parseTarget } from '../../server/src/probe/probe';
import { formatReport } from '../../server/src/probe/report';
import { optionDefault } from '../../server/src/core/index';

import { CLIENT_COMMANDS, ENDPOINTS_REQUEST, SERVER_COMMAND, type EndpointSuggestion } from '../../server/src/protocol';
import { whichLocation } from './route';

export const INSERT_UPGRADE_MAP = CLIENT_COMMANDS.insertUpgradeMap;
export const CHECK_ENDPOINT = CLIENT_COMMANDS.checkEndpoint;
export const WHICH_LOCATION = CLIENT_COMMANDS.whichLocation;

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  let channel: vscode.OutputChannel | undefined;
  let routeChannel: vscode.OutputChannel | undefined;
  const output = () => (channel ??= vscode.window.createOutputChannel('nginx WebSocket: endpoint check'));
  context.subscriptions.push(
    { dispose: () => channel?.dispose() },
    vscode.commands.registerCommand(INSERT_UPGRADE_MAP, () =>
      client.sendRequest('workspace/executeCommand', { command: SERVER_COMMAND.insertUpgradeMap, arguments: [vscode.window.activeTextEditor?.document.uri.toString()] }),
    ),
    vscode.commands.registerCommand(CHECK_ENDPOINT, () => checkEndpoint(client, output)),
    { dispose: () => routeChannel?.dispose() },
    vscode.commands.registerCommand(WHICH_LOCATION, () => whichLocation(client, () => (routeChannel ??= vscode.window.createOutputChannel('nginx WebSocket: route')))),
  );
}

async function checkEndpoint(client: LanguageClient, output: () => vscode.OutputChannel): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  const url = await pickUrl(client, doc?.uri);
  if (!url) return;
  const cfg = vscode.workspace.getConfiguration('nginxWebSocket', doc?.uri);
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking ${url}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return probe(url, {
        timeoutMs: cfg.get<number>('probe.timeoutMs', optionDefault<number>('probe.timeoutMs')),
        origin: cfg.get<string>('probe.origin') || undefined,
        insecure: cfg.get<boolean>('probe.allowSelfSigned', optionDefault<boolean>('probe.allowSelfSigned')),
        signal: abort.signal,
        onProgress: (step) => progress.report({ message: step }),
      });
    },
  );
  const out = output();
  out.appendLine(formatReport(report));
  out.appendLine('');
  out.show(true);
  const show = report.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(`${report.ok ? 'WebSocket OK' : 'WebSocket check failed'}: ${report.summary}`);
}

/** The endpoints the open configuration serves (from the server), plus a free-form URL. */
async function pickUrl(client: LanguageClient, uri: vscode.Uri | undefined): Promise<string | undefined> {
  let found: EndpointSuggestion[] = [];
  try {
    found = await client.sendRequest<EndpointSuggestion[]>(ENDPOINTS_REQUEST, { uri: uri?.toString() });
  } catch {
    // no suggestions: the input box still works
  }
  const ENTER = 'Enter a URL…';
  const items: vscode.QuickPickItem[] = [
    ...found.map((e) => ({ label: e.url, detail: `${e.reason} (${vscode.workspace.asRelativePath(e.file)})` })),
    { label: ENTER, alwaysShow: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'nginx WebSocket: Check endpoint', placeHolder: 'A ws:// or wss:// URL to open a WebSocket connection to' });
  if (!pick) return undefined;
  if (pick.label !== ENTER) return pick.label;
  return vscode.window.showInputBox({
    title: 'nginx WebSocket: Check endpoint',
    prompt: 'A ws:// or wss:// URL',
    value: found[0]?.url ?? 'ws://localhost/',
    validateInput: (v) => {
      try {
        parseTarget(v.trim());
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  }).then((v) => v?.trim() || undefined);
}

