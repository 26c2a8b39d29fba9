#!/usr/bin/env node
import * as fs from 'node:fs';
import { Workspace, DEFAULT_OPTIONS, type AnalyzeOptions } from './core/model/workspace';
import { lineStarts, positionAt } from './core/text';
import { applyEdits, collectFixEdits, MAX_FIX_PASSES } from './core/fix/apply';
import type { FileId, Finding, Severity } from './core/types';
import { NodeHost, findNginxFiles, toFileId } from './host/node-host';
import { docsUrl } from './core/docs';
import { probeCommand } from './probe/cli';

const USAGE = `usage: nginx-ws check [--format text|json] [--fix] [--nginx-version X.Y] [--rule ID=LEVEL]... [--extra-directive NAME]... PATH...
       nginx-ws probe URL [--timeout MS] [--origin O] [--insecure] [--message TEXT] [--json]

check   analyse nginx configuration: a directory means the nginx tree in it, a file means
        that file with whatever it includes. Exit 0 when clean, 1 when warnings or errors
        remain, 2 on usage or I/O errors. --rule sets a rule's (or nginx code's) severity:
        off, error, warning, info or hint.
probe   perform a WebSocket handshake against ws:// or wss:// URL and report.`;

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

export async function main(argv: string[], out: (s: string) => void, errOut: (s: string) => void): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'probe') {
    return probeCommand(rest, out);
  }
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') { out(USAGE); return 0; }
  if (cmd !== 'check') { errOut(cmd ? `nginx-ws: unknown command "${cmd}"\n${USAGE}` : USAGE); return 2; }

  let format: 'text' | 'json' = 'text';
  let fix = false;
  const options: AnalyzeOptions = { ...DEFAULT_OPTIONS };
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format') {
      const v = rest[++i];
      if (v !== 'text' && v !== 'json') { errOut(`nginx-ws: --format takes "text" or "json", not "${v ?? ''}"`); return 2; }
      format = v;
    } else if (a.startsWith('--format=')) {
      const v = a.slice(9);
      if (v !== 'text' && v !== 'json') { errOut(`nginx-ws: --format takes "text" or "json", not "${v}"`); return 2; }
      format = v;
    } else if (a === '--fix') fix = true;
    else if (a === '--nginx-version') {
      const v = rest[++i];
      if (!v || !/^\d+\.\d+(\.\d+)?$/.test(v)) { errOut(`nginx-ws: --nginx-version takes a version like 1.22, not "${v ?? ''}"`); return 2; }
      options.nginxVersion = v;
    } else if (a === '--rule') {
      const v = rest[++i] ?? '';
      const m = /^([a-z0-9-]+)=(off|error|warning|info|hint)$/.exec(v);
      if (!m) { errOut(`nginx-ws: --rule takes ID=LEVEL with LEVEL off, error, warning, info or hint, not "${v}"`); return 2; }
      options.rules = { ...options.rules, [m[1]]: m[2] as Severity | 'off' };
    } else if (a === '--extra-directive') {
      const v = rest[++i];
      if (!v) { errOut('nginx-ws: --extra-directive takes a directive name'); return 2; }
      options.extraDirectives = [...options.extraDirectives, v];
    } else if (a === '--') { paths.push(...rest.slice(i + 1)); break; }
    else if (a.startsWith('-')) { errOut(`nginx-ws: unknown option "${a}"\n${USAGE}`); return 2; }
    else paths.push(a);
  }
  if (!paths.length) { errOut(`nginx-ws: no PATH given\n${USAGE}`); return 2; }

  const files: FileId[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { errOut(`nginx-ws: ${p}: no such file or directory`); return 2; }
    if (st.isDirectory()) files.push(...findNginxFiles(toFileId(p)));
    else {
      try { fs.accessSync(p, fs.constants.R_OK); } catch { errOut(`nginx-ws: ${p}: permission denied`); return 2; }
      files.push(toFileId(p));
    }
  }

  const ws = new Workspace(new NodeHost(), options);
  ws.setFiles(files);

  if (fix) {
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const all = collectFindings(ws, files);
      const safe = all.flatMap((f) => (f.fixes ?? []).filter((x) => x.kind === 'safe').slice(0, 1));
      if (!safe.length) break;
      const byFile = collectFixEdits(safe);
      let changed = 0;
      for (const [file, edits] of byFile) {
        const text = ws.text(file);
        if (text === undefined) continue;
        const r = applyEdits(text, edits);
        if (r.text !== text) {
          fs.writeFileSync(file, r.text);
          ws.invalidate(file);
          changed++;
        }
      }
      if (!changed) break;
    }
  }

  const findings = collectFindings(ws, files);
  const rows: JsonFinding[] = findings.map((f) => toJson(ws, f));
  if (format === 'json') out(JSON.stringify(rows, null, 2));
  else {
    for (const r of rows) out(`${r.file}:${r.line}:${r.column}: ${r.severity}: ${r.message} [${r.code}]`);
    const errs = rows.filter((r) => r.severity === 'error').length;
    const warns = rows.filter((r) => r.severity === 'warning').length;
    out(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${errs} error${errs === 1 ? '' : 's'}, ${warns} warning${warns === 1 ? '' : 's'}, ${rows.length - errs - warns} other`);
  }
  return rows.some((r) => r.severity === 'error' || r.severity === 'warning') ? 1 : 0;
}

function collectFindings(ws: Workspace, files: FileId[]): Finding[] {
  const seen = new Set<FileId>();
  const all: Finding[] = [];
  const order = new Set<FileId>(files);
  for (const r of ws.analysis().values()) for (const f of r.files) order.add(f);
  for (const f of order) {
    if (seen.has(f)) continue;
    seen.add(f);
    for (const x of ws.findings(f)) all.push(x); // a spread of 250,000 findings overflows the stack
  }
  return all;
}

function toJson(ws: Workspace, f: Finding): JsonFinding {
  const text = ws.text(f.file) ?? '';
  const ls = lineStarts(text);
  const s = positionAt(ls, f.span.start);
  const e = positionAt(ls, f.span.end);
  return {
    file: f.file,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
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
  main(process.argv.slice(2), out, (s) => process.stderr.write(s + '\n')).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`nginx-ws: internal error: ${(e as Error).stack ?? e}\n`); process.exitCode = 2; },
  );
}
