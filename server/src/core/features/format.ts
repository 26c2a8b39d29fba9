// The formatter. It prints a file from its token stream (syntax/tokens.ts): every word, quoted
// string, terminator and comment is copied as written, and only the blanks between tokens are
// chosen here. After printing it reads its output again and gives up (no edits, a reason) when
// the token sequence differs in any way, so a formatted file always means to nginx what it
// meant before. A file with a syntax error is not formatted (its reading is not settled).
//
// Rules: one statement per line, indented by block depth; blanks within a line stay as written
// (none before a `;`); a block written on one line stays on one line (up to MAX_INLINE); a
// comment stays on its line (a trailing comment stays trailing); a run of blank lines becomes
// one; a statement written over several lines keeps its lines, each shifted with the statement;
// a *_by_lua_block body is shifted as a block, its lines otherwise as written; line ends stay
// CRLF in a CRLF file; a final newline is added only when asked. On request, the values of
// map/geo/types blocks and of proxy_set_header runs line up.
import type { Directive, ParsedFile } from '../syntax/ast';
import { parse } from '../syntax/parser';
import { firstDifference, tokensOf, type Token } from '../syntax/tokens';
import type { Span } from '../types';

export interface FormatOptions {
  /** Width of one indentation step, and of a tab when measuring columns. */
  tabSize: number;
  /** Spaces (true) or tabs (false). */
  insertSpaces: boolean;
  /** Add a line end after the last line when the file has none. */
  insertFinalNewline?: boolean;
  /** Line up the values of map, geo, types (and similar) blocks and of runs of proxy_set_header. */
  align?: boolean;
}

export interface FormatEdit {
  span: Span;
  text: string;
}

export interface FormatResult {
  /** The text after formatting (the input itself when refused). */
  text: string;
  /** The changes, as replacements of the blanks between tokens, in order and not overlapping. */
  edits: FormatEdit[];
  /** Why nothing was changed, when the formatter gave up; `at` is where (an offset). */
  refused?: { reason: string; at: number };
}

/** A block written on one line stays on one line when that line is at most this long (from its directive's first word to its `}`). */
const MAX_INLINE = 120;

/** Blocks whose lines are key/value pairs read by a module (their values can line up). */
const VALUE_BLOCKS = new Set(['map', 'geo', 'types', 'split_clients', 'charset_map']);

interface Printed {
  text: string;
  /** Per token: the blank text printed before it, and the token's own printed text when it changed (Lua bodies). */
  gaps: string[];
  bodies: (string | undefined)[];
  /** The blank text after the last token. */
  tail: string;
}

interface Prepared {
  src: string;
  file: ParsedFile;
  tokens: Token[];
  printed?: Printed;
  refused?: { reason: string; at: number };
}

function prepare(src: string, given: FormatOptions): Prepared {
  const opts = { ...given, tabSize: Math.min(16, Math.max(1, Math.floor(given.tabSize) || 4)) };
  const file = parse(src);
  if (file.errors.length) {
    const e = file.errors[0];
    return { src, file, tokens: [], refused: { reason: `the file has a syntax error (${e.message}): not formatted`, at: e.span.start } };
  }
  const tokens = tokensOf(file);
  if (!tokens.length) return { src, file, tokens };
  const printed = print(src, file, tokens, opts);
  const again = parse(printed.text);
  if (again.errors.length) return { src, file, tokens, refused: { reason: `the formatted text would not parse (${again.errors[0].message}): not formatted`, at: 0 } };
  const after = tokensOf(again);
  const diff = firstDifference(src, tokens, printed.text, after);
  if (diff >= 0) {
    const at = diff < tokens.length ? tokens[diff].start : src.length;
    return { src, file, tokens, refused: { reason: `the formatted text would read differently from token ${diff + 1} on: not formatted`, at } };
  }
  return { src, file, tokens, printed };
}

/** Formats a whole file. */
export function formatText(src: string, opts: FormatOptions): FormatResult {
  const p = prepare(src, opts);
  if (p.refused) return { text: src, edits: [], refused: p.refused };
  if (!p.printed) return { text: src, edits: [] };
  return { text: p.printed.text, edits: editsOf(p, 0, p.tokens.length - 1, true) };
}

/**
 * Formats the statements a range touches: the range grows to whole lines, then to whole
 * statements (a block with all it holds). Outside them the text stays byte for byte: of the
 * blanks before the first statement, only its indentation (or the line break that puts it on a
 * line of its own) changes.
 */
