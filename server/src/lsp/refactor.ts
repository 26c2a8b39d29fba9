// Navigation and refactoring across the include graph: Go to Definition and Find All References
// of upstreams, named locations and variables, Rename (prepareRename says why not), Document
// Highlight, Document Links, folding and selection ranges, and the code actions that disable a
// code for a line or a file or open its page. The answers come from core/features/
// (references, links, folding, suppress); this file converts offsets, paths and URIs.
import {
  CodeActionKind, DocumentHighlightKind, SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend, type SemanticTokensParams, ErrorCodes, FoldingRangeKind, MessageType, ResponseError,
  type CodeAction, type CodeActionParams, type Definition, type DefinitionParams, type DocumentHighlight, type DocumentHighlightParams,
  type DocumentLink, type DocumentLinkParams, type FoldingRange, type FoldingRangeParams, type Location, type PrepareRenameParams,
  type Range, type ReferenceParams, type RenameParams, type SelectionRange, type SelectionRangeParams, type WorkspaceEdit,
} from 'vscode-languageserver';
import { SEMANTIC_MODIFIERS, SEMANTIC_TYPES, semanticTokens, definitionsAt, disableEdit, docsUrl, documentLinks, foldingRanges, highlightsAt, prepareRename as checkRename, referencesAt, renameAt, selectionRanges, type RefPlace } from '../core/index';
import type { FileId } from '../core/types';
import { SERVER_COMMAND } from '../protocol';
import { workspaceEdit } from './codeActions';
import { docOf, uriOf, type ServerContext } from './context';
import { LineMap, uriToFile } from './convert';
import { isDiagnosticData, SOURCE } from './diagnostics';
import { definition as navigationDefinition } from './navigation';
import type { Project } from './projects';

function at(ctx: ServerContext, uri: string, position: { line: number; character: number }) {
  const file = uriToFile(uri);
  if (file === undefined) return undefined;
  const project = ctx.projects.of(file);
  const ws = project.ws;
  const lines = new LineMap(ws.text(file) ?? '');
  return { file, project, ws, lines, offset: lines.span({ start: position, end: position }).start };
}

function locations(ctx: ServerContext, project: Project, places: RefPlace[]): Location[] {
  const maps = new Map<FileId, LineMap>();
  return places.map((p) => {
    let m = maps.get(p.file);
    if (!m) maps.set(p.file, (m = new LineMap(project.ws.text(p.file) ?? '')));
    return { uri: uriOf(ctx, project.pathFor(p.file)), range: m.range(p.span) };
  });
}

/** Go to Definition: an upstream, a named location or a variable; includes and the rest as navigation.ts answers. */
export function definition(ctx: ServerContext, params: DefinitionParams): Definition | null {
  const a = at(ctx, params.textDocument.uri, params.position);
  if (!a) return null;
  const defs = definitionsAt(a.ws, a.file, a.offset);
  if (defs) return locations(ctx, a.project, defs);
  return navigationDefinition(ctx, params);
}

export function references(ctx: ServerContext, params: ReferenceParams): Location[] {
  const a = at(ctx, params.textDocument.uri, params.position);
  if (!a) return [];
  return locations(ctx, a.project, referencesAt(a.ws, a.file, a.offset, params.context?.includeDeclaration !== false));
}

