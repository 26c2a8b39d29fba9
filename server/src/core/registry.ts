// The registry of every diagnostic code: the rules (their `meta`, rules/*/rule.ts) and the
// nginx-level checks (the table below). Each code's metadata lives here once; the manifest's
// `nginxWebSocket.rules` schema, docs/rules/README.md and the README's tables are generated from
// it (`npm run gen:tables`; a test fails when a generated file is stale). Pure.
import { docsUrl } from './docs';
import { RULES } from './rules/index';
import type { Severity } from './types';

export type FixKind = 'none' | 'safe' | 'suggestion';

export interface CodeInfo {
  /** == Finding.code == docs/rules/<id>.md */
  id: string;
  /** A WebSocket rule, or one of nginx's own checks (nginx's message text and line). */
  kind: 'rule' | 'nginx';
  /** The default severity. */
  severity: Severity;
  /** When some findings take another severity. */
  severityNote?: string;
  /** The best fix any finding of the code carries: 'safe' joins fix-all and --fix. */
  fix: FixKind;
  /** What else the fix may touch, or which findings have one. */
  fixNote?: string;
  /** One line, shown in the tables. */
  summary: string;
  /** The docs page (also each diagnostic's codeDescription link). */
  docs: string;
  /** `nginxWebSocket.rules` (and the CLI's `--rule`) can change its level or turn it off. */
  configurable: boolean;
}

interface NginxCode extends Omit<CodeInfo, 'kind' | 'docs'> {}

/** nginx's own checks (model/validate.ts, core/analysis.ts, and nginx -t run by the language server). */
const NGINX_CODES: readonly NginxCode[] = [
  {
    id: 'nginx-syntax',
    severity: 'error',
    severityNote: 'warning for blocks nested too deep to analyse',
    fix: 'none',
    summary: 'The file cannot be tokenized or parsed (unbalanced braces, a missing `;`, an unterminated quote).',
    configurable: true,
  },
  {
    id: 'nginx-directive',
    severity: 'error',
    fix: 'safe',
    fixNote: 'only for a byte order mark',
    summary: 'A directive nginx rejects: unknown, not allowed here, wrong number of arguments, not terminated, duplicate, malformed map entry, misplaced location, or a value nginx refuses (flag, number, size, time, URL prefix, port, `listen`/upstream parameter, return code).',
    configurable: true,
  },
  {
    id: 'nginx-include',
    severity: 'warning',
    severityNote: 'info for a missing file outside the workspace, error for a cycle; a file outside the workspace is as severe as the worst problem in it',
    fix: 'none',
    summary: 'An `include` that cannot be followed (missing file, include cycle, nesting too deep, an expansion past its budget), or leads to problems in a file outside the workspace (counted, not quoted).',
    configurable: true,
  },
  {
    id: 'nginx-variable',
    severity: 'error',
    fix: 'none',
    summary: 'A variable that is neither built in nor defined by `map`, `set`, `geo`… (only in the arguments nginx compiles).',
    configurable: true,
  },
  {
    id: 'nginx-file',
    severity: 'warning',
    fix: 'none',
    summary: 'A file skipped because it is binary, larger than 16 MB, a directory, a device, named pipe or socket, or unreadable.',
    configurable: false,
  },
  {
    id: 'nginx-t',
    severity: 'error',
    severityNote: 'warning for nginx\'s warnings, info for what cannot be checked here',
    fix: 'none',
    summary: 'What the real `nginx -t` says about the saved configuration (run in a temporary copy; editor only, trusted workspaces).',
    configurable: true,
  },
];

/** Every code: the rules in their (sorted) order, then nginx's checks. */
export const CODES: readonly CodeInfo[] = [
  ...RULES.map(({ meta }): CodeInfo => ({
    id: meta.id,
    kind: 'rule',
    severity: meta.severity,
    ...(meta.severityNote ? { severityNote: meta.severityNote } : {}),
    fix: meta.fix,
    ...(meta.fixNote ? { fixNote: meta.fixNote } : {}),
    summary: meta.summary,
    docs: docsUrl(meta.id),
    configurable: true,
  })),
  ...NGINX_CODES.map((c): CodeInfo => ({ ...c, kind: 'nginx', docs: docsUrl(c.id) })),
];

const BY_ID = new Map(CODES.map((c) => [c.id, c]));

/** The metadata of a code, or undefined for one that is not registered. */
export function codeInfo(id: string): CodeInfo | undefined {
  return BY_ID.get(id);
}
