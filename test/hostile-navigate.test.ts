// The navigation features on the hostile inputs (floods of one character, deep nesting, include
// cycles and fans, huge lines, thousands of servers and variables): nothing throws, every answer
// comes, and each case finishes within a generous bound (a guard against a hang, not a timing).
// Offsets are drawn from a fresh seed each run (printed; NAV_HOSTILE_SEED=N replays it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_OPTIONS, Workspace, definitionsAt, disableEdit, documentLinks, foldingRanges, highlightsAt, prepareRename, referencesAt, renameAt, selectionRanges, semanticTokens,
} from '../server/src/core/index';
import { findNginxFiles, NodeHost, toFileId } from '../server/src/host/node-host';
import { HOSTILE, rng } from './hostile/gen';

const seed = process.env.NAV_HOSTILE_SEED ? Number(process.env.NAV_HOSTILE_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`navigation hostile seed: ${seed} (replay with NAV_HOSTILE_SEED=${seed})`);

for (const c of HOSTILE) {
  test(`navigation on hostile input: ${c.what}`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-navh-'));
    try {
      const rand = rng(seed);
      const target = path.join(dir, c.build(dir, rand));
      const files = fs.statSync(target).isDirectory() ? findNginxFiles(target).map(toFileId) : [toFileId(target)];
      const ws = new Workspace(new NodeHost(), DEFAULT_OPTIONS);
      ws.setFiles(files);
      const started = Date.now();
      for (const file of files.slice(0, 3)) {
        const len = (ws.text(file) ?? '').length;
        const offsets = Array.from({ length: 12 }, () => Math.floor(rand() * (len + 1)));
        assert.ok(Array.isArray(foldingRanges(ws, file)));
        assert.equal(selectionRanges(ws, file, offsets).length, offsets.length);
        assert.ok(Array.isArray(documentLinks(ws, file)));
        assert.ok(Array.isArray(semanticTokens(ws, file)));
        for (const o of offsets) {
          definitionsAt(ws, file, o);
          referencesAt(ws, file, o);
          highlightsAt(ws, file, o);
          const p = prepareRename(ws, file, o);
          if (p.ok) assert.ok(renameAt(ws, file, o, 'renamed_x').ok !== undefined);
        }
        for (const f of ws.findings(file).slice(0, 5)) {
          disableEdit(ws, f.file, f.code, f.span.start, 'line');
          disableEdit(ws, f.file, f.code, f.span.start, 'file');
        }
      }
      const took = Date.now() - started;
      console.log(`${c.name}: ${took} ms`);
      assert.ok(took < 120_000, `finished within 120 s (${took} ms)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
