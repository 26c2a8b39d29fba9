// Go to Definition (the map or set of a `$variable`, the files of an include). The answers
// come from core/features/navigate.ts; this file converts offsets and paths for the protocol.
import { SymbolKind, type Definition, type DocumentSymbol, type DocumentSymbolParams, type DefinitionParams, type SymbolInformation, type WorkspaceSymbolParams } from 'vscode-languageserver';
import { definitionsOf, includeTargets, outline, symbolAt, type OutlineItem, type Place } from '../core/index';
import { uriOf, type ServerContext } from './context';
import { LineMap, uriToFile } from './convert';

function at(ctx: ServerContext, uri: string, position: { line: number; character: number }) {
  const file = uriToFile(uri);
  if (file === undefined) return undefined;
  const ws = ctx.projects.of(file).ws;
  const lines = new LineMap(ws.text(file) ?? '');
  const offset = lines.span({ start: position, end: position }).start;
  const symbol = symbolAt(ws, file, offset);
  return symbol && { file, ws, lines, symbol };
}

export function definition(ctx: ServerContext, params: DefinitionParams): Definition | null {
  const a = at(ctx, params.textDocument.uri, params.position);
  if (!a) return null;
  const toLocation = (p: Place) => ({ uri: uriOf(ctx, p.file), range: new LineMap(a.ws.text(p.file) ?? '').range(p.span) });
  if (a.symbol.kind === 'variable') return definitionsOf(a.ws, a.file, a.symbol.name).map(toLocation);
  if (a.symbol.kind === 'include') return includeTargets(a.ws, a.file, a.symbol.arg).map((f) => toLocation({ file: f, span: { start: 0, end: 0 } }));
  return null;
}

const KINDS: Record<string, SymbolKind> = { http: SymbolKind.Namespace, server: SymbolKind.Class, location: SymbolKind.Method, upstream: SymbolKind.Interface, map: SymbolKind.Variable, events: SymbolKind.Event };
const kindOf = (o: OutlineItem): SymbolKind => (o.kind === 'include' ? SymbolKind.File : KINDS[o.name.split(' ')[0]] ?? SymbolKind.Object);

/** The Outline view: blocks nested as written, and includes. */
export function documentSymbols(ctx: ServerContext, params: DocumentSymbolParams): DocumentSymbol[] {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return [];
  const ws = ctx.projects.of(file).ws;
  const lines = new LineMap(ws.text(file) ?? '');
  const convert = (o: OutlineItem): DocumentSymbol => ({
    name: o.name,
    detail: o.detail,
    kind: kindOf(o),
    range: lines.range(o.span),
    selectionRange: lines.range(o.nameSpan),
    children: o.children.map(convert),
  });
  return outline(ws, file).map(convert);
}

/** Go to Symbol in Workspace: the servers, locations, upstreams and maps of every nginx file. */
export function workspaceSymbols(ctx: ServerContext, params: WorkspaceSymbolParams): SymbolInformation[] {
  const query = params.query.toLowerCase();
  const out: SymbolInformation[] = [];
  for (const project of ctx.projects.all()) {
    for (const file of project.knownFiles()) {
      const ws = project.ws;
      let lines: LineMap | undefined;
      const visit = (items: OutlineItem[], container: string | undefined) => {
        for (const o of items) {
          if (o.kind === 'block' && o.name.toLowerCase().includes(query)) {
            lines ??= new LineMap(ws.text(file) ?? '');
            out.push({ name: o.name, kind: kindOf(o), location: { uri: uriOf(ctx, file), range: lines.range(o.nameSpan) }, containerName: container });
            if (out.length >= MAX_WORKSPACE_SYMBOLS) return;
          }
          visit(o.children, o.kind === 'block' ? o.name : container);
        }
      };
      visit(outline(ws, file), undefined);
      if (out.length >= MAX_WORKSPACE_SYMBOLS) return out;
    }
  }
  return out;
}

/** Enough for a picker; a huge workspace does not send them all. */
const MAX_WORKSPACE_SYMBOLS = 1000;
