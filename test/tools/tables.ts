// The generated parts of package.json, docs/rules/README.md and README.md, rendered from the code
// registry (server/src/core/registry.ts) and the options table (server/src/core/options.ts).
// `npm run gen:tables` writes them (test/tools/gen-tables.ts); test/generated.test.ts renders them
// into memory and fails when a file on disk differs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODES, type CodeInfo } from '../../server/src/core/registry';
import { LEVEL_DESCRIPTIONS, LEVELS, OPTIONS, cliFlag, type OptionDecl } from '../../server/src/core/options';

export const REPO = join(__dirname, '..', '..', '..');
export const SECTION = 'nginxWebSocket';
export const GEN_COMMAND = 'npm run gen:tables';

/** Every generated file: its path under the repository, and how to render it from its current text. */
export const GENERATED: readonly { file: string; render(current: string): string }[] = [
  { file: 'package.json', render: renderManifest },
  { file: 'docs/rules/README.md', render: (t) => replaceBlocks(t, { codes: rulesDocsTables() }) },
  { file: 'README.md', render: (t) => replaceBlocks(t, { rules: readmeRulesTables(), settings: readmeSettingsTable() }) },
];

export function readRepo(file: string): string {
  return readFileSync(join(REPO, file), 'utf8');
}

// ---- package.json ------------------------------------------------------------------------

/** The manifest schema of one setting. */
function settingSchema(o: OptionDecl): Record<string, unknown> {
  const { type, items, uniqueItems, enum: values, enumDescriptions, pattern, patternErrorMessage, minimum, maximum } = o.schema;
  const s: Record<string, unknown> = { type };
  if (items) s.items = { ...items };
  if (o.key === 'rules') Object.assign(s, rulesSchema());
  if (values) s.enum = [...values];
  if (enumDescriptions) s.enumDescriptions = [...enumDescriptions];
  s.default = o.default;
  if (pattern !== undefined) s.pattern = pattern;
  if (patternErrorMessage !== undefined) s.patternErrorMessage = patternErrorMessage;
  if (minimum !== undefined) s.minimum = minimum;
  if (maximum !== undefined) s.maximum = maximum;
  if (uniqueItems) s.uniqueItems = true;
  if (o.scope) s.scope = o.scope;
  s.markdownDescription = o.description;
  return s;
}

function levelSchema(): Record<string, unknown> {
  return { type: 'string', enum: [...LEVELS], enumDescriptions: [...LEVEL_DESCRIPTIONS] };
}

/** `nginxWebSocket.rules`: one property per code whose level a setting can change. */
function rulesSchema(): Record<string, unknown> {
  const codes = CODES.filter((c) => c.configurable).sort((a, b) => a.id.localeCompare(b.id));
  const properties: Record<string, unknown> = {};
  for (const c of codes) {
    properties[c.id] = { ...levelSchema(), markdownDescription: `${c.summary} Default: \`${c.severity}\`${c.severityNote ? ` (${c.severityNote})` : ''}. [Documentation](${c.docs})` };
  }
  return { properties, propertyNames: { enum: codes.map((c) => c.id) }, additionalProperties: levelSchema() };
}

function renderManifest(current: string): string {
  const pkg = JSON.parse(current);
  const settings = OPTIONS.filter((o) => o.reader !== 'cli');
  const properties: Record<string, unknown> = {};
  for (const o of settings) properties[`${SECTION}.${o.key}`] = settingSchema(o);
  pkg.contributes.configuration = { ...pkg.contributes.configuration, properties };
  pkg.capabilities.untrustedWorkspaces.restrictedConfigurations = settings.filter((o) => o.restricted).map((o) => `${SECTION}.${o.key}`);
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

// ---- markdown ----------------------------------------------------------------------------

const cell = (s: string) => s.replace(/\|/g, '\\|');
const severityOf = (c: CodeInfo) => (c.severityNote ? `${c.severity} (${c.severityNote})` : c.severity);
const fixOf = (c: CodeInfo) => (c.fixNote ? `${c.fix}, ${c.fixNote}` : c.fix);
const settingOf = (c: CodeInfo) => (c.configurable ? 'yes' : 'no');
const rules = () => CODES.filter((c) => c.kind === 'rule');
const nginxChecks = () => CODES.filter((c) => c.kind === 'nginx');

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function rulesDocsTables(): string {
  const head = ['Code', 'Severity', 'Fixable', 'Level setting', 'Summary'];
  const row = (c: CodeInfo) => [`[${c.id}](${c.id}.md)`, severityOf(c), fixOf(c), settingOf(c), c.summary];
  return ['### WebSocket rules', '', table(head, rules().map(row)), '', '### nginx checks', '', table(head, nginxChecks().map(row))].join('\n');
}

function readmeRulesTables(): string {
  const row = (c: CodeInfo) => [`[${c.id}](docs/rules/${c.id}.md)`, severityOf(c), fixOf(c), c.summary];
  return [
    'WebSocket rules:',
    '',
    table(['rule', 'severity', 'fix', 'what'], rules().map(row)),
    '',
    "nginx's own checks, with nginx's own message text and line:",
    '',
    table(['code', 'severity', 'fix', 'what'], nginxChecks().map(row)),
  ].join('\n');
}

function shownDefault(o: OptionDecl): string {
  if (o.shownDefault) return o.shownDefault;
  return `\`${typeof o.default === 'string' ? o.default || '""' : JSON.stringify(o.default)}\``;
}

function readmeSettingsTable(): string {
  const rows = OPTIONS.filter((o) => o.reader !== 'cli').map((o) => [
    `\`${SECTION}.${o.key}\``,
    shownDefault(o),
    o.cli ? `\`${o.cli.command === 'probe' ? 'probe ' : ''}${cliFlag(o.key)}\`` : '',
    o.summary,
  ]);
  return table(['setting', 'default', 'CLI', ''], rows);
}

/**
 * The text with each `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` block's contents
 * replaced. A missing marker is an error (the generator must not silently skip a table).
 */
export function replaceBlocks(text: string, blocks: Record<string, string>): string {
  let out = text;
  for (const [name, body] of Object.entries(blocks)) {
    const open = `<!-- generated:${name} (${GEN_COMMAND}; edit server/src/core/registry.ts or options.ts) -->`;
    const re = new RegExp(`<!-- generated:${name}\\b[^>]*-->[\\s\\S]*?<!-- /generated:${name} -->`);
    if (!re.test(out)) throw new Error(`no <!-- generated:${name} --> … <!-- /generated:${name} --> block`);
    out = out.replace(re, () => `${open}\n${body}\n<!-- /generated:${name} -->`);
  }
  return out;
}
