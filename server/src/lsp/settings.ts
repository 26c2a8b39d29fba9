// Settings are read from the client per resource for each piece of work, never kept in globals:
// a folder's .vscode/settings.json can differ from the next folder's.
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver';
import { parseSeconds, LEVELS, NGINX_TIME_RE, NGINX_VERSION_RE, OPTIONS, option, optionDefault, DEFAULT_OPTIONS, FRONTED_BY_RE, type AnalyzeOptions } from '../core/index';
import type { ServerContext } from './context';
import type { Severity } from '../core/types';

export const SECTION = 'nginxWebSocket';

export type RuleLevel = 'off' | Severity;

/** How the real `nginx -t` runs on save. */
export interface NginxSettings {
  /** The executable ('' = `nginx` on PATH, then /usr/sbin/nginx). */
  path: string;
  testOnSave: boolean;
  timeoutMs: number;
}

export interface Settings {
  /** nginx version the configuration targets ('' = the core's default). */
  nginxVersion: string;
  /** Directive names of third-party modules to accept. */
  extraDirectives: string[];
  /** Per rule id: 'off' silences the rule, a severity overrides its default. */
  rules: Record<string, RuleLevel>;
  /** Extra regexes (location paths, upstream names) that mark WebSocket endpoints. */
  endpointPatterns: string[];
  /** The proxy_read_timeout value fixes write. */
  readTimeout: string;
  frontedBy: string;
  /** How the Connection fix writes the header. */
  connectionStyle: 'map' | 'literal';
  nginx: NginxSettings;
  /** Formatting: on at all, and whether values line up. */
  format: { enable: boolean; align: boolean };
  /** Inlay hints and hovers of what nginx sends upstream. */
  effectiveConfig: { enable: boolean };
}

/** The declared defaults (core/options.ts), typed. */
export const DEFAULT_SETTINGS: Settings = {
  nginxVersion: optionDefault('nginxVersion'),
  extraDirectives: optionDefault('extraDirectives'),
  rules: optionDefault('rules'),
  endpointPatterns: optionDefault('endpointPatterns'),
  readTimeout: optionDefault('readTimeout'),
  frontedBy: optionDefault('frontedBy'),
  connectionStyle: optionDefault('connectionStyle'),
  nginx: { path: optionDefault('nginx.path'), testOnSave: optionDefault('nginx.testOnSave'), timeoutMs: optionDefault('nginx.timeoutMs') },
  format: { enable: optionDefault('format.enable'), align: optionDefault('format.align') },
  effectiveConfig: { enable: optionDefault('effectiveConfig.enable') },
};

const LEVEL_SET = new Set<string>(LEVELS);
/** The most nginx -t may be given (the manifest's maximum). */
const MAX_NGINX_TIMEOUT_MS = option('nginx.timeoutMs').schema.maximum!;

const obj = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {});
const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((d): d is string => typeof d === 'string' && d.trim() !== '').map((d) => d.trim()) : []);

function compiles(re: string): boolean {
  try { new RegExp(re); return true; } catch { return false; }
}

/** A time nginx accepts (ngx_parse_time: "600", "600s", "10m", "1h 30m"), and more than zero. */
export function isNginxTime(s: string): boolean {
  return NGINX_TIME_RE.test(s) && parseSeconds(s) > 0;
}

