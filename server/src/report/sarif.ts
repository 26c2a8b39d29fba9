// `check --format sarif`: a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format),
// what GitHub code scanning and other CI dashboards take in. One run; the tool's rules are every
// code of the core's registry (each with its docs page as helpUri); one result per finding, at the
// place `--format json` gives it. Columns are UTF-16 code units, SARIF's default and the core's.
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import { CODES } from '../core/index';
import type { Severity } from '../core/types';
import type { Place, ReportInput } from './types';
import { version } from '../../../package.json';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'nginx-ws';
export const TOOL_URI = 'https://github.com/nginx-websocket/nginx-websocket';
/** The base the relative artifact URIs are resolved against: the working directory of the run. */
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A file's URI: relative to the working directory (with uriBaseId) when inside it, else an absolute file URI. */
export function artifactLocation(cwd: string, file: string): { uri: string; uriBaseId?: string } {
  const rel = nodePath.relative(cwd, file);
  if (rel && rel !== '..' && !rel.startsWith('..' + nodePath.sep) && !nodePath.isAbsolute(rel)) {
    // each segment percent-encoded as a URI reference needs (a space, '#', '%', '?')
    return { uri: rel.split(nodePath.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(file).href };
}

function region(p: Place) {
  return { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn };
}

function physical(cwd: string, p: Place) {
  return { artifactLocation: artifactLocation(cwd, p.file), region: region(p) };
}

export function sarifLog(input: ReportInput): object {
  const { cwd } = input;
  const index = new Map(CODES.map((c, i) => [c.id, i]));
  const rules = CODES.map((c) => ({
    id: c.id,
    shortDescription: { text: c.summary.replace(/`/g, '') },
    helpUri: c.docs,
    help: { text: `${c.summary.replace(/`/g, '')} See ${c.docs}`, markdown: `${c.summary} [Documentation](${c.docs})` },
    defaultConfiguration: { level: LEVEL[c.severity], enabled: true },
    properties: { tags: [c.kind === 'rule' ? 'websocket' : 'nginx'] },
  }));
  const results = input.findings.map((f) => {
    const ruleIndex = index.get(f.code);
    return {
      ruleId: f.code,
      ...(ruleIndex !== undefined ? { ruleIndex } : {}),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: physical(cwd, f) }],
      ...(f.related.length ? { relatedLocations: f.related.map((r, id) => ({ id, physicalLocation: physical(cwd, r), message: { text: r.message } })) } : {}),
      ...(f.fixes.length
        ? {
            fixes: f.fixes.map((x) => ({
              description: { text: x.title },
              artifactChanges: [...new Set(x.edits.map((e) => e.file))].map((file) => ({
                artifactLocation: artifactLocation(cwd, file),
                replacements: x.edits.filter((e) => e.file === file).map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.text } })),
              })),
            })),
          }
        : {}),
      // the severity the finding had (info and hint are both SARIF notes)
      properties: { severity: f.severity },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version, semanticVersion: version, informationUri: TOOL_URI, rules } },
        // the directory the relative URIs are relative to, as an absolute URI ending in '/'
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(nodePath.sep) ? cwd : cwd + nodePath.sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
