// Dev aid (not a test): re-runs the local nginx over the corpus and prints where its verdict
// differs from test/fixtures/nginx-tests/nginx-1.22-verdicts.tsv.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pool, runNginx } from './nginx';

const DIR = join(__dirname, '../../..', 'test/fixtures/nginx-tests');

async function main() {
  const rows = readFileSync(join(DIR, 'nginx-1.22-verdicts.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const res = await pool(rows.map(([f]) => () => runNginx(readFileSync(join(DIR, f), 'utf8'))), 4);
  let diff = 0;
  rows.forEach(([f, v], i) => {
    const r = res[i];
    const mine = r.ok ? 'OK' : `${r.error!.message}${r.error!.line ? ':' + r.error!.line : ''}`;
    const theirs = v === 'OK' ? 'OK' : v.replace(/^nginx: \[emerg\] /, '').replace(/ in \/\S+:(\d+)$/, ':$1');
    if (mine !== theirs) { diff++; console.log(`${f}\n  tsv:  ${theirs}\n  here: ${mine}`); }
  });
  console.log(`${rows.length} files, ${diff} differ`);
}
void main();
