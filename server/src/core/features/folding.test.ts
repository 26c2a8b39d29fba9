import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { foldingRanges, selectionRanges } from './folding';
import { MemoryHost } from '../../../../test/util/fixture';

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace(new MemoryHost(new Map(Object.entries(files))), DEFAULT_OPTIONS);
  ws.setFiles(Object.keys(files));
  return ws;
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length - 1;

test('folding: blocks up to the line before their }, directives over several lines, comment runs, regions', () => {
  const text = [
    '# a header', //        0
    '# of two lines', //    1
    'events {}', //         2
    'http {', //            3
    '    # region maps', // 4
    '    map $a $b {', //   5
    '        default 1;', //6
    '    }', //             7
    '    # endregion', //   8
    '    log_format main', //9
    '        "$remote_addr"', //10
    '        "$status";', //11
    '    server { listen 80; # one comment', //12
    '        location / { return 204; } }', //13
    '}', //                 14
  ].join('\n') + '\n';
  const ws = workspace({ '/w/nginx.conf': text });
  const folds = foldingRanges(ws, '/w/nginx.conf').map((f) => [lineOf(text, f.start), lineOf(text, f.end), f.kind ?? '']);
  assert.deepEqual(folds, [
    [0, 1, 'comment'],
    [2, 2, ''], // events {} on one line: the editor drops it
    [3, 13, ''],
    [4, 8, 'region'],
    [5, 6, ''],
    [9, 11, ''],
    [12, 13, ''], // the } on the same line as the location: folded with it
    [13, 13, ''],
  ]);
});

test('folding: an unclosed block folds to the end; a comment after code is not part of a run', () => {
  const text = 'http {\n    server {\n        listen 80; # a\n        # b\n';
  const ws = workspace({ '/w/nginx.conf': text });
  const folds = foldingRanges(ws, '/w/nginx.conf').map((f) => [lineOf(text, f.start), lineOf(text, f.end), f.kind ?? '']);
  assert.deepEqual(folds, [[0, 4, ''], [1, 4, '']]);
});

test('selection ranges grow: variable → word → arguments → directive → block → parent → file', () => {
  const text = 'http {\n    server {\n        add_header X-Up "u=$http_upgrade" always;\n    }\n}\n';
  const ws = workspace({ '/w/nginx.conf': text });
  const [chain] = selectionRanges(ws, '/w/nginx.conf', [text.indexOf('http_upgrade') + 3]);
  const seen = chain.map((s) => text.slice(s.start, s.end).replace(/\s+/g, ' ').trim());
  assert.deepEqual(seen, [
    '$http_upgrade',
    'u=$http_upgrade',
    '"u=$http_upgrade"',
    'X-Up "u=$http_upgrade" always',
    'add_header X-Up "u=$http_upgrade" always;',
    'add_header X-Up "u=$http_upgrade" always;', // the server block's inside (its whitespace trimmed here)
    'server { add_header X-Up "u=$http_upgrade" always; }',
    'server { add_header X-Up "u=$http_upgrade" always; }',
    'http { server { add_header X-Up "u=$http_upgrade" always; } }',
    'http { server { add_header X-Up "u=$http_upgrade" always; } }',
  ]);
  for (let i = 1; i < chain.length; i++) {
    assert.ok(chain[i].start <= chain[i - 1].start && chain[i - 1].end <= chain[i].end, 'each holds the one before');
    assert.ok(chain[i].start < chain[i - 1].start || chain[i - 1].end < chain[i].end, 'and is larger');
  }
});
