// The project file: `.nginx-ws.json`, or the `nginxWebSocket` key of a package.json, holding the
// same options as the editor's settings (their keys without the `nginxWebSocket.` prefix, dotted
// or nested: `"nginx.timeoutMs": 8000` or `"nginx": { "timeoutMs": 8000 }`), so the CLI and every
// editor read one file the repository carries. This module checks a file's text against the
// options table (core/options.ts): each value its declared type, pattern, range or enum, each rule
// id a registered code. Finding the file on disk is the caller's (host/projectFile.ts). Pure.
import { LEVELS, OPTIONS, type OptionDecl } from '../options';
import { codeInfo } from '../registry';
import { parseSeconds } from '../model/effective';

export const PROJECT_FILE = '.nginx-ws.json';
/** The key of package.json that holds the same object. */
export const PACKAGE_KEY = 'nginxWebSocket';

export interface ProjectProblem {
  /** error: the value is not used (the CLI stops); warning: something is ignored. */
  severity: 'error' | 'warning';
  message: string;
}

export interface ProjectConfig {
  /** The values that passed, by option key (`rules`, `nginx.timeoutMs`). */
  values: Record<string, unknown>;
  problems: ProjectProblem[];
}

/** The options a project file may hold: what the language server and the CLI read. */
export const PROJECT_OPTIONS: readonly OptionDecl[] = OPTIONS.filter((o) => o.reader === 'server' || o.reader === 'cli');
const BY_KEY = new Map(PROJECT_OPTIONS.map((o) => [o.key, o]));
const OTHER = new Map(OPTIONS.filter((o) => !BY_KEY.has(o.key)).map((o) => [o.key, o]));

const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const show = (x: unknown) => (typeof x === 'string' ? JSON.stringify(x) : Array.isArray(x) ? 'an array' : x === null ? 'null' : typeof x === 'object' ? 'an object' : String(x));

/**
 * The project file's options, checked. `packageJson`: the text is a package.json, whose
 * `nginxWebSocket` key holds them (undefined when it has none: the search goes on upwards).
 */
export function readProjectConfig(text: string, packageJson = false): ProjectConfig | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    // a package.json that is not JSON is some other tool's problem, not a project file
    if (packageJson) return undefined;
    return { values: {}, problems: [{ severity: 'error', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  if (packageJson) {
    if (!isObject(raw) || !(PACKAGE_KEY in raw)) return undefined;
    raw = raw[PACKAGE_KEY];
  }
  const where = packageJson ? `"${PACKAGE_KEY}"` : 'the file';
  if (!isObject(raw)) return { values: {}, problems: [{ severity: 'error', message: `${where} must hold an object of options, not ${show(raw)}` }] };
  const out: ProjectConfig = { values: {}, problems: [] };
  walk(raw, '', out);
  return out;
}

function walk(o: Record<string, unknown>, prefix: string, out: ProjectConfig): void {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix + k;
    if (key === '$schema') continue;
    const decl = BY_KEY.get(key);
    if (decl) {
      const problem = check(decl, v, out);
      if (problem) out.problems.push({ severity: 'error', message: `"${key}": ${problem}` });
      continue;
    }
    if (OTHER.has(key)) {
      out.problems.push({ severity: 'warning', message: `"${key}" is an editor setting of the VS Code client, not read from a project file; ignored` });
      continue;
    }
    if (isObject(v) && OPTIONS.some((x) => x.key.startsWith(key + '.'))) { walk(v, key + '.', out); continue; }
    out.problems.push({ severity: 'warning', message: `unknown option "${key}"; ignored (known: ${PROJECT_OPTIONS.map((x) => x.key).join(', ')})` });
  }
}

/** Why a value does not fit its declaration, or undefined after storing it. */
function check(decl: OptionDecl, v: unknown, out: ProjectConfig): string | undefined {
  const s = decl.schema;
  switch (s.type) {
    case 'string': {
      if (typeof v !== 'string') return `expected a string, not ${show(v)}`;
      if (s.enum && !s.enum.includes(v)) return `expected one of ${s.enum.map((e) => `"${e}"`).join(', ')}, not ${show(v)}`;
      if (s.pattern && !new RegExp(s.pattern).test(v)) return `${s.patternErrorMessage ?? `expected a value matching ${s.pattern}`} Not ${show(v)}.`;
      if (decl.key === 'readTimeout' && !(parseSeconds(v) > 0)) return `expected a time longer than zero, not ${show(v)}`;
      break;
    }
    case 'number': {
      const range = s.minimum !== undefined && s.maximum !== undefined ? ` from ${s.minimum} to ${s.maximum}` : s.minimum !== undefined ? ` of at least ${s.minimum}` : '';
      if (typeof v !== 'number' || !Number.isFinite(v) || (s.minimum !== undefined && v < s.minimum) || (s.maximum !== undefined && v > s.maximum)) return `expected a number${range}, not ${show(v)}`;
      if (decl.key === 'maxFiles' && !Number.isInteger(v)) return `expected a whole number, not ${show(v)}`;
      break;
    }
    case 'boolean':
      if (typeof v !== 'boolean') return `expected true or false, not ${show(v)}`;
      break;
    case 'array': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x.trim())) return `expected an array of non-empty strings, not ${Array.isArray(v) ? `[${v.map(show).join(', ')}]` : show(v)}`;
      if (s.items?.format === 'regex') {
        for (const re of v as string[]) {
          try { new RegExp(re, 'i'); } catch (e) { return `${show(re)} is not a regular expression: ${(e as Error).message}`; }
        }
      }
      out.values[decl.key] = [...new Set((v as string[]).map((x) => x.trim()))];
      return undefined;
    }
    case 'object': {
      // rules: code → level
      if (!isObject(v)) return `expected an object of code → level, not ${show(v)}`;
      const rules: Record<string, string> = {};
      for (const [code, level] of Object.entries(v)) {
        if (typeof level !== 'string' || !(LEVELS as readonly string[]).includes(level)) return `"${code}": expected one of ${LEVELS.join(', ')}, not ${show(level)}`;
        const info = codeInfo(code);
        if (!info) { out.problems.push({ severity: 'warning', message: `"${decl.key}": unknown rule or code "${code}"; ignored` }); continue; }
        if (!info.configurable) { out.problems.push({ severity: 'warning', message: `"${decl.key}": "${code}" cannot be configured; ignored` }); continue; }
        rules[code] = level;
      }
      out.values[decl.key] = rules;
      return undefined;
    }
  }
  out.values[decl.key] = typeof v === 'string' ? v.trim() : v;
  return undefined;
}
