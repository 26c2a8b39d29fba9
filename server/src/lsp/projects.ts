// One core Workspace per workspace folder (settings are per folder), plus one for files
// outside every folder and for untitled buffers.
import { Workspace } from '../core/model/workspace';
import type { FileId, Host } from '../core/types';

export class Project {
  readonly ws: Workspace;
  /** Files found by the folder scan or the file watcher. */
  readonly scanned = new Set<FileId>();
  /** Files open in the editor (their text is an overlay). */
  readonly open = new Set<FileId>();
  /** JSON of the analysis options last applied, to notice a settings change. */
  optionsKey = '';

  constructor(readonly folder: FileId | undefined, readonly scopeUri: string | undefined, readonly host: Host) {
    this.ws = new Workspace(host);
  }

  contains(file: FileId): boolean {
    return this.folder !== undefined && (file === this.folder || file.startsWith(this.folder.endsWith('/') ? this.folder : this.folder + '/'));
  }

  /** Every file whose findings this project can produce: scanned, open, and reached through includes. */
  knownFiles(): FileId[] {
    const out = new Set<FileId>([...this.scanned, ...this.open]);
    for (const r of this.ws.analysis().values()) for (const f of r.files) out.add(f);
    return [...out].sort();
  }

  addScanned(files: Iterable<FileId>): void {
    for (const f of files) this.scanned.add(f);
    this.ws.setFiles([...this.scanned, ...this.open]);
  }

  openFile(file: FileId, text: string): void {
    this.open.add(file);
    this.ws.addFile(file);
    this.ws.setOverlay(file, text);
  }

  closeFile(file: FileId): void {
    this.open.delete(file);
    this.ws.setOverlay(file, undefined);
    if (!this.scanned.has(file)) this.ws.removeFile(file);
  }
}

export class Projects {
  private folders: Project[] = [];
  readonly loose: Project;

  constructor(private readonly host: Host) {
    this.loose = new Project(undefined, undefined, host);
  }

  all(): Project[] {
    return [...this.folders, this.loose];
  }

  /** The project of the innermost folder holding the file, or the loose one. */
  of(file: FileId): Project {
    let best: Project | undefined;
    for (const p of this.folders) if (p.contains(file) && (!best || p.folder!.length > best.folder!.length)) best = p;
    return best ?? this.loose;
  }

  /**
   * The project whose findings are published for a file: its folder's, or for a file outside
   * every folder that a folder's config includes (e.g. /etc/nginx/mime.types), that folder's.
   */
  owner(file: FileId): Project {
    const p = this.of(file);
    if (p !== this.loose || p.open.has(file)) return p;
    return this.folders.find((f) => f.ws.rootsOf(file).length > 0) ?? p;
  }

  addFolder(folder: FileId, uri: string): Project {
    const p = new Project(folder, uri, this.host);
    this.folders.push(p);
    return p;
  }

  removeFolder(folder: FileId): Project | undefined {
    const i = this.folders.findIndex((p) => p.folder === folder);
    return i < 0 ? undefined : this.folders.splice(i, 1)[0];
  }
}
