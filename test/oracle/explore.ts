// Dev aid (not a test): the differential comparison over other PRNG seeds and more mutants per
// config, to look for disagreements the committed test does not reach.
// Usage: node out/test/oracle/explore.js <first seed> <last seed> <mutants per config>
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateMutants } from './mutate';
import { isSyntaxClass, pool, runNginx } from './nginx';
const short = (m: string) => (m.length > 100 ? `${m.slice(0, 40)}…[${m.length} chars]…${m.slice(-20)}` : m);
import { context, ourErrors, ourFirstError, lineOf } from './ours';

const FIXTURES = join(__dirname, '../../..', 'test/fixtures');
const TESTDIR = '/tmp/ngxcorpus/testdir';

async function main() {
  const [from, to, per] = process.argv.slice(2).map(Number);
  const dir = join(FIXTURES, 'nginx-tests');
  const ok = readFileSync(join(dir, 'nginx-1.22-verdicts.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')).filter(([, v]) => v === 'OK').map(([f]) => f);
  const ws = join(FIXTURES, 'websocket-seeds');
  const seeds = [
    ...readdirSync(ws).filter((f) => f.endsWith('.conf')).map((f) => ({ name: `websocket/${f}`, text: readFileSync(join(ws, f), 'utf8') })),
    ...ok.map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') })),
  ];
  let total = 0, kept = 0, bad = 0;
  for (let sd = from; sd <= to; sd++) {
    const mutants = generateMutants(seeds, per, sd);
    const verdicts = await pool(mutants.map((m) => () => runNginx(m.text, { testdir: TESTDIR })), 4);
    mutants.forEach((m, i) => {
      total++;
      const v = verdicts[i];
      if (v.ok) {
        const e = ourErrors(m.text)[0];
        if (e) { bad++; const l = lineOf(m.text, e.nginxAt ?? e.span.start); console.log(`\n[${sd}] ${m.id} ${m.mutation}\n  nginx: accepted\n  ours: ${short(e.message)} (line ${l})\n${context(m.text, l)}`); }
        return;
      }
      const e = v.error!;
      if (!isSyntaxClass(e.message) || e.file !== 'nginx.conf') return;
      kept++;
      const o = ourFirstError(m.text);
      if (!o || o.message !== e.message || o.line !== e.line) {
        bad++;
        console.log(`\n[${sd}] ${m.id} ${m.mutation}\n  nginx: ${short(e.message)} (line ${e.line})\n  ours: ${o ? `${short(o.message)} (line ${o.line})` : 'none'}\n${context(m.text, e.line)}`);
      }
    });
  }
  console.log(`\nmutants ${total}, kept ${kept}, disagreements ${bad}`);
}
void main();
