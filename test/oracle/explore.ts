// Dev aid (not a test): the differential campaign over a range of PRNG seeds, to look for
// disagreements the committed test does not reach. Prints every disagreement and the figures.
// Usage: node out/test/oracle/explore.js <first seed> <last seed> [generator name filter]
import { GENERATORS, loadSeeds, runCampaign, summary } from './campaign';
import { pool, runNginx } from './nginx';
import { TESTDIR } from './campaign';

async function main() {
  const [from, to] = process.argv.slice(2, 4).map(Number);
  const only = process.argv[4];
  const all = loadSeeds();
  const ok = await pool(all.map((s) => () => runNginx(s.text, { testdir: TESTDIR })), 4);
  const seeds = all.filter((_, i) => ok[i].ok);
  const gens = only ? GENERATORS.filter((g) => g.name.includes(only)) : GENERATORS;
  for (let sd = from; sd <= to; sd++) {
    const r = await runCampaign(seeds, [sd], gens);
    for (const d of r.disagreements) console.log(`\n[seed ${sd}] ${d}`);
    console.log(`\n[seed ${sd}]\n${summary(r).join('\n')}`);
  }
}
void main();
