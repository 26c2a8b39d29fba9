/**
 * Offsets of each line's first character (LF-separated; a CR before LF stays on its line).
 * For a large text the table is computed once while the text is among the last few asked
 * for (callers that convert every finding's offset ask once per finding): do not change it.
 */
export function lineStarts(text: string): number[] {
  return text.length < TABLE_FROM ? computeLineStarts(text) : tables.get(text);
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  let i = -1;
  while ((i = text.indexOf('\n', i + 1)) >= 0) starts.push(i + 1);
  return starts;
}

/** 0-based line and UTF-16 column of an offset. */
export function positionAt(starts: number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** Offset of a 0-based line/character, clamped to the text. */
export function offsetAt(starts: number[], textLength: number, line: number, character: number): number {
  if (line >= starts.length) return textLength;
  if (line < 0) return 0;
  const next = line + 1 < starts.length ? starts[line + 1] : textLength;
  return Math.min(starts[line] + Math.max(0, character), next);
}

/** Texts at least this long have their line table kept (see lineStarts). */
const TABLE_FROM = 4096;

/**
 * A value computed once per text while the text is among the last few asked for. Each hit
 * re-keys the entry with the string asked for: two equal strings that are different objects
 * compare character by character, the same object compares at once, so a text read again
 * (a new string) costs one comparison, not one per call.
 */
export class TextMemo<T> {
  private readonly m = new Map<string, T>();
  constructor(private readonly make: (text: string) => T, private readonly size = 4) {}
  get(text: string): T {
    let v = this.m.get(text);
    if (v === undefined) {
      v = this.make(text);
      if (this.m.size >= this.size) this.m.delete(this.m.keys().next().value!);
    } else this.m.delete(text);
    this.m.set(text, v);
    return v;
  }
}

const tables = new TextMemo(computeLineStarts);

/** Offset of the first character of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  if (text.length < TABLE_FROM) return text.lastIndexOf('\n', offset - 1) + 1;
  const starts = lineStarts(text);
  return starts[positionAt(starts, Math.min(Math.max(offset, 0), text.length)).line];
}

/** Offset of the `\n` that ends the line holding `offset` (text.length on the last line). */
export function lineEndOf(text: string, offset: number): number {
  if (text.length < TABLE_FROM) {
    const e = text.indexOf('\n', offset);
    return e < 0 ? text.length : e;
  }
  const starts = lineStarts(text);
  const line = positionAt(starts, Math.min(Math.max(offset, 0), text.length)).line;
  return line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
}

/** The indentation (spaces/tabs) of the line holding an offset. */
export function indentAt(text: string, offset: number): string {
  const ls = lineStartOf(text, offset);
  let e = ls;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(ls, e);
}
