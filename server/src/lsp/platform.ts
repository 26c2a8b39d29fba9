// What differs between the language server on a machine (Node: the disk, nginx -t) and in VS Code
// for the Web (a Worker: the editor's file system, no process). serve.ts wires the same handlers
// for both; each entry hands it its Platform.
import type { FileId, Host } from '../core/types';
import type { ServerContext } from './context';
import type { Publisher } from './publisher';

/** What a folder scan found (the Node scan's result has this shape). */
export interface FolderScan {
  files: FileId[];
  /** Directories read (0 when the platform does not walk them itself). */
  dirs: number;
  /** Why the scan stopped early, when it did. */
  truncated?: string;
}

/** A project file found for a folder (`.nginx-ws.json` or package.json's key), with its problems. */
export interface FoundProject {
  file: string;
  values: Record<string, unknown>;
  problems: { severity: string; message: string }[];
}

/** nginx -t: on save, on the command, and again when settings or trust change. */
export interface SaveChecker {
  onSave(file: FileId): Promise<void>;
  onCommand(uri: unknown): Promise<void>;
  refresh(): Promise<void> | void;
}

export interface Platform {
  /** Where the core reads files that are not open. */
  readonly host: Host;
  /** The nginx files of a workspace folder. */
  scanFolder(root: FileId, folderUri: string, onProgress: (dirs: number, found: number) => void): Promise<FolderScan>;
  /** The project file that applies to a folder, if any. */
  readProject(folder: FileId): FoundProject | undefined;
  /** A file changed outside the editor's buffers (the file watcher): drop what the host keeps of it. */
  forget?(file: FileId): void;
  /** nginx -t for this server (the web's says it is desktop-only). */
  saveChecker(ctx: ServerContext, publisher: Publisher): SaveChecker;
}
