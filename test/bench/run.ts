// `npm run bench`: prints figures, passes or fails nothing.
//  1. throughput on a generated ~3 MB config: one bare JS pass over the characters (the floor),
//     parse only, the whole check (parse, include model, directive validation, every rule), and
//     formatting (whole file, on type);
//  2. a 1,000-file include tree on disk: cold analysis, and re-analysis after one file changes;
//  3. keystroke → publishDiagnostics through the real language server, one character at a time
//     (alternately in a comment on line 1 and in a server_name in the middle),
//     on a 5,000-line file and on the 3.1 MB config, with the server's resident memory;
//  4. the CLI end to end (process start to exit, --format json into a file) on a 3.1 MB config
//     with 1k…8k findings, beside the in-process check of the same text;
//  3b. completion, signature help and hover on a 5,000-line file, in process (completion.ts);
//  5. the inputs that were quadratic (a 5 MB single line, 8,000 servers, 40,000 unknown
//     variables): the in-process check.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '../../server/src/core/syntax/parser';
import { Workspace, DEFAULT_OPTIONS, formatOnType, formatText } from '../../server/src/core/index';
import { NodeHost, findNginxFiles, toFileId } from '../../server/src/host/node-host';
import { MemoryHost } from '../util/fixture';
import { spawnSync } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { bigConfig, findingsConfig, includeTree } from './gen';
import { HOSTILE, rng } from '../hostile/gen';
import { lspLatency, lspText, type LspFigures } from './lsp';
import { completionFigures } from './completion';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function once(f: () => void): number {
  const s = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - s) / 1e6;
}

function time(runs: number, f: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) t.push(once(f));
  return median(t);
}

/**
 * A language server runs for hours: the figure that matters is the warm one (after the JIT
 * has compiled the hot paths and the heap has grown), and the first run is shown beside it.
 */
function warmTime(warmups: number, runs: number, f: () => void): { first: number; warm: number } {
  const first = once(f);
  for (let i = 1; i < warmups; i++) f();
  return { first, warm: time(runs, f) };
}

function bare(text: string): number {
  let lines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return lines;
}

