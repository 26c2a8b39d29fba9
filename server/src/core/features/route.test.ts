// routeRequest's edges that the proof against the real nginx (test/route.test.ts) cannot reach
// (port 80, errors, the effective upstream settings, configurations in several files) and the
// two normalisations pinned on their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS, type AnalyzeOptions } from '../model/tree';
import { normalizeHost, normalizeUri, pcreToRegExp, routeReport, routeRequest, type RouteResult } from './route';
import { MemoryHost } from '../../../../test/util/fixture';

function ws(files: Record<string, string>, options: AnalyzeOptions = DEFAULT_OPTIONS): Workspace {
  const w = new Workspace(new MemoryHost(new Map(Object.entries(files))), options);
  w.setFiles(Object.keys(files));
  return w;
}
const conf = (servers: string) => ({ '/etc/nginx/nginx.conf': `events {}\nhttp {\n${servers}\n}\n` });
/** The text of the block chosen (its first line), to name it in assertions. */
const first = (w: Workspace, p: RouteResult['server']) => (p ? (w.text(p.file) ?? '').slice(p.span.start).split('\n')[0].trim() : undefined);

test('normalizeUri: decoding, merged slashes, dot segments, and what nginx refuses', () => {
  const u = (s: string, merge = true) => normalizeUri(s, merge)?.uri;
  assert.equal(u('/a//b/./c/../d'), '/a/b/d');
  assert.equal(u('/a//b', false), '/a//b');
  assert.equal(u('/a/%2F/b'), '/a/b'); // a decoded slash is a slash, merged too
  assert.equal(u('/a/%2e%2E/b'), '/b');
  assert.equal(u('/a%3Fb'), '/a?b'); // %3F stays a literal ?
  assert.equal(u('/%25%23'), '/%#');
  assert.equal(u('/a/.'), '/a/');
  assert.equal(u('/a/..'), '/');
  assert.equal(u('/caf%C3%A9'), '/caf\xc3\xa9'); // bytes, one char each
  assert.deepEqual(normalizeUri('/a/b?x=/../y#f'), { uri: '/a/b', args: 'x=/../y' });
  for (const bad of ['/..', '/a/../..', '/%2e%2e', '/%zz', '/%0', '/%00', '/a%']) assert.equal(normalizeUri(bad), undefined, bad);
});

test('normalizeHost: lower case, no port, no final dot; `..`, `/` and blanks are a 400', () => {
  assert.equal(normalizeHost('Example.COM.'), 'example.com');
  assert.equal(normalizeHost('example.com:8080'), 'example.com');
  assert.equal(normalizeHost('[::1]:80'), '[::1]');
  assert.equal(normalizeHost('h:1:2'), 'h');
  for (const bad of ['a..b', 'a/b', 'a b', '.', '', ':80']) assert.equal(normalizeHost(bad), undefined, bad);
});

test('pcreToRegExp: PCRE spellings JS reads differently', () => {
  assert.ok(pcreToRegExp('^/a$', false)!.test('/a\n')); // PCRE's $ also matches before a final newline
  assert.ok(!pcreToRegExp('^/a\\z', false)!.test('/a\n'));
  assert.equal(pcreToRegExp('^/(?P<id>\\d+)$', false)!.exec('/42')?.groups?.id, '42');
  assert.ok(pcreToRegExp('^/[[:digit:]]+$', false)!.test('/42'));
  assert.ok(pcreToRegExp('(?i)^/abc', false)!.test('/ABC'));
  assert.equal(pcreToRegExp('^/(?<a', false), undefined);
});

test('a server without listen is on *:80, in its place: the first server there is the default (ngx_http_core_server adds it at the closing brace)', () => {
  const w = ws(conf('server { server_name first.test; }\nserver { listen 80; server_name second.test; }'));
  const r = routeRequest(w, { url: 'http://10.1.2.3/', host: 'other.test' });
  assert.equal(r.listen, '*:80');
  assert.equal(r.serverBy, 'default');
  assert.equal(first(w, r.server), 'server { server_name first.test; }');
  assert.equal(first(w, routeRequest(w, { url: 'http://10.1.2.3/', host: 'second.test' }).server), 'server { listen 80; server_name second.test; }');
});

