// An independent reading of a file's token stream for the formatter's tests: what nginx reads,
// in order, as [offset, text] pairs taken from the parser's tree (words as written, with their
// quotes; `;` `{` `}`; every comment), Lua bodies without the blanks that start their lines.
// It does not use the formatter's own syntax/tokens.ts, so a fault there cannot hide itself.
import { parse } from '../../server/src/core/syntax/parser';
import type { Directive } from '../../server/src/core/syntax/ast';

export function nginxTokens(text: string): string[] {
  const p = parse(text);
  const at: Array<[number, string]> = [];
  const walk = (list: Directive[]) => {
    for (const d of list) {
      for (const w of d.words) at.push([w.span.start, 'w ' + w.raw]);
      if (d.terminator) at.push([d.endOffset, d.terminator]);
      const b = d.block;
      if (!b) continue;
      if (b.kind === 'opaque' && b.close) at.push([b.open.end, 'lua ' + text.slice(b.open.end, b.close.start).split('\n').map((l) => l.replace(/^[ \t]+/, '')).join('\n')]);
      else walk(b.children);
      if (b.close) at.push([b.close.start, '}']);
    }
  };
  walk(p.directives);
  for (const c of p.comments) at.push([c.span.start, '#' + c.text]);
  at.sort((a, b) => a[0] - b[0]);
  return [...at.map((x) => x[1]), ...p.errors.map((e) => 'error ' + e.message)];
}

const BLANKS = ['', ' ', '  ', '\t', ' \t ', '\n', '\n\n', '\r\n', '\n\t\t', '\n   ', '\n\n\n    ', '\t\n \n'];

/**
 * The same tokens with other blanks between them: every gap between two tokens replaced by a
 * random run of spaces, tabs and line ends, as far as nginx reads the result the same (two words,
 * or a word and a comment, keep a blank between them; a comment keeps its line end; a `}` stays
 * where a token starts). What hand-edited files look like, in the extreme.
 */
export function reblank(text: string, rng: () => number): string {
  const p = parse(text);
  const spans: Array<{ start: number; end: number; kind: 'word' | 'punct' | 'comment' | 'body' }> = [];
  const walk = (l: Directive[]) => {
    for (const d of l) {
      for (const w of d.words) spans.push({ start: w.span.start, end: w.span.end, kind: 'word' });
      if (d.terminator) spans.push({ start: d.endOffset, end: d.endOffset + 1, kind: 'punct' });
      const b = d.block;
      if (!b) continue;
      if (b.kind === 'opaque') spans.push({ start: b.open.end, end: b.close?.start ?? text.length, kind: 'body' });
      else walk(b.children);
      if (b.close) spans.push({ start: b.close.start, end: b.close.end, kind: 'punct' });
    }
  };
  walk(p.directives);
  for (const c of p.comments) spans.push({ start: c.span.start, end: c.span.end, kind: 'comment' });
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  spans.forEach((t, i) => {
    const prev = spans[i - 1];
    const orig = text.slice(at, t.start);
    let gap = orig;
    if (prev && prev.kind !== 'body' && t.kind !== 'body' && rng() < 0.6) {
      gap = BLANKS[Math.floor(rng() * BLANKS.length)];
      // a comment runs to the line end: the gap after it starts there
      if (prev.kind === 'comment' && !/^\r?\n/.test(gap)) gap = '\n' + gap.replace(/^[ \t]*/, '');
      if (prev.kind === 'word' && (t.kind === 'word' || t.kind === 'comment') && gap === '' && orig !== '') gap = ' ';
      if (t.kind === 'comment' && gap === '' && prev.kind === 'word') gap = ' ';
      // `$` then `{` is `${`, which does not end a word
      if (gap === '' && prev.kind === 'word' && orig !== '' && text[prev.end - 1] === '$') gap = ' ';
    }
    out += gap + text.slice(t.start, t.end);
    at = t.end;
  });
  return out + text.slice(at);
}
