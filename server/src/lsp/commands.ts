// workspace/executeCommand and the custom requests the client's commands use.
import { MessageType, type ExecuteCommandParams } from 'vscode-languageserver';
import type { FileId } from '../core/types';
import { workspaceEdit } from './codeActions';
import type { ServerContext } from './context';
import { LineMap, fileToUri, uriToFile } from './convert';
import { endpointSuggestions, planUpgradeMap, routeReport, routeRequest } from '../core/index';
import type { Project } from './projects';
import { showDocs } from './refactor';
// the wire shape: the core's suggestions must fit what the client is told to expect
import { SERVER_COMMAND, type DocumentPlace, type EndpointSuggestion, type RouteAnswer } from '../protocol';

/** The server side of the client's commands (the client adds the active document). */
export const INSERT_UPGRADE_MAP = SERVER_COMMAND.insertUpgradeMap;
export const SERVER_COMMANDS: string[] = [SERVER_COMMAND.insertUpgradeMap, SERVER_COMMAND.runNginxTest, SERVER_COMMAND.route, SERVER_COMMAND.showDocs];
export { ENDPOINTS_REQUEST, TRUST_NOTIFICATION } from '../protocol';

/** Commands implemented elsewhere (nginx -t lives with its runner). */
export interface CommandHandlers {
  runNginxTest(uri: unknown): Promise<void>;
}

export async function executeCommand(ctx: ServerContext, params: ExecuteCommandParams, handlers?: CommandHandlers): Promise<RouteAnswer | undefined> {
  if (params.command === SERVER_COMMAND.insertUpgradeMap) await insertUpgradeMap(ctx, params.arguments?.[0]);
  else if (params.command === SERVER_COMMAND.runNginxTest) await handlers?.runNginxTest(params.arguments?.[0]);
  else if (params.command === SERVER_COMMAND.showDocs) await showDocs(ctx, params.arguments?.[0]);
  else if (params.command === SERVER_COMMAND.route) return route(ctx, params.arguments?.[0]);
  return undefined;
}

/** "Which location serves this URL?": the core's routing, its places made document ranges. */
export function route(ctx: ServerContext, args: unknown): RouteAnswer {
  const a = (args ?? {}) as { uri?: unknown; url?: unknown; host?: unknown };
  if (typeof a.url !== 'string' || !a.url.trim()) return { error: 'no URL given', summary: 'No URL given.', lines: [] };
  const active = typeof a.uri === 'string' ? uriToFile(a.uri) : undefined;
  const project = active !== undefined ? ctx.projects.owner(active) : ctx.projects.all()[0];
  const ws = project.ws;
  const res = routeRequest(ws, { url: a.url, host: typeof a.host === 'string' && a.host.trim() ? a.host.trim() : undefined, active });
  const maps = new Map<string, LineMap>();
  const place = (file: string, span: { start: number; end: number }): DocumentPlace => {
    let m = maps.get(file);
    if (!m) maps.set(file, (m = new LineMap(ws.text(file) ?? '')));
    return { uri: fileToUri(file), range: m.range(span) };
  };
  const lines = routeReport(res, (file, span) => `${label(project, file)}:${place(file, span).range.start.line + 1}`);
  const summary = res.error
    ? `No server: ${res.error}`
    : `${res.location ? res.location.label : 'no location (the server itself)'} in ${res.server!.label}${res.status === 301 ? ` answers 301 to ${res.redirect}` : res.status ? ` answers ${res.status}` : ''}`;
  return {
    error: res.error,
    summary,
    lines,
    server: res.server && place(res.server.file, res.server.span),
    location: res.location && place(res.location.file, res.location.span),
  };
}

async function insertUpgradeMap(ctx: ServerContext, uri: unknown): Promise<void> {
  const active = typeof uri === 'string' ? uriToFile(uri) : undefined;
  const project = active !== undefined ? ctx.projects.owner(active) : ctx.projects.all()[0];
  const ws = project.ws;
  const plan = planUpgradeMap(ws, active);
  const tell = (type: MessageType, message: string) => ctx.connection.sendNotification('window/showMessage', { type, message });
  if (plan.kind === 'nowhere') return tell(MessageType.Warning, 'No main nginx configuration with an http block was found, and the active file is not an http-level include: nowhere to put the map.');
  if (plan.kind === 'exists') {
    const line = new LineMap(ws.text(plan.file) ?? '').range({ start: plan.offset, end: plan.offset }).start.line + 1;
    return tell(MessageType.Info, `$connection_upgrade is already defined in ${label(project, plan.file)}:${line}; nothing inserted.`);
  }
  const edit = workspaceEdit(ctx, project, [plan.edit])!;
  const r = await ctx.connection.workspace.applyEdit({ label: 'Insert upgrade map', edit });
  if (!r.applied) return tell(MessageType.Warning, `The map could not be inserted${r.failureReason ? `: ${r.failureReason}` : ''}.`);
  const e = plan.edit;
  const before = (ws.text(e.file) ?? '').slice(0, e.span.start) + e.text.slice(0, plan.offset - e.span.start);
  const line = before.split('\n').length;
  return tell(MessageType.Info, `Inserted the $connection_upgrade map in ${label(project, e.file)}:${line}. Use it with proxy_set_header Connection $connection_upgrade;`);
}

/** A file as the user knows it: relative to its workspace folder. */
function label(project: Project, file: FileId): string {
  return project.folder !== undefined && project.contains(file) ? file.slice(project.folder.replace(/\/$/, '').length + 1) : file;
}

export function endpoints(ctx: ServerContext, params: { uri?: string }): EndpointSuggestion[] {
  const active = params?.uri ? uriToFile(params.uri) : undefined;
  const project = active !== undefined ? ctx.projects.owner(active) : ctx.projects.all()[0];
  return endpointSuggestions(project.ws, active);
}
