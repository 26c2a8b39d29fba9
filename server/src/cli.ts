#!/usr/bin/env node
import * as fs from 'node:fs';
import { Workspace, DEFAULT_OPTIONS, type RootAnalysis, type Judged, lineStarts, positionAt, fixAll, docsUrl, cliUsage, NGINX_VERSION_RE, FRONTED_BY_RE, optionDefault } from './core/index';
import * as nodePath from 'node:path';
import { posix } from 'node:path';
import type { FileId, Finding, Host, Severity, Span } from './core/types';
import { NodeHost, scanNginxFilesSync, toFileId } from './host/node-host';
import { DumpHost, parseNginxDump } from './host/dump';
import { NotWritten, prepareWrite, type PreparedWrite } from './host/write';
import { probeCommand } from './probe/cli';
import { FMT_HELP, FMT_USAGE, fmtCommand } from './format/cli';
import { ROUTE_HELP, ROUTE_USAGE, routeCommand } from './route/cli';
import { projectOptions, type CliFlags } from './cli/projectOptions';
import { REPORT_FORMATS, isReportFormat, renderReport, type ReportFinding } from './report/index';

const FORMATS = ['text', 'json', 'github', ...REPORT_FORMATS] as const;
type Format = (typeof FORMATS)[number];
const isFormat = (v: string | undefined): v is Format => (FORMATS as readonly (string | undefined)[]).includes(v);
const formatList = `${FORMATS.slice(0, -1).map((f) => `"${f}"`).join(', ')} or "${FORMATS[FORMATS.length - 1]}"`;

// the flags that set an option (and their defaults) come from the options table
const USAGE = `usage: nginx-ws check [--format ${FORMATS.join('|')}] [--fix | --fix-includes] ${['nginxVersion', 'rules', 'extraDirectives', 'maxFiles', 'frontedBy'].map(cliUsage).join(' ')} PATH... | -
       ${FMT_USAGE}
       nginx-ws probe URL ${['probe.timeoutMs', 'probe.origin', 'probe.allowSelfSigned'].map(cliUsage).join(' ')} [--message TEXT] [--ping] [--idle SECONDS] [--json]
       ${ROUTE_USAGE}

check   analyse nginx configuration: a directory means the nginx tree in it, a file means
        that file with whatever it includes; - reads an nginx -T dump on standard input
        (findings under the file names nginx printed). Exit 0 when clean, 1 when warnings or errors
        remain, 2 on usage or I/O errors, a directory without nginx files, a scan stopped
        at --max-files (default ${optionDefault<number>('maxFiles')}) or a failed write. --rule sets a rule's (or nginx
        code's) severity: off, error, warning, info or hint. --fix applies the safe fixes to
        files inside the given paths (--fix-includes: also to files they include from
        elsewhere) and says on stderr which files it changed. A project file (.nginx-ws.json, or
        the nginxWebSocket key of a package.json) found from the first PATH upwards sets the
        defaults of these options; the flags win over it.
${FMT_HELP}
probe   perform a WebSocket handshake against ws:// or wss:// URL and report.
${ROUTE_HELP}`;

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  code: string;
  message: string;
  fixable: boolean;
  docs?: string;
}

