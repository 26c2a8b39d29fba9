import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS, type AnalyzeOptions } from '../model/tree';
import { globToRegExp } from '../model/includes';
import { argumentCompletions } from './argCompletion';
import { applyEdits } from '../fix/apply';
import type { FileId, Host } from '../types';

/** A host whose glob knows folders: `dir/*\/` lists the folders (as glob(3) does). */
class Tree implements Host {
  constructor(public files: Map<FileId, string>) {}
  read(f: FileId) { return this.files.get(f); }
  glob(pattern: string): FileId[] {
    if (pattern.endsWith('/')) {
      const re = globToRegExp(pattern.slice(0, -1));
      const dirs = new Set<string>();
      for (const f of this.files.keys()) for (let i = f.indexOf('/', 1); i > 0; i = f.indexOf('/', i + 1)) if (re.test(f.slice(0, i))) dirs.add(f.slice(0, i));
      return [...dirs].sort();
    }
    const re = globToRegExp(pattern);
    return [...this.files.keys()].filter((f) => re.test(f)).sort();
  }
}

/** The completions at ‸ of the first file that has one. */
function at(files: Record<string, string>, options: Partial<AnalyzeOptions> = {}) {
  const map = new Map<FileId, string>();
  let file = '';
  let offset = -1;
  for (const [f, t] of Object.entries(files)) {
    const i = t.indexOf('‸');
    if (i >= 0) { file = f; offset = i; }
    map.set(f, t.replace('‸', ''));
  }
  const ws = new Workspace(new Tree(map), { ...DEFAULT_OPTIONS, ...options });
  ws.setFiles([...map.keys()].filter((f) => f.endsWith('.conf')));
  const items = argumentCompletions(ws, file, offset);
  return { ws, file, offset, items, labels: (items ?? []).map((i) => i.label) };
}

const http = (body: string) => ({ '/w/nginx.conf': `events {}\nhttp {\n${body}\n}\n` });
const loc = (body: string) => http(`    server {\n        listen 80;\n        location / {\n            ${body}\n        }\n    }`);

test('flags offer on and off; enums their values; nothing after the last argument of a flag', () => {
  assert.deepEqual(at(http('    sendfile ‸')).labels.filter((l) => l === 'on' || l === 'off').sort(), ['off', 'on']);
  const fmt = at(loc('autoindex_format ‸')).labels;
  for (const v of ['html', 'xml', 'json', 'jsonp']) assert.ok(fmt.includes(v), v);
  assert.deepEqual(at(http('    sendfile on ‸')).labels, []);
  assert.equal(at(http('    sendfile on; ‸')).items, undefined, 'a new directive, not an argument');
});

test('proxy_http_version: 1.0 and 1.1 for nginx 1.22, 2 only from 1.29.4; 1.1 first', () => {
  const old = at(loc('proxy_http_version ‸'), { nginxVersion: '1.22.1' });
  assert.ok(old.labels.includes('1.1') && old.labels.includes('1.0') && !old.labels.includes('2'), old.labels.join());
  assert.equal(old.items!.find((i) => i.label === '1.1')!.rank, 0);
  assert.ok(at(loc('proxy_http_version ‸'), { nginxVersion: '1.29.4' }).labels.includes('2'));
  assert.ok(!at(loc('proxy_http_version ‸'), { nginxVersion: '1.25' }).labels.includes('2'), '2 came in 1.29.4');
});

test('units after digits of a size or a time', () => {
  assert.deepEqual(at(loc('proxy_read_timeout 60‸')).labels.sort(), ['60d', '60h', '60m', '60ms', '60s']);
  assert.deepEqual(at(http('    client_max_body_size 10‸')).labels.sort(), ['10g', '10k', '10m']);
});

