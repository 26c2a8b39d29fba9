import type { Span } from '../types';
import type { Block, BlockKind, Comment, Directive, ParsedFile, Quote, SyntaxError, Word } from './ast';

/** Nesting depth beyond which block contents are skipped (real configs stay under ~10). */
export const MAX_DEPTH = 128;

/** nginx's NGX_CONF_BUFFER: a token that fills the whole read buffer is an error. */
const CONF_BUFFER = 4096;

/**
 * Directives whose block is read by a module's own handler line by line (nginx sets
 * cf->handler): inside them `{` is an error and lines are not directives.
 */
const HANDLER_BLOCKS = new Set(['map', 'types', 'geo', 'split_clients', 'charset_map', 'match']);

export interface ParseOptions {
  /** Parse the file as if it were included inside a handler block (e.g. a file included from `map {}`). */
  handler?: boolean;
}

type StatementEnd = ';' | '{' | '}' | 'eof' | 'cut';

const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 10;

/** UTF-8 length of text[from, to): nginx measures its buffer in bytes. */
function utf8Length(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/**
 * What nginx's "%*s" with a length of n prints from `from`: n bytes, not characters (a cut
 * UTF-8 sequence comes out as U+FFFD once the output is read as UTF-8).
 */
function firstBytes(text: string, from: number, n: number): string {
  const bytes = new TextEncoder().encode(text.slice(from, from + n));
  return new TextDecoder().decode(bytes.subarray(0, n));
}

/** The value nginx stores for a word: only \" \' \\ are unescaped, \t \r \n become control chars. */
export function unescape(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\' && i + 1 < raw.length) {
      const nx = raw[i + 1];
      if (nx === '"' || nx === "'" || nx === '\\') { out += nx; i++; continue; }
      if (nx === 't') { out += '\t'; i++; continue; }
      if (nx === 'r') { out += '\r'; i++; continue; }
      if (nx === 'n') { out += '\n'; i++; continue; }
    }
    out += ch;
  }
  return out;
}

/**
 * A word keeps offsets only; its raw text and unescaped value are sliced on first use (most
 * words of a large file are never looked at twice, and the allocations dominated parsing).
 * It is its own span.
 */
class ParsedWord implements Word {
  private v: string | undefined;
  constructor(
    private readonly src: string,
    public readonly start: number,
    public readonly end: number,
    private readonly valueEnd: number,
    public readonly quote: Quote,
  ) {}
  get raw(): string {
    return this.src.slice(this.start, this.end);
  }
  get value(): string {
    return (this.v ??= unescape(this.src.slice(this.quote === 'none' ? this.start : this.start + 1, this.valueEnd)));
  }
  get span(): Span {
    return this;
  }
}

/** Word offsets of one file, four ints a word: start, end (raw), value end, quote. */
interface WordStore {
  buf: Int32Array;
  /** ints used */
  n: number;
}

const QUOTES: Quote[] = ['none', '"', "'"];

/** A block: one object; its brace spans are made on first use from their offsets. */
class ParsedBlock implements Block {
  private o: Span | undefined;
  private c: Span | undefined;
  /** Offset of the `}` (-1: the file ended first). */
  closeAt = -1;
  readonly children: Directive[] = [];
  constructor(
    public kind: BlockKind,
    /** Offset of the `{`. */
    public readonly openAt: number,
  ) {}
  get open(): Span {
    return (this.o ??= { start: this.openAt, end: this.openAt + 1 });
  }
  get close(): Span | undefined {
    return this.closeAt < 0 ? undefined : (this.c ??= { start: this.closeAt, end: this.closeAt + 1 });
  }
}

/**
 * A directive whose words (and argument list) are made on first use from the file's offsets.
 * It is its own span (start, end), so a directive is one object.
 */
class ParsedDirective implements Directive {
  private w: Word[] | undefined;
  private a: Word[] | undefined;
  private es: Span | undefined;
  block?: Block = undefined;
  constructor(
    private readonly src: string,
    private readonly store: WordStore,
    private readonly first: number,
    public readonly wordCount: number,
    public name: string,
    public readonly terminator: ';' | '{' | undefined,
    /** Offset of the terminator (-1: none). */
    public readonly endOffset: number,
    public readonly start: number,
    /** The span's end: the terminator, or the block's `}` once read. */
    public end: number,
    public readonly parent: Directive | undefined,
  ) {}
  get span(): Span {
    return this;
  }
  get words(): Word[] {
    if (!this.w) {
      const b = this.store.buf;
      const out: Word[] = new Array(this.wordCount);
      for (let i = 0; i < this.wordCount; i++) {
        const o = (this.first + i) * 4;
        out[i] = new ParsedWord(this.src, b[o], b[o + 1], b[o + 2], QUOTES[b[o + 3]]);
      }
      this.w = out;
    }
    return this.w;
  }
  get args(): Word[] {
    return (this.a ??= this.words.slice(1));
  }
  arg(i: number): string | undefined {
    if (i < 0 || i + 1 >= this.wordCount) return undefined;
    if (this.w) return this.w[i + 1].value;
    const b = this.store.buf;
    const o = (this.first + i + 1) * 4;
    return unescape(this.src.slice(b[o + 3] === 0 ? b[o] : b[o] + 1, b[o + 2]));
  }
  get endSpan(): Span | undefined {
    return this.endOffset < 0 ? undefined : (this.es ??= { start: this.endOffset, end: this.endOffset + 1 });
  }
}

