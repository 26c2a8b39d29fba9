// "Make this a working WebSocket location": every safe fix the rules have for one location,
// applied at once. Rules report one missing piece at a time (the Upgrade line, then the HTTP
// version it needs, then the map the Connection line needs…); this runs their fixes pass after
// pass on a scratch copy until the location has nothing left to fix, and hands back the final
// texts. Which findings belong to the location: those inside it (its includes expanded) and
// those on the levels around it (a map misplaced in its server, headers at http level) — never
// those inside another location, which is another endpoint with its own fixes.
import type { Workspace } from '../analysis';
import type { Directive, ParsedFile } from '../syntax/ast';
import type { ENode } from '../model/tree';
import type { FileId, Finding, Span } from '../types';
import { fixAll, scratchOf } from './fixAll';

export const WORKING_LOCATION_TITLE = 'Make this a working WebSocket location';

export interface WorkingLocation {
  /** The location, in the file asked about (its span before the fixes). */
  file: FileId;
  span: Span;
  /** How many fixes were taken, over all passes. */
  fixes: number;
  /** Final text of every real file the fixes change. */
  texts: Map<FileId, string>;
}

/** The `location` blocks of a file, outermost first, in the order they are written. */
function locationsOf(p: ParsedFile): Directive[] {
  const out: Directive[] = [];
  const stack: Directive[] = [];
  for (let i = p.directives.length - 1; i >= 0; i--) stack.push(p.directives[i]);
  while (stack.length) {
    const d = stack.pop()!;
    if (d.name === 'location' && d.block) out.push(d);
    const c = d.block?.children;
    if (c) for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
  return out;
}

/** The innermost location of `file` holding `offset` and its index in locationsOf; undefined when none. */
function locationAt(p: ParsedFile, offset: number): { index: number; loc: Directive } | undefined {
  const all = locationsOf(p);
  let best = -1;
  for (let i = 0; i < all.length; i++) {
    const s = all[i].span;
    if (s.start <= offset && offset < s.end) best = i; // later ones that hold it are nested deeper
  }
  return best < 0 ? undefined : { index: best, loc: all[best] };
}

const isRule = (f: Finding) => !f.code.startsWith('nginx-');

/** A rule finding the action takes: one with a safe fix. */
function forAction(f: Finding): Finding | undefined {
  return isRule(f) && f.fixes?.some((x) => x.kind === 'safe') ? f : undefined;
}

/**
 * The rule findings with a safe fix that belong to the location (see the file comment), over
 * every root that reaches the file.
 */
function findingsOf(ws: Workspace, file: FileId, loc: Directive): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const root of ws.rootsOf(file)) {
    const byFile = new Map<FileId, Finding[]>();
    const judged: Finding[] = [];
    for (const j of ws.judgedOf(root)?.findings ?? []) {
      const f = forAction(j);
      if (f) judged.push(f);
    }
    for (const f of judged) {
      const l = byFile.get(f.file);
      if (l) l.push(f); else byFile.set(f.file, [f]);
    }
    if (!byFile.size) continue;
    // the deepest directive holding each finding, and the location around that directive
    const where = new Map<Finding, { depth: number; inside: 'ours' | 'other' | 'none' }>();
    const walk = (list: ENode[], depth: number, inside: 'ours' | 'other' | 'none') => {
      for (const n of list) {
        let here = inside;
        if (n.d.name === 'location' && n.d.block) here = n.file === file && n.d === loc ? 'ours' : inside === 'ours' ? 'ours' : 'other';
        for (const f of byFile.get(n.file) ?? []) {
          const s = n.d.span;
          if (s.start > f.span.start || f.span.end > s.end) continue;
          const w = where.get(f);
          if (!w || w.depth < depth) where.set(f, { depth, inside: here });
        }
        if (n.children.length) walk(n.children, depth + 1, here);
      }
    };
    walk(root.top, 0, 'none');
    for (const f of judged) {
      const w = where.get(f);
      if (!w || w.inside === 'other') continue;
      if (!byFile.get(f.file)?.includes(f)) continue;
      const key = `${f.file}:${f.span.start}:${f.span.end}:${f.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

/**
 * Every safe fix for the location of `file` holding `offset`, applied together on a scratch
 * copy of the workspace: the final texts, or undefined when no location is there or nothing in
 * it has a fix. Touches no disk and leaves `live` as it was.
 */
export function workingLocation(live: Workspace, files: Iterable<FileId>, file: FileId, offset: number): WorkingLocation | undefined {
  const p = live.parsed(file);
  if (!p) return undefined;
  const here = locationAt(p, offset);
  if (!here) return undefined;
  const { index } = here;
  const span = { start: here.loc.span.start, end: here.loc.span.end };
  const scratch = scratchOf(live, files);
  // the fixes add directives, never locations: the location is the same index in every pass
  const current = () => {
    const q = scratch.parsed(file);
    return q ? locationsOf(q)[index] : undefined;
  };
  const first = current();
  if (!first || !findingsOf(scratch, file, first).length) return undefined;
  const { before, taken } = fixAll(scratch, {
    findings: () => {
      const loc = current();
      return loc ? findingsOf(scratch, file, loc) : [];
    },
  });
  const texts = new Map<FileId, string>();
  for (const f of before.keys()) texts.set(f, scratch.text(f)!);
  return texts.size ? { file, span, fixes: taken, texts } : undefined;
}

/** Whether the location of `file` holding `offset` has a rule finding with a safe fix (cheap: no fixing). */
export function hasLocationFixes(ws: Workspace, file: FileId, offset: number): boolean {
  const p = ws.parsed(file);
  if (!p) return false;
  const here = locationAt(p, offset);
  return !!here && findingsOf(ws, file, here.loc).length > 0;
}
