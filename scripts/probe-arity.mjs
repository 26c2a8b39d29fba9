#!/usr/bin/env node
// Dev-time oracle check: asks a real nginx binary (default /usr/sbin/nginx; override with
// NGINX=/path) what it accepts, and compares with server/src/core/data/directives.json.
//
// For every directive of the table that can live in a context the binary offers
// (main, events, http, server, location, if-server, if-location, limit_except, upstream):
//   1. known?    `unknown directive "x"` means the build does not have it at all;
//   2. arity:    the directive with N = 0..9 arguments a1..aN in one valid context; only
//                `invalid number of arguments in "x" directive` counts as a rejected count;
//                any other outcome (ok, invalid value, ...) passed nginx's arity check;
//   3. contexts: the directive (with an accepted count) in every context; only
//                `"x" directive is not allowed here` counts as "not allowed";
//   4. dup:      the directive twice in a row with a sample argument list that nginx accepts
//                once (no error on the first line); `"x" directive is duplicate` on the second
//                line means nginx's set() handler rejects repeats;
//   5. extras:   identifiers found inside the binary that the table lacks and nginx knows
//                (undocumented directives): their contexts, counts and dup flag.
// Each probe is a throwaway prefix directory with `nginx -t -q -p DIR -c DIR/nginx.conf`, run as
// an unprivileged user when started as root, so nothing outside the temp directory is touched.
//
// Writes scripts/probe-light-1.22.json (read by gen-directives.mjs for `dup` and `inLight122`)
// and prints the disagreements with the table. Exit code 1 when arity disagreements remain.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, chmodSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const TABLE = join(here, '../server/src/core/data/directives.json');
const OUT = join(here, 'probe-light-1.22.json');
const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const MODULES_DIR = '/usr/lib/nginx/modules';
const CONCURRENCY = Math.max(2, cpus().length * 2);
const MAX_N = 9;

const table = JSON.parse(readFileSync(TABLE, 'utf8'));
const CTX = table.contexts;
/** Contexts this binary can host, in the order a probe context is picked. */
const PROBE_CTX = ['location', 'server', 'http', 'upstream', 'main', 'events', 'limit_except', 'if-location', 'if-server'];

// ---------------------------------------------------------------------------------------------
// nginx runner

const root = mkdtempSync(join(tmpdir(), 'nginx-probe-'));
chmodSync(root, 0o777);
const asRoot = process.getuid?.() === 0;
let seq = 0;

function run(conf) {
  const dir = join(root, String(seq++));
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const argv = ['-t', '-q', '-p', dir + '/', '-c', join(dir, 'nginx.conf')];
  const [cmd, args] = asRoot
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', NGINX, ...argv]]
    : [NGINX, argv];
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20000 }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      const text = String(stderr) + String(stdout);
      const m = /\[emerg\][^\n]*/.exec(text);
      const emerg = m ? m[0] : '';
      const lm = /:(\d+)\s*$/.exec(emerg);
      resolve({ ok: !err, emerg, line: lm ? Number(lm[1]) : undefined, text });
    });
  });
}

