// The names client and server agree on: command ids, custom requests and notifications, and the
// shapes they carry. Both sides import this module (it imports nothing), so a name is written once.

/** The client's palette commands (package.json contributes them). */
export const CLIENT_COMMANDS = {
  insertUpgradeMap: 'nginxWebSocket.insertUpgradeMap',
  checkEndpoint: 'nginxWebSocket.checkEndpoint',
  runNginxTest: 'nginxWebSocket.runNginxTest',
  whichLocation: 'nginxWebSocket.whichLocation',
} as const;

/** workspace/executeCommand ids the server implements. */
export const SERVER_COMMAND = {
  /** Arguments: the active document's URI. */
  insertUpgradeMap: 'nginxWebSocket.server.insertUpgradeMap',
  /** Arguments: the active document's URI (optional). Runs nginx -t on its tree now. */
  runNginxTest: 'nginxWebSocket.server.runNginxTest',
  /** Arguments: `{ uri?: string, url: string, host?: string }` (uri: the active document). Returns a RouteAnswer. */
  route: 'nginxWebSocket.server.route',
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

// VS Code for the Web: the server runs in a Worker with no disk, so it reads through the
// client's workspace.fs (the client answers these requests; a desktop client is never asked).

/** Server → client: `ReadFileParams` → `ReadFileResult` (the file's text, or why there is none). */
export const READ_FILE_REQUEST = 'nginxWebSocket/readFile';
/** Server → client: `{ uri }` → `[name, kind][]` of a directory (kind: 'file' | 'dir'), or null when it is none. */
export const READ_DIRECTORY_REQUEST = 'nginxWebSocket/readDirectory';
/** Server → client: `FindFilesParams` → the URIs of the folder's files matching the globs (workspace.findFiles). */
export const FIND_FILES_REQUEST = 'nginxWebSocket/findFiles';

export interface ReadFileParams {
  uri: string;
  /** Larger files are not sent (`tooLarge`). */
  maxBytes: number;
}

/** `text` when read; `missing` when nothing is there; `error` (user-facing) when it exists but cannot be analysed. */
export type ReadFileResult = { text: string } | { missing: true } | { error: string };

export type DirectoryEntry = [name: string, kind: 'file' | 'dir'];

export interface FindFilesParams {
  folderUri: string;
  globs: string[];
  maxResults: number;
}

/** A place in a document: its URI and LSP range (0-based lines and UTF-16 characters). */
export interface DocumentPlace {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** The answer of SERVER_COMMAND.route: which server and location nginx picks for a URL. */
export interface RouteAnswer {
  /** Why no answer (a URL that does not parse, nothing listening there). */
  error?: string;
  /** One line for a notification. */
  summary: string;
  /** The whole report (server, location, why, upstream WebSocket headers, notes), as the CLI prints it. */
  lines: string[];
  server?: DocumentPlace;
  location?: DocumentPlace;
}