export async function main(argv: string[], out: (s: string) => void, errOut: (s: string) => void, outRaw: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'fmt') return fmtCommand(rest, out, errOut, outRaw);
  if (cmd === 'route') return routeCommand(rest, out, errOut);
  if (cmd === 'probe') {
    return probeCommand(rest, out);
  }
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') { out(USAGE); return 0; }
  if (cmd !== 'check') { errOut(cmd ? `nginx-ws: unknown command "${cmd}"\n${USAGE}` : USAGE); return 2; }

  let format: Format = 'text';
  let fix = false;
  let fixIncludes = false;
  const flags: CliFlags = { rules: {}, extraDirectives: [] };
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format') {
      const v = rest[++i];
      if (!isFormat(v)) { errOut(`nginx-ws: --format takes ${formatList}, not "${v ?? ''}"`); return 2; }
      format = v;
    } else if (a.startsWith('--format=')) {
      const v = a.slice(9);
      if (!isFormat(v)) { errOut(`nginx-ws: --format takes ${formatList}, not "${v}"`); return 2; }
      format = v;
    } else if (a === '--fix') fix = true;
    else if (a === '--fix-includes') fix = fixIncludes = true;
    else if (a === '--max-files') {
      const v = rest[++i];
      if (!v || !/^[1-9]\d*$/.test(v)) { errOut(`nginx-ws: --max-files takes a positive number, not "${v ?? ''}"`); return 2; }
      flags.maxFiles = Number(v);
    }
    else if (a === '--fronted-by') {
      const v = (rest[++i] ?? '').trim().toLowerCase();
      if (!FRONTED_BY_RE.test(v)) { errOut(`nginx-ws: --fronted-by takes none, cloudflare, aws-alb or the idle limit in seconds, not "${rest[i] ?? ''}"`); return 2; }
      flags.frontedBy = v;
    }
    else if (a === '--nginx-version') {
      const v = rest[++i];
      if (!v || !NGINX_VERSION_RE.test(v)) { errOut(`nginx-ws: --nginx-version takes a version like 1.22, not "${v ?? ''}"`); return 2; }
      flags.nginxVersion = v;
    } else if (a === '--rule') {
      const v = rest[++i] ?? '';
      const m = /^([a-z0-9-]+)=(off|error|warning|info|hint)$/.exec(v);
      if (!m) { errOut(`nginx-ws: --rule takes ID=LEVEL with LEVEL off, error, warning, info or hint, not "${v}"`); return 2; }
      flags.rules[m[1]] = m[2] as Severity | 'off';
    } else if (a === '--extra-directive') {
      const v = rest[++i];
      if (!v) { errOut('nginx-ws: --extra-directive takes a directive name'); return 2; }
      flags.extraDirectives.push(v);
    } else if (a === '--') { paths.push(...rest.slice(i + 1)); break; }
    else if (a.startsWith('-') && a !== '-') { errOut(`nginx-ws: unknown option "${a}"\n${USAGE}`); return 2; }
    else paths.push(a);
  }
  if (!paths.length) { errOut(`nginx-ws: no PATH given\n${USAGE}`); return 2; }
  // the project file (.nginx-ws.json or package.json's nginxWebSocket) from the first path upwards; flags win
  const project = projectOptions(paths[0] === '-' ? process.cwd() : paths[0], DEFAULT_OPTIONS, flags, optionDefault<number>('maxFiles'));
  for (const m of project.messages) errOut(m);
  if (project.failed) return 2;
  const { options, maxFiles } = project;

  let status = 0;
  const files: FileId[] = [];
  const trees: Tree[] = [];
  let host: Host = new NodeHost();
  if (paths.includes('-')) {
    // `nginx -T | nginx-ws check -`: the configuration a server runs, under the names nginx printed
    if (paths.length > 1) { errOut('nginx-ws: "-" (an nginx -T dump on standard input) cannot be mixed with paths'); return 2; }
    if (fix) { errOut('nginx-ws: --fix needs files on disk, not an nginx -T dump'); return 2; }
    let text: string;
    try { text = fs.readFileSync(0, 'utf8'); } catch (e) { errOut(`nginx-ws: cannot read standard input: ${(e as Error).message}`); return 2; }
    const dump = parseNginxDump(text);
    if (!dump.size) { errOut('nginx-ws: standard input holds no "# configuration file …:" section: pipe the output of nginx -T'); return 2; }
    host = new DumpHost(dump);
    files.push(...dump.keys());
  }
  for (const p of paths.filter((x) => x !== '-')) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { errOut(`nginx-ws: ${p}: no such file or directory`); return 2; }
    const given = toFileId(p);
    const real = toFileId(fs.realpathSync.native(p));
    if (st.isDirectory()) {
      const scan = scanNginxFilesSync(given, maxFiles);
      if (!scan.files.length) {
        errOut(`nginx-ws: ${p}: no nginx configuration file found (nginx.conf, *.conf, sites-available/*, sites-enabled/*, *.conf.template); name a file to check it anyway`);
        status = 2;
        continue;
      }
      if (scan.truncated) {
        errOut(`nginx-ws: ${p}: ${scan.truncated} (--max-files); the files after ${scan.lastTaken} were not checked`);
        status = 2;
      }
      files.push(...scan.files);
      trees.push({ given, real, dir: true });
    } else {
      try { fs.accessSync(p, fs.constants.R_OK); } catch { errOut(`nginx-ws: ${p}: permission denied`); return 2; }
      files.push(given);
      trees.push({ given, real, dir: false });
    }
  }
  if (!files.length) return status;

  const ws = new Workspace(host, options);
  ws.setFiles(files);
  const report = new Reporter(ws, files, trees);

  if (fix) {
    const r = fixFiles(ws, report, trees, fixIncludes);
    for (const line of r.log) errOut(line);
    if (r.failed) status = 2;
  }

  const findings = report.findings();
  const jsonOut = format === 'json';
  const rows: JsonFinding[] = [];
  const lineTables = new Map<FileId, number[]>();
  const linesOf = (file: FileId) => {
    let ls = lineTables.get(file);
    if (!ls) lineTables.set(file, (ls = lineStarts(ws.text(file) ?? '')));
    return ls;
  };
  const detailed: ReportFinding[] = [];
  /** A span of any file (a related place, a fix's edit), placed and named as the report names files. */
  const place = (file: FileId, span: Span) => ({ file: report.pathOf(ws.canonical(file)), ...placeOf(linesOf(file), { span }) });
  for (const { path, list } of findings) {
    for (const f of list) {
      const row = toJson(path, linesOf(path), f);
      rows.push(row);
      if (!isReportFormat(format)) continue;
      detailed.push({
        ...row,
        related: (f.related ?? []).map((r) => ({ ...place(r.file, r.span), message: r.note })),
        fixes: (f.fixes ?? []).map((x) => ({ title: x.title, safe: x.kind === 'safe', edits: x.edits.map((e) => ({ ...place(e.file, e.span), text: e.text })) })),
      });
    }
  }
  if (jsonOut) out(JSON.stringify(rows, null, 2));
  else if (isReportFormat(format)) out(renderReport(format, { cwd: process.cwd(), files: findings.map((x) => x.path), findings: detailed }));
  else if (format === 'github') {
    for (const r of rows) out(githubAnnotation(r));
    out(`${plural(findings.length, 'file')} checked: ${summary(rows)}`);
  } else {
    for (const r of rows) out(`${r.file}:${r.line}:${r.column}: ${r.severity}: ${r.message} [${r.code}]`);
    out(`${plural(findings.length, 'file')} checked: ${summary(rows)}`);
  }
  const failing = rows.some((r) => r.severity === 'error' || r.severity === 'warning') ? 1 : 0;
  return Math.max(status, failing);
}


