// Fix-all, the one loop the editor's source.fixAll and the CLI's --fix share: the safe fixes,
// applied in memory (as overlays of a workspace) pass after pass, since a fix may enable
// another (ESLint's multipass, capped). Touches no disk: the caller writes, or sends edits.
import { Workspace, type Judged } from '../analysis';
import { applyEdits, planFixes, MAX_FIX_PASSES } from '../fix/apply';
import type { RootAnalysis } from '../model/tree';
import { HostError, type FileId, type Finding, type Fix, type Host, type TextEdit } from '../types';

export interface FixAllOptions {
  /** The findings whose fixes to take on a pass (`from` keeps only the findings of some roots). */
  findings(from?: (root: RootAnalysis, judged: Judged) => boolean): Finding[];
  /** Whether a fix may be taken, given the real files it edits (else it is left out). */
  accept?(fix: Fix, reals: FileId[]): boolean;
  /**
   * Fixes found by a fragment that asked what the rest of the workspace defines wait until the
   * others are done: the map nginx.conf gets for its sites also serves a site not yet enabled,
   * which would otherwise get a map of its own in the same pass.
   */
  fragmentsWait?: boolean;
}

export interface FixAllResult {
  /** Every real file a pass changed, with its text before the first change. */
  before: Map<FileId, string>;
  /** How many fixes were taken for each real file, over all passes. */
  counts: Map<FileId, number>;
  /** How many fixes were taken, over all passes (a fix that edits two files counts once). */
  taken: number;
}

/**
 * Applies the first safe fix of each finding, pass after pass, as overlays of `ws` (by real
 * path), until nothing changes. The workspace's texts are then the fixed ones.
 */
export function fixAll(ws: Workspace, o: FixAllOptions): FixAllResult {
  const before = new Map<FileId, string>();
  const counts = new Map<FileId, number>();
  let taken = 0;
  let settled = !o.fragmentsWait;
  const passes = (o.fragmentsWait ? 2 : 1) * MAX_FIX_PASSES;
  for (let pass = 0; pass < passes; pass++) {
    const safe: Fix[] = [];
    for (const f of o.findings(settled ? undefined : (_r, j) => j.asked.size === 0)) {
      const fx = f.fixes?.find((x) => x.kind === 'safe');
      if (!fx) continue;
      if (o.accept && !o.accept(fx, fx.edits.map((e) => ws.canonical(e.file)))) continue;
      safe.push(fx);
    }
    const plan = planFixes(safe, (f) => ws.canonical(f));
    let changed = false;
    for (const [real, edits] of plan.edits) {
      const text = ws.text(real);
      if (text === undefined) continue;
      const next = applyEdits(text, edits).text;
      if (next === text) continue;
      if (!before.has(real)) before.set(real, text);
      ws.setOverlay(real, next);
      changed = true;
    }
    taken += plan.taken.length;
    for (const fx of plan.taken) for (const real of new Set(fx.edits.map((e) => e.file))) counts.set(real, (counts.get(real) ?? 0) + 1);
    if (changed) continue;
    if (settled) break;
    settled = true;
  }
  return { before, counts, taken };
}

/**
 * The editor's fix-all for one file: final text of every file the safe fixes of `file`'s
 * findings change, by real path, computed on a scratch workspace that reads through the live
 * one (open buffers, cached disk texts and read errors alike). Touches no disk.
 */
export function fixAllTexts(live: Workspace, files: Iterable<FileId>, file: FileId): Map<FileId, string> {
  const scratch = scratchOf(live, files);
  const { before } = fixAll(scratch, { findings: () => scratch.findings(file) });
  const edited = new Map<FileId, string>();
  for (const f of before.keys()) edited.set(f, scratch.text(f)!);
  return edited;
}

/**
 * A workspace to try fixes on: it reads through the live one (open buffers, cached disk texts
 * and read errors alike) and keeps its own overlays. Touches no disk.
 */
export function scratchOf(live: Workspace, files: Iterable<FileId>): Workspace {
  const host: Host = {
    read(f) {
      const text = live.text(f);
      const error = text === undefined ? live.readError(f) : undefined;
      if (error) throw new HostError(error);
      return text;
    },
    glob: (pattern) => live.glob(pattern),
    // the live workspace's idea of which paths are one file: a fix found under two paths of it is one fix
    realpath: (f) => live.canonical(f),
  };
  const scratch = new Workspace(host, live.options);
  scratch.setFiles(files);
  return scratch;
}

/** One replacement turning `before` into `after`, never splitting a CRLF or a surrogate pair. */
export function minimalEdit(file: FileId, before: string, after: string): TextEdit {
  const max = Math.min(before.length, after.length);
  let s = 0;
  while (s < max && before[s] === after[s]) s++;
  if (s > 0 && /[\r\uD800-\uDBFF]/.test(before[s - 1])) s--;
  let e = 0;
  while (e < max - s && before[before.length - 1 - e] === after[after.length - 1 - e]) e++;
  if (e > 0 && /[\n\uDC00-\uDFFF]/.test(before[before.length - e]) && before.length - e > s) e--;
  return { file, span: { start: s, end: before.length - e }, text: after.slice(s, after.length - e) };
}
