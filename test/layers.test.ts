// The core's layering, read from the import statements of the product's sources (server/src and
// client/src, tests left out): no import circle inside core/; no editor, protocol or Node module in
// core/; outside core/, only core/index.ts (the face) and core/types.ts; and floors one way, a
// lower floor never importing a higher one. ARCHITECTURE.md explains each rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';

const REPO = join(__dirname, '..', '..');

/**
 * The floors of the core, bottom first: a file may import its own floor and the ones below. The
 * first pattern that matches a path (relative to server/src/core/) gives its floor.
 */
export const FLOORS: { floor: string; files: RegExp }[] = [
  { floor: 'data, types, text', files: /^(data\/|types\.ts$|text\.ts$|docs\.ts$)/ },
  { floor: 'syntax', files: /^syntax\// },
  { floor: 'options', files: /^options\.ts$/ },
  { floor: 'model', files: /^(model\/|fix\/)/ },
  { floor: 'rules', files: /^(rules\/|registry\.ts$)/ },
  { floor: 'analysis', files: /^analysis\.ts$/ },
  { floor: 'features', files: /^features\// },
  { floor: 'face', files: /^index\.ts$/ },
];

/** What outside code may import from the core. */
const FACE = ['index.ts', 'types.ts'];
const CORE = 'server/src/core/';

const FORBIDDEN_IN_CORE = (spec: string): boolean =>
  spec === 'vscode' || spec.startsWith('vscode-') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);

/** Every module a source names: import/export … from, bare import, import(), require(). */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const res = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of res) for (const m of source.matchAll(re)) out.push(m[1]);
  return out;
}

function floorOf(coreRel: string): number {
  return FLOORS.findIndex((f) => f.files.test(coreRel));
}

/**
 * The layering problems of a set of sources (repo-relative path → text). Pure, so that the test
 * below can also feed it a broken tree and see each kind of problem reported.
 */
export function layeringProblems(sources: Map<string, string>): string[] {
  const problems: string[] = [];
  const resolve = (from: string, spec: string): string | undefined => {
    const base = posix.normalize(posix.join(posix.dirname(from), spec));
    for (const c of [base, base + '.ts', base + '/index.ts', base.replace(/\.js$/, '.ts')]) if (sources.has(c)) return c;
    return base; // a JSON file or a module outside the sources: still has a place
  };
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const inCore = file.startsWith(CORE);
    const edges: string[] = [];
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) {
        if (inCore && FORBIDDEN_IN_CORE(spec)) problems.push(`${file}: the core imports "${spec}" (no editor, protocol or Node module in core/)`);
        else if (inCore) problems.push(`${file}: the core imports the package "${spec}" (core/ depends only on itself)`);
        continue;
      }
      const target = resolve(file, spec);
      if (!target) continue;
      const toCore = target.startsWith(CORE);
      if (inCore && !toCore) { problems.push(`${file}: the core imports ${target}, outside core/`); continue; }
      if (!inCore && toCore) {
        const rel = target.slice(CORE.length);
        if (!FACE.includes(rel)) problems.push(`${file}: imports ${target}; outside the core import only core/index.ts (or core/types.ts)`);
        continue;
      }
      if (!inCore) continue;
      if (!target.endsWith('.ts')) continue; // data (JSON) sits on its importer's floor
      edges.push(target);
      const a = floorOf(file.slice(CORE.length));
      const b = floorOf(target.slice(CORE.length));
      if (a < 0) problems.push(`${file}: on no floor (add it to FLOORS in test/layers.test.ts)`);
      else if (b >= 0 && b > a) problems.push(`${file} (${FLOORS[a].floor}) imports ${target} (${FLOORS[b].floor}): a lower floor imports a higher one`);
    }
    if (inCore) graph.set(file, [...new Set(edges)]);
  }
  for (const cycle of cycles(graph)) problems.push(`import circle in core/: ${cycle.join(' → ')}`);
  return problems;
}

/** One circle (as a path that returns to its start) per strongly connected component of size > 1 or a self-import. */
function cycles(graph: Map<string, string[]>): string[][] {
  let n = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, n); low.set(v, n); n++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(pathThrough(graph, new Set(scc), v));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** A shortest path from `start` back to itself inside one component (breadth first). */
function pathThrough(graph: Map<string, string[]>, scc: Set<string>, start: string): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!scc.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = prev.get(x)!) path.splice(1, 0, x);
        return [...path, start];
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [start, start];
}

function sourcesUnder(dirs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(REPO, rel))) {
      const p = posix.join(rel, name);
      if (statSync(join(REPO, p)).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.set(p, readFileSync(join(REPO, p), 'utf8'));
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

test('the product keeps its layers: no circle in core/, nothing forbidden, outside code through the face, floors one way', () => {
  const sources = sourcesUnder(['server/src', 'client/src']);
  assert.ok([...sources.keys()].filter((f) => f.startsWith(CORE)).length > 40, 'the core was read');
  assert.deepEqual(layeringProblems(sources), []);
});

test('each kind of layering problem is reported (the check can fail)', () => {
  const broken = new Map<string, string>([
    ['server/src/core/model/a.ts', "import { b } from './b';\nimport { x } from '../rules/x';\n"],
    ['server/src/core/model/b.ts', "import type { a } from './a';\nimport * as fs from 'node:fs';\nimport { Connection } from 'vscode-languageserver/node';\n"],
    ['server/src/core/rules/x.ts', "export const x = require('path');\n"],
    ['server/src/core/types.ts', ''],
    ['server/src/core/index.ts', "export { x } from './rules/x';\n"],
    ['server/src/core/stray.ts', "import { y } from '../lsp/y';\nimport { z } from './types';\n"],
    ['server/src/lsp/y.ts', "import { a } from '../core/model/a';\nimport { x } from '../core/index';\nimport type { T } from '../core/types';\n"],
    ['client/src/c.ts', "import {\n  b,\n} from '../../server/src/core/model/b';\n"],
  ]);
  const problems = layeringProblems(broken).join('\n');
  const expect = [
    /import circle in core\/: server\/src\/core\/model\/a\.ts → server\/src\/core\/model\/b\.ts → server\/src\/core\/model\/a\.ts/,
    /core\/model\/b\.ts: the core imports "node:fs"/,
    /core\/model\/b\.ts: the core imports "vscode-languageserver\/node"/,
    /core\/rules\/x\.ts: the core imports "path"/,
    /core\/model\/a\.ts \(model\) imports server\/src\/core\/rules\/x\.ts \(rules\): a lower floor/,
    /core\/stray\.ts: the core imports server\/src\/lsp\/y\.ts, outside core\//,
    /core\/stray\.ts: on no floor/,
    /lsp\/y\.ts: imports server\/src\/core\/model\/a\.ts; outside the core import only/,
    /client\/src\/c\.ts: imports server\/src\/core\/model\/b\.ts/,
  ];
  for (const re of expect) assert.match(problems, re);
  // the face and the types are fine from outside; so is a higher floor importing a lower one
  assert.doesNotMatch(problems, /lsp\/y\.ts: imports server\/src\/core\/(index|types)\.ts/);
  assert.doesNotMatch(problems, /index\.ts \(face\)/);
  assert.equal(problems.split('\n').length, expect.length, problems);
});
