// Where the canonical `map $http_upgrade $connection_upgrade` goes, for the "Insert upgrade map"
// command: the http block of the main config reaching the active document (else the first main
// config with a closed http block; else the top of the active file when it is an http fragment).
// Pure: reads only the Workspace.
import { buildModel, type WsModel } from '../core/model/effective';
import type { RootAnalysis, Workspace } from '../core/model/workspace';
import { insertAtBlockStart, insertAtFileTop, upgradeMapLines } from '../core/fix/edits';
import type { FileId, TextEdit } from '../core/types';

export type MapPlan =
  | { kind: 'exists'; file: FileId; offset: number }
  | { kind: 'insert'; edit: TextEdit; /** offset of the `map` line in the edited text */ offset: number }
  | { kind: 'nowhere' };

export function modelOf(ws: Workspace, root: RootAnalysis): WsModel {
  return buildModel(root, ws.options, { text: (f) => ws.text(f) ?? '', comments: (f) => ws.parsed(f)?.comments ?? [] });
}

export function planUpgradeMap(ws: Workspace, active: FileId | undefined): MapPlan {
  const roots = [...ws.analysis().values()];
  const mains = roots
    .filter((r) => r.kind === 'main')
    .map((r) => ({ r, m: modelOf(ws, r) }))
    .filter(({ m }) => m.httpBlocks.some((h) => h.d.block?.close));
  const reaching = mains.find(({ r }) => active !== undefined && r.files.has(active));
  const fragment = roots.find((r) => r.root === active && r.kind === 'fragment' && r.ctx === 'http');
  const target = reaching ?? (fragment ? { r: fragment, m: modelOf(ws, fragment) } : mains[0]);
  if (!target) return { kind: 'nowhere' };
  const def = target.m.definitions.get('connection_upgrade')?.[0];
  if (def) return { kind: 'exists', file: def.file, offset: def.d.span.start };
  const lines = upgradeMapLines();
  const http = target.m.httpBlocks.find((h) => h.d.block?.close);
  let edit: TextEdit;
  if (http) edit = insertAtBlockStart(ws.text(http.file) ?? '', http, lines);
  else {
    const first = target.r.top.find((n) => n.file === target.r.root);
    edit = insertAtFileTop(target.r.root, ws.text(target.r.root) ?? '', first?.d.span.start, lines);
  }
  return { kind: 'insert', edit, offset: edit.span.start + edit.text.indexOf('map ') };
}