export function documentHighlight(ctx: ServerContext, params: DocumentHighlightParams): DocumentHighlight[] {
  const a = at(ctx, params.textDocument.uri, params.position);
  if (!a) return [];
  return highlightsAt(a.ws, a.file, a.offset).map((p) => ({ range: a.lines.range(p.span), kind: p.def ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}

/** The name's range and text, or an error the editor shows ("… is an nginx variable…"). */
export function prepareRename(ctx: ServerContext, params: PrepareRenameParams): { range: Range; placeholder: string } | ResponseError<void> | null {
  const a = at(ctx, params.textDocument.uri, params.position);
  if (!a) return null;
  const r = checkRename(a.ws, a.file, a.offset);
  if (!r.ok) return new ResponseError(ErrorCodes.InvalidRequest, r.message);
  return { range: a.lines.range(r.span), placeholder: r.placeholder };
}

export function rename(ctx: ServerContext, params: RenameParams): WorkspaceEdit | ResponseError<void> | null {
  const a = at(ctx, params.textDocument.uri, params.position);
  if (!a) return null;
  const r = renameAt(a.ws, a.file, a.offset, params.newName);
  if (!r.ok) return new ResponseError(ErrorCodes.InvalidRequest, r.message);
  return workspaceEdit(ctx, a.project, r.edits) ?? null;
}

export function links(ctx: ServerContext, params: DocumentLinkParams): DocumentLink[] {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return [];
  const project = ctx.projects.of(file);
  const lines = new LineMap(project.ws.text(file) ?? '');
  return documentLinks(project.ws, file).map((l) => ({
    range: lines.range(l.span),
    target: uriOf(ctx, project.pathFor(l.target)),
    tooltip: l.matches !== undefined ? `the first of ${l.matches} file${l.matches === 1 ? '' : 's'} it matches` : undefined,
  }));
}

export function folding(ctx: ServerContext, params: FoldingRangeParams): FoldingRange[] {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return [];
  const ws = ctx.projects.of(file).ws;
  const lines = new LineMap(ws.text(file) ?? '');
  const out: FoldingRange[] = [];
  for (const f of foldingRanges(ws, file)) {
    const { start, end } = lines.range({ start: f.start, end: f.end });
    if (end.line <= start.line) continue;
    out.push({ startLine: start.line, endLine: end.line, ...(f.kind ? { kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region } : {}) });
  }
  return out;
}

export function selection(ctx: ServerContext, params: SelectionRangeParams): SelectionRange[] {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return [];
  const ws = ctx.projects.of(file).ws;
  const lines = new LineMap(ws.text(file) ?? '');
  const offsets = params.positions.map((p) => lines.span({ start: p, end: p }).start);
  return selectionRanges(ws, file, offsets).map((chain) => {
    let out: SelectionRange | undefined;
    for (let i = chain.length - 1; i >= 0; i--) out = { range: lines.range(chain[i]), parent: out };
    return out ?? { range: lines.range({ start: offsets[0], end: offsets[0] }) };
  });
}

/**
 * "Disable <code> for this line", "… for this file" and "Show the documentation of <code>" for
 * each of our diagnostics in the request, after the fixes: a suppression comment the rules'
 * runner reads, and the code's page.
 */
export function disableActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return [];
  const project = ctx.projects.owner(file);
  const version = docOf(ctx, file)?.version ?? null;
  const lines = new LineMap(project.ws.text(file) ?? '');
  const out: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diag of params.context.diagnostics) {
    if (diag.source !== SOURCE || typeof diag.code !== 'string') continue;
    const data = isDiagnosticData(diag.data) ? diag.data : undefined;
    if (data && data.version !== null && data.version !== version) continue;
    const code = diag.code;
    const offset = lines.span(diag.range).start;
    const one = (title: string, scope: 'line' | 'file', key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      const e = disableEdit(project.ws, file, code, offset, scope);
      const edit = e && workspaceEdit(ctx, project, [e]);
      if (edit) out.push({ title, kind: CodeActionKind.QuickFix, isPreferred: false, diagnostics: [diag], edit });
    };
    one(`Disable ${code} for this line`, 'line', `line:${code}:${diag.range.start.line}`);
    one(`Disable ${code} for this file`, 'file', `file:${code}`);
    if (!seen.has(`docs:${code}`)) {
      seen.add(`docs:${code}`);
      const url = docsUrl(code);
      out.push({ title: `Show the documentation of ${code}`, kind: CodeActionKind.QuickFix, isPreferred: false, diagnostics: [diag], command: { title: `Show the documentation of ${code}`, command: SERVER_COMMAND.showDocs, arguments: [url] } });
    }
  }
  return out;
}

/** The server side of "Show the documentation": the client opens the page in a browser, or is told where it is. */
export async function showDocs(ctx: ServerContext, url: unknown): Promise<void> {
  if (typeof url !== 'string' || !/^https:\/\//.test(url)) return;
  try {
    const r = await ctx.connection.window.showDocument({ uri: url, external: true });
    if (r.success) return;
  } catch {
    // a client without window/showDocument
  }
  await ctx.connection.sendNotification('window/showMessage', { type: MessageType.Info, message: `The documentation: ${url}` });
}

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...SEMANTIC_TYPES], tokenModifiers: [...SEMANTIC_MODIFIERS] };

/** textDocument/semanticTokens/full: the core's tokens, as line/character deltas. */
export function semantic(ctx: ServerContext, params: SemanticTokensParams): SemanticTokens {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return { data: [] };
  const ws = ctx.projects.of(file).ws;
  const lines = new LineMap(ws.text(file) ?? '');
  const b = new SemanticTokensBuilder();
  for (const t of semanticTokens(ws, file)) {
    const r = lines.range({ start: t.start, end: t.end });
    if (r.start.line !== r.end.line) continue; // a token never spans lines
    const mods = t.modifiers.reduce((m, x) => m | (1 << SEMANTIC_MODIFIERS.indexOf(x)), 0);
    b.push(r.start.line, r.start.character, r.end.character - r.start.character, SEMANTIC_TYPES.indexOf(t.type), mods);
  }
  return b.build();
}