export function formatRange(src: string, range: Span, opts: FormatOptions): FormatResult {
  const p = prepare(src, opts);
  if (p.refused) return { text: src, edits: [], refused: p.refused };
  if (!p.printed) return { text: src, edits: [] };
  const toks = p.tokens;
  const a = range.start > 0 ? src.lastIndexOf('\n', range.start - 1) + 1 : 0;
  let b = src.indexOf('\n', Math.max(range.end, a));
  if (b < 0) b = src.length;
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < toks.length; i++) {
    if (toks[i].start >= b) break;
    if (toks[i].end > a) {
      if (lo < 0) lo = i;
      hi = i;
    }
  }
  if (lo < 0) return { text: src, edits: [] };
  // grow to whole statements until no token in [lo, hi] belongs to a statement reaching outside
  const first = new Map<Directive, number>();
  const last = new Map<Directive, number>();
  toks.forEach((t, i) => {
    if (!t.dir) return;
    if (!first.has(t.dir)) first.set(t.dir, i);
    last.set(t.dir, i);
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = lo; i <= hi; i++) {
      const d = toks[i].dir;
      if (!d) continue;
      const f = first.get(d)!;
      const l = last.get(d)!;
      if (f < lo) { lo = f; changed = true; }
      if (l > hi) { hi = l; changed = true; }
    }
  }
  // the lines before the first statement's line are not in range: only its indentation changes
  const edits = editsOf(p, lo, hi, false);
  const before = lo === 0 ? 0 : toks[lo - 1].end;
  const orig = src.slice(before, toks[lo].start);
  if (edits.length && edits[0].span.start === before && edits[0].span.end === toks[lo].start && orig.includes('\n')) {
    const gap = orig.slice(0, orig.lastIndexOf('\n') + 1) + edits[0].text.slice(edits[0].text.lastIndexOf('\n') + 1);
    if (gap === orig) edits.shift();
    else edits[0] = { span: edits[0].span, text: gap };
  }
  const text = applyEdits(src, edits);
  // the whole file was checked; the mix of formatted and unformatted parts is checked too
  const again = parse(text);
  if (again.errors.length || firstDifference(src, toks, text, tokensOf(again)) >= 0) {
    return { text: src, edits: [], refused: { reason: 'the formatted range would read differently: not formatted', at: toks[lo].start } };
  }
  return { text, edits };
}

/**
 * On-type formatting: after `}` or `;` is typed (offset: just after it), the line it ends is
 * indented by its depth, when that line starts a statement or holds a closing brace. Nothing
 * else on the line or in the file changes. Works in a file with syntax errors elsewhere, where
 * the whole-file formatter refuses: only blanks before a token at a line's start are touched.
 */
export function formatOnType(src: string, offset: number, ch: string, opts: FormatOptions): FormatResult {
  const none = { text: src, edits: [] };
  if ((ch !== '}' && ch !== ';') || offset < 1 || src[offset - 1] !== ch) return none;
  const file = parse(src);
  const lineStart = src.lastIndexOf('\n', offset - 2) + 1;
  let f = lineStart;
  while (f < src.length && (src[f] === ' ' || src[f] === '\t')) f++;
  const depth = lineDepth(file.directives, f, 0);
  if (depth === undefined) return none;
  const tabSize = Math.min(16, Math.max(1, Math.floor(opts.tabSize) || 4));
  const indent = indentOf(depth * tabSize, { ...opts, tabSize });
  if (src.slice(lineStart, f) === indent) return none;
  // only blanks between a line feed and a token's first character change, which no tokenizer
  // reads; checked anyway: the same errors, and the same statement start at the new place
  const edits = [{ span: { start: lineStart, end: f }, text: indent }];
  const text = applyEdits(src, edits);
  const again = parse(text);
  const same = again.errors.map((e) => e.message).join('\n') === file.errors.map((e) => e.message).join('\n');
  if (!same || lineDepth(again.directives, lineStart + indent.length, 0) !== depth) {
    return { ...none, refused: { reason: 'the line would read differently: not indented', at: f } };
  }
  return { text, edits };
}

/**
 * The depth of the statement whose first word is at `at`, or of the block whose `}` is there;
 * undefined when `at` is neither (a continuation line, inside a Lua body or a comment).
 */
function lineDepth(list: Directive[], at: number, depth: number): number | undefined {
  // the last statement starting at or before `at`
  let lo = 0;
  let hi = list.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start <= at) { k = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (k < 0) return undefined;
  const d = list[k];
  if (d.wordCount > 0 && d.span.start === at) return depth;
  const b = d.block;
  if (!b || at <= b.open.start || (b.close && at > b.close.start)) return undefined;
  if (b.close?.start === at) return depth;
  return b.kind === 'opaque' ? undefined : lineDepth(b.children, at, depth + 1);
}

