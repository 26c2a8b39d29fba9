// Snippets as completion items, offered only where snippets/contexts.json says nginx accepts
// them (a map at http level, a location inside server or location…). VS Code's own snippet
// contribution would offer them everywhere, so the manifest has none.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver';
import { SERVER_COMMAND } from '../protocol';
import snippetFile from '../../../snippets/nginx.code-snippets';
import contexts from '../../../snippets/contexts.json';
import type { ServerContext } from './context';
import { LineMap, uriToFile } from './convert';
import { argumentCompletions, cursorContext, describeDirectiveFull, directiveCompletions, type ArgCompletion, type ArgItemKind, type CursorContext } from '../core/index';
import { placeLink, placeText } from './hover';

/** What completion answers to besides typing a word: a new argument, a variable, a path, a named location. */
export const COMPLETION_TRIGGERS = [' ', '$', '/', '@'];

const VALID: Record<string, string[]> = contexts;

interface Snippet { prefix: string; name: string; body: string; description: string; preview: string }

const SNIPPETS: Snippet[] = Object.entries(snippetFile).flatMap(([name, s]) =>
  (Array.isArray(s.prefix) ? s.prefix : [s.prefix]).map((prefix) => {
    const body = Array.isArray(s.body) ? s.body.join('\n') : s.body;
    return { prefix, name, body, description: s.description ?? '', preview: preview(body) };
  }),
);

export function completion(ctx: ServerContext, params: CompletionParams): CompletionItem[] {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return [];
  const ws = ctx.projects.of(file).ws;
  const lines = new LineMap(ws.text(file) ?? '');
  const offset = lines.span({ start: params.position, end: params.position }).start;
  const args = argumentCompletions(ws, file, offset);
  if (args) return args.map((a) => argumentItem(ctx, params.textDocument.uri, file, lines, params.position, a));
  // a trigger character outside arguments: nothing (a space of indentation is no request for every directive)
  if (params.context?.triggerCharacter) return [];
  const at = cursorContext(ws, file, offset);
  if (!at) return [];
  const range = { start: lines.range({ start: at.wordStart, end: at.wordStart }).start, end: params.position };
  const snippets: CompletionItem[] = SNIPPETS.filter((s) => VALID[s.prefix]?.includes(at.ctx)).map((s) => ({
    label: s.prefix,
    kind: CompletionItemKind.Snippet,
    detail: s.name,
    documentation: { kind: MarkupKind.Markdown, value: `${s.description}\n\n\`\`\`nginx\n${s.preview}\n\`\`\`` },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: s.body },
    sortText: `0${s.prefix}`,
  }));
  const directives: CompletionItem[] = (directiveCompletions(ws, file, offset) ?? []).map((d) => ({
    label: d.name,
    kind: CompletionItemKind.Keyword,
    detail: d.detail,
    labelDetails: { description: d.summary },
    // the reference's whole text comes when the item is selected (completionItem/resolve)
    data: { directive: d.name, ctx: at.ctx, uri: params.textDocument.uri } satisfies DirectiveData,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: d.snippet },
    // the WebSocket snippets first, then the open-source directives, then NGINX Plus and separate modules
    sortText: `${d.secondary ? 2 : 1}${d.name}`,
  }));
  return [...snippets, ...directives];
}

interface DirectiveData { directive: string; ctx: CursorContext['ctx']; uri: string }

/** completionItem/resolve: a directive's documentation, the hover's. */
export function resolveCompletion(ctx: ServerContext, item: CompletionItem): CompletionItem {
  const data = item.data as Partial<DirectiveData> | undefined;
  if (typeof data?.directive !== 'string' || typeof data.uri !== 'string') return item;
  const file = uriToFile(data.uri);
  const version = file !== undefined ? ctx.projects.of(file).ws.options.nginxVersion : undefined;
  const value = describeDirectiveFull(data.directive, version, data.ctx);
  return value ? { ...item, documentation: { kind: MarkupKind.Markdown, value } } : item;
}

const KINDS: Record<ArgItemKind, CompletionItemKind> = {
  value: CompletionItemKind.EnumMember, unit: CompletionItemKind.Unit, variable: CompletionItemKind.Variable, userVariable: CompletionItemKind.Variable,
  header: CompletionItemKind.Field, upstream: CompletionItemKind.Module, location: CompletionItemKind.Reference, file: CompletionItemKind.File,
  folder: CompletionItemKind.Folder, code: CompletionItemKind.Value,
};

function argumentItem(ctx: ServerContext, uri: string, file: string, lines: LineMap, position: { line: number; character: number }, a: ArgCompletion): CompletionItem {
  const ws = ctx.projects.of(file).ws;
  const text = (f: string) => ws.text(f);
  const docs: string[] = [];
  if (a.documentation) docs.push(a.documentation);
  if (a.definedAt) docs.push(`Defined in ${placeLink(ctx, file, text)(a.definedAt)}`);
  const item: CompletionItem = {
    label: a.label,
    kind: KINDS[a.kind],
    detail: a.definedAt ? `${a.detail ?? ''} — ${placeText(file, text)(a.definedAt)}`.replace(/^ — /, '') : a.detail,
    documentation: docs.length ? { kind: MarkupKind.Markdown, value: docs.join('\n\n') } : undefined,
    textEdit: { range: { start: lines.range({ start: a.start, end: a.start }).start, end: position }, newText: a.insert },
    filterText: a.insert,
    sortText: `${a.rank}${a.label}`,
  };
  if (a.edit && a.edit.file === file) item.additionalTextEdits = [{ range: lines.range(a.edit.span), newText: a.edit.text }];
  // the map goes in another file (nginx.conf): the server's own command writes it there
  else if (a.edit) item.command = { title: 'Insert the upgrade map', command: SERVER_COMMAND.insertUpgradeMap, arguments: [uri] };
  else if (a.again) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  return item;
}

/** A snippet body as text with every default taken (for the documentation). */
export function preview(body: string): string {
  let s = body;
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  }
  return s.replace(/\$\{?\d+\}?/g, '').replace(/\\([$}\\])/g, '$1').replace(/\t/g, '    ');
}
