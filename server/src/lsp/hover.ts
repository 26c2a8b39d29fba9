// Hover: the core's whole story of what is under the cursor (core/features/hover.ts); this file
// converts offsets and names places as links the reader can follow.
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { hoverAt, type Place } from '../core/index';
import type { FileId } from '../core/types';
import { uriOf, type ServerContext } from './context';
import { LineMap, uriToFile } from './convert';

export function hover(ctx: ServerContext, params: HoverParams): Hover | null {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return null;
  const ws = ctx.projects.of(file).ws;
  const lines = new LineMap(ws.text(file) ?? '');
  const offset = lines.span({ start: params.position, end: params.position }).start;
  const h = hoverAt(ws, file, offset, placeLink(ctx, file, (f) => ws.text(f)));
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: lines.range(h.span) } : null;
}

/** A place as a Markdown link: `conf.d/app.conf:12` relative to the file being read. */
export function placeLink(ctx: ServerContext, from: FileId, text: (f: FileId) => string | undefined): (p: Place) => string {
  return (p) => {
    const line = new LineMap(text(p.file) ?? '').range(p.span).start.line + 1;
    return `[${relativePath(from, p.file)}${p.span.end > 0 ? `:${line}` : ''}](${uriOf(ctx, p.file)}#L${line})`;
  };
}

/** A place as plain text: `nginx.conf:3`. */
export function placeText(from: FileId, text: (f: FileId) => string | undefined): (p: Place) => string {
  return (p) => `${relativePath(from, p.file)}:${new LineMap(text(p.file) ?? '').range(p.span).start.line + 1}`;
}

/** A short name for a file, relative to the one being read when they share a folder tree. */
export function relativePath(from: FileId, to: FileId): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return i === 0 ? to : [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
