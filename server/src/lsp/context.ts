// What every handler shares: the connection, open documents, projects and the client's abilities.
import type { Connection, InitializeParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileId } from '../core/types';
import { fileToUri } from './convert';
import type { Projects } from './projects';
import type { Platform } from './platform';

/** The client features the server adapts to. */
export interface ClientCaps {
  configuration: boolean;
  /** The client tells the server when settings change (we register for it): fetched settings may be kept until then. */
  configurationChanges: boolean;
  relatedInformation: boolean;
  workDoneProgress: boolean;
  dynamicWatchers: boolean;
  createFiles: boolean;
  /** The client asks for a code action's edit only when the user picks it (codeAction/resolve). */
  resolveEdits: boolean;
}

export function clientCaps(params: InitializeParams): ClientCaps {
  const c = params.capabilities;
  return {
    configuration: !!c.workspace?.configuration,
    configurationChanges: !!c.workspace?.didChangeConfiguration?.dynamicRegistration,
    relatedInformation: !!c.textDocument?.publishDiagnostics?.relatedInformation,
    workDoneProgress: !!c.window?.workDoneProgress,
    dynamicWatchers: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    createFiles: !!c.workspace?.workspaceEdit?.resourceOperations?.includes('create'),
    resolveEdits: !!c.textDocument?.codeAction?.resolveSupport?.properties.includes('edit'),
  };
}

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly projects: Projects;
  /** The disk and nginx -t on a machine, the editor's file system in the web. */
  readonly platform: Platform;
  caps: ClientCaps;
  /** URIs of open documents as the client spelled them, by FileId. */
  readonly openUris: Map<FileId, string>;
  /**
   * Whether the editor trusts the workspace (VS Code's client says so in initializationOptions
   * and after a grant). Untrusted: no executable is ever run. A client that does not say is
   * untrusted: running an executable on a workspace's files is opted into, never assumed.
   */
  trusted: boolean;
  /** Settings the client pushed (initializationOptions.settings, didChangeConfiguration), for clients that are not asked. */
  pushedSettings?: Record<string, unknown>;
  /** Project-file problems already shown, each once. */
  told?: Set<string>;
}

/** initializationOptions.trusted: only an explicit `true` trusts the workspace. */
export function trustOf(params: InitializeParams): boolean {
  const o = params.initializationOptions as { trusted?: unknown } | undefined;
  return o?.trusted === true;
}

/** The URI to use for a file: the client's own spelling when it is open. */
export function uriOf(ctx: ServerContext, file: FileId): string {
  return ctx.openUris.get(file) ?? fileToUri(file);
}

/** The open document of a file, if any. */
export function docOf(ctx: ServerContext, file: FileId): TextDocument | undefined {
  const uri = ctx.openUris.get(file);
  return uri === undefined ? undefined : ctx.documents.get(uri);
}
