// source.fixAll: safe fixes only, applied in memory and re-analysed until nothing changes
// (ESLint's multipass, capped). The editor receives one minimal edit per changed file.
import { Workspace } from '../core/model/workspace';
import { applyEdits, collectFixEdits, MAX_FIX_PASSES } from '../core/fix/apply';
import { HostError, type FileId, type Host, type TextEdit } from '../core/types';
import type { Project } from './projects';

/** Final text of every file the safe fixes of `file`'s findings change, by real path. Touches no disk. */
export function fixAllTexts(project: Project, file: FileId): Map<FileId, string> {
  const live = project.ws;
  // reads through the live workspace: open buffers, cached disk texts and read errors alike
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
  scratch.setFiles([...project.scanned, ...project.open]);
  const edited = new Map<FileId, string>();
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const safe = scratch.findings(file).flatMap((f) => (f.fixes ?? []).filter((x) => x.kind === 'safe').slice(0, 1));
    let changed = false;
    for (const [f, edits] of collectFixEdits(safe, (x) => scratch.canonical(x))) {
      const text = scratch.text(f);
      if (text === undefined) continue;
      const next = applyEdits(text, edits).text;
      if (next === text) continue;
      scratch.setOverlay(f, next);
      edited.set(f, next);
      changed = true;
    }
    if (!changed) break;
  }
  return edited;
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
