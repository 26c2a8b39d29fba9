// `nginx-ws fmt [--check] [--diff] [--stdout] [--indent N|tab] [--align] [--final-newline] PATH... | -`:
// formats files in place (each written atomically), or says which would change, or prints a
// unified diff or the formatted text. The formatting itself is the core's.
import * as fs from 'node:fs';
import { cliUsage, formatText, lineStarts, positionAt, type FormatOptions } from '../core/index';
import { scanNginxFilesSync } from '../host/node-host';
import { NotWritten, writeFileAtomic } from '../host/write';

export const FMT_USAGE = `nginx-ws fmt [--check] [--diff] [--stdout] [--indent N|tab] ${cliUsage('format.align')} [--final-newline] PATH... | -`;

export const FMT_HELP = `fmt     format nginx configuration: only the blanks between tokens change, and a file whose
        result would read differently to nginx (or that has a syntax error) is left alone and
        named on stderr. In place by default; --check lists the files that would change and
        exits 1 if any; --diff prints a unified diff; --stdout prints the formatted text; both
        leave the files as they are. A directory means the nginx files in it; - formats
        standard input to standard output. --indent: spaces per level (default 4) or tab;
        --align lines up map/geo/types values and proxy_set_header runs; --final-newline adds
        a line end to a last line that has none. Exit 2 when a file could not be formatted.`;

export function fmtCommand(args: string[], out: (s: string) => void, errOut: (s: string) => void, stdoutRaw: (s: string) => void): number {
  let check = false;
  let diff = false;
  let toStdout = false;
  const opts: FormatOptions = { tabSize: 4, insertSpaces: true, align: false, insertFinalNewline: false };
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--check') check = true;
    else if (a === '--diff') diff = true;
    else if (a === '--stdout') toStdout = true;
    else if (a === '--align') opts.align = true;
    else if (a === '--final-newline') opts.insertFinalNewline = true;
    else if (a === '--indent' || a.startsWith('--indent=')) {
      const v = a === '--indent' ? args[++i] : a.slice(9);
      if (v === 'tab') { opts.insertSpaces = false; opts.tabSize = 4; }
      else if (v && /^([1-9]|1[0-6])$/.test(v)) { opts.insertSpaces = true; opts.tabSize = Number(v); }
      else { errOut(`nginx-ws: --indent takes a number of spaces (1 to 16) or "tab", not "${v ?? ''}"`); return 2; }
    } else if (a === '--') { paths.push(...args.slice(i + 1)); break; }
    else if (a.startsWith('-') && a !== '-') { errOut(`nginx-ws: unknown option "${a}"\nusage: ${FMT_USAGE}`); return 2; }
    else paths.push(a);
  }
  if (!paths.length) { errOut(`nginx-ws: no PATH given\nusage: ${FMT_USAGE}`); return 2; }
  if (paths.includes('-') && paths.length > 1) { errOut('nginx-ws: "-" (standard input) cannot be mixed with paths'); return 2; }

  let status = 0;
  const refuse = (name: string, text: string, at: number, reason: string) => {
    const line = positionAt(lineStarts(text), at).line + 1;
    errOut(`nginx-ws: not formatted: ${name}:${line}: ${reason}`);
    status = 2;
  };

  if (paths[0] === '-') {
    let text: string;
    try { text = fs.readFileSync(0, 'utf8'); } catch (e) { errOut(`nginx-ws: cannot read standard input: ${(e as Error).message}`); return 2; }
    const r = formatText(text, opts);
    if (r.refused) refuse('-', text, r.refused.at, r.refused.reason);
    if (check) {
      if (r.text !== text) { out('-'); status = Math.max(status, 1); }
    } else if (diff) { if (r.text !== text) stdoutRaw(unifiedDiff('-', text, r.text)); }
    else stdoutRaw(r.text);
    return status;
  }

  const files: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { errOut(`nginx-ws: ${p}: no such file or directory`); status = 2; continue; }
    if (st.isDirectory()) {
      const scan = scanNginxFilesSync(p);
      if (!scan.files.length) { errOut(`nginx-ws: ${p}: no nginx configuration file found; name a file to format it anyway`); status = 2; }
      files.push(...scan.files);
    } else files.push(p);
  }
  const seen = new Set<string>();
  let changed = 0;
  for (const f of files) {
    let real: string;
    try { real = fs.realpathSync.native(f); } catch { real = f; }
    if (seen.has(real)) continue;
    seen.add(real);
    let text: string;
    try { text = fs.readFileSync(f, 'utf8'); } catch (e) { errOut(`nginx-ws: ${f}: cannot read: ${(e as Error).message}`); status = 2; continue; }
    const r = formatText(text, opts);
    if (r.refused) { refuse(f, text, r.refused.at, r.refused.reason); if (!toStdout) continue; }
    if (toStdout) { stdoutRaw(r.text); continue; }
    if (r.text === text) continue;
    changed++;
    if (check || diff) {
      if (check) out(f);
      if (diff) stdoutRaw(unifiedDiff(f, text, r.text));
      continue;
    }
    try {
      writeFileAtomic(f, r.text, text);
      errOut(`nginx-ws: formatted ${f}`);
    } catch (e) {
      errOut(`nginx-ws: not formatted: ${f}: ${e instanceof NotWritten ? '' : 'cannot write: '}${(e as Error).message}`);
      status = 2;
    }
  }
  if (check && changed) status = Math.max(status, 1);
  return status;
}

