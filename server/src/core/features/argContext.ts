// Where the cursor stands inside a directive's arguments, for argument completion and signature
// help: the directive being written, the argument's position, what of it is typed, the context.
// Reads only the text before the cursor (what follows may still be the next line's directive).
// Pure.
import type { Ctx } from '../data/directives';
import { childContext } from '../model/contexts';
import type { Workspace } from '../analysis';
import type { Directive, Word } from '../syntax/ast';
import { parse } from '../syntax/parser';
import type { FileId } from '../types';
import { topContext } from './cursorContext';

export interface ArgContext {
  /** The directive's name. */
  name: string;
  /** The context the directive stands in (undefined: not known, a file nobody reaches). */
  ctx: Ctx | undefined;
  /** The names of the enclosing blocks, outermost first (`http`, `server`, `location`). */
  path: string[];
  /** The arguments before the one at the cursor, as nginx reads them. */
  before: Word[];
  /** 0-based position of the argument at the cursor. */
  index: number;
  /** What of that argument is typed (as written, quotes included). */
  typed: string;
  /** Where it starts (the completion replaces [start, offset)). */
  start: number;
}

const WS = /[ \t\r\n]/;

/** The argument at `offset` of `file`, or undefined when the cursor is not in a directive's arguments. */
export function argContext(ws: Workspace, file: FileId, offset: number): ArgContext | undefined {
  const text = ws.text(file);
  if (text === undefined || offset > text.length) return undefined;
  const parsed = parse(text.slice(0, offset));
  let ctx: Ctx | undefined = topContext(ws, file);
  const path: string[] = [];
  let level: Directive[] = parsed.directives;
  for (;;) {
    const d = level[level.length - 1];
    if (!d || d.wordCount === 0) return undefined;
    if (d.block) {
      if (d.block.close || d.block.kind !== 'directives') return undefined;
      ctx = ctx && childContext(ctx, d.name);
      path.push(d.name);
      level = d.block.children;
      continue;
    }
    if (d.terminator !== undefined) return undefined;
    const words = d.words;
    const last = words[words.length - 1];
    const inWord = last.span.end === offset && (!WS.test(text[offset - 1] ?? '') || unclosed(last));
    if (!inWord) {
      // after whitespace: a new argument, unless a comment runs to the cursor
      if (!WS.test(text[offset - 1] ?? '') || text.slice(last.span.end, offset).includes('#')) return undefined;
      return { name: d.name, ctx, path, before: words.slice(1), index: words.length - 1, typed: '', start: offset };
    }
    if (words.length < 2) return undefined; // the name
    return { name: d.name, ctx, path, before: words.slice(1, -1), index: words.length - 2, typed: last.raw, start: last.span.start };
  }
}

/** A quoted word the file ended inside of (`"a b` while typing). */
function unclosed(w: Word): boolean {
  if (w.quote === 'none') return false;
  const r = w.raw;
  if (r.length < 2 || r[r.length - 1] !== w.quote) return true;
  let bs = 0;
  for (let i = r.length - 2; i > 0 && r[i] === '\\'; i--) bs++;
  return bs % 2 === 1;
}