test('the connection picks the socket: an exact address keeps its own servers; others get the wildcard; nothing else is refused', () => {
  const w = ws(conf('server { listen 127.0.0.1:8080; server_name a.test; }\nserver { listen 8080; server_name b.test; }\nserver { listen [::]:8080; server_name c.test; }'));
  assert.equal(routeRequest(w, { url: 'http://127.0.0.1:8080/', host: 'b.test' }).listen, '127.0.0.1:8080');
  assert.equal(routeRequest(w, { url: 'http://127.0.0.2:8080/', host: 'a.test' }).listen, '*:8080');
  assert.equal(routeRequest(w, { url: 'http://[::1]:8080/' }).listen, '[::]:8080');
  assert.equal(routeRequest(w, { url: 'http://localhost:8080/' }).listen, '127.0.0.1:8080');
  const byName = routeRequest(w, { url: 'http://b.test:8080/' });
  assert.equal(byName.listen, '*:8080'); // a name is not an address: taken as arriving on the wildcard
  const refused = routeRequest(w, { url: 'http://127.0.0.1:9/' });
  assert.match(refused.error!, /^no server listens on 127\.0\.0\.1:9: nginx refuses the connection \(listening: 127\.0\.0\.1:8080, \*:8080, \[::\]:8080\)$/);
  assert.equal(refused.server, undefined);
});

test('URLs: a path alone, ws/wss ports, a Host with a port; errors for what is no URL', () => {
  const w = ws(conf('server { listen 443 ssl; server_name s.test; location / { return 204; } }\nserver { listen 80; location /p { return 204; } }'));
  const s = routeRequest(w, { url: 'wss://s.test/x' });
  assert.equal(s.listen, '*:443');
  assert.equal(s.request.host, 's.test');
  assert.deepEqual(s.notes, []);
  assert.match(routeRequest(w, { url: 'http://s.test:443/' }).notes.join(), /ssl listen: a plain-HTTP request there gets 400/);
  const p = routeRequest(w, { url: '/p/q' });
  assert.equal(p.request.port, 80);
  assert.equal(p.locationBy, 'prefix');
  assert.match(routeRequest(w, { url: 'ftp://x/' }).error!, /is not http, https, ws or wss/);
  assert.match(routeRequest(w, { url: 'nonsense' }).error!, /is not a URL/);
  assert.match(routeRequest(w, { url: 'http://x:70000/' }).error!, /out of range/);
});

test('named locations are never matched by a URI; an internal location gets a note', () => {
  const w = ws(conf('server { listen 80; location @x { return 204; } location /@x { internal; return 204; } }'));
  const r = routeRequest(w, { url: 'http://h/@x' });
  assert.equal(first(w, r.location), 'location /@x { internal; return 204; } }');
  assert.match(r.notes.join(), /is internal: a request from outside gets 404/);
  assert.equal(routeRequest(w, { url: 'http://h/x' }).locationBy, 'none');
});

test('a bad regex is taken as not matching, and said so', () => {
  const w = ws(conf('server { listen 80; location ~ "^/(?<a" { return 204; } location / { return 204; } }'));
  const r = routeRequest(w, { url: 'http://h/a' });
  assert.equal(r.locationBy, 'prefix');
  assert.match(r.notes.join(), /could not be evaluated here/);
});

