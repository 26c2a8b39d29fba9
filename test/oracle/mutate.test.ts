// The mutant generator's own promises: splitting statements over lines changes lines only (nginx
// reads the same tokens), and the layouts are what they say (a file read through two paths, a
// file reached through a link). A fresh PRNG seed every run, printed, besides a fixed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../server/src/core/syntax/parser';
import type { Directive } from '../../server/src/core/syntax/ast';
import { generateDiamondMutants, generateLinkMutants, prng, splitStatements } from './mutate';
import { loadSeeds } from './campaign';

const fresh = Number(process.env.NGINX_WS_SEED || Math.floor(Math.random() * 2 ** 31));
const SEEDS = [1, fresh];
console.log(`mutate seed: ${fresh} (replay with NGINX_WS_SEED=${fresh})`);

function tokens(text: string): string[] {
  const out: string[] = [];
  const walk = (list: Directive[]) => {
    for (const d of list) {
      out.push(...d.words.map((w) => w.value), d.terminator ?? '∅');
      if (d.block) { out.push('{'); walk(d.block.children); out.push('}'); }
    }
  };
  const p = parse(text);
  walk(p.directives);
  return [...out, ...p.errors.map((e) => e.message)];
}

test(`splitting statements over lines keeps every token (PRNG seeds ${SEEDS.join(', ')})`, () => {
  let split = 0;
  for (const sd of SEEDS) {
    const rng = prng(sd);
    for (const s of loadSeeds()) {
      const r = splitStatements(s.text, rng, 1);
      split += r.split;
      assert.deepEqual(tokens(r.text), tokens(s.text), `${s.name} (seed ${sd})`);
      if (r.split) assert.ok(r.text.split('\n').length > s.text.split('\n').length, s.name);
    }
  }
  assert.ok(split > 1000, `only ${split} statements split`);
});

test('diamonds read shared.conf through a.conf and b.conf; link layouts reach a file through a link', () => {
  const seeds = loadSeeds().slice(0, 40);
  const diamonds = generateDiamondMutants(seeds, 1, fresh);
  assert.ok(diamonds.length > 30);
  // one file may have been mutated since (a dropped word, a split line): most keep every include
  const intact = diamonds.filter((m) => {
    assert.deepEqual(Object.keys(m.files!).sort(), ['a.conf', 'b.conf', 'shared.conf'], m.id);
    const all = [m.text, m.files!['a.conf'], m.files!['b.conf']].join('\n');
    return /include\s+a\.conf\s*;/.test(all) && /include\s+b\.conf\s*;/.test(all) && [m.files!['a.conf'], m.files!['b.conf']].every((t) => /include\s+shared\.conf\s*;/.test(t));
  });
  assert.ok(intact.length >= diamonds.length * 0.6, `${intact.length} of ${diamonds.length} diamonds intact`);
  const links = generateLinkMutants(seeds, 1, fresh);
  assert.ok(links.length > 30);
  for (const m of links) {
    const [[link, target]] = Object.entries(m.links!);
    assert.ok(Object.keys(m.files!).some((f) => f.startsWith(target.replace(/^\.\.\//, ''))), `${m.id}: ${link} → ${target} points at none of its files`);
  }
});
