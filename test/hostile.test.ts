// Hostile input, end to end: the CLI as a process on generated layouts (floods of one
// character, a 5 MB line, 8,000 servers, 40,000 unknown variables, include diamonds,
// self-including globs, /dev/zero, FIFOs, an invalid glob, text outside the workspace).
// Each must end in time with exit 0 or 1, the finding that says what happened, no internal
// error, and a peak RSS under 1 GB. Seeded layouts also run with a fresh seed (printed;
// HOSTILE_SEED=N replays one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { HOSTILE, rng, type HostileCase } from './hostile/gen';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');
const RSS = path.join(__dirname, 'hostile/rss.js');
/** A guard against a hang, not a performance assertion (the bench prints the figures). */
const HANG_MS = 90_000;
const MAX_RSS_KB = 1024 * 1024;

interface Run { code: number | null; signal: string | null; stdout: string; stderr: string; ms: number; maxRssKb?: number }

function runCli(args: string[], cwd: string): Promise<Run> {
  const rssFile = path.join(cwd, '.rss.json');
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', RSS, CLI, ...args], { cwd, env: { ...process.env, HOSTILE_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let maxRssKb: number | undefined;
      try { maxRssKb = JSON.parse(fs.readFileSync(rssFile, 'utf8')).maxRssKb; } catch { /* killed */ }
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0, maxRssKb });
    });
  });
}

const fresh = process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : Math.floor(Math.random() * 2 ** 31);

async function check(c: HostileCase, seed: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nginx-ws-hostile-${c.name}-`));
  try {
    const arg = c.build(dir, rng(seed));
    const r = await runCli(['check', '--format', 'json', arg], dir);
    const where = `${c.name} (seed ${seed}): exit ${r.code}${r.signal ? ` by ${r.signal}` : ''} after ${r.ms} ms`;
    assert.equal(r.signal, null, `${where}: killed (hang guard ${HANG_MS} ms)`);
    assert.doesNotMatch(r.stderr, /internal error|RangeError|heap out of memory/i, `${where}\n${r.stderr.slice(0, 2000)}`);
    assert.ok(r.code === 0 || r.code === 1, `${where}\n${r.stderr.slice(0, 2000)}`);
    const rows = JSON.parse(r.stdout) as { message: string; file: string }[];
    assert.ok(rows.some((x) => c.expect.test(x.message)), `${where}: no message matches ${c.expect}; first: ${JSON.stringify(rows.slice(0, 5))}`);
    if (c.absent) assert.doesNotMatch(r.stdout + r.stderr, c.absent, `${where}: the output holds what it must not`);
    assert.ok(r.maxRssKb !== undefined && r.maxRssKb < MAX_RSS_KB, `${where}: peak RSS ${r.maxRssKb} KB`);
    return `${c.name.padEnd(20)} seed ${String(seed).padEnd(10)} exit ${r.code}  ${String(r.ms).padStart(6)} ms  peak RSS ${Math.round((r.maxRssKb ?? 0) / 1024)} MB  ${rows.length} findings`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const c of HOSTILE) {
  const seeds = c.seeded ? [1, fresh] : [1];
  for (const seed of seeds) {
    test(`hostile input ends with a finding: ${c.what} (seed ${seed}${seed === fresh ? ', fresh' : ''})`, async (t) => {
      t.diagnostic(await check(c, seed));
    });
  }
}