async function pool(jobs) {
  const results = new Array(jobs.length);
  let next = 0;
  async function worker() {
    while (next < jobs.length) { const i = next++; results[i] = await jobs[i](); }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// config builder: returns the text and the line number of the first probe line

function buildConf(ctx, probeLines, name) {
  const L = [];
  const base = (c, line) => { // a base line is dropped when the probe puts the same directive there
    const n = line.split(/[\s;{]/)[0];
    if (!(c === ctx && n === name)) L.push(line);
  };
  let first = 0;
  const probe = () => { first = L.length + 1; L.push(...probeLines); };
  base('main', 'error_log e.log;');
  base('main', 'pid n.pid;');
  if (ctx === 'main') probe();
  if (ctx === 'events') { L.push('events {'); probe(); L.push('}'); } else base('main', 'events {}');
  if (ctx === 'main' || ctx === 'events') return { text: L.join('\n') + '\n', first };
  L.push('http {');
  for (const t of ['client_body_temp_path t/cb;', 'proxy_temp_path t/p;', 'fastcgi_temp_path t/f;', 'uwsgi_temp_path t/u;', 'scgi_temp_path t/s;', 'access_log off;']) base('http', t);
  if (ctx === 'http') probe();
  if (ctx === 'upstream') { L.push('upstream u0 {', 'server 127.0.0.1:1;'); probe(); L.push('}'); }
  if (ctx !== 'http' && ctx !== 'upstream') {
    L.push('server {');
    base('server', 'listen 127.0.0.1:1;');
    if (ctx === 'server') probe();
    if (ctx === 'if-server') { L.push('if ($args) {'); probe(); L.push('}'); }
    if (ctx === 'location' || ctx === 'if-location' || ctx === 'limit_except') {
      L.push('location / {');
      if (ctx === 'location') probe();
      if (ctx === 'if-location') { L.push('if ($args) {'); probe(); L.push('}'); }
      if (ctx === 'limit_except') { L.push('limit_except GET {'); probe(); L.push('}'); }
      L.push('}');
    }
    L.push('}');
  }
  L.push('}');
  return { text: L.join('\n') + '\n', first };
}

function line(name, args, block) {
  const body = args.length && args[args.length - 1].startsWith('{') ? args[args.length - 1] : undefined;
  const words = body ? args.slice(0, -1) : args;
  return `${name}${words.length ? ' ' + words.join(' ') : ''}${block ? ' ' + (body ?? '{ }') : ';'}`;
}

function classify(r, name) {
  if (r.ok) return 'ok';
  const e = r.emerg;
  if (e.includes(`unknown directive "${name}"`)) return 'unknown';
  if (e.includes(`"${name}" directive is not allowed here`)) return 'notallowed';
  if (e.includes(`invalid number of arguments in "${name}" directive`)) return 'nargs';
  if (e.includes(`"${name}" directive is duplicate`)) return 'dup';
  return 'other';
}

async function probe(name, ctx, args, block) {
  const { text } = buildConf(ctx, [line(name, args, block)], name);
  const r = await run(text);
  return { cls: classify(r, name), emerg: r.emerg };
}

const argsN = (n) => Array.from({ length: n }, (_, i) => `a${i + 1}`);

// ---------------------------------------------------------------------------------------------
// table helpers

function ctxList(mask) {
  return mask === -1 ? CTX.slice() : CTX.filter((_, i) => mask & (1 << i));
}
function tableAllows(e, n) {
  if (e.s) return e.s.includes(n);
  return n >= e.a[0] && (e.a[1] === -1 || n <= e.a[1]);
}
function fmtSet(ns) {
  if (ns.length === 0) return '{}';
  const inf = ns.includes(8) && ns.includes(9);
  const shown = inf ? ns.filter((n) => n < 8) : ns;
  return `{${shown.join(',')}${inf ? ',8+' : ''}}`;
}

// Sample values for the duplicate probe (nginx must accept the first occurrence).
const SINGLE = ['($args)', 'all', 'stop', 'epoll', 'X-Accel-Expires', 'nginx.conf', '^(.+)(/.*)$', 'on', '1', '10s', '1k', 'a1', 'http://127.0.0.1:1', '127.0.0.1:1', 'off', '$args', 'GET', 'x.conf', 'none', 'any', 'html', 'auto', 'utf-8', 'error', 'zone=z0:1m', '/tmp'];
const PAIR = [['X-A', 'b'], ['4', '8k'], ['1', '1k'], ['$args', '$v0'], ['a1', 'a2'], ['10s', '10s'], ['text/html', 'html'], ['any', '1'], ['1m', '1m'], ['zone=z0:1m', 'rate=1r/s'], ['404', '/x'], ['c0', 'keys_zone=k0:1m'], ['$args', 'zone=z0:1m'], ['u1', '{ server 127.0.0.1:1; }']];
const TRIPLE = [['a1', 'a2', 'a3'], ['$args', 'zone=z0:1m', 'rate=1r/s']];

function dupCandidates(name, e, accepted) {
  const all = [];
  if (e.d && !/[|]|\.\.\.|"/.test(e.d) && !e.d.includes('\n')) all.push(e.d.split(/\s+/).filter(Boolean));
  all.push([], ...SINGLE.map((s) => [s]), ...PAIR, ...TRIPLE);
  // A trailing `{ ... }` sample word is the block body of a block directive, not an argument.
  const hasBody = (a) => a.length > 0 && a[a.length - 1].startsWith('{');
  return all
    .filter((a) => (hasBody(a) ? !!e.b : true))
    .filter((a) => accepted.includes(hasBody(a) ? a.length - 1 : a.length))
    .slice(0, 40);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const version = await new Promise((res) => execFile(NGINX, ['-v'], (_e, o, se) => res(String(se || o).trim())));
  const modulesDir = existsSync(MODULES_DIR) ? readdirSync(MODULES_DIR) : [];
  console.log(`${version}; dynamic modules present: ${modulesDir.join(', ') || 'none'}`);

  // Undocumented entries (`u`) came from step 5 of an earlier run; step 5 re-measures them.
  const names = Object.keys(table.directives).filter((n) => table.directives[n].some((e) => !e.u));
  // 1. known at all? (name in http, the result only matters for "unknown directive")
  const knownRes = await pool(names.map((name) => () => probe(name, 'http', ['a1'], false)));
  const known = {};
  names.forEach((n, i) => { known[n] = knownRes[i].cls !== 'unknown'; });

  // 2. arity per entry, in the first of its contexts where the directive is not "not allowed"
  const entries = [];
  for (const name of names) {
    for (const e of table.directives[name]) {
      if (e.u) continue;
      const ctxs = ctxList(e.c);
      const probeCtx = PROBE_CTX.filter((c) => ctxs.includes(c));
      entries.push({ name, e, module: table.modules[e.m], probeCtx, key: `${table.modules[e.m]}:${name}` });
    }
  }
  const arityJobs = [];
  for (const ent of entries) {
    ent.ctx = undefined; ent.accepted = []; ent.known = false;
    if (!known[ent.name] || ent.probeCtx.length === 0) continue;
    arityJobs.push(async () => {
      for (const ctx of ent.probeCtx) {
        const res = [];
        for (let n = 0; n <= MAX_N; n++) res.push(await probe(ent.name, ctx, argsN(n), !!ent.e.b));
        if (res.every((r) => r.cls === 'notallowed')) continue;
        ent.ctx = ctx; ent.known = true;
        ent.accepted = res.map((r, n) => (r.cls === 'nargs' ? -1 : n)).filter((n) => n >= 0);
        ent.samples = res.map((r) => r.emerg.replace(/^.*\[emerg\] \d+#\d+: /, '').slice(0, 120));
        return;
      }
    });
  }
  await pool(arityJobs);

  // 3. contexts per name (union over that name's entries, as nginx sees it)
  const perName = {};
  for (const ent of entries) if (ent.known) (perName[ent.name] ??= []).push(ent);
  const ctxJobs = [];
  const measuredCtx = {};
  for (const [name, ents] of Object.entries(perName)) {
    const ent = ents[0];
    const n = ent.accepted[0] ?? 0;
    measuredCtx[name] = [];
    for (const ctx of PROBE_CTX) {
      ctxJobs.push(async () => {
        const r = await probe(name, ctx, argsN(n), !!ent.e.b);
        if (r.cls !== 'notallowed' && r.cls !== 'unknown') measuredCtx[name].push(ctx);
      });
    }
  }
  await pool(ctxJobs);

  // 4. duplicates
  const dupJobs = [];
  for (const ent of entries) {
    if (!ent.known) continue;
    ent.dup = false; ent.dupSample = undefined;
    dupJobs.push(async () => {
      for (const args of dupCandidates(ent.name, ent.e, ent.accepted)) {
        const l = line(ent.name, args, !!ent.e.b);
        const { text, first } = buildConf(ent.ctx, [l, l], ent.name);
        const r = await run(text);
        if (!r.ok && r.line === first) continue; // the first occurrence itself failed: next sample
        ent.dupSample = args;
        ent.dup = !r.ok && r.line === first + 1 && classify(r, ent.name) === 'dup';
        return;
      }
    });
  }
  await pool(dupJobs);

  // 5. names this binary knows that the table (the docs) lacks: undocumented directives. The
  //    candidates are the NUL-terminated identifiers inside the binary itself.
  const bin = readFileSync(NGINX).toString('latin1').split('\0');
  const documented = (w) => (table.directives[w] ?? []).some((e) => !e.u);
  const cands = [...new Set(bin.filter((w) => /^[a-z][a-z0-9_]{2,40}$/.test(w) && !documented(w)))].sort();
  const extraKnown = (await pool(cands.map((n) => () => probe(n, 'http', ['a1'], false))))
    .map((r, i) => (r.cls === 'unknown' ? undefined : cands[i])).filter(Boolean);
  const extras = {};
  await pool(extraKnown.map((name) => async () => {
    const ctxs = [];
    for (const ctx of PROBE_CTX) if ((await probe(name, ctx, ['a1'], false)).cls !== 'notallowed') ctxs.push(ctx);
    let block = false;
    const res = [];
    for (let n = 0; n <= MAX_N; n++) res.push(await probe(name, ctxs[0], argsN(n), block));
    if (res.every((r) => r.emerg.includes(`directive "${name}" has no opening "{"`) || r.cls === 'nargs')) {
      block = true; res.length = 0;
      for (let n = 0; n <= MAX_N; n++) res.push(await probe(name, ctxs[0], argsN(n), block));
    }
    const accepted = res.map((r, n) => (r.cls === 'nargs' ? -1 : n)).filter((n) => n >= 0);
    let dup = false;
    for (const args of dupCandidates(name, { b: block }, accepted)) {
      const l = line(name, args, block);
      const { text, first } = buildConf(ctxs[0], [l, l], name);
      const r = await run(text);
      if (!r.ok && r.line === first) continue;
      dup = !r.ok && r.line === first + 1 && classify(r, name) === 'dup';
      break;
    }
    extras[name] = { contexts: ctxs, accepted: fmtSet(accepted), block, dup };
  }));

  // ------------------------------------------------------------------ compare and report
  const arityDis = [];
  const versionDiffs = [];
  const ctxDis = [];
  for (const ent of entries) {
    if (!ent.known) continue;
    const counts = Array.from({ length: MAX_N + 1 }, (_, n) => n);
    const want = counts.filter((n) => tableAllows(ent.e, n));
    if (want.join() === ent.accepted.join()) continue;
    // A documented version difference (`a122`, current nginx accepts more) must match exactly.
    const old = ent.e.a122 && (Array.isArray(ent.e.a122) ? { a: ent.e.a122 } : ent.e.a122);
    const want122 = old && counts.filter((n) => tableAllows(old, n));
    if (want122 && want122.join() === ent.accepted.join()) {
      versionDiffs.push(`${ent.key}: current ${fmtSet(want)}, 1.22 ${fmtSet(ent.accepted)} (a122)`);
      continue;
    }
    arityDis.push(`${ent.key}: table ${fmtSet(want)} nginx ${fmtSet(ent.accepted)} (in ${ent.ctx})`);
  }
  for (const [name, got] of Object.entries(measuredCtx)) {
    const want = new Set();
    for (const ent of perName[name]) for (const c of ctxList(ent.e.c)) if (PROBE_CTX.includes(c)) want.add(c);
    const w = PROBE_CTX.filter((c) => want.has(c));
    const g = PROBE_CTX.filter((c) => got.includes(c));
    if (w.join() !== g.join()) {
      const extra = g.filter((c) => !want.has(c));
      const missing = w.filter((c) => !got.includes(c));
      ctxDis.push(`${name}: nginx also allows [${extra}] / table-only [${missing}]`);
    }
  }
  const noDupSample = entries.filter((e) => e.known && e.dupSample === undefined).map((e) => e.key);

  const out = {
    nginx: version.replace(/^nginx version: /, ''),
    build: 'Debian nginx-light (no load_module)',
    dynamicModulesPresent: modulesDir,
    names: Object.fromEntries(names.map((n) => [n, known[n]])),
    entries: Object.fromEntries(entries.filter((e) => e.probeCtx.length && known[e.name]).map((e) => [e.key, {
      known: e.known,
      ...(e.known ? { ctx: e.ctx, accepted: fmtSet(e.accepted), dup: e.dup, dupSample: e.dupSample ?? null } : {}),
    }])),
    contexts: Object.fromEntries(Object.entries(measuredCtx).map(([n, c]) => [n, PROBE_CTX.filter((x) => c.includes(x))])),
    undocumented: Object.fromEntries(Object.keys(extras).sort().map((n) => [n, extras[n]])),
    disagreements: { arity: arityDis, contexts: ctxDis, noDupSample },
    versionDifferences: versionDiffs,
  };
  // One line per entry keeps the committed file small and its diffs readable.
  const body = Object.entries(out).map(([k, v]) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && k !== 'disagreements') {
      const rows = Object.entries(v).map(([kk, vv]) => `  ${JSON.stringify(kk)}: ${JSON.stringify(vv)}`);
      return ` ${JSON.stringify(k)}: {\n${rows.join(',\n')}\n }`;
    }
    return ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  });
  writeFileSync(OUT, `{\n${body.join(',\n')}\n}\n`);
  rmSync(root, { recursive: true, force: true });

  const probed = entries.filter((e) => e.known);
  const knownNames = names.filter((n) => known[n]).length;
  console.log(`names in table: ${names.length}; known to this nginx: ${knownNames}; entries probed: ${probed.length}`);
  console.log(`undocumented directives this nginx knows: ${Object.keys(extras).sort().join(', ') || 'none'}`);
  console.log(`nginx runs: ${seq}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`dup: ${probed.filter((e) => e.dup).length} entries reject repeats; no accepted sample for ${noDupSample.length}`);
  console.log(`arity disagreements: ${arityDis.length}`);
  for (const d of arityDis) console.log('  ' + d);
  console.log(`documented 1.22 version differences (agree with a122): ${versionDiffs.length}`);
  for (const d of versionDiffs) console.log('  ' + d);
  console.log(`context disagreements: ${ctxDis.length}`);
  for (const d of ctxDis) console.log('  ' + d);
  if (process.env.VERBOSE) for (const e of probed) console.log(e.key, e.ctx, fmtSet(e.accepted), e.dup, JSON.stringify(e.dupSample));
  process.exitCode = arityDis.length ? 1 : 0;
}

await main();
