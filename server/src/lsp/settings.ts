// Settings are read from the client per resource for each piece of work, never kept in globals:
// a folder's .vscode/settings.json can differ from the next folder's.
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_OPTIONS, type AnalyzeOptions } from '../core/model/workspace';
import type { Severity } from '../core/types';

export const SECTION = 'nginxWebSocket';

export type RuleLevel = 'off' | Severity;

export interface Settings {
  /** nginx version the configuration targets ('' = the core's default). */
  nginxVersion: string;
  /** Directive names of third-party modules to accept. */
  extraDirectives: string[];
  /** Per rule id: 'off' silences the rule, a severity overrides its default. */
  rules: Record<string, RuleLevel>;
}

export const DEFAULT_SETTINGS: Settings = { nginxVersion: '', extraDirectives: [], rules: {} };

const LEVELS = new Set<string>(['off', 'error', 'warning', 'info', 'hint']);

/** Whatever the client sent, typed: wrong-typed values fall back to defaults instead of throwing later. */
export function normalizeSettings(raw: unknown): Settings {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const nginxVersion = typeof o.nginxVersion === 'string' && /^\d+\.\d+(\.\d+)?$/.test(o.nginxVersion.trim()) ? o.nginxVersion.trim() : '';
  const extraDirectives = Array.isArray(o.extraDirectives) ? o.extraDirectives.filter((d): d is string => typeof d === 'string' && d.trim() !== '').map((d) => d.trim()) : [];
  const rules: Record<string, RuleLevel> = {};
  if (o.rules && typeof o.rules === 'object') {
    for (const [code, level] of Object.entries(o.rules as Record<string, unknown>)) {
      if (typeof level === 'string' && LEVELS.has(level)) rules[code] = level as RuleLevel;
    }
  }
  return { nginxVersion, extraDirectives, rules };
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

/** The analysis options a project's settings imply. */
export function analyzeOptions(s: Settings): AnalyzeOptions {
  const options: AnalyzeOptions = { ...DEFAULT_OPTIONS, extraDirectives: s.extraDirectives, rules: s.rules };
  if (s.nginxVersion) options.nginxVersion = s.nginxVersion;
  return options;
}
