// The token stream of one file as nginx reads it, derived from the parser's tree: words (quotes
// included, as written), the terminators `;` `{` `}`, and comments, in the order of the text.
// A *_by_lua_block body is not nginx syntax: it is one token, compared line by line without the
// leading blanks of each line (Lua does not care about them outside long strings, and the
// formatter only re-indents a body that holds none). The formatter prints from this stream and
// checks its output against it.
import type { Block, Directive, ParsedFile } from './ast';

export type TokenKind = 'word' | ';' | '{' | '}' | 'comment' | 'lua';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Block depth of the statement the token belongs to (a block's braces: the depth of its directive). */
  depth: number;
  /** The directive the token is part of (its word, terminator or brace); none for a comment. */
  dir?: Directive;
  /** For a word: its place in the directive (0: the name). */
  index?: number;
  /** For a comment: it sits between the words of a statement (before its terminator). */
  inStatement?: boolean;
}

/** The tokens of a parsed file, in order. Meaningful only for a file the parser read without errors. */
export function tokensOf(file: ParsedFile): Token[] {
  const out: Token[] = [];
  const comments = file.comments;
  let ci = 0;
  let curDepth = 0;
  let inStatement = false;
  const push = (t: Token) => {
    while (ci < comments.length && comments[ci].span.start < t.start) {
      const c = comments[ci++];
      out.push({ kind: 'comment', start: c.span.start, end: c.span.end, depth: curDepth, inStatement });
    }
    out.push(t);
  };
  const walk = (list: Directive[], depth: number) => {
    for (const d of list) {
      curDepth = depth;
      const words = d.words;
      for (let k = 0; k < words.length; k++) {
        push({ kind: 'word', start: words[k].span.start, end: words[k].span.end, depth, dir: d, index: k });
        inStatement = true;
      }
      if (d.terminator === ';') push({ kind: ';', start: d.endOffset, end: d.endOffset + 1, depth, dir: d });
      else if (d.terminator === '{') push({ kind: '{', start: d.endOffset, end: d.endOffset + 1, depth, dir: d });
      inStatement = false;
      const b: Block | undefined = d.block;
      if (!b) continue;
      curDepth = depth + 1;
      if (b.kind === 'opaque') {
        const to = b.close ? b.close.start : file.text.length;
        out.push({ kind: 'lua', start: b.open.end, end: to, depth, dir: d });
      } else walk(b.children, depth + 1);
      curDepth = depth + 1;
      if (b.close) push({ kind: '}', start: b.close.start, end: b.close.end, depth, dir: d });
      curDepth = depth;
    }
  };
  walk(file.directives, 0);
  curDepth = 0;
  inStatement = false;
  push({ kind: 'word', start: Number.MAX_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER, depth: 0 });
  out.pop();
  return out;
}

/** A Lua body as compared: its lines without their leading blanks. */
export function luaKey(body: string): string {
  return body.split('\n').map((l) => l.replace(/^[ \t]+/, '')).join('\n');
}

/** What a token is, for comparing two streams: its kind and its text. */
export function tokenKey(text: string, t: Token): string {
  const s = text.slice(t.start, t.end);
  return t.kind === 'lua' ? 'lua:' + luaKey(s) : t.kind + ':' + s;
}

/** The first place where two token streams differ, or -1 when they are the same sequence. */
export function firstDifference(aText: string, a: Token[], bText: string, b: Token[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (tokenKey(aText, a[i]) !== tokenKey(bText, b[i])) return i;
  return a.length === b.length ? -1 : n;
}
