// Snippets as completion items, offered only where snippets/contexts.json says nginx accepts
// them (a map at http level, a location inside server or location…). VS Code's own snippet
// contribution would offer them everywhere, so the manifest has none.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver';
import snippetFile from '../../../snippets/nginx.code-snippets';
import contexts from '../../../snippets/contexts.json';
import type { ServerContext } from './context';
import { LineMap, uriToFile } from './convert';
import { cursorContext, directiveCompletions } from '../core/index';

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
    documentation: { kind: MarkupKind.Markdown, value: d.documentation },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: d.snippet },
    // the WebSocket snippets first, then the open-source directives, then NGINX Plus and separate modules
    sortText: `${d.secondary ? 2 : 1}${d.name}`,
  }));
  return [...snippets, ...directives];
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
