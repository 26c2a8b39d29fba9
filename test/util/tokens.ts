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
      if (d.end) at.push([d.endOffset, d.end]);
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
