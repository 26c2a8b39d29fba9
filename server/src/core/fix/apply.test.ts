// Fixes are planned per real file: the same fix found under two paths of one file (a link and
// its target) is taken once, and a fix overlapping one already taken waits for the next pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, planFixes } from './apply';
import type { Fix } from '../types';

const TEXT = 'location /ws/ {\n    proxy_pass http://b;\n}\n';
const at = TEXT.indexOf('\n}');
const timeout = (file: string): Fix => ({ title: 'Add proxy_read_timeout', kind: 'safe', edits: [{ file, span: { start: at, end: at }, text: '\n    proxy_read_timeout 600s;' }] });
const real = (f: string) => (f === '/w/sites-enabled/app' ? '/w/sites-available/app' : f);

test('one fix found under a link and under its target is applied once, to the real file', () => {
  const { edits, taken } = planFixes([timeout('/w/sites-enabled/app'), timeout('/w/sites-available/app')], real);
  assert.deepEqual([...edits.keys()], ['/w/sites-available/app']);
  assert.equal(taken.length, 1);
  const out = applyEdits(TEXT, edits.get('/w/sites-available/app')!).text;
  assert.equal(out.split('proxy_read_timeout').length - 1, 1, out);
});

test('without the real-path mapping the two paths look like two files: the bug this prevents', () => {
  const { edits } = planFixes([timeout('/w/sites-enabled/app'), timeout('/w/sites-available/app')]);
  assert.equal(edits.size, 2);
});

test('a fix overlapping a taken one is left for the next pass, whole (none of its edits applied)', () => {
  const replace: Fix = {
    title: 'two edits',
    kind: 'safe',
    edits: [
      { file: '/w/a', span: { start: 0, end: 8 }, text: 'location' },
      { file: '/w/b', span: { start: 0, end: 0 }, text: '# b\n' },
    ],
  };
  const first: Fix = { title: 'first', kind: 'safe', edits: [{ file: '/w/a', span: { start: 2, end: 4 }, text: 'xx' }] };
  const { edits, taken } = planFixes([first, replace]);
  assert.deepEqual(taken.map((f) => f.title), ['first']);
  assert.equal(edits.get('/w/b'), undefined);
});
