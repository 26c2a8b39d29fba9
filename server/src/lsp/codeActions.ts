// Quick fixes come from the current analysis of the document, matched to the client's
// diagnostics by code and range (never by message text) and only for the version they were made for.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextDocumentEdit, type WorkspaceEdit, type CreateFile } from 'vscode-languageserver';
import type { FileId, Finding, TextEdit } from '../core/types';
import { docOf, uriOf, type ServerContext } from './context';
import { LineMap, rangesTouch, uriToFile } from './convert';
import { findingKey, isDiagnosticData, SOURCE } from './diagnostics';
import { fixAllTexts, hasLocationFixes, minimalEdit, workingLocation, WORKING_LOCATION_TITLE } from '../core/index';
import type { Project } from './projects';
import { disableActions } from './refactor';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${SOURCE}`;

export function codeActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return [];
  const project = ctx.projects.owner(file);
  const version = docOf(ctx, file)?.version ?? null;
  const only = params.context.only;
  const wants = (kind: string) => (only ? only.some((o) => kind === o || kind.startsWith(o + '.')) : kind === CodeActionKind.QuickFix);
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const one = locationAction(ctx, project, file, version, params.context.diagnostics);
    if (one) actions.push(one);
    for (const a of quickFixes(ctx, project, file, version, project.ws.findings(file), params.context.diagnostics)) {
      if (one) a.isPreferred = false; // the one-shot fix is the preferred one
      actions.push(a);
    }
    actions.push(...disableActions(ctx, params));
  }
  if (wants(FIX_ALL_KIND)) {
    const texts = fixAllTexts(project.ws, [...project.scanned, ...project.open], file);
    const edits = [...texts].map(([f, after]) => minimalEdit(f, project.ws.text(f) ?? '', after));
    const edit = edits.length ? workspaceEdit(ctx, project, edits) : undefined;
    if (edit) actions.push({ title: 'Fix all safely fixable nginx WebSocket problems', kind: FIX_ALL_KIND, edit });
  }
  return actions;
}

/** What codeAction/resolve needs to make the one-shot location fix's edit. */
interface LocationActionData {
  kind: 'workingLocation';
  uri: string;
  version: number | null;
  offset: number;
}

/**
 * "Make this a working WebSocket location", first among the quick fixes, when a rule's
 * diagnostic in the request lies in a location that has fixes: every one of them at once. The
 * edit is made when the user picks it (codeAction/resolve) if the client can ask for that, now
 * otherwise.
 */
function locationAction(ctx: ServerContext, project: Project, file: FileId, version: number | null, diagnostics: Diagnostic[]): CodeAction | undefined {
  const ours = diagnostics.filter((d) => {
    if (d.source !== SOURCE || typeof d.code !== 'string' || d.code.startsWith('nginx-')) return false;
    // made for another version of the document: fresh diagnostics are on their way
    const v = isDiagnosticData(d.data) ? d.data.version : null;
    return v === null || v === version;
  });
  if (!ours.length) return undefined;
  const text = project.ws.text(file) ?? '';
  const lines = new LineMap(text);
  const offset = lines.span(ours[0].range).start;
  if (!hasLocationFixes(project.ws, file, offset)) return undefined;
  const data: LocationActionData = { kind: 'workingLocation', uri: uriOf(ctx, file), version, offset };
  const action: CodeAction = { title: WORKING_LOCATION_TITLE, kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: ours, data };
  if (ctx.caps.resolveEdits) return action;
  const edit = locationEdit(ctx, project, file, offset);
  return edit ? { ...action, edit, data: undefined } : undefined;
}

function locationEdit(ctx: ServerContext, project: Project, file: FileId, offset: number): WorkspaceEdit | undefined {
  const r = workingLocation(project.ws, [...project.scanned, ...project.open], file, offset);
  if (!r) return undefined;
  const edits = [...r.texts].map(([f, after]) => minimalEdit(f, project.ws.text(f) ?? '', after));
  return workspaceEdit(ctx, project, edits);
}

/** codeAction/resolve: the one-shot location fix's edit, for the version it was offered on. */
export function resolveCodeAction(ctx: ServerContext, action: CodeAction): CodeAction {
  const data = action.data as Partial<LocationActionData> | undefined;
  if (data?.kind !== 'workingLocation' || typeof data.uri !== 'string' || typeof data.offset !== 'number') return action;
  const file = uriToFile(data.uri);
  if (file === undefined) return action;
  const version = docOf(ctx, file)?.version ?? null;
  if (version !== data.version) return action; // the document changed since: no edit rather than a wrong one
  const edit = locationEdit(ctx, ctx.projects.owner(file), file, data.offset);
  return edit ? { ...action, edit } : action;
}

function quickFixes(ctx: ServerContext, project: Project, file: FileId, version: number | null, findings: Finding[], diagnostics: Diagnostic[]): CodeAction[] {
  const lines = new LineMap(project.ws.text(file) ?? '');
  const out: CodeAction[] = [];
  const seen = new Set<string>();
  // the most severe problem's fix first (an error's fix before a hint's on the same range); only
  // error and warning fixes are preferred, so Ctrl+. and auto-fix pick what breaks the handshake
  const bySeverity = [...diagnostics].sort((a, b) => (a.severity ?? 4) - (b.severity ?? 4));
  for (const diag of bySeverity) {
    if (diag.source !== SOURCE) continue;
    const data = isDiagnosticData(diag.data) ? diag.data : undefined;
    // stale: made for another version of the open document, fresh diagnostics are on their way.
    // A diagnostic published before the file was opened (version null) is matched by code and
    // range against the current analysis, like any other.
    if (data && data.version !== null && data.version !== version) continue;
    const matches = findings.filter((f) => f.code === diag.code && f.fixes?.length && rangesTouch(lines.range(f.span), diag.range));
    const exact = matches.filter((f) => findingKey(f) === data?.key);
    for (const finding of exact.length ? exact : matches) {
      let preferred = false;
      for (const fix of finding.fixes!) {
        const id = JSON.stringify([fix.title, fix.edits]);
        if (seen.has(id)) continue;
        seen.add(id);
        const edit = workspaceEdit(ctx, project, fix.edits);
        if (!edit) continue;
        const isPreferred: boolean = fix.kind === 'safe' && !preferred && (diag.severity ?? 4) <= 2;
        preferred ||= isPreferred;
        out.push({ title: fix.title, kind: CodeActionKind.QuickFix, isPreferred, diagnostics: [diag], edit });
      }
    }
  }
  return out;
}

/**
 * Core edits → documentChanges with versioned ids (null: not open); undefined when an edit cannot
 * be placed. Edits of one real file under several paths go to the one path it is shown at (the
 * path it is open under), and the same edit twice is made once.
 */
export function workspaceEdit(ctx: ServerContext, project: Project, edits: TextEdit[]): WorkspaceEdit | undefined {
  const byFile = new Map<FileId, TextEdit[]>();
  for (const e of edits) {
    const file = project.pathFor(e.file);
    const list = byFile.get(file) ?? [];
    if (!list.some((o) => o.span.start === e.span.start && o.span.end === e.span.end && o.text === e.text)) list.push({ ...e, file });
    byFile.set(file, list);
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const [file, list] of byFile) {
    const uri = uriOf(ctx, file);
    let text = project.ws.text(file);
    if (text === undefined) {
      // a fix that creates a file: only pure insertions, and only if the client can create files
      if (!ctx.caps.createFiles || list.some((e) => e.span.start !== 0 || e.span.end !== 0)) return undefined;
      documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
      text = '';
    }
    const lines = new LineMap(text);
    const sorted = [...list].sort((a, b) => a.span.start - b.span.start);
    documentChanges.push({
      textDocument: { uri, version: docOf(ctx, file)?.version ?? null },
      edits: sorted.map((e) => ({ range: lines.range(e.span), newText: e.text })),
    });
  }
  return { documentChanges };
}
