// Where the canonical `map $http_upgrade $connection_upgrade` goes, for the "Insert upgrade map"
// command: the http block of the main config reaching the active document (else the first main
// config with a closed http block; else the top of the active file when it is an http fragment).
// Pure: reads only the Workspace.
import type { Workspace } from '../analysis';
import { upgradeMapInsertion } from '../fix/edits';
import { modelOf } from '../rules/run';
import type { FileId, TextEdit } from '../types';

export type MapPlan =
  | { kind: 'exists'; file: FileId; offset: number }
  | { kind: 'insert'; edit: TextEdit; /** offset of the `map` line in the edited text */ offset: number }
  | { kind: 'nowhere' };

export function planUpgradeMap(ws: Workspace, active: FileId | undefined): MapPlan {
  const roots = [...ws.analysis().values()];
  const mains = roots
    .filter((r) => r.kind === 'main')
    .map((r) => ({ r, m: modelOf(ws, r, ws.options) }))
    .filter(({ m }) => m.httpBlocks.some((h) => h.d.block?.close));
  const reaching = mains.find(({ r }) => active !== undefined && r.files.has(active));
  const fragment = roots.find((r) => r.root === active && r.kind === 'fragment' && r.ctx === 'http');
  const target = reaching ?? (fragment ? { r: fragment, m: modelOf(ws, fragment, ws.options) } : mains[0]);
  if (!target) return { kind: 'nowhere' };
  const def = target.m.definitions.get('connection_upgrade')?.[0];
  if (def) return { kind: 'exists', file: def.file, offset: def.d.span.start };
  const edit = upgradeMapInsertion((f) => ws.text(f) ?? '', target.m, target.r);
  if (!edit) return { kind: 'nowhere' };
  return { kind: 'insert', edit, offset: edit.span.start + edit.text.indexOf('map ') };
}
