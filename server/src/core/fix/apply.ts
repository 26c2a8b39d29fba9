import type { FileId, Fix, TextEdit } from '../types';

/**
 * Applies edits to one text: sorted by position, an edit overlapping one already taken is
 * dropped (it will be recomputed on the next pass). Returns the new text and how many applied.
 */
export function applyEdits(text: string, edits: TextEdit[]): { text: string; applied: number } {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const taken: TextEdit[] = [];
  let lastEnd = -1;
  for (const e of sorted) {
    if (e.span.start < lastEnd) continue;
    // two insertions at the same point would interleave unpredictably: keep the first
    if (taken.length && e.span.start === e.span.end && e.span.start === taken[taken.length - 1].span.start && taken[taken.length - 1].span.start === taken[taken.length - 1].span.end) continue;
    taken.push(e);
    lastEnd = e.span.end;
  }
  let out = '';
  let at = 0;
  for (const e of taken) {
    out += text.slice(at, e.span.start) + e.text;
    at = e.span.end;
  }
  return { text: out + text.slice(at), applied: taken.length };
}

/** Groups the edits of whole fixes per file. A fix is taken only if none of its edits overlap a taken one. */
export function collectFixEdits(fixes: Fix[]): Map<FileId, TextEdit[]> {
  const byFile = new Map<FileId, TextEdit[]>();
  const overlaps = (e: TextEdit) =>
    (byFile.get(e.file) ?? []).some((o) => e.span.start < o.span.end && o.span.start < e.span.end || (e.span.start === o.span.start && e.span.end === o.span.end));
  for (const f of fixes) {
    if (f.edits.some(overlaps)) continue;
    for (const e of f.edits) {
      const l = byFile.get(e.file) ?? [];
      l.push(e);
      byFile.set(e.file, l);
    }
  }
  return byFile;
}

/** Upper bound on fix-all passes: fixes that enable other fixes converge well before this. */
export const MAX_FIX_PASSES = 10;
