import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { signatureHelp } from './signature';
import { MemoryHost } from '../../../../test/util/fixture';

function at(text: string) {
  const offset = text.indexOf('‸');
  const ws = new Workspace(new MemoryHost(new Map([['/w/nginx.conf', text.replace('‸', '')]])), DEFAULT_OPTIONS);
  ws.setFiles(['/w/nginx.conf']);
  const h = signatureHelp(ws, '/w/nginx.conf', offset);
  if (!h) return undefined;
  const s = h.signatures[h.active];
  const [a, b] = s.parameters[h.activeParameter];
  return { h, label: s.label, param: s.label.slice(a, b) };
}
const loc = (body: string) => `events {}\nhttp {\n    server {\n        location / {\n            ${body}\n        }\n    }\n}\n`;

test('the syntax from the reference, the parameter under the cursor highlighted', () => {
  const t = at(loc('proxy_read_timeout ‸'))!;
  assert.equal(t.label, 'proxy_read_timeout time;');
  assert.equal(t.param, 'time');
  assert.match(t.h.signatures[0].documentation, /timeout for reading a response/);
  const h = at(loc('proxy_set_header Upgrade ‸'))!;
  assert.equal(h.label, 'proxy_set_header field value;');
  assert.equal(h.param, 'value');
  assert.equal(at(loc('proxy_set_header ‸'))!.param, 'field');
});

test('listen: the optional parameter being typed, whatever its position', () => {
  const l = at('events {}\nhttp {\n    server {\n        listen 443 reu‸\n    }\n}\n')!;
  assert.equal(l.param, '[reuseport]');
  assert.equal(at('events {}\nhttp {\n    server {\n        listen ‸\n    }\n}\n')!.param, 'address[:port]');
});

test('return: the line that fits the words written', () => {
  const r = at(loc('return 301 ‸'))!;
  assert.equal(r.h.signatures.length, 3);
  assert.ok(r.label.startsWith('return code'), r.label);
  assert.equal(r.param, '[text]');
  assert.equal(at(loc('proxy_http_version ‸'))!.param, '1.0 | 1.1 | 2');
});

test('none outside arguments, for unknown directives, or after the arguments run out', () => {
  assert.equal(at(loc('proxy_read_timeout 60s; ‸')), undefined);
  assert.equal(at(loc('no_such_directive ‸')), undefined);
  assert.equal(at(loc('# proxy_read_timeout ‸')), undefined);
});
