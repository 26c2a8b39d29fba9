// Dev aid (not a test): the differential comparison over other PRNG seeds and more mutants per
// config, to look for disagreements the committed test does not reach.
// Usage: [KINDS=kind,kind] node out/test/oracle/explore.js <first seed> <last seed> <mutants per config>
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateIncludeMutants, generateMutants } from './mutate';
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
  const others = new Map<string, number>();
  for (let sd = from; sd <= to; sd++) {
    const kinds = process.env.KINDS?.split(',');
    const mutants = kinds ? generateMutants(seeds, per, sd, kinds) : [...generateMutants(seeds, per, sd), ...generateIncludeMutants(seeds, per, sd)];
    const verdicts = await pool(mutants.map((m) => () => runNginx(m.text, { testdir: TESTDIR, extra: m.files })), 4);
    mutants.forEach((m, i) => {
      total++;
      const v = verdicts[i];
      if (v.ok) {
        const e = ourErrors(m.text, m.files)[0];
        if (e) { bad++; const l = lineOf(m.text, e.nginxAt ?? e.span.start); console.log(`\n[${sd}] ${m.id} ${m.mutation}\n  nginx: accepted\n  ours: ${short(e.message)} (line ${l})\n${context(m.text, l)}`); }
        return;
      }
      const e = v.error!;
      if (!isSyntaxClass(e.message) || e.file === undefined) {
        const cls = e.message.replace(/"[^"]*"/g, '"x"').replace(/\/tmp\/\S+/g, 'PATH').slice(0, 90);
        others.set(cls, (others.get(cls) ?? 0) + 1);
        return;
      }
      kept++;
      const o = ourFirstError(m.text, m.files);
      if (!o || o.message !== e.message || o.line !== e.line || o.file !== e.file) {
        bad++;
        console.log(`\n[${sd}] ${m.id} ${m.mutation}\n  nginx: ${short(e.message)} (${e.file}:${e.line})\n  ours: ${o ? `${short(o.message)} (${o.file}:${o.line})` : 'none'}\n${context(e.file === 'nginx.conf' ? m.text : m.files?.[e.file!] ?? '', e.line)}`);
      }
    });
  }
  for (const [k, n] of [...others].sort((a, b) => b[1] - a[1])) console.log(`other: ${n}× ${k}`);
  console.log(`\nmutants ${total}, kept ${kept}, disagreements ${bad}`);
}
void main();