/** The changed blanks of tokens lo..hi (the blanks before each, Lua bodies, and the end when `tail`). */
function editsOf(p: Prepared, lo: number, hi: number, tail: boolean): FormatEdit[] {
  const { src, tokens } = p;
  const pr = p.printed!;
  const edits: FormatEdit[] = [];
  for (let i = lo; i <= hi; i++) {
    const from = i === 0 ? 0 : tokens[i - 1].end;
    if (src.slice(from, tokens[i].start) !== pr.gaps[i]) edits.push({ span: { start: from, end: tokens[i].start }, text: pr.gaps[i] });
    const body = pr.bodies[i];
    if (body !== undefined && body !== src.slice(tokens[i].start, tokens[i].end)) edits.push({ span: { start: tokens[i].start, end: tokens[i].end }, text: body });
  }
  if (tail) {
    const from = tokens[tokens.length - 1].end;
    if (src.slice(from) !== pr.tail) edits.push({ span: { start: from, end: src.length }, text: pr.tail });
  }
  return edits;
}

/** Applies edits that are in order and do not overlap. */
export function applyEdits(src: string, edits: FormatEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += src.slice(at, e.span.start) + e.text;
    at = e.span.end;
  }
  return out + src.slice(at);
}

/** Blanks of a visual width: spaces, or tabs then the spaces a tab cannot make. */
function indentOf(width: number, opts: FormatOptions): string {
  if (width <= 0) return '';
  if (opts.insertSpaces) return ' '.repeat(width);
  return '\t'.repeat(Math.floor(width / opts.tabSize)) + ' '.repeat(width % opts.tabSize);
}

/** The offsets of a text's line feeds, to ask "a line end between a and b?" in log time. */
class Newlines {
  private readonly at: number[] = [];
  constructor(private readonly src: string) {
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) this.at.push(i);
  }
  /** Index of the first line feed at or after `from`. */
  private next(from: number): number {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Is there a line feed in [from, to)? */
  within(from: number, to: number): boolean {
    const i = this.next(from);
    return i < this.at.length && this.at[i] < to;
  }
  /** Visual column of an offset on its line (a tab reaches the next multiple of tabSize). */
  column(offset: number, tabSize: number): number {
    const i = this.next(offset) - 1;
    let col = 0;
    for (let k = i < 0 ? 0 : this.at[i] + 1; k < offset; k++) col = this.src.charCodeAt(k) === 9 ? (Math.floor(col / tabSize) + 1) * tabSize : col + 1;
    return col;
  }
}

/** Visual width of a line's leading blanks. */
function leadWidth(line: string, tabSize: number): number {
  let col = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 9) col = (Math.floor(col / tabSize) + 1) * tabSize;
    else if (c === 32) col++;
    else break;
  }
  return col;
}