test('the effective upstream settings: headers all-or-nothing, the defaults of the target version', () => {
  const servers = `map $http_upgrade $connection_upgrade { default upgrade; "" close; }
server {
    listen 80;
    proxy_set_header Host $host;
    proxy_read_timeout 300s;
    location /ws/ {
        proxy_pass http://127.0.0.1:3000;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header X-Empty "";
    }
    location /api/ { proxy_pass http://127.0.0.1:3001; }
    location /both/ {
        proxy_pass http://127.0.0.1:3002;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Connection close;
    }
}`;
  const w = ws(conf(servers));
  const r = routeRequest(w, { url: 'http://h/ws/chat' });
  const x = r.proxy!;
  assert.equal(x.proxyPass, 'http://127.0.0.1:3000');
  assert.deepEqual(x.headers.map((h) => `${h.name}: ${h.value} (${h.from})`), ['Upgrade: $http_upgrade (location)', 'Connection: $connection_upgrade (location)', 'Host: $proxy_host (default)']);
  assert.deepEqual([x.httpVersion.value, x.httpVersion.from], ['1.0', 'default']);
  assert.deepEqual([x.readTimeout.value, x.readTimeout.from], ['300s', 'server']);
  assert.match(r.notes.join(), /the proxy_set_header lines of the server level \(Host\) are not sent here/);
  const api = routeRequest(w, { url: 'http://h/api/x' }).proxy!;
  assert.deepEqual(api.headers.map((h) => `${h.name}: ${h.value} (${h.from})`), ['Host: $host (server)', 'Connection: close (default)']);
  // nginx writes every line, duplicates included: both Connection lines reach the backend
  const both = routeRequest(w, { url: 'http://h/both/' }).proxy!;
  assert.deepEqual(both.headers.map((h) => `${h.name}: ${h.value} (${h.from})`), ['Upgrade: $http_upgrade (location)', 'Connection: $connection_upgrade (location)', 'Connection: close (location)', 'Host: $proxy_host (default)']);
  // nginx 1.29.7 proxies with HTTP/1.1 and sends no Connection: close by default
  const newer = routeRequest(ws(conf(servers), { ...DEFAULT_OPTIONS, nginxVersion: '1.29.7' }), { url: 'http://h/api/x' }).proxy!;
  assert.deepEqual(newer.headers.map((h) => h.name), ['Host']);
  assert.equal(newer.httpVersion.value, '1.1');
  // the report names each header's place
  const lines = routeReport(r, (file, span) => `${file.split('/').pop()}@${span.start}`);
  assert.ok(lines.some((l) => /^ {2}Upgrade: +\$http_upgrade +nginx\.conf@\d+ \(location\)$/.test(l)), lines.join('\n'));
  assert.ok(routeReport(routeRequest(w, { url: 'http://h/ws' }), () => '').includes('answer    301 redirect to /ws/'));
});

test('fragments without a main configuration are taken together; the active file picks among main configurations', () => {
  const frag = ws({ '/srv/conf.d/a.conf': 'server { listen 80; server_name a.test; }', '/srv/conf.d/b.conf': 'server { listen 80; server_name b.test; }' });
  const r = routeRequest(frag, { url: 'http://b.test/' });
  assert.equal(r.server!.file, '/srv/conf.d/b.conf');
  assert.match(r.notes.join(), /no main configuration/);
  const two = ws({
    '/one/nginx.conf': 'events {}\nhttp { server { listen 80; server_name one; } }\n',
    '/two/nginx.conf': 'events {}\nhttp { include sites/*; }\n',
    '/two/sites/app': 'server { listen 80; server_name two; }\n',
  });
  assert.equal(routeRequest(two, { url: 'http://x/', active: '/two/sites/app' }).server!.file, '/two/sites/app');
  assert.equal(routeRequest(two, { url: 'http://x/' }).server!.file, '/one/nginx.conf');
  assert.match(routeRequest(ws({ '/e/nginx.conf': 'events {}\n' }), { url: 'http://x/' }).error!, /no http server block/);
});

test('a server-level rewrite, and rewrite/try_files in the location, are said to come first or to match again', () => {
  const w = ws(conf('server { listen 80; rewrite ^/old /new; location / { try_files $uri /index.html; } }'));
  const notes = routeRequest(w, { url: 'http://h/old' }).notes.join('\n');
  assert.match(notes, /return\/rewrite\/if directives of its own: they run before any location is chosen/);
  assert.match(notes, /has rewrite\/try_files: the request may be matched again/);
});
