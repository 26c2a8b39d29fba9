// nginx's value checks, offline, against the real nginx (nginx-light 1.22):
//   1. the probe replayed: typed argument positions of valueTypes.json (a seeded sample) with
//      values drawn for their type, some with the `;` on a line of its own; and the hand-read
//      checks (listen, upstream server, return, *_pass, upstream names, events) on drawn values;
//   2. value mutants of the accepted seed configs (values-mutate.ts).
// Wherever nginx refuses a value for a reason these checks model, our first error must have
// nginx's message and line; where nginx accepts, we report no error; where nginx refuses for
// another reason, we say nothing or what nginx says. A fresh seed every run (printed; replay
// with VALUE_SEED=n) plus a fixed one; VALUE_CASES and VALUE_PER_SEED make a longer run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { prng, type Mutant, type Seed } from './mutate';
import { generateValueMutants, isValueClass } from './values-mutate';
import { nginxVersion, requireNginx, withLocalPaths, type NginxVerdict } from '../util/nginx';
import { pool, runNginx } from './nginx';
import { context, ourErrors, ourFirstError, lineOf } from './ours';
import { configFor, lineOf as probeLine, quoted, slots, slotKey, type Slot } from '../util/value-sweep';
import { argType, typedSlots } from '../../server/src/core/data/valueTypes';

const FIXED_SEED = 20261202;
const seeds = (): number[] => {
  const fresh = process.env.VALUE_SEED ? Number(process.env.VALUE_SEED) : (Date.now() % 1_000_000_007) >>> 0;
  return [FIXED_SEED, fresh];
};


const verdictText = (v: NginxVerdict) => (v.ok ? 'accepted' : `${v.error!.message}${v.error!.line !== undefined ? ` (${v.error!.file}:${v.error!.line})` : ''}`);

interface Case {
  id: string;
  text: string;
  what: string;
}

/** Compares our first error with nginx's on each case; returns the figures and the disagreements. */
async function compare(cases: Case[], testdir?: string) {
  const verdicts = await pool(cases.map((c) => () => runNginx(c.text, { testdir })), 4);
  const problems: string[] = [];
  let modelled = 0;
  let agreed = 0;
  let accepted = 0;
  let other = 0;
  const byClass = new Map<string, number>();
  const others = new Map<string, number>();
  cases.forEach((c, i) => {
    const v = verdicts[i];
    const ours = ourFirstError(c.text);
    const describe = (line?: number) => `${c.id} — ${c.what}\n  nginx: ${verdictText(v)}\n  ours:  ${ours ? `${ours.message} (line ${ours.line})` : 'no error'}\n${context(c.text, line)}`;
    if (v.ok) {
      accepted++;
      const errs = ourErrors(c.text);
      if (errs.length) problems.push(describe(lineOf(c.text, errs[0].nginxAt ?? errs[0].span.start)) + '\n  (a false positive)');
      return;
    }
    const e = v.error!;
    const postParse = e.line === undefined;
    if (!isValueClass(e.message)) {
      other++;
      const k = e.message.replace(/"[^"]*"/g, '"x"').replace(/\d+/g, 'N').slice(0, 60);
      others.set(k, (others.get(k) ?? 0) + 1);
      // nginx refused for a reason not modelled here: we must not claim another one
      if (ours && !(ours.message === e.message && (postParse || ours.line === e.line))) problems.push(describe(e.line) + '\n  (nginx refused for another reason)');
      return;
    }
    modelled++;
    const cls = e.message.replace(/"[^"]*"/g, '"x"').replace(/\d+$/, 'N');
    byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
    if (ours && ours.message === e.message && (postParse ? ours.line === 1 : ours.line === e.line && e.file === 'nginx.conf')) agreed++;
    else problems.push(describe(e.line));
  });
  return { modelled, agreed, accepted, other, problems, byClass, others, total: cases.length };
}