const GITHUB_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };
/** Workflow-command escaping: the message part, and property values (which also escape `:` and `,`). */
const ghData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProperty = (s: string) => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * One GitHub Actions workflow command per finding (`::error file=…,line=…::message`), which
 * annotates the pull request's diff; the file is relative to the working directory (the checkout).
 */
function githubAnnotation(r: JsonFinding): string {
  const rel = nodePath.relative(process.cwd(), r.file) || r.file;
  const props = [`file=${ghProperty(rel.split(nodePath.sep).join('/'))}`, `line=${r.line}`, `endLine=${r.endLine}`, `col=${r.column}`, `endColumn=${r.endColumn}`, `title=${ghProperty(`nginx-ws ${r.code}`)}`];
  return `::${GITHUB_LEVEL[r.severity]} ${props.join(',')}::${ghData(r.message)}`;
}

/** A path named on the command line. */
interface Tree {
  /** As given (absolute, links not resolved). */
  given: FileId;
  /** Its real path. */
  real: FileId;
  dir: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : /(x|s|sh|ch)$/.test(word) ? 'es' : 's'}`;

/** "2 errors, 0 warnings, 1 info, 3 hints": every severity by its name. */
function summary(rows: JsonFinding[]): string {
  const n = (s: Severity) => rows.filter((r) => r.severity === s).length;
  return `${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${n('info')} info, ${plural(n('hint'), 'hint')}`;
}

/**
 * One file, one path: a file reached under several paths (sites-enabled/app, a link to
 * sites-available/app; an include spelled with `..`) is reported once. The path shown is the one
 * named on the command line for a file given there; otherwise the file's real path (links
 * resolved), written under the directory as it was given (so `check /etc/nginx` shows
 * /etc/nginx/… even when /etc/nginx is itself a link).
 */
class Reporter {
  constructor(private readonly ws: Workspace, private readonly files: FileId[], private readonly trees: Tree[]) {}

  /** The path a real file is reported under. */
  pathOf(real: FileId): FileId {
    for (const t of this.trees) if (!t.dir && t.real === real) return t.given;
    for (const t of this.trees) {
      if (t.dir && real.startsWith(t.real === '/' ? '/' : t.real + '/')) return t.given + real.slice(t.real === '/' ? 0 : t.real.length);
    }
    return real;
  }

  /** Every file checked, once per real file, in order: the files named or found, then those reached. */
  reported(): { real: FileId; path: FileId }[] {
    const order = new Set<FileId>(this.files);
    for (const r of this.ws.analysis().values()) for (const f of r.files) order.add(f);
    const seen = new Set<FileId>();
    const out: { real: FileId; path: FileId }[] = [];
    for (const f of order) {
      const real = this.ws.canonical(f);
      if (seen.has(real)) continue;
      seen.add(real);
      out.push({ real, path: this.pathOf(real) });
    }
    return out;
  }

  findings(from?: (root: RootAnalysis, judged: Judged) => boolean): { real: FileId; path: FileId; list: Finding[] }[] {
    return this.reported().map((x) => ({ ...x, list: this.ws.findings(x.path, from) }));
  }
}

interface FixResult {
  log: string[];
  /** A write failed (as opposed to a file left alone on purpose). */
  failed: boolean;
}

/**
 * --fix: the safe fixes, applied in memory pass after pass (a fix may enable another) and then
 * written once per real file, each through a temporary file renamed over it. Files outside the
 * named trees are left alone unless `includes`. A file that cannot be written is left out and
 * the fixes are computed again without it, so that no fix is written half (a map in nginx.conf
 * for a $connection_upgrade in a site).
 */
function fixFiles(ws: Workspace, report: Reporter, trees: Tree[], includes: boolean): FixResult {
  const log: string[] = [];
  let failed = false;
  /** Real files not to touch, and why. */
  const blocked = new Map<FileId, string>();
  const inTree = (real: FileId) =>
    trees.some((t) => {
      const root = t.dir ? t.real : posix.dirname(t.real);
      return real === t.real || real.startsWith(root === '/' ? '/' : root + '/');
    });
  const outside = new Set<FileId>();
  for (;;) {
    // the safe fixes, pass after pass in memory (the core's fix-all), of the files allowed
    const { before, counts } = fixAll(ws, {
      findings: (from) => report.findings(from).flatMap((x) => x.list),
      accept: (_fix, reals) => {
        if (reals.some((r) => ws.text(r) === undefined || blocked.has(r))) return false;
        const away = reals.filter((r) => !includes && !inTree(r));
        for (const r of away) outside.add(r);
        return !away.length;
      },
      fragmentsWait: true,
    });
    // write everything or, when a file cannot be written, nothing: compute again without it
    const prepared: PreparedWrite[] = [];
    let refused: FileId | undefined;
    for (const [real, text] of before) {
      const next = ws.text(real)!;
      if (next === text) continue;
      try {
        prepared.push(prepareWrite(real, next, text));
      } catch (e) {
        const system = !(e instanceof NotWritten);
        failed ||= system;
        blocked.set(real, `${system ? 'cannot write: ' : ''}${(e as Error).message}`);
        refused = real;
        break;
      }
    }
    if (refused !== undefined) {
      for (const p of prepared) p.abort();
      for (const real of before.keys()) ws.setOverlay(real, undefined);
      // the refused file is blocked now, so every attempt has one file fewer to write
      continue;
    }
    for (const p of prepared) {
      const real = toFileId(p.real);
      try {
        p.commit();
      } catch (e) {
        // a rename that fails leaves this file as it was; the others are already in place
        failed = true;
        log.push(`nginx-ws: not fixed: ${report.pathOf(real)}: cannot write: ${(e as Error).message}`);
        ws.setOverlay(real, undefined);
        continue;
      }
      const shown = report.pathOf(real);
      const n = counts.get(real) ?? 0;
      const others = ws.samePaths(real).filter((x) => x !== shown && x !== real);
      const links = others.length ? ` (also reached as ${others.join(', ')}: ${others.length === 1 ? 'a link' : 'links'}, left as ${others.length === 1 ? 'it is' : 'they are'})` : '';
      const through = shown !== real ? ` (through a link: ${real} was changed)` : '';
      log.push(`nginx-ws: fixed ${shown}: ${plural(n, 'fix')}${through}${links}`);
    }
    // the disk now holds what the overlays said
    for (const real of before.keys()) ws.setOverlay(real, undefined);
    break;
  }
  for (const [real, why] of blocked) log.push(`nginx-ws: not fixed: ${report.pathOf(real)}: ${why}`);
  for (const real of outside) {
    if (blocked.has(real)) continue;
    const links = ws.samePaths(real).filter((p) => p !== real && inTree(p));
    log.push(`nginx-ws: not fixed: ${report.pathOf(real)}: outside the given paths, use --fix-includes${links.length ? ` (reached through ${links.join(', ')})` : ''}`);
  }
  return { log, failed };
}

/** Where a finding is reported, 1-based, from the line table of its file. The one place offsets become lines. */
export function placeOf(ls: number[], f: Pick<Finding, 'span'>): { line: number; column: number; endLine: number; endColumn: number } {
  const s = positionAt(ls, f.span.start);
  const e = positionAt(ls, f.span.end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function toJson(file: FileId, ls: number[], f: Finding): JsonFinding {
  return {
    file,
    ...placeOf(ls, f),
    severity: f.severity,
    code: f.code,
    message: f.message,
    fixable: !!f.fixes?.some((x) => x.kind === 'safe'),
    docs: docsUrl(f.code),
  };
}

if (require.main === module) {
  // `nginx-ws check . | head`: once the reader is gone, stop writing and finish with the check's exit code
  let closed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  const out = (s: string) => { if (!closed) process.stdout.write(s + '\n'); };
  const raw = (s: string) => { if (!closed) process.stdout.write(s); };
  main(process.argv.slice(2), out, (s) => process.stderr.write(s + '\n'), raw).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`nginx-ws: internal error: ${(e as Error).stack ?? e}\n`); process.exitCode = 2; },
  );
}
