import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { directiveCompletions } from './completion';
import { MemoryHost } from '../../../../test/util/fixture';

function at(text: string, marker = '‸'): { names: string[]; items: ReturnType<typeof directiveCompletions> } {
  const offset = text.indexOf(marker);
  const src = text.replace(marker, '');
  const ws = new Workspace(new MemoryHost(new Map([['/w/nginx.conf', src]])), DEFAULT_OPTIONS);
  ws.setFiles(['/w/nginx.conf']);
  const items = directiveCompletions(ws, '/w/nginx.conf', offset);
  return { names: (items ?? []).map((i) => i.name), items };
}

test('by context: http offers server, map, upstream; a location proxy_pass; stream its own', () => {
  const http = at('events {}\nhttp {\n    ‸\n}\n').names;
  for (const n of ['server', 'map', 'upstream', 'include', 'proxy_set_header']) assert.ok(http.includes(n), n);
  assert.ok(!http.includes('location') && !http.includes('listen') && !http.includes('worker_processes'));
  const loc = at('events {}\nhttp {\n    server {\n        location / {\n            prox‸\n        }\n    }\n}\n').names;
  assert.ok(loc.includes('proxy_pass') && !loc.includes('server_name'));
  const stream = at('events {}\nstream {\n    server {\n        ‸\n    }\n}\n').names;
  assert.ok(stream.includes('proxy_timeout') && !stream.includes('proxy_read_timeout'), 'stream has proxy_timeout, not proxy_read_timeout');
  assert.ok(!stream.includes('location'));
});

test('a directive nginx refuses twice in a block is not offered again; repeatable ones are', () => {
  const { names } = at('events {}\nhttp {\n    server {\n        location / {\n            proxy_pass http://127.0.0.1:8080;\n            proxy_set_header Host $host;\n            ‸\n        }\n    }\n}\n');
  assert.ok(!names.includes('proxy_pass'), 'proxy_pass is already there');
  assert.ok(names.includes('proxy_set_header'), 'proxy_set_header repeats');
});

test('blocks insert braces, others a terminator; nothing inside arguments or comments', () => {
  const { items } = at('events {}\nhttp {\n    ‸\n}\n');
  assert.equal(items!.find((i) => i.name === 'server')!.snippet, 'server {\n\t$0\n}');
  assert.equal(items!.find((i) => i.name === 'map')!.snippet, 'map $1 {\n\t$0\n}');
  assert.equal(items!.find((i) => i.name === 'sendfile')!.snippet, 'sendfile $0;');
  assert.equal(at('events {}\nhttp {\n    sendfile ‸\n}\n').items, undefined, 'in the arguments');
  assert.equal(at('events {}\nhttp {\n    # a comment ‸\n}\n').items, undefined, 'in a comment');
});

test('each item shows the syntax and the first sentence of the reference', () => {
  const { items } = at('events {}\nhttp {\n    server {\n        location / {\n            ‸\n        }\n    }\n}\n');
  const t = items!.find((i) => i.name === 'proxy_read_timeout')!;
  assert.equal(t.detail, 'proxy_read_timeout time;');
  assert.equal(t.summary, 'Defines a timeout for reading a response from the proxied server.');
  assert.equal(items!.find((i) => i.name === 'location')!.detail, 'location [ = | ~ | ~* | ^~ ] uri { … }');
  assert.equal(at('events {}\nhttp {\n    ‸\n}\n').items!.find((i) => i.name === 'server')!.detail, 'server { … }');
  assert.match(t.documentation(), /\*\*Default:\*\* `60s`/);
});
