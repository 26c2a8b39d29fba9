// Differential test against the real nginx: seeds nginx accepts are broken in many ways
// (test/oracle/mutate.ts); for every mutant nginx rejects with a lexical, context or
// argument-count error, our first error must have nginx's message and line, and for every
// mutant nginx accepts we must report no nginx-syntax/nginx-directive error.
// Needs nginx 1.22 (NGINX_BIN, else nginx on PATH, else /usr/sbin/nginx); fails without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateIncludeMutants, generateMutants, type Mutant, type Seed } from './mutate';
import { nginxVersion, requireNginx, withLocalPaths, type NginxVerdict } from '../util/nginx';
import { isSyntaxClass, pool, runNginx } from './nginx';
import { context, ourErrors, ourFirstError, lineOf } from './ours';

const FIXTURES = join(__dirname, '../../..', 'test/fixtures');
/** nginx-tests' %%TESTDIR%% as the corpus extraction wrote it; runs map it into their prefix. */
const TESTDIR = '/tmp/ngxcorpus/testdir';
const PER_SEED = 6;
/** Mutants per seed split in two files with `include`. */
const PER_SEED_INCLUDE = 2;
const MIN_KEPT = 500;

function loadSeeds(): Seed[] {
  const dir = join(FIXTURES, 'nginx-tests');
  const ok = readFileSync(join(dir, 'nginx-1.22-verdicts.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .filter(([, v]) => v === 'OK')
    .map(([f]) => f);
  const ws = join(FIXTURES, 'websocket-seeds');
  return [
    ...readdirSync(ws).filter((f) => f.endsWith('.conf')).sort().map((f) => ({ name: `websocket/${f}`, text: withLocalPaths(readFileSync(join(ws, f), 'utf8')) })),
    ...ok.map((f) => ({ name: f, text: withLocalPaths(readFileSync(join(dir, f), 'utf8')) })),
  ];
}

const verdictText = (v: NginxVerdict) => (v.ok ? 'accepted' : `${v.error!.message}${v.error!.line !== undefined ? ` (${v.error!.file}:${v.error!.line})` : ''}`);

test('differential test against the real nginx', async () => {
  // nginx is the oracle: without it this test fails, it is never skipped
  requireNginx();
  const version = nginxVersion();
  // the analysis models nginx 1.22 (directiveSet 'light-1.22'); another version is another oracle
  assert.ok(version?.startsWith('nginx/1.22.'), `${version ?? 'nginx'} is not the modelled nginx 1.22 (Debian nginx-light): set NGINX_BIN`);
  const started = Date.now();
  const all = loadSeeds();
  const seedVerdicts = await pool(all.map((s) => () => runNginx(s.text, { testdir: TESTDIR })), 4);
  // a seed must pass this nginx here (nginx-tests configs may need files the suite creates)
  const seeds = all.filter((_, i) => seedVerdicts[i].ok);
  const seedProblems = seeds.filter((s) => ourErrors(s.text).length > 0).map((s) => `${s.name}: ${ourErrors(s.text).map((f) => f.message).join('; ')}`);

  const mutants = [...generateMutants(seeds, PER_SEED), ...generateIncludeMutants(seeds, PER_SEED_INCLUDE)];
  const verdicts = await pool(mutants.map((m) => () => runNginx(m.text, { testdir: TESTDIR, extra: m.files })), 4);

  const disagreements: string[] = [];
  let kept = 0;
  let keptInIncluded = 0;
  let agreed = 0;
  let accepted = 0;
  let acceptedClean = 0;
  let otherRejects = 0;
  const byMessage = new Map<string, number>();
  const describe = (m: Mutant, v: NginxVerdict, ours: string, line?: number, file = 'nginx.conf') =>
    `${m.id} — ${m.mutation}\n  nginx: ${verdictText(v)}\n  ours:  ${ours}\n${file}:\n${context(file === 'nginx.conf' ? m.text : m.files?.[file] ?? '', line)}`;

  mutants.forEach((m, i) => {
    const v = verdicts[i];
    if (v.ok) {
      accepted++;
      const errs = ourErrors(m.text, m.files);
      if (errs.length === 0) acceptedClean++;
      else {
        const l = lineOf(m.text, errs[0].nginxAt ?? errs[0].span.start);
        disagreements.push(describe(m, v, `${errs[0].message} (line ${l}) — a false positive`, l));
      }
      return;
    }
    const e = v.error!;
    if (!isSyntaxClass(e.message) || e.file === undefined) {
      otherRejects++;
      return;
    }
    kept++;
    if (e.file !== 'nginx.conf') keptInIncluded++;
    const cls = e.message
      .replace(/^unknown directive ".*/s, 'unknown directive "x"')
      .replace(/^too long parameter.*/s, 'too long parameter…')
      .replace(/^unexpected ".*"$/s, 'unexpected "x"')
      .replace(/"[^"]*"/g, '"x"');
    byMessage.set(cls, (byMessage.get(cls) ?? 0) + 1);
    const ours = ourFirstError(m.text, m.files);
    if (ours && ours.message === e.message && ours.line === e.line && ours.file === e.file) agreed++;
    else disagreements.push(describe(m, v, ours ? `${ours.message} (${ours.file}:${ours.line})` : 'no error', e.line, e.file));
  });

  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const summary = [
    `nginx: ${version ?? 'unknown version'}`,
    `seeds: ${seeds.length} of ${all.length} accepted by this nginx`,
    `mutants generated: ${mutants.length} (${mutants.filter((m) => m.files).length} split in two files with include)`,
    `nginx rejected for syntax/context/args: ${kept}, ${keptInIncluded} of them in an included file (other rejections: ${otherRejects})`,
    `agreement: ${agreed}/${kept}`,
    `seeds with an error of ours: ${seedProblems.length}`,
    `nginx accepted: ${accepted}, of which we report no error: ${acceptedClean}`,
    `first-error classes: ${[...byMessage].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`).join(', ')}`,
    `time: ${secs}s`,
  ].join('\n');
  console.log(summary);

  assert.ok(kept >= MIN_KEPT, `only ${kept} mutants rejected for syntax/context/args; want at least ${MIN_KEPT}`);
  const problems = [...seedProblems.map((p) => `seed ${p} — nginx accepts the seed`), ...disagreements];
  if (problems.length) {
    assert.fail(`${problems.length} disagreement(s) with nginx:\n\n${problems.join('\n\n')}`);
  }
});
