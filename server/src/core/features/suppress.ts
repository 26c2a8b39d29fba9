// The edits of "Disable <code> for this line" and "… for this file": the suppression comments
// the rules' runner reads (`# nginx-ws-disable-next-line id…` on the line above a finding,
// `# nginx-ws-disable id…` anywhere for the whole file). An existing comment of the same kind
// gains the id rather than a second comment being written. Pure.
import type { Workspace } from '../analysis';
import type { Directive } from '../syntax/ast';
import type { FileId, TextEdit } from '../types';

/** The same grammar as the runner's (rules/run.ts). */
const DISABLE_RE = /^\s*nginx-ws-disable(-next-line)?(?:\s+([\w-]+(?:[\s,]+[\w-]+)*))?\s*$/;

/**
 * The edit that silences `code` on the line of `offset` (scope 'line') or in the whole file;
 * undefined when a comment already silences it, or when no comment can go there (the line
 * starts inside a quoted string or an embedded code block, where `#` is no comment).
 */
export function disableEdit(ws: Workspace, file: FileId, code: string, offset: number, scope: 'line' | 'file'): TextEdit | undefined {
  const p = ws.parsed(file);
  if (!p || !/^[\w-]+$/.test(code)) return undefined;
  const text = p.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const matches = p.comments.flatMap((c) => {
    const m = DISABLE_RE.exec(c.text);
    return m ? [{ c, nextLine: !!m[1], ids: m[2]?.split(/[\s,]+/) }] : [];
  });
  if (scope === 'file') {
    const all = matches.filter((m) => !m.nextLine);
    if (all.some((m) => !m.ids || m.ids.includes(code))) return undefined;
    if (all.length) return { file, span: { start: all[0].c.span.end, end: all[0].c.span.end }, text: `, ${code}` };
    const at = text.startsWith('\uFEFF') ? 1 : 0;
    return { file, span: { start: at, end: at }, text: `# nginx-ws-disable ${code}\n` };
  }
  const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : -1;
  const above = matches.find((m) => m.nextLine && prevStart >= 0 && m.c.span.start >= prevStart && m.c.span.start < lineStart && /^\s*$/.test(text.slice(prevStart, m.c.span.start)));
  if (above) {
    if (!above.ids || above.ids.includes(code)) return undefined;
    return { file, span: { start: above.c.span.end, end: above.c.span.end }, text: `, ${code}` };
  }
  if (!canComment(p.directives, lineStart)) return undefined;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { file, span: { start: lineStart, end: lineStart }, text: `${indent}# nginx-ws-disable-next-line ${code}${eol}` };
}

/** Whether a comment line may start at `at`: not inside a word (a string over several lines) nor an embedded code block. */
function canComment(list: Directive[], at: number): boolean {
  for (const d of list) {
    if (d.span.start >= at || d.span.end < at) continue;
    if (d.words.some((w) => w.span.start < at && at < w.span.end)) return false;
    if (d.block) {
      if (d.block.kind === 'opaque' && d.block.openAt < at && (d.block.closeAt < 0 || at <= d.block.closeAt)) return false;
      if (!canComment(d.block.children, at)) return false;
    }
  }
  return true;
}