/** Whatever the client sent, typed: wrong-typed values fall back to defaults instead of throwing later. */
export function normalizeSettings(raw: unknown): Settings {
  const o = obj(raw);
  const d = DEFAULT_SETTINGS;
  const nginxVersion = typeof o.nginxVersion === 'string' && NGINX_VERSION_RE.test(o.nginxVersion.trim()) ? o.nginxVersion.trim() : d.nginxVersion;
  const rules: Record<string, RuleLevel> = {};
  for (const [code, level] of Object.entries(obj(o.rules))) {
    if (typeof level === 'string' && LEVEL_SET.has(level)) rules[code] = level as RuleLevel;
  }
  const readTimeout = typeof o.readTimeout === 'string' && isNginxTime(o.readTimeout.trim()) ? o.readTimeout.trim() : d.readTimeout;
  const frontedBy = typeof o.frontedBy === 'string' && FRONTED_BY_RE.test(o.frontedBy.trim().toLowerCase()) ? o.frontedBy.trim().toLowerCase() : d.frontedBy;
  const connectionStyle = o.connectionStyle === 'literal' || o.connectionStyle === 'map' ? o.connectionStyle : d.connectionStyle;
  const n = obj(o.nginx);
  const timeoutMs = typeof n.timeoutMs === 'number' && Number.isFinite(n.timeoutMs) && n.timeoutMs > 0 ? Math.min(n.timeoutMs, MAX_NGINX_TIMEOUT_MS) : d.nginx.timeoutMs;
  const nginx: NginxSettings = {
    path: typeof n.path === 'string' ? n.path.trim() : d.nginx.path,
    testOnSave: typeof n.testOnSave === 'boolean' ? n.testOnSave : d.nginx.testOnSave,
    timeoutMs,
  };
  const f = obj(o.format);
  const format = {
    enable: typeof f.enable === 'boolean' ? f.enable : d.format.enable,
    align: typeof f.align === 'boolean' ? f.align : d.format.align,
  };
  const e = obj(o.effectiveConfig);
  const effectiveConfig = { enable: typeof e.enable === 'boolean' ? e.enable : d.effectiveConfig.enable };
  return { nginxVersion, extraDirectives: strings(o.extraDirectives), rules, endpointPatterns: strings(o.endpointPatterns).filter(compiles), readTimeout, frontedBy, connectionStyle, nginx, format, effectiveConfig };
}

/** How long to wait for the client's answer before analysing with the defaults. */
const CONFIGURATION_TIMEOUT_MS = 5000;

/** The analysis options a project's settings imply (nginx -t settings are not among them). */
export function analyzeOptions(s: Settings): AnalyzeOptions {
  const options: AnalyzeOptions = {
    ...DEFAULT_OPTIONS,
    extraDirectives: s.extraDirectives,
    rules: s.rules,
    endpointPatterns: s.endpointPatterns,
    readTimeout: s.readTimeout,
    connectionStyle: s.connectionStyle,
  };
  if (s.frontedBy !== 'none') options.frontedBy = s.frontedBy;
  if (s.nginxVersion) options.nginxVersion = s.nginxVersion;
  return options;
}

/**
 * The settings a client pushes instead of answering workspace/configuration:
 * `initializationOptions.settings` at start (the section's object: `{ "rules": {…} }`; a
 * `nginxWebSocket` key inside it is taken too), and `workspace/didChangeConfiguration`'s
 * `settings.nginxWebSocket` afterwards.
 */
export function pushedSettings(x: unknown): Record<string, unknown> | undefined {
  const o = obj(x);
  if (!Object.keys(o).length) return undefined;
  return SECTION in o ? obj(o[SECTION]) : o;
}

/** The value at a dotted key of a nested settings object. */
function at(o: Record<string, unknown>, key: string): unknown {
  let v: unknown = o;
  for (const part of key.split('.')) v = obj(v)[part];
  return v;
}

function put(o: Record<string, unknown>, key: string, v: unknown): void {
  const parts = key.split('.');
  let cur = o;
  for (const part of parts.slice(0, -1)) cur = (cur[part] = obj(cur[part])) as Record<string, unknown>;
  cur[parts[parts.length - 1]] = v;
}

const isDefault = (key: string, v: unknown) => JSON.stringify(v) === JSON.stringify(option(key).default);

/**
 * One folder's settings from its layers, lowest first: the project file (values by option key),
 * then what the client pushed, then what it answered to workspace/configuration (an answer wins
 * over a pushed value of the same key). A user's setting wins over the project file unless it is
 * left at its declared default (VS Code answers every setting, the defaults included, so a
 * default cannot tell "set" from "not set"); rule levels merge per code (the user's level of a
 * code wins); lists add up (the project's directives and endpoint patterns and the user's). Restricted options (they choose what runs or widen what
 * counts as an endpoint) are taken from the project file only in a trusted workspace.
 */
