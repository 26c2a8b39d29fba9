// One core Workspace per workspace folder (settings are per folder), plus one for files
// outside every folder and for untitled buffers.
import { Workspace } from '../core/index';
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

  /**
   * Every file whose findings this project can produce: scanned, open, and reached through
   * includes; once per real file, under the path pathFor() gives.
   */
  knownFiles(): FileId[] {
    const all = new Set<FileId>([...this.scanned, ...this.open]);
    for (const r of this.ws.analysis().values()) for (const f of r.files) all.add(f);
    const out = new Set<FileId>();
    for (const f of all) out.add(this.pathFor(f));
    return [...out].sort();
  }

  /**
   * The one path a file is shown under when it has several (sites-enabled/app, a link to
   * sites-available/app): the path it is open under; else its real path, when that is in the
   * folder; else the first of its paths that is.
   */
  pathFor(file: FileId): FileId {
    this.ws.analysis();
    const paths = this.ws.samePaths(file);
    if (paths.length === 1) return file;
    const open = paths.find((p) => this.open.has(p));
    if (open !== undefined) return open;
    const real = this.ws.canonical(file);
    if (this.folder === undefined || this.contains(real)) return real;
    return paths.find((p) => this.contains(p)) ?? real;
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
