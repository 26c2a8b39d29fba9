import type { Span } from '../types';

/** How a word was written. */
export type Quote = 'none' | '"' | "'";

/** One token of a directive: its name or an argument. */
export interface Word {
  /** The text as written, quotes included. */
  raw: string;
  /** The value nginx stores: quotes removed, \" \' \\ \t \r \n unescaped. */
  value: string;
  quote: Quote;
  span: Span;
}

/**
 * directives: ordinary nginx block; handler: read line by line by a module (map, types, geo…);
 * opaque: another language's body (*_by_lua_block), not nginx syntax.
 */
export type BlockKind = 'directives' | 'handler' | 'opaque';

export interface Block {
  kind: BlockKind;
  /** Span of the `{`. */
  readonly open: Span;
  /** Span of the matching `}`; undefined when the file ended first. */
  readonly close?: Span;
  /** Offset of the `{`: open.start without making the span. */
  readonly openAt: number;
  /** Offset of the `}` (-1 when the file ended first): close.start without making the span. */
  readonly closeAt: number;
  children: Directive[];
}

export interface Directive {
  name: string;
  /** words[0] is the name; the arguments follow. */
  words: Word[];
  /** words.length, without making the words. */
  wordCount: number;
  args: Word[];
  /** The value of argument i (0: the first after the name), without making the words; undefined past the end. */
  arg(i: number): string | undefined;
  /** The terminator read: ';' or '{'. undefined when the directive was cut off by an error. */
  terminator: ';' | '{' | undefined;
  /** Span of the terminating `;` or `{`. */
  endSpan?: Span;
  /** Offset of the terminating `;` or `{` (-1 when cut off): endSpan without allocating. */
  endOffset: number;
  block?: Block;
  /** From the first character of the name to the `;` or the block's `}` (inclusive). */
  readonly span: Span;
  /** The directive whose block holds this one (within the same file). */
  parent?: Directive;
}

export interface Comment {
  /** The comment text after `#`. */
  text: string;
  span: Span;
}

export interface SyntaxError {
  message: string;
  /** nginx's own errors are errors; the product's limits (nesting depth) are warnings. */
  severity?: 'warning';
  /** Where nginx read the offending character or terminator; lines derive from span.start. */
  span: Span;
}

export interface ParsedFile {
  text: string;
  directives: Directive[];
  comments: Comment[];
  /** In order of appearance; errors[0] is the one nginx reports. */
  errors: SyntaxError[];
}