/** A unified diff of two texts (line by line, 3 lines of context), as `diff -u` prints it. */
export function unifiedDiff(name: string, a: string, b: string): string {
  const split = (s: string) => {
    const lines = s.split('\n');
    const last = lines.pop()!;
    // a last line without a line end is marked as diff does
    return last === '' ? lines.map((l) => l + '\n') : [...lines.map((l) => l + '\n'), last];
  };
  const x = split(a);
  const y = split(b);
  const ops = diffLines(x, y);
  const context = 3;
  let out = `--- ${name}\n+++ ${name}\n`;
  const show = (l: string, sign: string) => sign + (l.endsWith('\n') ? l : l + '\n\\ No newline at end of file\n');
  for (let i = 0; i < ops.length; ) {
    if (ops[i].kind === '=') { i++; continue; }
    // a hunk: from `context` equal lines before the change to `context` after the last change close by
    let start = i;
    let n = 0;
    while (start > 0 && ops[start - 1].kind === '=' && n < context) { start--; n++; }
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end].kind !== '=') end++;
      let eq = 0;
      while (end + eq < ops.length && ops[end + eq].kind === '=') eq++;
      if (end + eq < ops.length && eq <= 2 * context) { end += eq; continue; }
      end += Math.min(eq, context);
      break;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].ai;
    const bStart = hunk[0].bi;
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out += `@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@\n`;
    for (const o of hunk) out += o.kind === '+' ? show(y[o.bi], '+') : o.kind === '-' ? show(x[o.ai], '-') : show(x[o.ai], ' ');
    i = end;
  }
  return out;
}

interface Op { kind: '=' | '-' | '+'; ai: number; bi: number }

/** The shortest edit script between two line lists (Myers), as one op per line. */
function diffLines(x: string[], y: string[]): Op[] {
  // common head and tail first: formatting changes little, and the search is quadratic in the changes
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const a = x.slice(head, x.length - tail);
  const b = y.slice(head, y.length - tail);
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = n === 0 && m === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let j = i - k;
      while (i < n && j < m && a[i] === b[j]) { i++; j++; }
      v[max + k] = i;
      if (i >= n && j >= m) { found = true; break; }
    }
  }
  // walk back through the trace
  const mid: Op[] = [];
  let i = n;
  let j = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vv = trace[d];
    const k = i - j;
    const prevK = k === -d || (k !== d && vv[max + k - 1] < vv[max + k + 1]) ? k + 1 : k - 1;
    const pi = vv[max + prevK];
    const pj = pi - prevK;
    while (i > pi && j > pj) { i--; j--; mid.push({ kind: '=', ai: head + i, bi: head + j }); }
    if (prevK === k + 1) { j--; mid.push({ kind: '+', ai: head + i, bi: head + j }); }
    else { i--; mid.push({ kind: '-', ai: head + i, bi: head + j }); }
  }
  while (i > 0 && j > 0) { i--; j--; mid.push({ kind: '=', ai: head + i, bi: head + j }); }
  mid.reverse();
  const ops: Op[] = [];
  for (let t = 0; t < head; t++) ops.push({ kind: '=', ai: t, bi: t });
  ops.push(...mid);
  for (let t = 0; t < tail; t++) ops.push({ kind: '=', ai: x.length - tail + t, bi: y.length - tail + t });
  return ops;
}
