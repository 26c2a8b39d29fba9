// Unit cases of the header list; test/proof/headers-table.test.ts checks it against the real nginx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from './tree';
import { modelOf } from '../rules/run';
import { headLines, upstreamRequest, variablesOf, PROXY_PARAMS_LINES } from './headerList';
import { MemoryHost } from '../../../../test/util/fixture';

function blocks(text: string) {
  const ws = new Workspace(new MemoryHost(new Map([['/w/nginx.conf', text]])), DEFAULT_OPTIONS);
  ws.setFiles(['/w/nginx.conf']);
  const root = [...ws.analysis().values()][0];
  return modelOf(ws, root, ws.options).proxies;
}

const CONF = `events {}
http {
    proxy_set_header X-Http 1;
    server {
        proxy_set_header X-Server 1;
        proxy_set_header Upgrade $http_upgrade;
        location /a/ {
            proxy_set_header X-A $http_x_a;
            proxy_set_header x-a "";
            proxy_set_header X-A two;
            proxy_set_header Accept-Encoding "";
            proxy_pass http://b;
        }
        location /b/ {
            proxy_http_version 1.1;
            proxy_pass_request_headers off;
            proxy_pass http://b;
        }
    }
}
`;

test('one level in effect: its lines in order, duplicates kept, then the defaults it does not name', () => {
  const [a] = blocks(CONF);
  const r = upstreamRequest(a.levels, { http11ByDefault: false });
  assert.equal(r.headerAt, 0);
  assert.equal(r.httpVersion, '1.0');
  assert.deepEqual(r.headers.map((h) => `${h.name}: ${h.value}`), [
    'X-A: $http_x_a', 'X-A: two', 'Host: $proxy_host', 'Connection: close', 'Content-Length: $proxy_internal_body_length', 'Transfer-Encoding: $proxy_internal_chunked',
  ]);
  assert.deepEqual(r.silenced.map((h) => h.name), ['x-a', 'Accept-Encoding', 'TE', 'Keep-Alive', 'Expect', 'Upgrade']);
  // the server's and the http level's lines are dropped for this location
  assert.deepEqual(r.dropped.map((n) => n.d.arg(0)), ['X-Server', 'Upgrade', 'X-Http']);
  const lines = headLines(r, { headers: [['X-A', ''], ['Accept-Encoding', 'gzip'], ['Upgrade', 'websocket'], ['Cookie', 'c']] }, (t) => t.replace(/\$\w+/g, ''));
  assert.deepEqual(lines, [['X-A', 'two'], ['Connection', 'close'], ['Cookie', 'c']]);
});

test('a level without lines inherits; proxy_http_version and proxy_pass_request_headers are the nearest', () => {
  const [, b] = blocks(CONF);
  const r = upstreamRequest(b.levels, { http11ByDefault: false });
  assert.equal(r.headerAt, 1); // the server's
  assert.deepEqual(r.headers.slice(0, 2).map((h) => [h.name, h.at]), [['X-Server', 1], ['Upgrade', 1]]);
  assert.deepEqual(r.dropped.map((n) => n.d.arg(0)), ['X-Http']);
  assert.equal(r.httpVersion, '1.1');
  assert.equal(r.passRequestHeaders, false);
  assert.deepEqual(headLines(r, { headers: [['Cookie', 'c']] }, (t) => (t.includes('$') ? '' : t)), [['X-Server', '1'], ['Connection', 'close']]);
});

test('nginx 1.29.7 and later: HTTP/1.1 and no Connection by default, the client\'s still not passed', () => {
  const [, b] = blocks(CONF);
  const r = upstreamRequest(b.levels, { http11ByDefault: true });
  assert.equal(r.httpVersion, '1.1');
  assert.ok(!r.headers.some((h) => h.name === 'Connection'));
  assert.ok(r.blocked.has('connection'));
});

test('a stock include (proxy_params not read) counts as the level\'s own lines, where it stands', () => {
  const [a] = blocks(`events {}
http {
    server {
        proxy_set_header Upgrade $http_upgrade;
        location /a/ {
            proxy_set_header X-First 1;
            include proxy_params;
            proxy_pass http://b;
        }
    }
}
`);
  const inc = a.levels[0].children.find((c) => c.d.name === 'include')!;
  const r = upstreamRequest(a.levels, { http11ByDefault: false, stock: (l) => (l === a.levels[0] ? PROXY_PARAMS_LINES.map(([name, value]) => ({ name, value, node: inc })) : undefined) });
  assert.deepEqual(r.headers.map((h) => h.name).slice(0, 5), ['X-First', 'Host', 'X-Real-IP', 'X-Forwarded-For', 'X-Forwarded-Proto']);
  assert.equal(r.headers[1].node, inc);
  assert.deepEqual(r.dropped.map((n) => n.d.arg(0)), ['Upgrade']);
});

test('variablesOf reads $name and ${name}', () => {
  assert.deepEqual(variablesOf('pre-$http_X_A${b}c$'), ['http_x_a', 'b']);
});

test('proxy_cache: a cacheable request gets the cache\'s defaults, another method the plain list', () => {
  const [a] = blocks(`events {}
http {
    server {
        location /a/ {
            proxy_cache z;
            proxy_pass http://b;
        }
    }
}
`);
  const r = upstreamRequest(a.levels, { http11ByDefault: false });
  assert.deepEqual(r.cache?.methods, ['GET', 'HEAD']);
  const client = { headers: [['Range', 'bytes=0-1'], ['If-None-Match', '"x"']] as [string, string][] };
  const none = () => '';
  assert.deepEqual(headLines(r, { ...client, method: 'GET' }, none), []);
  assert.deepEqual(headLines(r, { ...client, method: 'POST' }, none), client.headers);
});