test('listen parameters, each offered once; return codes', () => {
  const l = at(http('    server {\n        listen 443 ssl ‸\n    }')).labels;
  for (const p of ['default_server', 'reuseport', 'backlog=', 'proxy_protocol']) assert.ok(l.includes(p), p);
  assert.ok(!l.includes('ssl'), 'ssl is already there');
  const r = at(loc('return ‸')).items!;
  assert.ok(r.some((i) => i.label === '301' && i.detail === 'Moved Permanently') && r.some((i) => i.label === '444'));
  assert.ok(at(loc('error_page 502 ‸')).labels.includes('503') && !at(loc('error_page 502 ‸')).labels.includes('502'));
});

test('header names after proxy_set_header / add_header / more_set_headers, each its side', () => {
  const psh = at(loc('proxy_set_header ‸')).labels;
  assert.ok(psh.includes('Upgrade') && psh.includes('X-Forwarded-For') && !psh.includes('Strict-Transport-Security'));
  const ah = at(loc('add_header ‸')).labels;
  assert.ok(ah.includes('Strict-Transport-Security') && !ah.includes('Upgrade'));
  const more = at(loc('more_set_headers "X-Fr‸')).items!;
  assert.equal(more.find((i) => i.label === 'X-Frame-Options')!.insert, '"X-Frame-Options: ');
});