/**
 * Parses one nginx configuration file the way nginx's ngx_conf_read_token and ngx_conf_parse
 * do, but keeps going after an error. errors[0] is the error nginx itself reports first
 * (for the syntax layer; directive-level checks live in the validator).
 */
export function parse(text: string, options: ParseOptions = {}): ParsedFile {
  const len = text.length;
  const comments: Comment[] = [];
  const errors: SyntaxError[] = [];
  let pos = 0;
  /** A `}` seen while words were pending: it is read again as the next statement. */
  let pendingClose = -1;

  const err = (message: string, start: number, end = start + 1) => {
    errors.push({ message, span: { start, end: Math.min(end, Math.max(len, start)) } });
  };

  // what the last readStatement ended with, and where (the terminator's offset)
  let stEnd: StatementEnd = 'eof';
  let stAt = 0;
  const store: WordStore = { buf: new Int32Array(4096), n: 0 };
  let stFirst = 0; // index of the statement's first word in the store
  const done = (count: number, end: StatementEnd, at: number): number => {
    stEnd = end;
    stAt = at;
    return count;
  };

  /** Appends one word's offsets to the store (endExclusive: end of the value; rawEnd: after a closing quote). */
  function storeWord(start: number, endExclusive: number, rawEnd: number, quote: Quote) {
    if (store.n + 4 > store.buf.length) {
      const grown = new Int32Array(store.buf.length * 2);
      grown.set(store.buf);
      store.buf = grown;
    }
    const b = store.buf;
    b[store.n] = start;
    b[store.n + 1] = rawEnd;
    b[store.n + 2] = endExclusive;
    b[store.n + 3] = quote === 'none' ? 0 : quote === '"' ? 1 : 2;
    store.n += 4;
  }

  /**
   * Directive names, one string per spelling: a name is compared with the text in place
   * (startsWith) instead of being sliced out of it for every directive.
   */
  const names = new Map<number, string[]>();
  function nameAt(from: number, to: number): string {
    const n = to - from;
    if (n <= 0) return '';
    const key = n * 0x10000 + text.charCodeAt(from);
    const list = names.get(key);
    if (list) for (let i = 0; i < list.length; i++) if (text.startsWith(list[i], from)) return list[i];
    const s = text.slice(from, to);
    if (s.includes('\\')) return unescape(s);
    if (!list) names.set(key, [s]);
    else if (list.length < 16) list.push(s);
    return s;
  }

  /** mirrors ngx_conf_read_token */
  function readStatement(): number {
    stFirst = store.n >> 2;
    let count = 0;
    if (pendingClose >= 0) {
      const at = pendingClose;
      pendingClose = -1;
      return done(0, '}', at);
    }
    let lastSpace = true;
    let needSpace = false;
    let quoted = false;
    let quote: Quote = 'none';
    let inQuote = false;
    let variable = false;
    let wordStart = -1; // offset of the word's first char (the quote for quoted words)
    let bufStart = pos; // nginx's `start`, for the too-long check
    let tooLongReported = false;

    while (true) {
      // mirrors the NGX_CONF_BUFFER check at each buffer refill: `start` unchanged for 4096 bytes
      // while the file has more to read
      if (!tooLongReported && pos < len && pos - bufStart >= CONF_BUFFER / 4 && utf8Length(text, bufStart, pos) >= CONF_BUFFER) {
        tooLongReported = true;
        if (inQuote) err(`too long parameter, probably missing terminating "${quote}" character`, bufStart);
        else err(`too long parameter "${firstBytes(text, bufStart, 10)}..." started`, bufStart);
      }
      if (pos >= len) {
        if (count > 0 || !lastSpace) {
          // a word in progress at end of file
          if (!lastSpace && !needSpace) { storeWord(wordStart, len, len, quote); count++; }
          err('unexpected end of file, expecting ";" or "}"', len, len);
          return done(count, 'cut', len);
        }
        return done(count, 'eof', len);
      }
      let ch = text.charCodeAt(pos++);

      // fast paths (same states, fewer trips round the loop): a run of whitespace between
      // tokens — nginx moves `start` with every such character — and the plain characters of a
      // word. Both stop 1024 characters after `start`, where the per-character too-long check
      // takes over.
      if (lastSpace && !needSpace && !quoted && (ch === 32 || ch === 9 || ch === 10 || ch === 13)) {
        while (pos < len) {
          const c = text.charCodeAt(pos);
          if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
          pos++;
        }
        bufStart = pos - 1;
        continue;
      }
      if (!lastSpace && !quoted && !needSpace && ch !== 123 && ch !== 92 && ch !== 36) {
        const limit = Math.min(len, bufStart + CONF_BUFFER / 4);
        if (quote === 'none') {
          if (ch !== 32 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 59) {
            variable = false;
            while (pos < limit) {
              const c = text.charCodeAt(pos);
              if (c === 32 || c === 9 || c === 10 || c === 13 || c === 59 || c === 123 || c === 92 || c === 36) break;
              pos++;
            }
            continue;
          }
        } else {
          const q = quote === '"' ? 34 : 39;
          if (ch !== q) {
            variable = false;
            while (pos < limit) {
              const c = text.charCodeAt(pos);
              if (c === q || c === 92 || c === 36) break;
              pos++;
            }
            continue;
          }
        }
      }

      if (ch === 35 /* # */ && lastSpace && !needSpace && !quoted) {
        // sharp comment: runs to LF, only where a token starts
        let e = text.indexOf('\n', pos);
        if (e < 0) e = len;
        const cEnd = e > pos && text.charCodeAt(e - 1) === 13 ? e - 1 : e;
        comments.push({ text: text.slice(pos, cEnd), span: { start: pos - 1, end: cEnd } });
        const bytes = utf8Length(text, pos - 1, e);
        if (!tooLongReported && (bytes > CONF_BUFFER || (bytes === CONF_BUFFER && e < len))) {
          tooLongReported = true;
          err(`too long parameter "${firstBytes(text, pos - 1, 10)}..." started`, pos - 1);
        }
        bufStart = pos - 1;
        pos = e;
        continue;
      }

      if (quoted) { quoted = false; continue; }

      if (needSpace) {
        if (isSpace(ch)) { lastSpace = true; needSpace = false; continue; }
        if (ch === 59 /* ; */) return done(count, ';', pos - 1);
        if (ch === 123 /* { */) return done(count, '{', pos - 1);
        if (ch === 41 /* ) */) {
          lastSpace = true; needSpace = false;
        } else {
          // "%c" prints one byte: of a multi-byte UTF-8 character only the lead byte, which
          // reads as U+FFFD on its own
          err(`unexpected "${ch < 0x80 ? String.fromCharCode(ch) : '\uFFFD'}"`, pos - 1);
          // recover: as if a space separated the quoted word from this character
          lastSpace = true; needSpace = false;
        }
      }

      if (lastSpace) {
        bufStart = pos - 1;
        if (isSpace(ch)) continue;
        wordStart = pos - 1;
        quote = 'none';
        switch (ch) {
          case 59: // ;
          case 123: // {
            if (count === 0) {
              err(`unexpected "${String.fromCharCode(ch)}"`, pos - 1);
              if (ch === 59) continue;
            }
            return done(count, ch === 59 ? ';' : '{', pos - 1);
          case 125: // }
            if (count > 0) {
              err('unexpected "}"', pos - 1);
              pendingClose = pos - 1;
              return done(count, 'cut', pos - 1);
            }
            return done(count, '}', pos - 1);
          case 92: // backslash
            quoted = true; lastSpace = false; continue;
          case 34: // "
            quote = '"'; inQuote = true; bufStart = pos; lastSpace = false; continue;
          case 39: // '
            quote = "'"; inQuote = true; bufStart = pos; lastSpace = false; continue;
          case 36: // $
            variable = true; lastSpace = false; continue;
          default:
            lastSpace = false; continue;
        }
      }

      // inside a word
      if (ch === 123 && variable) continue;
      variable = false;
      if (ch === 92) { quoted = true; continue; }
      if (ch === 36) { variable = true; continue; }
      if (quote === '"' || quote === "'") {
        if (ch === (quote === '"' ? 34 : 39)) {
          { storeWord(wordStart, pos - 1, pos, quote); count++; }
          inQuote = false;
          needSpace = true;
        }
        continue;
      }
      if (isSpace(ch) || ch === 59 || ch === 123) {
        { storeWord(wordStart, pos - 1, pos - 1, quote); count++; }
        lastSpace = true;
        if (ch === 59) return done(count, ';', pos - 1);
        if (ch === 123) return done(count, '{', pos - 1);
      }
    }
  }

  /**
   * lua-nginx-module reads *_by_lua_block bodies with its own Lua-aware lexer; mirror that
   * closely enough to find the closing brace (strings, long brackets, comments).
   */
  function skipLuaBlock(): number | undefined {
    let depth = 1;
    while (pos < len) {
      const c = text[pos];
      if (c === '-' && text[pos + 1] === '-') {
        const lb = /^\[(=*)\[/.exec(text.slice(pos + 2, pos + 200));
        if (lb) {
          const close = text.indexOf(']' + lb[1] + ']', pos + 2 + lb[0].length);
          pos = close < 0 ? len : close + lb[1].length + 2;
        } else {
          const e = text.indexOf('\n', pos);
          pos = e < 0 ? len : e + 1;
        }
        continue;
      }
      if (c === '[') {
        const lb = /^\[(=*)\[/.exec(text.slice(pos, pos + 200));
        if (lb) {
          const close = text.indexOf(']' + lb[1] + ']', pos + lb[0].length);
          pos = close < 0 ? len : close + lb[1].length + 2;
          continue;
        }
      }
      if (c === '"' || c === "'") {
        pos++;
        while (pos < len && text[pos] !== c && text[pos] !== '\n') pos += text[pos] === '\\' ? 2 : 1;
        pos++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return pos++;
      pos++;
    }
    return undefined;
  }

  const top: Directive[] = [];
  interface Frame { block?: ParsedBlock; owner?: ParsedDirective; list: Directive[]; kind: BlockKind }
  const stack: Frame[] = [{ list: top, kind: options.handler ? 'handler' : 'directives' }];

  for (;;) {
    const frame = stack[stack.length - 1];
    const wc = readStatement();
    const wFirst = stFirst;
    const end = stEnd as StatementEnd;
    const at = stAt;
    if (end === '}' && wc === 0) {
      if (stack.length === 1) {
        err('unexpected "}"', at);
        continue;
      }
      stack.pop();
      frame.block!.closeAt = at;
      frame.owner!.end = at + 1;
      continue;
    }
    if (end === 'eof') {
      if (stack.length > 1) err('unexpected end of file, expecting "}"', len, len);
      break;
    }
    const b = store.buf;
    const o = wFirst * 4;
    const name = wc ? nameAt(b[o + 3] === 0 ? b[o] : b[o] + 1, b[o + 2]) : '';
    const startAt = wc ? b[o] : at;
    const terminated = end === ';' || end === '{';
    const d = new ParsedDirective(
      text,
      store,
      wFirst,
      wc,
      name,
      terminated ? end : undefined,
      terminated ? at : -1,
      startAt,
      end === 'cut' ? (wc ? b[(wFirst + wc - 1) * 4 + 1] : at) : at + 1,
      frame.owner,
    );
    frame.list.push(d);
    if (end === '{') {
      if (frame.kind === 'handler' && wc > 0) err('unexpected "{"', at);
      let kind: BlockKind = frame.kind === 'opaque' ? 'opaque' : HANDLER_BLOCKS.has(d.name) ? 'handler' : 'directives';
      if (d.name.endsWith('_by_lua_block') && frame.kind === 'directives') {
        const close = skipLuaBlock();
        const lua = new ParsedBlock('opaque', at);
        d.block = lua;
        if (close === undefined) {
          err('unexpected end of file, expecting "}"', len, len);
        } else {
          lua.closeAt = close;
          d.end = close + 1;
        }
        continue;
      }
      if (frame.kind === 'handler') kind = 'handler';
      const block = new ParsedBlock(kind, at);
      d.block = block;
      if (stack.length > MAX_DEPTH) {
        // deeper than any real config: keep reading (braces must still balance) but keep nothing,
        // so no later pass recurses this deep
        if (stack.length === MAX_DEPTH + 1) errors.push({ message: `blocks nested deeper than ${MAX_DEPTH} levels: their contents are not analysed`, span: { start: at, end: at + 1 }, severity: 'warning' });
        block.kind = 'opaque';
        stack.push({ block, owner: d, list: [], kind: 'opaque' });
      } else stack.push({ block, owner: d, list: block.children, kind });
    }
    if (end === 'cut' && pos >= len && pendingClose < 0) {
      // end of file inside a directive: nginx stops here
      break;
    }
  }
  // close blocks left open at end of file
  return { text, directives: top, comments, errors };
}

