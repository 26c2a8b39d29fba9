// Settings are read from the client per resource for each piece of work, never kept in globals:
// a folder's .vscode/settings.json can differ from the next folder's.
import type { Connection } from 'vscode-languageserver';
import { parseSeconds, LEVELS, NGINX_TIME_RE, NGINX_VERSION_RE, option, optionDefault, DEFAULT_OPTIONS, type AnalyzeOptions } from '../core/index';
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
  /** How the Connection fix writes the header. */
  connectionStyle: 'map' | 'literal';
  nginx: NginxSettings;
  /** Formatting: on at all, and whether values line up. */
  format: { enable: boolean; align: boolean };
}

/** The declared defaults (core/options.ts), typed. */
export const DEFAULT_SETTINGS: Settings = {
  nginxVersion: optionDefault('nginxVersion'),
  extraDirectives: optionDefault('extraDirectives'),
  rules: optionDefault('rules'),
  endpointPatterns: optionDefault('endpointPatterns'),
  readTimeout: optionDefault('readTimeout'),
  connectionStyle: optionDefault('connectionStyle'),
  nginx: { path: optionDefault('nginx.path'), testOnSave: optionDefault('nginx.testOnSave'), timeoutMs: optionDefault('nginx.timeoutMs') },
  format: { enable: optionDefault('format.enable'), align: optionDefault('format.align') },
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
  return { nginxVersion, extraDirectives: strings(o.extraDirectives), rules, endpointPatterns: strings(o.endpointPatterns).filter(compiles), readTimeout, connectionStyle, nginx, format };
}

/** How long to wait for the client's answer before analysing with the defaults. */
const CONFIGURATION_TIMEOUT_MS = 5000;

/**
 * Settings for each scope (a folder URI; undefined = no folder), in one request. A client that
 * fails or never answers gets the defaults (and a log line) rather than stalled diagnostics.
 */
export async function fetchSettings(connection: Connection, supported: boolean, scopes: (string | undefined)[]): Promise<Settings[]> {
  if (!supported || scopes.length === 0) return scopes.map(() => DEFAULT_SETTINGS);
  let timer: NodeJS.Timeout | undefined;
  try {
    const raw = await Promise.race([
      connection.workspace.getConfiguration(scopes.map((scopeUri) => ({ scopeUri, section: SECTION }))) as Promise<unknown[]>,
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${CONFIGURATION_TIMEOUT_MS} ms`)), CONFIGURATION_TIMEOUT_MS); }),
    ]);
    return scopes.map((_, i) => normalizeSettings(raw[i]));
  } catch (e) {
    connection.console.warn(`workspace/configuration failed, using default settings: ${(e as Error).message}`);
    return scopes.map(() => DEFAULT_SETTINGS);
  } finally {
    clearTimeout(timer);
  }
}

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
  if (s.nginxVersion) options.nginxVersion = s.nginxVersion;
  return options;
}