test('proxy_set_header Upgrade → $http_upgrade; Connection → $connection_upgrade with the map it needs, and "upgrade"', () => {
  assert.deepEqual(at(loc('proxy_set_header Upgrade ‸')).labels, ['$http_upgrade']);
  const c = at(loc('proxy_set_header Connection ‸'));
  assert.deepEqual(c.labels.slice(0, 2), ['$connection_upgrade', '"upgrade"']);
  const item = c.items![0];
  assert.ok(item.edit, 'no map: the item brings one');
  const text = applyEdits(c.ws.text(c.file)!, [item.edit!]).text;
  assert.match(text, /http \{\n[\s\S]*map \$http_upgrade \$connection_upgrade \{/);
  const withMap = at({ '/w/nginx.conf': 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; "" close; }\n    include conf.d/*.conf;\n}\n', '/w/conf.d/app.conf': 'server {\n    location / {\n        proxy_set_header Connection ‸\n    }\n}\n' });
  const it = withMap.items!.find((i) => i.label === '$connection_upgrade')!;
  assert.equal(it.edit, undefined);
  assert.equal(it.definedAt?.file, '/w/nginx.conf');
});

test('variables after $: the workspace own from every file (map, set, geo, captures, auth_request_set), then nginx own', () => {
  const files = {
    '/w/nginx.conf': 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; "" close; }\n    geo $office { default 0; 10.0.0.0/8 1; }\n    include conf.d/*.conf;\n}\n',
    '/w/conf.d/app.conf': 'server {\n    listen 80;\n    location ~ ^/u/(?<user>\\w+) {\n        set $backend app;\n        auth_request /auth;\n        auth_request_set $token $upstream_http_x_token;\n        return 200 $‸;\n    }\n}\n',
  };
  const r = at(files);
  for (const v of ['$connection_upgrade', '$office', '$user', '$backend', '$token']) {
    const i = r.items!.find((x) => x.label === v);
    assert.ok(i && i.kind === 'userVariable', v);
  }
  assert.equal(r.items!.find((x) => x.label === '$connection_upgrade')!.definedAt!.file, '/w/nginx.conf');
  const host = r.items!.find((x) => x.label === '$host')!;
  assert.equal(host.kind, 'variable');
  assert.match(host.documentation!, /host name/);
  assert.ok(r.labels.includes('$http_upgrade'));
  assert.ok(!r.labels.includes('$ssl_preread_server_name'), 'a stream variable in http');
  const braces = at(loc('return 200 ${ho‸')).items!.find((x) => x.label === '$host')!;
  assert.equal(braces.insert, '${host}');
  assert.equal(at(loc('add_header $‸')).labels.length, 0, 'a header name is literal: no variables there');
});

test('upstream names after proxy_pass http:// and grpc_pass; stream ones in stream', () => {
  const conf = 'events {}\nhttp {\n    upstream chat { server 127.0.0.1:9000; }\n    upstream api { server 10.0.0.1:80; }\n    server {\n        location / {\n            proxy_pass http://‸\n        }\n    }\n}\nstream {\n    upstream db { server 10.0.0.2:5432; }\n}\n';
  const r = at({ '/w/nginx.conf': conf });
  assert.deepEqual(r.labels.sort(), ['http://api', 'http://chat']);
  assert.match(r.items!.find((i) => i.label === 'http://chat')!.detail!, /127\.0\.0\.1:9000/);
  const bare = at({ '/w/nginx.conf': conf.replace('proxy_pass http://‸', 'proxy_pass ‸') }).labels;
  assert.ok(bare.includes('http://chat') && bare.includes('https://'));
  const st = at({ '/w/nginx.conf': conf.replace('proxy_pass http://‸', 'proxy_pass http://127.0.0.1;').replace('upstream db { server 10.0.0.2:5432; }', 'upstream db { server 10.0.0.2:5432; }\n    server { listen 5432; proxy_pass ‸ }') }).labels;
  assert.deepEqual(st, ['db']);
});

test('@named locations after try_files … @ and error_page … @', () => {
  const conf = 'events {}\nhttp {\n    server {\n        location @backend { proxy_pass http://127.0.0.1; }\n        location @fallback { return 502; }\n        location / {\n            try_files $uri $uri/ @‸\n        }\n    }\n}\n';
  assert.deepEqual(at({ '/w/nginx.conf': conf }).labels.sort(), ['@backend', '@fallback']);
  assert.deepEqual(at({ '/w/nginx.conf': conf.replace('try_files $uri $uri/ @‸', 'error_page 502 @b‸') }).labels.sort(), ['@backend', '@fallback']);
});

test('paths after include and ssl_certificate, from the configuration folder; absolute folders for root', () => {
  const files = {
    '/w/nginx.conf': 'events {}\nhttp {\n    include ‸\n}\n',
    '/w/mime.types': 'types {}\n',
    '/w/conf.d/a.conf': '',
    '/w/conf.d/b.conf': '',
    '/w/certs/site.pem': '',
  };
  const r = at(files);
  assert.ok(r.labels.includes('mime.types') && r.labels.includes('conf.d/') && r.labels.includes('certs/'), r.labels.join());
  assert.ok(r.items!.find((i) => i.label === 'conf.d/')!.again);
  const sub = at({ ...files, '/w/nginx.conf': 'events {}\nhttp {\n    include conf.d/‸\n}\n' });
  assert.deepEqual(sub.labels, ['a.conf', 'b.conf', '*.conf']);
  assert.equal(sub.items![0].start, sub.offset, 'replaces after the folder');
  const cert = at({ ...files, '/w/nginx.conf': 'events {}\nhttp {\n    server {\n        ssl_certificate certs/s‸\n    }\n}\n' }).labels;
  assert.deepEqual(cert, ['site.pem']);
  const root = at({ ...files, '/srv/site/index.html': '', '/srv/app.txt': '', '/w/nginx.conf': 'events {}\nhttp {\n    server {\n        root /srv/‸\n    }\n}\n' }).labels;
  assert.deepEqual(root, ['site/'], 'root takes folders');
  assert.equal(at({ ...files, '/w/nginx.conf': 'events {}\nhttp {\n    server {\n        root ‸\n    }\n}\n' }).items!.filter((i) => i.kind === 'file' || i.kind === 'folder').length, 0, "a relative root is read against nginx's compiled-in prefix: unknown here");
  const abs = at({ ...files, '/w/nginx.conf': 'events {}\nhttp {\n    include /w/conf.d/‸\n}\n' }).labels;
  assert.deepEqual(abs, ['a.conf', 'b.conf', '*.conf']);
});
