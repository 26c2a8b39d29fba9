// "Effective configuration, shown": inlay hints beside every proxy_pass (what nginx sends
// upstream) and beside proxy_set_header lines that inheritance drops, and the same view added to
// the hover of proxy_pass. The views come from core/features/effectiveView.ts; this file turns
// offsets into positions and places into links.
//
// Inlay hints rather than code lenses: the note sits at the end of the line it is about instead
// of adding a line above every location, its parts link to the lines they come from, its tooltip
// holds the whole view, and a dropped line gets its note on the very line nginx ignores.
import { InlayHintKind, MarkupKind, type Hover, type HoverParams, type InlayHint, type InlayHintLabelPart, type InlayHintParams } from 'vscode-languageserver';
import { droppedMarkdown, droppedSummary, effectiveViews, summaryParts, viewMarkdown, type ViewPlace } from '../core/index';
import type { FileId } from '../core/types';
import { uriOf, type ServerContext } from './context';
import { LineMap, uriToFile } from './convert';
import { settingsOf } from './settings';

function placeWriter(ctx: ServerContext, from: FileId, texts: (f: FileId) => string) {
  const maps = new Map<FileId, LineMap>();
  const map = (f: FileId) => {
    let m = maps.get(f);
    if (!m) maps.set(f, (m = new LineMap(texts(f))));
    return m;
  };
  const range = (p: ViewPlace) => map(p.file).range(p.span);
  const where = (p: ViewPlace) => {
    const line = range(p).start.line + 1;
    const name = p.file === from ? 'line ' + line : `${relative(from, p.file)}:${line}`;
    return `[${name}](${uriOf(ctx, p.file)}#L${line})`;
  };
  return { range, where, location: (p: ViewPlace) => ({ uri: uriOf(ctx, p.file), range: range(p) }) };
}

async function enabled(ctx: ServerContext, file: FileId): Promise<boolean> {
  const [settings] = await settingsOf(ctx, [ctx.projects.of(file)]);
  return settings.effectiveConfig.enable;
}

export async function inlayHints(ctx: ServerContext, params: InlayHintParams): Promise<InlayHint[]> {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined || !(await enabled(ctx, file))) return [];
  const ws = ctx.projects.of(file).ws;
  const text = ws.text(file) ?? '';
  const lines = new LineMap(text);
  const visible = lines.span(params.range);
  const w = placeWriter(ctx, file, (f) => ws.text(f) ?? '');
  const views = effectiveViews(ws, file);
  const out: InlayHint[] = [];
  const inRange = (at: number) => at >= visible.start && at <= visible.end;
  for (const v of views.proxies) {
    if (!inRange(v.hintAt)) continue;
    const tooltip = { kind: MarkupKind.Markdown, value: viewMarkdown(v, w.where) };
    const label: InlayHintLabelPart[] = [...summaryParts(v).map((p) => (p.from ? { value: p.text, location: w.location(p.from) } : { value: p.text }))];
    out.push({ position: lines.range({ start: v.hintAt, end: v.hintAt }).start, label, kind: InlayHintKind.Type, paddingLeft: true, tooltip });
  }
  for (const d of views.dropped) {
    if (!inRange(d.hintAt)) continue;
    out.push({
      position: lines.range({ start: d.hintAt, end: d.hintAt }).start,
      label: droppedSummary(d),
      paddingLeft: true,
      tooltip: { kind: MarkupKind.Markdown, value: droppedMarkdown(d, w.where) },
    });
  }
  return out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

/** The hover with, on a proxy_pass, what nginx sends upstream added below what `base` says. */
export async function withEffectiveHover(ctx: ServerContext, params: HoverParams, base: Hover | null): Promise<Hover | null> {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined || !(await enabled(ctx, file))) return base;
  const ws = ctx.projects.of(file).ws;
  const lines = new LineMap(ws.text(file) ?? '');
  const at = lines.span({ start: params.position, end: params.position }).start;
  const views = effectiveViews(ws, file);
  const w = placeWriter(ctx, file, (f) => ws.text(f) ?? '');
  const v = views.proxies.find((p) => at >= p.span.start && at <= p.span.end);
  const d = v ? undefined : views.dropped.find((x) => at >= x.span.start && at <= x.span.end);
  const extra = v ? viewMarkdown(v, w.where) : d ? droppedMarkdown(d, w.where) : undefined;
  if (!extra) return base;
  const before = base && typeof base.contents === 'object' && 'kind' in base.contents ? base.contents.value : '';
  return { contents: { kind: MarkupKind.Markdown, value: before ? `${before}\n\n---\n\n${extra}` : extra }, range: base?.range ?? lines.range((v ?? d)!.span) };
}

function relative(from: FileId, to: FileId): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return i === 0 ? to : [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/** How long after the last edit the client is asked to fetch the hints again. */
const REFRESH_MS = 400;

/**
 * An edit in one file changes the hints of others (a server's lines in nginx.conf, the locations
 * in conf.d/): after a pause, clients that can (workspace.inlayHint.refreshSupport) are asked to
 * fetch every visible file's hints again. The edited file's own are fetched by the client anyway.
 */
export function wireInlayRefresh(ctx: ServerContext, canRefresh: () => boolean): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  ctx.documents.onDidChangeContent(() => {
    if (!canRefresh()) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      ctx.connection.languages.inlayHint.refresh().catch((e: Error) => ctx.connection.console.warn(`inlay hint refresh: ${e.message}`));
    }, REFRESH_MS);
  });
}
