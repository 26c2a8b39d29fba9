// The names client and server agree on: command ids, custom requests and notifications, and the
// shapes they carry. Both sides import this module (it imports nothing), so a name is written once.

/** The client's palette commands (package.json contributes them). */
export const CLIENT_COMMANDS = {
  insertUpgradeMap: 'nginxWebSocket.insertUpgradeMap',
  checkEndpoint: 'nginxWebSocket.checkEndpoint',
  runNginxTest: 'nginxWebSocket.runNginxTest',
} as const;

/** workspace/executeCommand ids the server implements. */
export const SERVER_COMMAND = {
  /** Arguments: the active document's URI. */
  insertUpgradeMap: 'nginxWebSocket.server.insertUpgradeMap',
  /** Arguments: the active document's URI (optional). Runs nginx -t on its tree now. */
  runNginxTest: 'nginxWebSocket.server.runNginxTest',
  /** Arguments: the https URL of a code's page. The client opens it (window/showDocument). */
  showDocs: 'nginxWebSocket.server.showDocs',
} as const;

/** Request: `{ uri?: string }` → EndpointSuggestion[]. */
export const ENDPOINTS_REQUEST = 'nginxWebSocket/endpoints';
/** Client → server: `{ trusted: boolean }` after the user grants workspace trust. */
export const TRUST_NOTIFICATION = 'nginxWebSocket/didChangeTrust';
/** Server → client: the last nginx -t result (NginxTestStatus). */
export const NGINX_TEST_STATUS_NOTIFICATION = 'nginxWebSocket/nginxTestStatus';

export interface EndpointSuggestion {
  url: string;
  reason: string;
  file: string;
  offset: number;
}

/**
 * What the last nginx -t did. passed / failed: it ran (failed: nginx refused the tree);
 * incomplete: it ran but something that exists only on the server was set aside (see the
 * Information diagnostics); notRun: it did not run, `reason` says why.
 */
export type NginxTestState = 'running' | 'passed' | 'failed' | 'incomplete' | 'notRun';
export type NginxTestReason = 'untrusted' | 'noBinary' | 'disabled' | 'fragment' | 'unseen' | 'timeout' | 'error' | 'noFile' | 'notYet';

export interface NginxTestStatus {
  state: NginxTestState;
  reason?: NginxTestReason;
  /** One line for the status bar's tooltip. */
  detail: string;
  /** The main configuration it ran on (a URI), when there was one. */
  root?: string;
}
