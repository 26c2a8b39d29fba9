// Minimal, indentation-matching edits. Every helper touches only the text it must: new lines are
// inserted with the indentation of their neighbours and the file's own line ending.
import type { ENode, RootAnalysis } from '../model/tree';
import type { WsModel } from '../model/effective';
import type { Word } from '../syntax/ast';
import { indentAt, lineEndOf, lineStartOf, TextMemo } from '../text';
import type { FileId, TextEdit } from '../types';

/** What the helpers below need of a whole file, found once per text (they run once per fix). */
interface Style { eol: string; tabs: boolean; unit: number }
const styles = new TextMemo((text): Style => {
  const m = /\n( +)\S/.exec(text);
  const unit = m && m[1].length <= 8 ? m[1].length : 4;
  return { eol: text.includes('\r\n') ? '\r\n' : '\n', tabs: /^\t/m.test(text), unit: unit === 0 ? 4 : unit };
});
const styleOf = (text: string) => styles.get(text);

export function eol(text: string): string {
  return styleOf(text).eol;
}

/** The indentation one level deeper than `indent`, in the file's style. */
export function deeper(text: string, indent: string): string {
  const st = styleOf(text);
  if (indent.includes('\t') || st.tabs) return indent + '\t';
  return indent + ' '.repeat(st.unit);
}

/** Indentation used by the children of a block directive (from an existing child, else derived). */
export function childIndent(text: string, block: ENode): string {
  const own = block.children.find((c) => c.file === block.file && c.d.name);
  if (own) {
    const ind = indentAt(text, own.d.span.start);
    const lineStart = lineStartOf(text, own.d.span.start);
    if (lineStart + ind.length === own.d.span.start) return ind;
  }
  return deeper(text, indentAt(text, block.d.span.start));
}

function lineEnd(text: string, offset: number): number {
  let e = lineEndOf(text, offset);
  if (e > 0 && text[e - 1] === '\r') e--;
  return e;
}

/**
 * Inserts `lines` as new directives right after `anchor` (same block, same file), or, when the
 * block's `}` shares the anchor's line, just after the anchor on that line.
 */
export function insertAfter(text: string, anchor: ENode, block: ENode, lines: string[]): TextEdit {
  const nl = eol(text);
  const after = anchor.d.span.end;
  const le = lineEnd(text, after);
  const close = block.d.block?.close?.start ?? text.length;
  const ind = childIndent(text, block);
  if (close < le) {
    return { file: anchor.file, span: { start: after, end: after }, text: lines.map((l) => ' ' + l).join('') };
  }
  return { file: anchor.file, span: { start: le, end: le }, text: lines.map((l) => nl + ind + l).join('') };
}

/** Inserts `lines` as the last directives of a block, before its `}`. */
export function insertAtBlockEnd(text: string, block: ENode, lines: string[]): TextEdit {
  const own = block.children.filter((c) => c.file === block.file && c.d.name);
  const last = own[own.length - 1];
  if (last) return insertAfter(text, last, block, lines);
  const nl = eol(text);
  const open = block.d.block!.open.end;
  const close = block.d.block?.close?.start ?? text.length;
  const ind = childIndent(text, block);
  const closeIndent = indentAt(text, block.d.span.start);
  const between = text.slice(open, close);
  if (!between.includes('\n')) {
    // `location / {}` or `{ }` on one line: open it up
    return { file: block.file, span: { start: open, end: close }, text: lines.map((l) => nl + ind + l).join('') + nl + closeIndent };
  }
  const le = lineEnd(text, open);
  return { file: block.file, span: { start: le, end: le }, text: lines.map((l) => nl + ind + l).join('') };
}

/** Inserts lines as the first directives of a block, right after its `{` line. */
export function insertAtBlockStart(text: string, block: ENode, lines: string[]): TextEdit {
  const nl = eol(text);
  const open = block.d.block!.open.end;
  const ind = childIndent(text, block);
  const first = block.children.find((c) => c.file === block.file);
  const le = lineEnd(text, open);
  if (first && first.d.span.start < le) {
    // first child shares the `{` line: put the new lines between, keep the child after them
    return { file: block.file, span: { start: open, end: first.d.span.start }, text: lines.map((l) => nl + ind + l).join('') + nl + ind };
  }
  return { file: block.file, span: { start: le, end: le }, text: lines.map((l) => nl + ind + l).join('') };
}

/** Inserts lines at the top of a file (before its first directive, after leading comments). */
export function insertAtFileTop(file: FileId, text: string, firstDirectiveStart: number | undefined, lines: string[]): TextEdit {
  const nl = eol(text);
  const at = firstDirectiveStart === undefined ? 0 : lineStartOf(text, firstDirectiveStart);
  const ind = firstDirectiveStart === undefined ? '' : indentAt(text, firstDirectiveStart);
  return { file, span: { start: at, end: at }, text: lines.map((l) => ind + l + nl).join('') + nl };
}

/** Replaces one word (argument or name) with new raw text. */
export function replaceWord(file: FileId, w: Word, raw: string): TextEdit {
  return { file, span: { start: w.span.start, end: w.span.end }, text: raw };
}

/** The canonical upgrade map (nginx docs idiom, the article's example two). */
export function upgradeMapLines(connectionForEmpty: 'close' | "''" = 'close', variable = 'connection_upgrade'): string[] {
  return [`map $http_upgrade $${variable} {`, '    default upgrade;', `    '' ${connectionForEmpty};`, '}'];
}

/**
 * Where the canonical upgrade map goes: the first closed http block the model holds, else the
 * top of an http fragment (before its first directive); undefined when neither exists. The rules'
 * map fixes and the "Insert upgrade map" command both use it.
 */
export function upgradeMapInsertion(text: (file: FileId) => string, model: WsModel, root: RootAnalysis, empty: 'close' | "''" = 'close', variable = 'connection_upgrade'): TextEdit | undefined {
  const lines = upgradeMapLines(empty, variable);
  const http = model.httpBlocks.find((h) => h.d.block?.close);
  if (http) return insertAtBlockStart(text(http.file), http, lines);
  if (root.kind === 'fragment' && root.ctx === 'http') {
    const first = root.top.find((n) => n.file === root.root);
    return insertAtFileTop(root.root, text(root.root), first?.d.span.start, lines);
  }
  return undefined;
}