export function layeredSettings(project: Record<string, unknown>, user: unknown[], trusted: boolean): Settings {
  const layers = user.map(obj);
  const raw: Record<string, unknown> = {};
  for (const decl of OPTIONS_READ) {
    const key = decl.key;
    const fromFile = decl.restricted && !trusted ? undefined : project[key];
    const values = layers.map((l) => at(l, key)).filter((v) => v !== undefined && v !== null);
    // the client's value: what it answered, else what it pushed (VS Code answers every key, so a
    // value pushed for the whole window never beats the folder's own answer)
    const mine = values[values.length - 1];
    let v: unknown;
    if (decl.schema.type === 'object') v = Object.assign({}, obj(fromFile), ...values.map(obj));
    else if (decl.schema.type === 'array') v = [...new Set([fromFile, mine].flatMap((x) => (Array.isArray(x) ? x : [])))];
    else v = mine !== undefined && !isDefault(key, mine) ? mine : (fromFile ?? mine);
    if (v !== undefined) put(raw, key, v);
  }
  return normalizeSettings(raw);
}

const OPTIONS_READ = OPTIONS.filter((o) => o.reader === 'server');

/** Where a folder's settings come from besides the client. */
export interface SettingsScope {
  scopeUri: string | undefined;
  /** The folder the project file is searched from (upwards); none for files outside every folder. */
  folder: string | undefined;
}

export interface SettingsSources {
  connection: Connection;
  /** The client answers workspace/configuration. */
  configuration: boolean;
  /** What the client pushed (initializationOptions.settings, didChangeConfiguration). */
  pushed: Record<string, unknown> | undefined;
  trusted: boolean;
  /** The project files found, with their problems (logged once per file and text). */
  readProject: (folder: string) => { file: string; values: Record<string, unknown>; problems: { severity: string; message: string }[] } | undefined;
  /** Problems already told, so each is told once. */
  told: Set<string>;
}

/** The settings of each scope, from all its layers (see layeredSettings). */
export async function settingsFor(src: SettingsSources, scopes: SettingsScope[]): Promise<Settings[]> {
  const pulled = src.configuration ? await fetchSettingsRaw(src.connection, scopes.map((s) => s.scopeUri)) : scopes.map(() => undefined);
  return scopes.map((s, i) => {
    const found = s.folder === undefined ? undefined : src.readProject(s.folder);
    const values: Record<string, unknown> = { ...(found?.values ?? {}) };
    if (found) {
      const problems = found.problems.map((p) => `${found.file}: ${p.severity}: ${p.message}`);
      const ignored = src.trusted ? [] : Object.keys(values).filter((k) => OPTIONS.find((o) => o.key === k)?.restricted);
      for (const k of ignored) problems.push(`${found.file}: "${k}" is not taken from the project file: the workspace is not trusted`);
      for (const p of problems) {
        if (src.told.has(p)) continue;
        src.told.add(p);
        src.connection.console.warn(p);
        // a notification, which every client shows (the request form needs an answer some clients never give)
        void src.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `nginx WebSocket: ${p}` });
      }
    }
    return layeredSettings(values, [src.pushed, pulled[i]], src.trusted);
  });
}

/** The raw answers of workspace/configuration (undefined where the client failed or did not answer in time). */
async function fetchSettingsRaw(connection: Connection, scopes: (string | undefined)[]): Promise<unknown[]> {
  if (!scopes.length) return [];
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      connection.workspace.getConfiguration(scopes.map((scopeUri) => ({ scopeUri, section: SECTION }))) as Promise<unknown[]>,
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${CONFIGURATION_TIMEOUT_MS} ms`)), CONFIGURATION_TIMEOUT_MS); }),
    ]);
  } catch (e) {
    connection.console.warn(`workspace/configuration failed, using the other settings: ${(e as Error).message}`);
    return scopes.map(() => undefined);
  } finally {
    clearTimeout(timer);
  }
}

/** The settings of these projects as the server sees them now (client, pushed, project file). */
export function settingsOf(ctx: ServerContext, projects: { scopeUri: string | undefined; folder: string | undefined }[]): Promise<Settings[]> {
  return settingsFor({
    connection: ctx.connection,
    configuration: ctx.caps.configuration,
    pushed: ctx.pushedSettings,
    trusted: ctx.trusted,
    readProject: (folder) => ctx.platform.readProject(folder),
    told: (ctx.told ??= new Set()),
  }, projects);
}
