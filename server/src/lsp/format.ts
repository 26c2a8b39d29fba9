// Formatting requests: document, range and on-type. The core formats (core/features/format.ts);
// this converts positions, reads the settings, and logs why the core refused when it did.
import type { DocumentFormattingParams, DocumentOnTypeFormattingParams, DocumentRangeFormattingParams, FormattingOptions, TextEdit } from 'vscode-languageserver';
import { formatOnType, formatRange, formatText, type FormatOptions, type FormatResult } from '../core/index';
import type { ServerContext } from './context';
import { LineMap, uriToFile } from './convert';
import { settingsOf } from './settings';

/** The characters that trigger on-type formatting. */
export const ON_TYPE_TRIGGERS = ['}', ';'] as const;

async function prepare(ctx: ServerContext, uri: string, editor: FormattingOptions): Promise<{ text: string; lines: LineMap; opts: FormatOptions } | undefined> {
  const doc = ctx.documents.get(uri);
  const file = uriToFile(uri);
  if (!doc || file === undefined) return undefined;
  const [settings] = await settingsOf(ctx, [ctx.projects.of(file)]);
  if (!settings.format.enable) return undefined;
  const text = doc.getText();
  const tabSize = Number.isInteger(editor.tabSize) && editor.tabSize > 0 && editor.tabSize <= 16 ? editor.tabSize : 4;
  return { text, lines: new LineMap(text), opts: { tabSize, insertSpaces: editor.insertSpaces !== false, insertFinalNewline: editor.insertFinalNewline === true, align: settings.format.align } };
}

function answer(ctx: ServerContext, uri: string, lines: LineMap, r: FormatResult): TextEdit[] {
  if (r.refused) {
    ctx.connection.console.warn(`format ${uri}:${lines.range({ start: r.refused.at, end: r.refused.at }).start.line + 1}: ${r.refused.reason}`);
    return [];
  }
  return r.edits.map((e) => ({ range: lines.range(e.span), newText: e.text }));
}

export async function formatDocument(ctx: ServerContext, params: DocumentFormattingParams): Promise<TextEdit[]> {
  const p = await prepare(ctx, params.textDocument.uri, params.options);
  return p ? answer(ctx, params.textDocument.uri, p.lines, formatText(p.text, p.opts)) : [];
}

export async function formatDocumentRange(ctx: ServerContext, params: DocumentRangeFormattingParams): Promise<TextEdit[]> {
  const p = await prepare(ctx, params.textDocument.uri, params.options);
  return p ? answer(ctx, params.textDocument.uri, p.lines, formatRange(p.text, p.lines.span(params.range), p.opts)) : [];
}

export async function formatDocumentOnType(ctx: ServerContext, params: DocumentOnTypeFormattingParams): Promise<TextEdit[]> {
  const p = await prepare(ctx, params.textDocument.uri, params.options);
  if (!p) return [];
  const at = p.lines.span({ start: params.position, end: params.position }).start;
  return answer(ctx, params.textDocument.uri, p.lines, formatOnType(p.text, at, params.ch, p.opts));
}
