// The status bar item of nginx -t: the last result the server reported (passed, failed, or not
// run and why), with its detail in the tooltip. Clicking it runs nginx -t on the active file's
// configuration now (nginxWebSocket.runNginxTest), through the server, which alone runs nginx.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CLIENT_COMMANDS, NGINX_TEST_STATUS_NOTIFICATION, SERVER_COMMAND, type NginxTestStatus } from '../../server/src/protocol';

const NOT_RUN: Record<NonNullable<NginxTestStatus['reason']>, string> = {
  untrusted: 'untrusted',
  noBinary: 'no nginx',
  disabled: 'off',
  fragment: 'fragment',
  unseen: 'not run',
  timeout: 'timed out',
  error: 'not run',
  noFile: 'not run',
  notYet: 'not run yet',
};

/** What the item shows for a status: an icon and a few words. */
export function statusText(s: NginxTestStatus): string {
  switch (s.state) {
    case 'running': return '$(sync~spin) nginx -t';
    case 'passed': return '$(check) nginx -t';
    case 'incomplete': return '$(check) nginx -t (partial)';
    case 'failed': return '$(error) nginx -t';
    case 'notRun': return `$(circle-slash) nginx -t: ${NOT_RUN[s.reason ?? 'error']}`;
  }
}

export function registerStatus(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('nginxWebSocket.nginxTest', vscode.StatusBarAlignment.Left, 10);
  item.name = 'nginx -t';
  item.command = CLIENT_COMMANDS.runNginxTest;
  item.text = '$(circle-outline) nginx -t';
  item.tooltip = vscode.workspace.isTrusted ? 'nginx -t has not run yet: save an nginx file, or click to run it' : 'nginx -t not run: this workspace is not trusted';
  const show = () => {
    const lang = vscode.window.activeTextEditor?.document.languageId;
    if (lang === 'nginx' || lang === 'NGINX') item.show(); else item.hide();
  };
  show();
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(show),
    client.onNotification(NGINX_TEST_STATUS_NOTIFICATION, (s: NginxTestStatus) => {
      item.text = statusText(s);
      item.tooltip = `${s.detail}\n\nClick to run nginx -t now.`;
      item.backgroundColor = s.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    }),
    vscode.commands.registerCommand(CLIENT_COMMANDS.runNginxTest, () =>
      client.sendRequest('workspace/executeCommand', { command: SERVER_COMMAND.runNginxTest, arguments: [vscode.window.activeTextEditor?.document.uri.toString()] }),
    ),
  );
}
