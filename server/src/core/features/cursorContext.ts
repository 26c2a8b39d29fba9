// Which nginx context the cursor stands in, for context-aware completion. Pure: reads only the
// Workspace. The file's top level gets its context from the analysis (a main file: main; an
// included file: where the include stands; a conf.d fragment: the context the Workspace
// inferred); blocks below follow nginx's block nesting (childContext).
import type { Ctx } from '../data/directives';
import { childContext } from '../model/contexts';
import type { ENode, RootAnalysis } from '../model/tree';
import type { Workspace } from '../analysis';
import type { Directive } from '../syntax/ast';
import { parse } from '../syntax/parser';
import type { FileId } from '../types';

export interface CursorContext {
  ctx: Ctx;
  /** Start of the word being typed (the completion replaces [wordStart, offset)). */
  wordStart: number;
  /** Names of the directives already in the same block (this file's text, includes not expanded). */
  siblings: string[];
}

/**
 * The context at `offset` when the cursor is where a directive may start (not in arguments, a
 * comment, a string, or a block that holds no directives such as map{}); undefined otherwise.
 */
export function cursorContext(ws: Workspace, file: FileId, offset: number): CursorContext | undefined {
  const text = ws.text(file);
  if (text === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const m = /(^|[;{}])(\s*)([\w-]*)$/.exec(before);
  if (!m || before.includes('#')) return undefined;
  const wordStart = offset - m[3].length;
  // parse without the half-typed word, which would otherwise swallow the next line as arguments
  const parsed = parse(text.slice(0, wordStart) + ' '.repeat(offset - wordStart) + text.slice(offset));
  let ctx: Ctx | undefined = topContext(ws, file);
  let level: Directive[] = parsed.directives;
  for (;;) {
    if (ctx === undefined) return undefined;
    const d = level.find((x) => x.span.start < offset && (offset < x.span.end || (x.block ? !x.block.close : x.terminator === undefined)));
    if (!d) return { ctx, wordStart, siblings: level.filter((x) => x.wordCount > 0).map((x) => x.name) };
    const b = d.block;
    if (!b || offset < b.open.end || (b.close && offset > b.close.start)) return undefined; // inside its words
    if (b.kind !== 'directives') return undefined;
    ctx = childContext(ctx, d.name);
    level = b.children;
  }
}

/** The context of a file's top level, from the roots that reach it (main configs first). */
export function topContext(ws: Workspace, file: FileId): Ctx | undefined {
  const roots = ws.rootsOf(file).sort((a, b) => Number(b.kind === 'main') - Number(a.kind === 'main'));
  for (const r of roots) {
    if (r.root === file) {
      const empty = !(ws.parsed(file)?.directives ?? []).some((d) => d.name && d.name !== 'include');
      return r.kind === 'fragment' && empty ? 'http' : r.ctx; // an empty fragment: the usual include target
    }
    const at = includeOf(ws, r, file);
    if (at) return at.ctx === 'handler' || at.ctx === 'opaque' || at.ctx === 'unknown' ? undefined : at.ctx;
  }
  return roots.length ? undefined : 'http';
}

/** The include directive of a root's tree that brings the file in. */
function includeOf(ws: Workspace, r: RootAnalysis, file: FileId): ENode | undefined {
  const prefix = ws.prefixOf(r.root, r.kind);
  const visit = (nodes: ENode[]): ENode | undefined => {
    for (const n of nodes) {
      if (n.d.name === 'include' && n.d.args[0] && ws.resolveInclude(prefix, n.d.arg(0)!).files.includes(file)) return n;
      const found = visit(n.children);
      if (found) return found;
    }
    return undefined;
  };
  return visit(r.top);
}