const summary = (label: string, seed: number, r: Awaited<ReturnType<typeof compare>>) =>
  `${label} (seed ${seed}): ${r.total} cases; nginx refused ${r.modelled} for a modelled reason, agreement ${r.agreed}/${r.modelled}; accepted ${r.accepted}; refused otherwise ${r.other}\n  classes: ${[...r.byClass].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`).join(', ')}\n  refused otherwise (not modelled; we must then say nothing or the same): ${[...r.others].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`).join(', ')}`;

// ---- 1. the probe, replayed ------------------------------------------------------------------

const rnd = (rng: () => number, n: number) => Math.floor(rng() * n);
const one = <T>(rng: () => number, l: readonly T[]): T => l[rnd(rng, l.length)];

/** A value for a slot of this type: right or wrong in the ways people write them. */
function drawValue(kind: string, rng: () => number, values: readonly string[] = []): string {
  const n = String(one(rng, [0, 1, 2, 7, 10, 30, 64, 75, 100, 512, 1024, 65536]));
  const units = ['', 'k', 'K', 'm', 'M', 'g', 'G', 'mb', 'kb', 'b', 'ms', 's', 'h', 'd', 'w', 'y', 'q', 'min', 'sec'];
  switch (one(rng, [0, 1, 2, 3, 4, 5])) {
    case 0: return n + one(rng, units);
    case 1: return `${n}${one(rng, ['h', 'm', 's', 'd', 'w', 'M', 'y'])}${one(rng, [1, 15, 30])}${one(rng, ['m', 's', 'ms', 'h', ''])}`;
    case 2: return one(rng, ['on', 'off', 'ON', 'Off', 'maybe', 'yes', 'none', 'auto', '-1', '1.5', '', 'x1', '$args', ...values]);
    case 3: return values.length ? one(rng, values).toUpperCase() : n;
    case 4: return one(rng, ['on', 'off', ...values]);
    default: return kind === 'flag' ? one(rng, ['on', 'off', 'of', 'onn', '0', '1']) : `${n}${one(rng, units)}`;
  }
}

/** Hand-read checks on drawn values, in a server / upstream. */
function specialCase(rng: () => number): { line: string; ctx: 'server' | 'location' | 'upstream' | 'main'; what: string } {
  const port = String(one(rng, [0, 1, 80, 8080, 65535, 65536, 99999]));
  const host = one(rng, ['127.0.0.1', '*', '', '127.0.0.1']);
  const addr = host ? `${host}:${port}` : port;
  switch (rnd(rng, 6)) {
    case 0: {
      const params = Array.from({ length: rnd(rng, 3) }, () => one(rng, ['default_server', 'ssl', 'http2', 'reuseport', 'bind', 'deferred', 'foo', 'quic', 'spdy', 'backlog=511', 'backlog=x', 'backlog=0', 'rcvbuf=8k', 'sndbuf=1mb', 'fastopen=x', 'fastopen=0', 'rcvbuf=0', 'ipv6only=on', 'fastopen=5', 'setfib=1', 'SSL', 'default', 'proxy_protocol', 'so_keepalive=on']));
      // a port range (this build takes one), right or wrong
      const range = one(rng, ['', '', '8000-8010', '9-8', '1-99999', '0-5']);
      const a = range ? (host ? `${host}:${range}` : range) : addr;
      return { line: `listen ${[a, ...new Set(params)].join(' ')};`, ctx: 'server', what: 'listen' };
    }
    case 1: {
      const params = Array.from({ length: rnd(rng, 3) }, () => one(rng, ['weight=2', 'weight=0', 'weight=x', 'max_fails=3', 'max_fails=three', 'fail_timeout=10s', 'fail_timeout=10q', 'fail_timeout=500ms', 'max_conns=5', 'backup', 'down', 'resolve', 'slow_start=5s', 'foo']));
      return { line: `server ${[addr.replace(/^\*/, '127.0.0.2') + one(rng, ['', '', '', '/x']), ...new Set(params)].join(' ')};`, ctx: 'upstream', what: 'upstream server' };
    }
    case 2: return { line: `return ${one(rng, ['200', '301', '444', '999', '1000', '2000', '0', '-1', 'abc', 'http://x', 'https://x/y', '$scheme://x', 'ftp://x', '301x'])};`, ctx: 'location', what: 'return' };
    case 3: return { line: `proxy_pass ${one(rng, ['', 'http://', 'https://', 'HTTP://', 'ws://', 'wss://'])}${one(rng, ['127.0.0.1', 'localhost', 'u0'])}${one(rng, ['', ':' + port])}${one(rng, ['', '/', '/x'])};`, ctx: 'location', what: 'proxy_pass' };
    case 4: return { line: `${one(rng, ['fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass'])} ${one(rng, ['', 'grpc://', 'uwsgi://', 'http://'])}${one(rng, ['127.0.0.1', 'u0', '[::1]'])}:${port}${one(rng, ['', '', '/x', '?a'])};`, ctx: 'location', what: 'pass' };
    default: return { line: `keepalive ${one(rng, ['0', '1', '16', 'x', '-1'])};`, ctx: 'upstream', what: 'keepalive' };
  }
}

function probeCases(seed: number, count: number): Case[] {
  const rng = prng(seed);
  const typed = new Set(typedSlots());
  const all = slots().filter((s) => typed.has(slotKey(s)));
  const cases: Case[] = [];
  for (let k = 0; k < count; k++) {
    const split = rng() < 0.3;
    if (rng() < 0.25) {
      const c = specialCase(rng);
      // the upstream u0 of the upstream context, or one made for proxy_pass to name
      const text = c.ctx === 'location' && rng() < 0.5 ? configFor('location', c.line, split).replace('http {', 'http {\nupstream u0 { server 127.0.0.1:1; }') : configFor(c.ctx, c.line, split);
      cases.push({ id: `p${seed}-${k}`, text, what: `${c.what}: ${c.line}${split ? ' (";" on the next line)' : ''}` });
      continue;
    }
    const s: Slot = one(rng, all);
    const t = argType(s.module, s.name, s.count, s.position)!;
    const value = drawValue(t.type.kind, rng, t.type.values);
    let line = probeLine(s, value);
    // a list of words (proxy_next_upstream error timeout): the drawn word among good ones
    if (s.count === 1 && argType(s.module, s.name, 3, 2) && rng() < 0.6) {
      const words = [one(rng, t.type.values!), one(rng, t.type.values!)];
      words.splice(rnd(rng, 3), 0, value);
      line = `${s.name} ${words.map(quoted).join(' ')};`;
    }
    cases.push({ id: `p${seed}-${k}`, text: configFor(s.ctx, line, split), what: `${slotKey(s)} ${t.type.kind}: ${line}${split ? ' (";" on the next line)' : ''}` });
  }
  // the events section, missing or present
  cases.push({ id: `p${seed}-events`, text: 'http {\n}\n', what: 'no events section' });
  return cases;
}

test('the value-type probe, replayed against the real nginx', async () => {
  requireNginx();
  const version = nginxVersion();
  assert.ok(version?.startsWith('nginx/1.22.'), `${version ?? 'nginx'} is not the modelled nginx 1.22 (Debian nginx-light): set NGINX_BIN`);
  const problems: string[] = [];
  for (const seed of seeds()) {
    const r = await compare(probeCases(seed, Number(process.env.VALUE_CASES ?? 300)));
    console.log(summary('value probe', seed, r));
    assert.ok(r.modelled >= 100, `seed ${seed}: only ${r.modelled} cases refused for a modelled reason`);
    assert.ok(r.accepted >= 50, `seed ${seed}: only ${r.accepted} cases accepted`);
    problems.push(...r.problems.map((p) => `seed ${seed}: ${p}`));
  }
  if (problems.length) assert.fail(`${problems.length} disagreement(s) with nginx:\n\n${problems.slice(0, 40).join('\n\n')}`);
});

// ---- 2. value mutants of accepted configs --------------------------------------------------

const FIXTURES = join(__dirname, '../../..', 'test/fixtures');
const TESTDIR = '/tmp/ngxcorpus/testdir';

function loadSeeds(): Seed[] {
  const dir = join(FIXTURES, 'nginx-tests');
  const ok = readFileSync(join(dir, 'nginx-1.22-verdicts.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')).filter(([, v]) => v === 'OK').map(([f]) => f);
  const ws = join(FIXTURES, 'websocket-seeds');
  return [
    ...readdirSync(ws).filter((f) => f.endsWith('.conf')).sort().map((f) => ({ name: `websocket/${f}`, text: withLocalPaths(readFileSync(join(ws, f), 'utf8')) })),
    ...ok.map((f) => ({ name: f, text: withLocalPaths(readFileSync(join(dir, f), 'utf8')) })),
  ];
}

test('value mutants: our first error is nginx\'s', async () => {
  requireNginx();
  const all = loadSeeds();
  const ok = await pool(all.map((s) => () => runNginx(s.text, { testdir: TESTDIR })), 4);
  const accepted = all.filter((_, i) => ok[i].ok && ourErrors(all[i].text).length === 0);
  const problems: string[] = [];
  let modelled = 0;
  for (const seed of seeds()) {
    const mutants: Mutant[] = generateValueMutants(accepted, Number(process.env.VALUE_PER_SEED ?? 3), prng(seed));
    const r = await compare(mutants.map((m) => ({ id: m.id, text: m.text, what: m.mutation })), TESTDIR);
    console.log(summary(`value mutants of ${accepted.length} seeds`, seed, r));
    modelled += r.modelled;
    problems.push(...r.problems.map((p) => `seed ${seed}: ${p}`));
  }
  assert.ok(modelled >= 300, `only ${modelled} mutants refused for a modelled reason`);
  if (problems.length) assert.fail(`${problems.length} disagreement(s) with nginx:\n\n${problems.slice(0, 40).join('\n\n')}`);
});
