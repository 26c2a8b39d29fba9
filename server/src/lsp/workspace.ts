// Keeps the projects in step with the workspace folders and the disk: scan on start-up,
// file-watcher events afterwards.
import { DidChangeWatchedFilesNotification, FileChangeType, MessageType, ShowMessageNotification, type DidChangeWatchedFilesParams, type WorkspaceFolder, type WorkspaceFoldersChangeEvent } from 'vscode-languageserver';
import type { FileId } from '../core/types';
import { PROJECT_FILE } from '../core/index';
import { isNginxFileName } from '../host/names';
import type { ServerContext } from './context';
import { uriToFile } from './convert';
import type { Project } from './projects';
import type { Publisher } from './publisher';

/** What nginx configs are called, plus the usual include targets with other names. */
export const WATCH_GLOBS = ['**/*.conf', '**/*.conf.template', '**/*.nginx', '**/*.nginxconf', '**/sites-available/*', '**/sites-enabled/*', '**/snippets/*', '**/*.types', '**/*_params', `**/${PROJECT_FILE}`, '**/package.json'];

/** A project file (or a package.json that may hold one): its change can change every folder's settings. */
const isProjectFile = (file: FileId) => (file.endsWith('/' + PROJECT_FILE) || file.endsWith('/package.json')) && !file.includes('/node_modules/');

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function addFolders(ctx: ServerContext, publisher: Publisher, folders: WorkspaceFolder[]): Promise<void> {
  if (!folders.length) return;
  const progress = ctx.caps.workDoneProgress ? await ctx.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
  progress?.begin('nginx WebSocket', 0, 'Looking for nginx files', false);
  const added: Project[] = [];
  try {
    for (const [i, folder] of folders.entries()) {
      const root = uriToFile(folder.uri);
      if (root === undefined || root.startsWith('/.untitled/')) continue;
      progress?.report(Math.round((100 * i) / folders.length), `Scanning ${folder.name}`);
      await tick();
      // time-sliced: edits and requests are served while a large folder is read. The folder's
      // project exists only once its files are known: until then its open files stay where they
      // were opened (a save meanwhile is checked with what is known, never with an empty project)
      const scan = await ctx.platform.scanFolder(root, folder.uri,
        (dirs, found) => progress?.report(Math.round((100 * i) / folders.length), `Scanning ${folder.name}: ${dirs} folders, ${found} nginx files`),
      );
      const files = scan.files;
      ctx.connection.console.info(`${folder.name}: ${files.length} nginx file${files.length === 1 ? '' : 's'} in ${scan.dirs} folders${scan.truncated ? ` (${scan.truncated}; the rest is analysed when opened)` : ''}`);
      if (scan.truncated) void ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `nginx WebSocket: ${folder.name} has more nginx files than the scan takes (${scan.truncated}). Files beyond that are analysed when you open them.` });
      const project = ctx.projects.addFolder(root, folder.uri);
      project.addScanned(files);
      rehomeOpenFiles(ctx);
      added.push(project);
    }
  } finally {
    progress?.done();
  }
  publisher.refreshProjects(added);
}

export function removeFolders(ctx: ServerContext, publisher: Publisher, folders: WorkspaceFolder[]): void {
  const orphaned: FileId[] = [];
  for (const folder of folders) {
    const root = uriToFile(folder.uri);
    const p = root === undefined ? undefined : ctx.projects.removeFolder(root);
    if (p) for (const f of p.knownFiles()) orphaned.push(f);
  }
  rehomeOpenFiles(ctx);
  publisher.refresh(orphaned); // now owned by another project or none: republished or cleared
}

export function onFoldersChanged(ctx: ServerContext, publisher: Publisher, e: WorkspaceFoldersChangeEvent): Promise<void> {
  removeFolders(ctx, publisher, e.removed);
  return addFolders(ctx, publisher, e.added);
}

/** Open buffers belong to the innermost folder holding them; move them after folders change. */
function rehomeOpenFiles(ctx: ServerContext): void {
  for (const [file, uri] of ctx.openUris) {
    const target = ctx.projects.of(file);
    if (target.open.has(file)) continue;
    for (const p of ctx.projects.all()) if (p.open.has(file)) p.closeFile(file);
    target.openFile(file, ctx.documents.get(uri)?.getText() ?? '');
  }
}

export async function watchFiles(ctx: ServerContext): Promise<void> {
  if (!ctx.caps.dynamicWatchers) return;
  await ctx.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCH_GLOBS.map((globPattern) => ({ globPattern })) });
}

export function onWatchedFiles(ctx: ServerContext, publisher: Publisher, params: DidChangeWatchedFilesParams): void {
  if (params.changes.some((c) => { const f = uriToFile(c.uri); return f !== undefined && isProjectFile(f); })) publisher.refreshProjects(ctx.projects.all());
  const changes = params.changes.flatMap((c) => {
    const file = uriToFile(c.uri);
    return file === undefined ? [] : [{ file, type: c.type, project: ctx.projects.of(file) }];
  });
  // who depends on what, under the include graph before any of these changes
  for (const c of changes) publisher.rememberDependents(c.file);
  for (const { file, type, project } of changes) {
    if (type === FileChangeType.Created && project.folder !== undefined && isNginxFileName(file)) {
      project.scanned.add(file);
      project.ws.addFile(file);
    } else if (type === FileChangeType.Deleted) {
      const under = file.endsWith('/') ? file : file + '/';
      for (const f of [...project.scanned]) {
        if (f !== file && !f.startsWith(under)) continue; // a deleted folder takes its files along
        project.scanned.delete(f);
        if (!project.open.has(f)) project.ws.removeFile(f);
        publisher.changed(f);
      }
      project.ws.invalidate(file);
    } else project.ws.invalidate(file);
    publisher.changed(file);
  }
}
