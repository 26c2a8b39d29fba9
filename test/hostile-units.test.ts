// Hostile input, in-process: the include budget reports once, where it ran out; glob brackets
// (valid, reversed, odd) match what the real nginx includes; fresh seed every run plus fixed ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, DEFAULT_OPTIONS, globToRegExp } from '../server/src/core/index';
import { MAX_INCLUDE_EXPANSIONS } from '../server/src/core/model/validate';
import { NodeHost } from '../server/src/host/node-host';
import { MemoryHost } from './util/fixture';
import { rng } from './hostile/gen';
import { nginxTest } from './util/nginx';

const fresh = Math.floor(Math.random() * 2 ** 31);
const SEEDS = [1, 2, fresh];
const tag = (seed: number) => `seed ${seed}${seed === fresh ? ', fresh' : ''}`;

for (const seed of SEEDS) {
  test(`an include diamond past the budget: one warning, at the include where it ran out (${tag(seed)})`, () => {
    const rand = rng(seed);
    const depth = 17 + Math.floor(rand() * 8); // 2^17 … 2^24 expansions, all past the budget
    const width = 2 + Math.floor(rand() * 2); // each file includes the next 2 or 3 times
    const files = new Map<string, string>([['/w/nginx.conf', 'events {}\nhttp {\n    include d/f0.conf;\n}\n']]);
    for (let i = 0; i < depth; i++) files.set(`/w/d/f${i}.conf`, `include d/f${i + 1}.conf;\n`.repeat(width));
    files.set(`/w/d/f${depth}.conf`, 'server { listen 8080; }\n');
    const ws = new Workspace(new MemoryHost(files), DEFAULT_OPTIONS);
    ws.setFiles(['/w/nginx.conf']);
    const t0 = Date.now();
    const root = ws.analysis().get('/w/nginx.conf')!;
    const budget = ws.judgedOf(root)!.findings.filter((f) => /^include not expanded/.test(f.message));
    assert.equal(budget.length, 1, `${tag(seed)}, depth ${depth} × ${width}: ${budget.map((f) => f.file).join(', ')}`);
    assert.match(budget[0].file, /\/w\/d\/f\d+\.conf$/, 'reported inside the diamond, where the budget ran out, not at the root');
    assert.match(budget[0].message, new RegExp(`more than ${MAX_INCLUDE_EXPANSIONS.toLocaleString('en-US')} included files`));
    assert.equal(root.complete, false);
    assert.ok(Date.now() - t0 < 30_000, 'a guard against a hang');
  });
}

/** A random bracket expression, with the odd cases glob(3) defines: reversed ranges, classes, `]` first. */
function bracket(rand: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const chars = ['a', 'b', 'm', 'z', '-', 'A', '0', '^', '!'];
  let s = rand() < 0.3 ? pick(['!', '^']) : '';
  if (rand() < 0.2) s += ']';
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.4) s += `${pick(chars)}-${pick(chars)}`;
    else if (r < 0.55) s += pick(['[:alpha:]', '[:digit:]', '[:upper:]', '[:bogus:]']);
    else s += pick(chars);
  }
  return `[${s}]`;
}

const NAMES = ['a', 'b', 'm', 'z', '-', ']', 'A', '0', '^', '!', '[z-a]'];

for (const seed of SEEDS) {
  test(`glob brackets match what nginx includes, reversed ranges match nothing, nothing throws (${tag(seed)})`, async () => {
    const rand = rng(seed);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-glob-'));
    try {
      const id = (n: string) => Buffer.from(n).toString('hex');
      for (const n of NAMES) fs.writeFileSync(path.join(dir, `${n}.conf`), `f_${id(n)};\n`);
      const host = new NodeHost();
      for (let k = 0; k < 12; k++) {
        const pattern = `${dir}/${bracket(rand)}.conf`;
        assert.doesNotThrow(() => globToRegExp(pattern));
        const ours = host.glob(pattern);
        const v = await nginxTest({ 'nginx.conf': `include ${pattern};\nevents {}\n` });
        const theirs = v.ok ? undefined : /^unknown directive "f_([0-9a-f]+)"$/.exec(v.error?.message ?? '')?.[1];
        assert.ok(v.ok || theirs, `${tag(seed)}: nginx said ${v.output}`);
        const first = ours[0] === undefined ? undefined : id(path.basename(ours[0], '.conf'));
        assert.equal(first, theirs, `${tag(seed)}: ${pattern}: ours ${JSON.stringify(ours.map((f) => path.basename(f)))}, nginx's first ${theirs === undefined ? 'none' : Buffer.from(theirs, 'hex').toString()}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