async function main() {
  const text = bigConfig(3.1 * 1024 * 1024);
  const mb = Buffer.byteLength(text) / 1048576;
  const lines = bare(text);
  console.log(`config: ${mb.toFixed(2)} MB, ${lines} lines`);
  const runs = 7;
  const warmups = 5;
  const tBare = time(runs, () => bare(text));
  const tParse = warmTime(warmups, runs, () => parse(text));
  const file = '/bench/nginx.conf';
  let count = 0;
  const tAll = warmTime(warmups, runs, () => {
    const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
    ws.setFiles([file]);
    count = ws.findings(file).length;
  });
  const row = (name: string, ms: number, first?: number) =>
    console.log(`  ${name.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms  ${(mb / (ms / 1000)).toFixed(1).padStart(7)} MB/s  ${(ms / tBare).toFixed(1).padStart(5)}× the bare pass${first === undefined ? '' : `   (first run ${first.toFixed(0)} ms)`}`);
  console.log(`median of ${runs} runs after ${warmups} warm-up runs:`);
  row('bare pass over the characters', tBare);
  row('parse only', tParse.warm, tParse.first);
  row(`whole check (${count} findings)`, tAll.warm, tAll.first);
  const gc = await gcShare(() => {
    const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
    ws.setFiles([file]);
    ws.findings(file);
  }, runs);
  console.log(`  garbage collection: ${gc.toFixed(0)}% of the whole check (warm, ${runs} runs)`);
  freshProcess(text);
  // the formatter prints, then parses its output again to compare every token
  const fmtOpts = { tabSize: 4, insertSpaces: true };
  const tFmt = warmTime(2, 3, () => formatText(text, fmtOpts));
  row('format the whole file (and check it)', tFmt.warm, tFmt.first);
  const semi = text.indexOf(';', text.length >> 1) + 1;
  const tType = warmTime(2, 3, () => formatOnType(text, semi, ';', fmtOpts));
  row('on-type format after a ;', tType.warm, tType.first);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngx-bench-'));
  try {
    const tree = includeTree(1000);
    for (const [rel, t] of tree) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), t);
    }
    const root = toFileId(dir);
    let ws!: Workspace;
    let n = 0;
    const tCold = time(3, () => {
      ws = new Workspace(new NodeHost(), DEFAULT_OPTIONS);
      const files = findNginxFiles(root);
      ws.setFiles(files);
      n = files.length;
      for (const f of files) ws.findings(f);
    });
    const one = `${root}/conf.d/site0500.conf`;
    const tWarm = time(5, () => {
      ws.setOverlay(one, (ws.text(one) ?? '') + '\n# edited\n');
      for (const f of ws.dependents(one)) ws.findings(f);
    });
    console.log(`include tree: ${n} files (nginx.conf + 1,000 conf.d/*.conf)`);
    console.log(`  cold: scan + parse + analyse every file   ${tCold.toFixed(1)} ms`);
    console.log(`  one file edited: re-analyse its dependents ${tWarm.toFixed(1)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const lspRow = (l: LspFigures) => {
    console.log(`LSP keystroke → publishDiagnostics, ${l.lines}-line file (${l.mb.toFixed(2)} MB), ${l.samples} edits one character each:`);
    console.log(`  first diagnostics ${l.first.toFixed(0)} ms; p50 ${l.p50.toFixed(1)} ms   p99 ${l.p99.toFixed(1)} ms   max ${l.max.toFixed(1)} ms`);
    console.log(`  server RSS: ${l.rss.map((r) => `${r.mb.toFixed(0)} MB after ${r.edits} edits`).join(', ')}`);
  };
  completionFigures();
  lspRow(await lspLatency(lspText(5000), 1000, [0, 150, 500, 1000]));
  // BENCH_BIG_EDITS=1000 for the long run (memory flat over 1,000 edits)
  const big = Number(process.env.BENCH_BIG_EDITS ?? 100);
  lspRow(await lspLatency(lspText(0), big, [0, 50, 100, 500, big].filter((n, i, a) => n <= big && a.indexOf(n) === i)));

  cliRows();
  quadratic();
}

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** Share of wall time spent in garbage collection over `runs` runs of f (after one warm-up). */
async function gcShare(f: () => void, runs: number): Promise<number> {
  f();
  let gc = 0;
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gc += e.duration; });
  obs.observe({ entryTypes: ['gc'] });
  const t = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) f();
  const total = Number(process.hrtime.bigint() - t) / 1e6;
  // the entries are delivered after the synchronous runs: let them arrive
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return (gc / total) * 100;
}

/**
 * A fresh process, as CI meets the CLI: `node` reading the file and printing its line count (the
 * floor of any process that reads it), beside `dist/cli.js check` on it (one finding).
 */
function freshProcess(text: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngx-bench-fresh-'));
  try {
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(file, text);
    const wall = (args: string[]) => {
      const t = process.hrtime.bigint();
      spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] });
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const floorJs = `const t=require('fs').readFileSync(${JSON.stringify(file)},'utf8');let n=0;for(let i=0;i<t.length;i++)if(t.charCodeAt(i)===10)n++;console.log(n)`;
    const floor = median([0, 1, 2, 3, 4].map(() => wall(['-e', floorJs])));
    const cli = median([0, 1, 2, 3, 4].map(() => wall([CLI, 'check', file])));
    console.log(`fresh process, 3.1 MB config (median of 5): node reading it and printing its line count ${floor.toFixed(0)} ms; dist/cli.js check ${cli.toFixed(0)} ms (${(cli / floor).toFixed(1)}× that)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The CLI as a user runs it: a new process, JSON written to a file; wall time from spawn to exit. */
function cliOnce(file: string, outFile: string): { ms: number; code: number | null; rows: number } {
  const fd = fs.openSync(outFile, 'w');
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', file], { stdio: ['ignore', fd, 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  fs.closeSync(fd);
  let rows = -1;
  try { rows = (JSON.parse(fs.readFileSync(outFile, 'utf8')) as unknown[]).length; } catch { /* reported below as -1 */ }
  if (r.status !== 0 && r.status !== 1) console.log(`  (exit ${r.status}: ${r.stderr.toString().slice(0, 200)})`);
  return { ms, code: r.status, rows };
}

function cliRows(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngx-bench-cli-'));
  try {
    console.log('CLI end to end (node dist/cli.js check --format json, output to a file), 3.1 MB config; median of 3:');
    console.log(`  ${'findings'.padStart(8)} ${'in-process'.padStart(11)} ${'CLI'.padStart(9)}   CLI ms added per 1k more findings (flat when linear)`);
    let prev: { rows: number; cli: number } | undefined;
    for (const typos of [1000, 2000, 4000, 8000]) {
      const text = findingsConfig(3.1 * 1024 * 1024, typos);
      const file = toFileId(path.join(dir, `nginx-${typos}.conf`));
      fs.writeFileSync(file, text);
      let n = 0;
      const inProc = time(3, () => {
        const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
        ws.setFiles([file]);
        n = ws.findings(file).length;
      });
      const runs = [0, 1, 2].map(() => cliOnce(file, path.join(dir, 'out.json')));
      const cli = median(runs.map((r) => r.ms));
      const rows = runs[0].rows;
      const slope = prev ? ((cli - prev.cli) / ((rows - prev.rows) / 1000)).toFixed(0) : '';
      console.log(`  ${String(rows).padStart(8)} ${(inProc.toFixed(0) + ' ms').padStart(11)} ${(cli.toFixed(0) + ' ms').padStart(9)}   ${slope}${rows !== n ? `   (in-process: ${n} findings)` : ''}`);
      prev = { rows, cli };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The inputs that used to take 30–60 s: the in-process check (NodeHost on a temp folder). */
function quadratic(): void {
  console.log('Inputs that were quadratic, in-process check (first run, then median of 3 warm runs):');
  for (const name of ['one-line-5mb', 'servers-8000', 'unknown-vars-40000']) {
    const c = HOSTILE.find((h) => h.name === name)!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngx-bench-q-'));
    try {
      const file = toFileId(path.join(dir, c.build(dir, rng(1))));
      const mb = fs.statSync(file).size / 1048576;
      let n = 0;
      const t = warmTime(1, 3, () => {
        const ws = new Workspace(new NodeHost(), DEFAULT_OPTIONS);
        ws.setFiles([file]);
        n = ws.findings(file).length;
      });
      console.log(`  ${c.what.padEnd(52)} ${mb.toFixed(1)} MB ${String(n).padStart(6)} findings  ${t.warm.toFixed(0).padStart(5)} ms  (first ${t.first.toFixed(0)} ms)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
