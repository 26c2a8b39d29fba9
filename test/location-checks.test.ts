// nginx's own checks of a location and of an `if` condition, against the real nginx: the
// location modifier, what may nest in what, duplicates, root/alias excluding each other (with
// nginx's two-name message), and the shapes ngx_http_rewrite_if_condition accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS } from '../server/src/core/index';
import { lineStarts, positionAt } from '../server/src/core/text';
import { MemoryHost } from './util/fixture';
import type { Finding } from '../server/src/core/types';
import { nginxTest, withLocalPaths } from './util/nginx';

const BODIES = [
  'root /a; alias /b/;',
  'alias /b/; root /a;',
  'root /a; root /b;',
  'alias /a/; alias /b/;',
  'root /a; location /x/y/ { alias /b/; }',
  'alias /b/; location /x/y/ { root /a; }',
  'root /a; if ($arg_x) { root /c; }',
];

/** The first error we report (error severity, in nginx's order), as "message:line", or ok. */
function ourFirst(text: string): string {
  const file = '/w/nginx.conf';
  const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
  ws.setFiles([file]);
  const at = (f: Finding) => (f.after ? f.after.offset + 0.5 : f.nginxAt!);
  const first = ws.findings(file).filter((f) => f.severity === 'error').sort((a, b) => at(a) - at(b))[0];
  return first ? `${first.message}:${positionAt(lineStarts(text), first.nginxAt!).line + 1}` : 'ok';
}

async function compare(texts: string[]): Promise<string[]> {
  const disagreements: string[] = [];
  for (const text of texts) {
    const verdict = await nginxTest({ 'nginx.conf': withLocalPaths(text) });
    const theirs = verdict.ok ? 'ok' : `${verdict.error?.message}:${verdict.error?.line}`;
    const ours = ourFirst(text);
    if (ours !== theirs) disagreements.push(`${text.split('\n').slice(3, -3).join(' ')}\n  nginx: ${theirs}\n  ours:  ${ours}`);
  }
  return disagreements;
}

test('root and alias in one location: the same first error as nginx -t, or none', async () => {
  const texts = BODIES.map((body) => `events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        root /srv;\n        location /x/ {\n            ${body}\n        }\n    }\n}\n`);
  assert.deepEqual(await compare(texts), []);
});

const LOCATIONS = [
  'location /x/ {\n location /y/ {}\n }',
  'location /x/ {\n location /x/y {}\n }',
  'location = /x {\n location /x/y {}\n }',
  'location @n {\n location /x {}\n }',
  'location /x/ {\n location @n {}\n }',
  'location ~ ^/x/ {\n location /x/y {}\n }',
  'location ~ ^/x/ {\n location ~ /y {}\n }',
  'location /x/ {\n location ~* /y {}\n }',
  'location ^~ /x/ {\n location /x/a {}\n }',
  'location /x/ {\n location =/y {}\n }',
  'location /x/ {\n location ^~/y {}\n }',
  'location /x/ {\n location ~*/y {}\n }',
  'location foo /x {}',
  'location /X/ {\n location /x/a {}\n }',
  'location "" {\n location /a {}\n }',
  'location /x {}\n location /x {}',
  'location = /x {}\n location = /x {}',
  'location /x {}\n location = /x {}',
  'location /x {}\n location ^~ /x {}',
  'location ~ /x {}\n location ~ /x {}',
  'location @a {}\n location @a {}',
  'location /x {\n location /x/a {}\n location /x/a {}\n }',
  'location /a {}\n location /b {\n location /c {}\n }',
  // a duplicate is found once the http block is read: an error after it, on a later line, comes first
  'location /x {}\n location /x {\n rewrite ^/x{3}/(.*)$ /$1 last;\n }',
];

/** A duplicate location reported when the http block ends, before an error after that end. */
const AFTER_HTTP = 'events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location /x {}\n        location /x {}\n    }\n}\n}\n';

test('location modifiers, nesting and duplicates: the same first error as nginx -t, or none', async () => {
  const texts = [...LOCATIONS.map((l) => `events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        ${l}\n    }\n}\n`), AFTER_HTTP];
  assert.deepEqual(await compare(texts), []);
});

const CONDITIONS = [
  '($http_upgrade)',
  '( $http_upgrade )',
  '($http_upgrade = websocket)',
  '( $http_upgrade = "websocket" )',
  '($http_upgrade != "")',
  '($http_cookie ~* "id=([^;]+)(?:;|$)")',
  '(-f "/srv/x")',
  '("$http_upgrade" = websocket)',
  '($request_uri ~ ^/ws/)',
  '($request_uri ~* "^/WS/")',
  '($request_uri !~ ^/api)',
  '($request_uri !~* ^/api)',
  '($http_upgrade == websocket)',
  '($http_upgrade is websocket)',
  '($http_upgrade = a b)',
  '($http_upgrade =)',
  '(-f $request_filename)',
  '(!-e $request_filename)',
  '(-d /srv)',
  '(-z $request_filename)',
  '(-f)',
  '(-f a b)',
  '(websocket = $http_upgrade)',
  '$http_upgrade',
  '($http_upgrade',
  '$http_upgrade)',
  '()',
  '( )',
  '(',
  '($)',
  '(!$http_upgrade)',
];

test('if conditions: the same first error as nginx -t, or none', async () => {
  const texts = CONDITIONS.map((c) => `events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            if ${c} {\n                return 204;\n            }\n        }\n    }\n}\n`);
  assert.deepEqual(await compare(texts), []);
});
