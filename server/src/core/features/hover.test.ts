import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS, type AnalyzeOptions } from '../model/tree';
import { hoverAt } from './hover';
import { MemoryHost } from '../../../../test/util/fixture';
import type { Place } from './navigate';

const where = (p: Place) => `${p.file}@${p.span.start}`;

/** The hover at ‸ (in whichever file holds it). */
function at(files: Record<string, string>, options: Partial<AnalyzeOptions> = {}) {
  const map = new Map<string, string>();
  let file = '';
  let offset = -1;
  for (const [f, t] of Object.entries(files)) {
    const i = t.indexOf('‸');
    if (i >= 0) { file = f; offset = i; }
    map.set(f, t.replace('‸', ''));
  }
  const ws = new Workspace(new MemoryHost(map), { ...DEFAULT_OPTIONS, ...options });
  ws.setFiles([...map.keys()]);
  return hoverAt(ws, file, offset, where);
}
const loc = (body: string) => ({ '/w/nginx.conf': `events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n            ${body}\n        }\n    }\n}\n` });

test('a directive: the full description, syntax, contexts, module, page', () => {
  const h = at(loc('proxy_re‸ad_timeout 3600s;'))!;
  assert.match(h.markdown, /```nginx\nproxy_read_timeout time;\n```/);
  assert.match(h.markdown, /\*\*Default:\*\* `60s`/);
  assert.match(h.markdown, /\*\*Context:\*\* http, server, location/);
  assert.match(h.markdown, /ngx_http_proxy_module/);
  // more than the first line of the reference's text
  assert.match(h.markdown, /Defines a timeout for reading a response[\s\S]*the connection is closed/);
  assert.match(h.markdown, /https:\/\/nginx\.org\/en\/docs\/http\/ngx_http_proxy_module\.html#proxy_read_timeout/);
});

test('the default for the configured nginx version', () => {
  const old = at(loc('proxy_http_ver‸sion 1.1;'), { nginxVersion: '1.22' })!.markdown;
  assert.match(old, /\*\*Default:\*\* `1\.0` in nginx 1\.22 \(`1\.1` since 1\.29\.7\)/);
  const now = at(loc('proxy_http_ver‸sion 1.1;'), { nginxVersion: '1.29.7' })!.markdown;
  assert.match(now, /\*\*Default:\*\* `1\.1` \(since 1\.29\.7\)/);
  const tls = at({ '/w/nginx.conf': 'events {}\nhttp {\n    ssl_proto‸cols TLSv1.2;\n}\n' }, { nginxVersion: '1.22.1' })!.markdown;
  assert.match(tls, /\*\*Default:\*\* `TLSv1 TLSv1\.1 TLSv1\.2` in nginx 1\.22\.1/);
});

test('a directive with an http and a stream module: the one of its context', () => {
  const s = at({ '/w/nginx.conf': 'events {}\nstream {\n    server {\n        listen 9000;\n        proxy_pa‸ss 127.0.0.1:9001;\n    }\n}\n' })!.markdown;
  assert.match(s, /ngx_stream_proxy_module/);
  assert.doesNotMatch(s, /ngx_http_proxy_module/);
});

test('variables: nginx own with their meaning; the workspace own with their definition and file', () => {
  const up = at(loc('proxy_set_header Upgrade $http_up‸grade;'))!.markdown;
  assert.match(up, /websocket.*empty for plain HTTP/);
  assert.match(up, /arbitrary request header field/);
  const host = at(loc('proxy_set_header Host $ho‸st;'))!.markdown;
  assert.match(host, /host name from the request line/);
  const files = {
    '/w/nginx.conf': 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        \'\' close;\n    }\n    include conf.d/*.conf;\n}\n',
    '/w/conf.d/app.conf': 'server {\n    listen 80;\n    location ~ ^/u/(?<user>\\w+) {\n        proxy_set_header Connection $connection_up‸grade;\n        proxy_pass http://127.0.0.1;\n    }\n}\n',
  };
  const own = at(files)!.markdown;
  assert.match(own, /map \$http_upgrade \$connection_upgrade \{\n\s+default upgrade;/);
  assert.match(own, /in \/w\/nginx\.conf@/);
  const cap = at({ ...files, '/w/conf.d/app.conf': files['/w/conf.d/app.conf'].replace('$connection_up‸grade', '$connection_upgrade').replace('proxy_pass http://127.0.0.1;', 'return 200 $us‸er;') })!.markdown;
  assert.match(cap, /named capture of/);
});

test('an upstream in proxy_pass: its servers and where it is', () => {
  const files = {
    '/w/nginx.conf': 'events {}\nhttp {\n    upstream chat {\n        server 127.0.0.1:9000 max_fails=3;\n        server 127.0.0.1:9001 backup;\n        keepalive 16;\n    }\n    include conf.d/*.conf;\n}\n',
    '/w/conf.d/app.conf': 'server {\n    listen 80;\n    location / {\n        proxy_pass http://ch‸at/socket;\n    }\n}\n',
  };
  const h = at(files)!;
  assert.match(h.markdown, /\*\*upstream chat\*\* in \/w\/nginx\.conf@/);
  assert.match(h.markdown, /2 servers:\n- `127\.0\.0\.1:9000 max_fails=3`\n- `127\.0\.0\.1:9001 backup`/);
  assert.match(h.markdown, /keepalive 16/);
  // on the scheme: the directive's own hover, not the upstream
  const text = files['/w/conf.d/app.conf'].replace('‸', '');
  assert.equal(text.slice(h.span.start, h.span.end), 'chat');
  const named = at({ '/w/nginx.conf': 'events {}\nhttp {\n    server {\n        location / { try_files $uri @ba‸ck; }\n        location @back { proxy_pass http://127.0.0.1; }\n    }\n}\n' })!.markdown;
  assert.match(named, /named location[\s\S]*proxy_pass http:\/\/127\.0\.0\.1;/);
});

test('a word with an unclosed ${ at its start ends (it once looped for ever)', () => {
  const h = at(loc('return 200 ${ho‸st;'));
  assert.equal(h, undefined);
});
