// "Disable <code> for this line / for this file": the comment the action writes silences that
// finding (or that code in the file) and nothing else, on real configurations and on seeds with
// mistakes; every other finding stays as it was (the comment changes nothing nginx reads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyEdits, disableEdit, DEFAULT_OPTIONS, Workspace } from '../server/src/core/index';
import type { Finding } from '../server/src/core/types';
import { MemoryHost, ROOT } from './util/fixture';
import { prng } from './util/prng';
import { readTree } from './util/sandbox-nginx';

const REPO = resolve(__dirname, '..', '..');
const CORPUS = join(REPO, 'test', 'fixtures', 'ws-corpus');
const SEEDS = join(REPO, 'test', 'fixtures', 'websocket-seeds');

function trees(): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  for (const name of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, name);
    if (!statSync(dir).isDirectory()) continue;
    const files = new Map<string, string>();
    for (const [rel, text] of readTree(dir, (r) => r === 'SOURCE')) if (!lstatSync(join(dir, rel)).isSymbolicLink()) files.set(`${ROOT}/${rel}`, text);
    out.push(files);
  }
  for (const name of readdirSync(SEEDS).sort()) out.push(new Map([[`${ROOT}/nginx.conf`, readTree(SEEDS, () => false).get(name)!]]));
  return out;
}

function analyse(files: Map<string, string>): { ws: Workspace; findings: Finding[] } {
  const ws = new Workspace(new MemoryHost(files), DEFAULT_OPTIONS);
  ws.setFiles([...files.keys()]);
  return { ws, findings: [...files.keys()].flatMap((f) => ws.findings(f)) };
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const key = (files: Map<string, string>, f: Finding) => `${f.file}:${lineOf(files.get(f.file)!, f.span.start)}:${f.code}:${f.message}`;

test('the disable comments silence exactly what they say', () => {
  const seed = Date.now() % 100000;
  console.log(`disable-comment sample seed: ${seed}`);
  const rnd = prng(seed);
  let checked = 0;
  for (const files of trees()) {
    const { ws, findings } = analyse(files);
    // a sample of each tree's findings (all of a small tree's), different every run
    const sample = findings.filter((_, i) => i < 3 || rnd() < 0.3);
    for (const f of sample) {
      for (const scope of ['line', 'file'] as const) {
        const e = disableEdit(ws, f.file, f.code, f.span.start, scope);
        assert.ok(e, `${key(files, f)}: an edit for ${scope}`);
        const after = new Map(files);
        after.set(e.file, applyEdits(files.get(e.file)!, [{ span: e.span, text: e.text }]));
        const shift = (g: Finding) => (g.file === e.file && g.span.start >= e.span.start ? { ...g, span: { start: g.span.start + e.text.length, end: g.span.end + e.text.length } } : g);
        const gone = (g: Finding) => g.code === f.code && g.file === f.file && (scope === 'file' || lineOf(files.get(f.file)!, g.span.start) === lineOf(files.get(f.file)!, f.span.start));
        const expected = findings.filter((g) => !gone(g)).map((g) => key(after, shift(g))).sort();
        const actual = analyse(after).findings.map((g) => key(after, g)).sort();
        assert.deepEqual(actual, expected, `${key(files, f)} disabled for the ${scope}: seed ${seed}\n${after.get(e.file)}`);
        checked++;
      }
    }
  }
  console.log(`${checked} disable edits checked`);
  assert.ok(checked >= 20, `enough findings to check (${checked})`);
});

test('an existing disable comment gains the code instead of a second comment; a silenced code gets no edit', () => {
  const text = 'events {}\nhttp {\n    server {\n        # nginx-ws-disable-next-line ws-read-timeout\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8080;\n            proxy_http_version 1.1;\n        }\n    }\n}\n';
  const files = new Map([[`${ROOT}/nginx.conf`, text]]);
  const { ws, findings } = analyse(files);
  const f = findings.find((g) => g.code === 'ws-upgrade-header-missing')!;
  assert.ok(f, 'the seed has the finding');
  const e = disableEdit(ws, f.file, f.code, f.span.start, 'line')!;
  assert.equal(applyEdits(text, [e]).split('\n')[3], '        # nginx-ws-disable-next-line ws-read-timeout, ws-upgrade-header-missing');
  const file = disableEdit(ws, f.file, f.code, f.span.start, 'file')!;
  assert.equal(applyEdits(text, [file]).split('\n')[0], '# nginx-ws-disable ws-upgrade-header-missing');
  const silenced = new Map([[`${ROOT}/nginx.conf`, `# nginx-ws-disable ws-upgrade-header-missing\n${text}`]]);
  const w2 = analyse(silenced).ws;
  assert.equal(disableEdit(w2, f.file, f.code, f.span.start + 45, 'file'), undefined);
});
