// Open buffers: their text becomes the Workspace overlay at once (cheap); analysis is debounced.
import type { TextDocumentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from './context';
import { uriToFile } from './convert';
import type { Guard } from './guard';
import { KEYSTROKE_MS, type Publisher } from './publisher';

export function wireDocuments(ctx: ServerContext, publisher: Publisher, guard: Guard): void {
  const openedAt = new Map<string, number>();

  ctx.documents.onDidOpen(guard('didOpen', undefined, ({ document }: TextDocumentChangeEvent<TextDocument>) => {
    const file = uriToFile(document.uri);
    if (file === undefined) return; // a scheme we cannot analyse (git:, vscode-vfs:, ...)
    ctx.openUris.set(file, document.uri);
    openedAt.set(document.uri, document.version);
    ctx.projects.of(file).openFile(file, document.getText());
    publisher.changed(file, 0);
  }));

  ctx.documents.onDidChangeContent(guard('didChange', undefined, ({ document }: TextDocumentChangeEvent<TextDocument>) => {
    if (openedAt.get(document.uri) === document.version) return; // the open itself, handled above
    openedAt.delete(document.uri);
    const file = uriToFile(document.uri);
    if (file === undefined) return;
    ctx.projects.of(file).ws.setOverlay(file, document.getText());
    publisher.changed(file, KEYSTROKE_MS);
  }));

  ctx.documents.onDidClose(guard('didClose', undefined, ({ document }: TextDocumentChangeEvent<TextDocument>) => {
    openedAt.delete(document.uri);
    const file = uriToFile(document.uri);
    if (file === undefined) return;
    ctx.openUris.delete(file);
    for (const p of ctx.projects.all()) if (p.open.has(file)) p.closeFile(file);
    publisher.changed(file, 0); // back to the disk text, or cleared when nothing else knows the file
  }));
}
