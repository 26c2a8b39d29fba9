// Folding ranges and selection ranges from the parse of one file: blocks, directives written
// over several lines, runs of comment lines, `# region` … `# endregion`; and the nested spans a
// selection grows through (word → arguments → directive → block → parent directive → … file).
// Pure: offsets in, offsets out; the editor's side turns them into lines.
import type { Workspace } from '../analysis';
import type { Comment, Directive } from '../syntax/ast';
import { lineStarts, positionAt } from '../text';
import type { FileId, Span } from '../types';

export interface Fold {
  /** Offset on the first line of the fold. */
  start: number;
  /** Offset on the last line the fold hides (a block's `}` on a line of its own stays visible). */
  end: number;
  kind?: 'comment' | 'region';
}

const REGION_RE = /^\s*region\b/i;
const END_REGION_RE = /^\s*endregion\b/i;

/** The folds of a file, in order of their start. */
export function foldingRanges(ws: Workspace, file: FileId): Fold[] {
  const p = ws.parsed(file);
  if (!p) return [];
  const text = p.text;
  const out: Fold[] = [];
  // by bisection over the line starts: a scan back to the previous line break would be quadratic on one long line
  const starts = lineStarts(text);
  const lineOf = (at: number) => positionAt(starts, at).line;
  const lineStart = (at: number) => starts[lineOf(at)];
  const walk = (list: Directive[]) => {
    for (const d of list) {
      if (d.block) {
        const close = d.block.closeAt;
        let end = close < 0 ? text.length : close;
        // `}` alone at the start of its line: fold up to the line before, so the brace shows
        if (close >= 0 && /^\s*$/.test(text.slice(lineStart(close), close))) end = Math.max(lineStart(close) - 1, d.span.start);
        out.push({ start: d.span.start, end });
        walk(d.block.children);
      } else if (d.endOffset >= 0 && lineOf(d.endOffset) > lineOf(d.span.start)) {
        out.push({ start: d.span.start, end: d.endOffset });
      }
    }
  };
  walk(p.directives);
  // comment lines: runs of two or more lines holding only a comment; regions by their markers
  const own = (c: Comment) => /^\s*$/.test(text.slice(lineStart(c.span.start), c.span.start));
  const regions: Comment[] = [];
  let run: Comment[] = [];
  const flush = () => {
    if (run.length >= 2) out.push({ start: run[0].span.start, end: run[run.length - 1].span.start, kind: 'comment' });
    run = [];
  };
  for (const c of p.comments) {
    if (REGION_RE.test(c.text)) { flush(); regions.push(c); continue; }
    if (END_REGION_RE.test(c.text)) {
      flush();
      const open = regions.pop();
      if (open) out.push({ start: open.span.start, end: c.span.start, kind: 'region' });
      continue;
    }
    if (!own(c)) { flush(); continue; }
    const prev = run[run.length - 1];
    // the next line, with nothing between but the line break and indentation
    if (prev && (lineOf(c.span.start) !== lineOf(prev.span.start) + 1 || !/^[ \t\r]*\n[ \t]*$/.test(text.slice(prev.span.end, c.span.start)))) flush();
    run.push(c);
  }
  flush();
  return out.sort((a, b) => a.start - b.start);
}

/**
 * For each offset, the spans a selection grows through, innermost first: the variable in a
 * word, the word, the arguments, the directive, the block's inside, the directive that owns
 * the block… up to the whole file. Each span holds the one before it.
 */
export function selectionRanges(ws: Workspace, file: FileId, offsets: number[]): Span[][] {
  const p = ws.parsed(file);
  const text = p?.text ?? ws.text(file) ?? '';
  return offsets.map((offset) => {
    const chain: Span[] = [];
    const push = (s: Span) => {
      const last = chain[chain.length - 1];
      if (s.start > offset || s.end < offset) return;
      if (last && (s.start > last.start || s.end < last.end)) return;
      if (last && last.start === s.start && last.end === s.end) return;
      chain.push(s);
    };
    if (!p) return [{ start: 0, end: text.length }];
    const comment = p.comments.find((c) => c.span.start <= offset && offset <= c.span.end);
    const path: Directive[] = [];
    let list = p.directives;
    for (;;) {
      const d = list.find((x) => x.span.start <= offset && offset <= x.span.end);
      if (!d) break;
      path.push(d);
      if (!d.block || offset <= d.block.openAt || (d.block.closeAt >= 0 && offset > d.block.closeAt)) break;
      list = d.block.children;
    }
    if (comment) push(comment.span);
    const inner = path[path.length - 1];
    if (inner && !comment) {
      const w = inner.words.find((x) => x.span.start <= offset && offset <= x.span.end);
      if (w) {
        const at = offset - w.span.start;
        for (const m of w.raw.matchAll(/\$(?:\{[A-Za-z0-9_]+\}|[A-Za-z_][A-Za-z0-9_]*)/g)) {
          if (m.index! <= at && at <= m.index! + m[0].length) push({ start: w.span.start + m.index!, end: w.span.start + m.index! + m[0].length });
        }
        if (w.quote !== 'none' && w.raw.length >= 2) push({ start: w.span.start + 1, end: w.span.end - 1 });
        push(w.span);
        const args = inner.args;
        if (args.length >= 2 && w !== inner.words[0]) push({ start: args[0].span.start, end: args[args.length - 1].span.end });
      }
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const d = path[i];
      const b = d.block;
      // the inside of the block the offset is in (after `{`, up to `}`)
      if (b && offset > b.openAt && (b.closeAt < 0 || offset <= b.closeAt)) push({ start: b.openAt + 1, end: b.closeAt < 0 ? text.length : b.closeAt });
      push(d.span);
    }
    push({ start: 0, end: text.length });
    return chain;
  });
}
