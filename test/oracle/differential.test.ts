// Differential test against the real nginx: seeds nginx accepts are broken in many ways
// (test/oracle/mutate.ts: single files, includes, include diamonds, symbolic links; statements
// split over lines, terminators moved), with a fixed PRNG seed and a fresh one every run. For
// every mutant nginx rejects with an error of a compared class (campaign.ts COMPARED), our first
// error must have nginx's message, file and line; for every mutant nginx accepts we must report
// no nginx-syntax/nginx-directive error.
// Needs nginx 1.22 (NGINX_BIN, else nginx on PATH, else /usr/sbin/nginx); fails without it.
// NGINX_WS_SEED=N replays a run's fresh seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nginxVersion, requireNginx } from '../util/nginx';
import { pool, runNginx } from './nginx';
import { ourErrors } from './ours';
import { loadSeeds, runCampaign, summary, TESTDIR } from './campaign';

/** The seeds every run uses, besides a fresh one. */
const FIXED_SEEDS = [1];
/** nginx must reject at least this many mutants in a compared class, per run. */
const MIN_COMPARED = 2000;

function freshSeed(): number {
  const env = process.env.NGINX_WS_SEED;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    assert.ok(Number.isInteger(n) && n >= 0, `NGINX_WS_SEED must be a non-negative integer, not "${env}"`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

test('differential test against the real nginx', async () => {
  // nginx is the oracle: without it this test fails, it is never skipped
  requireNginx();
  const version = nginxVersion();
  // the analysis models nginx 1.22 (directiveSet 'light-1.22'); another version is another oracle
  assert.ok(version?.startsWith('nginx/1.22.'), `${version ?? 'nginx'} is not the modelled nginx 1.22 (Debian nginx-light): set NGINX_BIN`);
  const fresh = freshSeed();
  console.log(`differential seed: ${fresh} (replay with NGINX_WS_SEED=${fresh})`);
  const started = Date.now();
  const all = loadSeeds();
  const seedVerdicts = await pool(all.map((s) => () => runNginx(s.text, { testdir: TESTDIR })), 4);
  // a seed must pass this nginx here (nginx-tests configs may need files the suite creates)
  const seeds = all.filter((_, i) => seedVerdicts[i].ok);
  const seedProblems = seeds.filter((s) => ourErrors(s.text).length > 0).map((s) => `${s.name}: ${ourErrors(s.text).map((f) => f.message).join('; ')}`);

  const r = await runCampaign(seeds, [...FIXED_SEEDS, fresh]);
  console.log(
    [
      `nginx: ${version}; PRNG seeds ${[...FIXED_SEEDS, fresh].join(', ')}`,
      `seeds: ${seeds.length} of ${all.length} accepted by this nginx; with an error of ours: ${seedProblems.length}`,
      ...summary(r),
      `time: ${((Date.now() - started) / 1000).toFixed(1)}s`,
    ].join('\n'),
  );

  assert.ok(r.compared >= MIN_COMPARED, `only ${r.compared} mutants rejected in a compared class; want at least ${MIN_COMPARED}`);
  const problems = [...seedProblems.map((p) => `seed ${p} — nginx accepts the seed`), ...r.disagreements];
  if (problems.length) {
    assert.fail(`${problems.length} disagreement(s) with nginx (replay with NGINX_WS_SEED=${fresh}):\n\n${problems.slice(0, 40).join('\n\n')}${problems.length > 40 ? `\n\n… and ${problems.length - 40} more` : ''}`);
  }
});