/** Line feeds in [from, to) (a gap between two tokens: short, and each is scanned once). */
function countNewlines(src: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (src.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Where the values line up (opts.align): for each directive of a run, the index of the word
 * whose blanks before it pad to the run's width, and that width (of the word before it).
 */
function alignments(src: string, file: ParsedFile, lines: Newlines): Map<Directive, { k: number; width: number }> {
  const out = new Map<Directive, { k: number; width: number }>();
  // a run is decided on what the printed text will hold, so that a second pass finds the same
  // runs: the words of a statement stay on their lines (a `;` on a line of its own joins them),
  // and statements with at most one line end between them end up on neighbouring lines
  const oneLine = (d: Directive) => d.terminator === ';' && d.wordCount > 0 && !lines.within(d.span.start, d.words[d.wordCount - 1].span.end);
  const adjacent = (a: Directive, b: Directive) => countNewlines(src, a.span.end, b.span.start) <= 1;
  const runs = (list: Directive[], k: number, fits: (d: Directive) => boolean) => {
    let run: Directive[] = [];
    const flush = () => {
      if (run.length >= 2) {
        const width = Math.max(...run.map((d) => d.words[k - 1].raw.length));
        for (const d of run) out.set(d, { k, width });
      }
      run = [];
    };
    for (const d of list) {
      const ok = fits(d) && d.wordCount > k && oneLine(d);
      if (!ok) { flush(); continue; }
      if (run.length && !adjacent(run[run.length - 1], d)) flush();
      run.push(d);
    }
    flush();
  };
  const inline = (d: Directive) => !!d.block?.close && d.block.close.end - d.span.start <= MAX_INLINE && !lines.within(d.block.open.start, d.block.close.start);
  const walk = (list: Directive[], valueBlock: boolean) => {
    if (valueBlock) runs(list, 1, () => true);
    else runs(list, 2, (d) => d.name === 'proxy_set_header');
    for (const d of list) {
      const b = d.block;
      if (!b || b.kind === 'opaque' || inline(d)) continue;
      walk(b.children, b.kind === 'handler' && VALUE_BLOCKS.has(d.name));
    }
  };
  walk(file.directives, false);
  return out;
}

function print(src: string, file: ParsedFile, toks: Token[], opts: FormatOptions): Printed {
  const firstNl = src.indexOf('\n');
  const eol = firstNl > 0 && src[firstNl - 1] === '\r' ? '\r\n' : '\n';
  const unit = opts.tabSize;
  const lines = new Newlines(src);
  const pads = opts.align ? alignments(src, file, lines) : undefined;
  const gaps: string[] = new Array(toks.length);
  const bodies: (string | undefined)[] = new Array(toks.length);
  let out = '';
  // the outermost block written on one line that is open, as the offset of its `}`
  let inlineUntil = -1;
  // the statement being printed: where its first word is, and its column (when asked for)
  let stmtStart = 0;
  let stmtCol = -1;
  const breakTo = (nl: number, width: number) => eol.repeat(Math.min(Math.max(nl, 1), 2)) + indentOf(width, opts);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const p = i > 0 ? toks[i - 1] : undefined;
    let gap = '';
    if (p) {
      const nl = countNewlines(src, p.end, t.start);
      const inline = t.start <= inlineUntil;
      const depthW = t.depth * unit;
      const cont = () => {
        if (stmtCol < 0) stmtCol = lines.column(stmtStart, unit);
        return depthW + Math.max(unit, lines.column(t.start, unit) - stmtCol);
      };
      // blanks within a line are kept as written (hand-aligned values stay aligned); a `;` gets none
      const blanks = src.slice(p.end, t.start);
      const kept = nl === 0 && /^[ \t]*$/.test(blanks);
      const same = kept ? blanks : ' ';
      if (t.kind === 'lua' || p.kind === 'lua') gap = '';
      else if (t.kind === ';') gap = p.kind === 'comment' ? breakTo(1, depthW) : '';
      else if (t.kind === '{') gap = p.kind === 'comment' ? breakTo(1, depthW) : same;
      else if (inline) gap = same;
      else if (t.kind === '}') gap = breakTo(nl, depthW);
      else if (t.kind === 'comment') gap = nl === 0 ? (blanks && kept ? blanks : ' ') : breakTo(nl, t.inStatement ? cont() : depthW);
      else if (t.index === 0) gap = breakTo(nl, depthW);
      else if (nl > 0) gap = breakTo(nl, cont());
      else {
        const pad = pads?.get(t.dir!);
        gap = pad && pad.k === t.index ? ' '.repeat(pad.width - (p.end - p.start) + 1) : same;
      }
    }
    if (t.kind === 'word' && t.index === 0) { stmtStart = t.start; stmtCol = -1; }
    if (t.kind === '{' && inlineUntil < t.start) {
      const close = t.dir!.block?.close;
      if (close && close.end - t.dir!.span.start <= MAX_INLINE && !lines.within(t.start, close.start)) inlineUntil = close.start;
    }
    gaps[i] = gap;
    out += gap;
    let body = src.slice(t.start, t.end);
    if (t.kind === 'lua') {
      const again = luaBody(body, (t.depth + 1) * unit, t.depth * unit, opts);
      if (again !== body) bodies[i] = again;
      body = again;
    }
    out += body;
  }
  const last = toks[toks.length - 1];
  const tail = src.indexOf('\n', last.end) >= 0 || opts.insertFinalNewline ? eol : '';
  out += tail;
  return { text: out, gaps, bodies, tail };
}

/**
 * A Lua body re-indented as a block: its lines keep their relative indentation from `base`, and
 * the blanks before the closing brace become the directive's indentation. A body that may hold
 * a string spanning lines (long brackets, a backslash or \z before a line end) keeps its lines
 * as they are; only a closing brace on its own line moves.
 */
function luaBody(body: string, base: number, closeW: number, opts: FormatOptions): string {
  if (body.indexOf('\n') < 0) return body;
  const lines = body.split('\n');
  const blank = (l: string) => /^[ \t]*\r?$/.test(l);
  const strip = (l: string) => l.replace(/^[ \t]+/, '');
  const n = lines.length;
  if (blank(lines[0])) lines[0] = strip(lines[0]);
  const lastBlank = blank(lines[n - 1]);
  if (lastBlank) lines[n - 1] = indentOf(closeW, opts);
  const safe = !/\[=*\[|\\\r?\n|\\z/.test(body);
  if (safe) {
    const inner = lines.slice(1, lastBlank ? n - 1 : n);
    const widths = inner.filter((l) => !blank(l)).map((l) => leadWidth(l, opts.tabSize));
    const min = widths.length ? Math.min(...widths) : 0;
    for (let i = 1; i < (lastBlank ? n - 1 : n); i++) {
      const l = lines[i];
      lines[i] = blank(l) ? strip(l) : indentOf(base + leadWidth(l, opts.tabSize) - min, opts) + strip(l);
    }
  }
  return lines.join('\n');
}
