// `check --format checkstyle` and `--format junit`: the two XML reports CI servers read
// (Checkstyle's for Jenkins' warnings plugins and other code-quality views, JUnit's for GitLab's
// and Jenkins' test reports). Everything the configuration controls (file names, directive names
// inside messages) is escaped; characters XML 1.0 cannot carry at all (most control characters)
// are written as visible \uXXXX text instead.
import * as nodePath from 'node:path';
import type { Severity } from '../core/types';
import type { ReportFinding, ReportInput } from './types';

/** Characters outside XML 1.0's Char production (and lone surrogates), which no escape can carry. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const visible = (s: string) => s.replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Text content: `&`, `<`, `>` escaped (`>` for `]]>`). */
export function xmlText(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; tabs and line breaks as references, so parsers keep them. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const attrs = (o: Record<string, string | number>) =>
  Object.entries(o).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');

/** A path as the report shows it: relative to the working directory when inside it. */
export function shownPath(cwd: string, file: string): string {
  const rel = nodePath.relative(cwd, file);
  if (rel && rel !== '..' && !rel.startsWith('..' + nodePath.sep) && !nodePath.isAbsolute(rel)) return rel.split(nodePath.sep).join('/');
  return file;
}

function byFile(input: ReportInput): Map<string, ReportFinding[]> {
  const m = new Map<string, ReportFinding[]>(input.files.map((f) => [f, []]));
  for (const f of input.findings) {
    let list = m.get(f.file);
    if (!list) m.set(f.file, (list = []));
    list.push(f);
  }
  return m;
}

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** Checkstyle's levels: error, warning, info (it has no hint). */
const CHECKSTYLE_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

/** Checkstyle XML: one <file> per file checked (clean ones empty), one <error> per finding. */
export function checkstyleXml(input: ReportInput): string {
  const lines = [HEAD, '<checkstyle version="4.3">'];
  for (const [file, list] of byFile(input)) {
    if (!list.length) { lines.push(`  <file${attrs({ name: shownPath(input.cwd, file) })}/>`); continue; }
    lines.push(`  <file${attrs({ name: shownPath(input.cwd, file) })}>`);
    for (const f of list) {
      lines.push(`    <error${attrs({ line: f.line, column: f.column, severity: CHECKSTYLE_SEVERITY[f.severity], message: f.message, source: `nginx-ws.${f.code}` })}/>`);
    }
    lines.push('  </file>');
  }
  lines.push('</checkstyle>');
  return lines.join('\n');
}

/**
 * JUnit XML: one <testsuite> per file checked; in it one failing <testcase> per finding (named by
 * its place and code), or one passing testcase when the file is clean.
 */
export function junitXml(input: ReportInput): string {
  const groups = [...byFile(input)];
  const failures = input.findings.length;
  const tests = groups.reduce((n, [, list]) => n + Math.max(1, list.length), 0);
  const lines = [HEAD, `<testsuites${attrs({ name: 'nginx-ws', tests, failures, errors: 0 })}>`];
  for (const [file, list] of groups) {
    const name = shownPath(input.cwd, file);
    lines.push(`  <testsuite${attrs({ name, tests: Math.max(1, list.length), failures: list.length, errors: 0, skipped: 0 })}>`);
    if (!list.length) lines.push(`    <testcase${attrs({ classname: name, name: 'nginx-ws', file: name })}/>`);
    for (const f of list) {
      lines.push(`    <testcase${attrs({ classname: name, name: `${f.line}:${f.column} ${f.code}`, file: name, line: f.line })}>`);
      const body = `${name}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.code}]${f.docs ? `\n${f.docs}` : ''}`;
      lines.push(`      <failure${attrs({ type: f.code, message: f.message })}>${xmlText(body)}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}
