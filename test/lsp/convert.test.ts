import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fileToUri, LineMap, uriToFile } from '../../server/src/lsp/convert';
import { minimalEdit } from '../../server/src/core/index';
import { applyEdits } from '../../server/src/core/fix/apply';

test('file URIs ↔ FileIds, percent-decoded', () => {
  const cases: [string, string][] = [
    ['file:///etc/nginx/nginx.conf', '/etc/nginx/nginx.conf'],
    ['file:///home/a%20b/%23conf.d/%C3%A9t%C3%A9.conf', '/home/a b/#conf.d/été.conf'],
    ['file:///c%3A/srv/nginx.conf', 'c:/srv/nginx.conf'],
    ['file://server/share/nginx.conf', '//server/share/nginx.conf'],
  ];
  for (const [uri, file] of cases) {
    assert.equal(uriToFile(uri), file);
    assert.equal(uriToFile(fileToUri(file)), file);
  }
  assert.equal(fileToUri('/home/a b/#x'), 'file:///home/a%20b/%23x');
  assert.equal(uriToFile('file:///C:/srv/x.conf'), 'c:/srv/x.conf');
  assert.equal(uriToFile('file:///bad%zzescape'), undefined);
  assert.equal(uriToFile('git:/etc/nginx/nginx.conf'), undefined);
});

test('untitled buffers get a synthetic id that maps back', () => {
  const id = uriToFile('untitled:Untitled-1')!;
  assert.ok(id.startsWith('/'));
  assert.equal(fileToUri(id), 'untitled:Untitled-1');
});

test('spans ↔ ranges in UTF-16 code units, CRLF lines', () => {
  const text = 'a😀b\r\nserver {}\n';
  const map = new LineMap(text);
  const at = text.indexOf('server');
  assert.deepEqual(map.range({ start: 1, end: 3 }), { start: { line: 0, character: 1 }, end: { line: 0, character: 3 } });
  assert.deepEqual(map.range({ start: at, end: at + 6 }), { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });
  assert.deepEqual(map.span({ start: { line: 1, character: 0 }, end: { line: 1, character: 6 } }), { start: at, end: at + 6 });
  assert.deepEqual(map.range({ start: 999, end: 999 }).end, { line: 2, character: 0 });
});

test('fix-all sends one minimal edit that never splits CRLF or surrogate pairs', () => {
  const pairs: [string, string][] = [
    ['http {\r\n}\r\n', 'http {\r\n    map $a $b {}\r\n}\r\n'],
    ['a\r\nb', 'a\r\nc\r\nb'],
    ['x😀y', 'x😁y'],
    ['same', 'same'],
    ['', 'new'],
  ];
  for (const [before, after] of pairs) {
    const e = minimalEdit('/f', before, after);
    assert.equal(applyEdits(before, [e]).text, after);
    for (const at of [e.span.start, e.span.end]) {
      assert.ok(!(before[at - 1] === '\r' && before[at] === '\n'), `splits CRLF at ${at} in ${JSON.stringify(before)}`);
      assert.ok(!/[\uD800-\uDBFF]/.test(before[at - 1] ?? '') || !/[\uDC00-\uDFFF]/.test(before[at] ?? ''), `splits a surrogate pair at ${at}`);
    }
  }
  assert.deepEqual(minimalEdit('/f', 'abc', 'abXc').span, { start: 2, end: 2 });
});
