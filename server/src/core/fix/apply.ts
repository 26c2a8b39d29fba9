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

/**
 * Groups the edits of whole fixes per real file. `realOf` names the file each path is (the
 * workspace's canonical()): two paths of one file (a link and its target) are one file, so the
 * same fix found under both is taken once. A fix is taken only if none of its edits overlaps, or
 * is the very same as, one already taken.
 */
export function planFixes(fixes: Fix[], realOf: (file: FileId) => FileId = (f) => f): { edits: Map<FileId, TextEdit[]>; taken: Fix[] } {
  const byFile = new Map<FileId, TextEdit[]>();
  const taken: Fix[] = [];
  const overlaps = (e: TextEdit) =>
    (byFile.get(e.file) ?? []).some((o) => e.span.start < o.span.end && o.span.start < e.span.end || (e.span.start === o.span.start && e.span.end === o.span.end));
  for (const fix of fixes) {
    const edits = fix.edits.map((e) => {
      const real = realOf(e.file);
      return real === e.file ? e : { ...e, file: real };
    });
    if (edits.some(overlaps)) continue;
    // edits of one fix among themselves are the rule's own business (it made them for one text)
    for (const e of edits) {
      const l = byFile.get(e.file);
      if (l) l.push(e); else byFile.set(e.file, [e]);
    }
    taken.push({ ...fix, edits });
  }
  return { edits: byFile, taken };
}

/** planFixes' edits: the edits of the fixes taken, per file. */
export function collectFixEdits(fixes: Fix[], realOf?: (file: FileId) => FileId): Map<FileId, TextEdit[]> {
  return planFixes(fixes, realOf).edits;
}

/** Upper bound on fix-all passes: fixes that enable other fixes converge well before this. */
export const MAX_FIX_PASSES = 10;
