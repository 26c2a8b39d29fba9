/** Offsets of each line's first character (LF-separated; a CR before LF stays on its line). */
export function lineStarts(text: string): number[] {
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

/** The indentation (spaces/tabs) of the line holding an offset. */
export function indentAt(text: string, offset: number): string {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  let e = ls;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(ls, e);
}
