// How a variable is spelled in a value, against the real nginx: which uses nginx reports as
// `unknown "x" variable` (and which it takes as literal text or a built-in), and that our
// nginx-variable finding names the same variable, or nothing when nginx accepts the config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS } from '../server/src/core/index';
import { MemoryHost } from './util/fixture';
import { nginxTest, withLocalPaths } from './util/nginx';
import { PROBE_VAR, pool, positionVerdicts, probes, verdictOf } from './util/variable-sweep';

const VALUES = [
  '$foo',
  '${foo}',
  'a$foo-b',
  '${foo}bar',
  'x${foo}y$bar',
  '$_x9',
  '$1',
  '$9abc',
  '$host',
  '${host}x',
  '$HTTP_UPGRADE',
  '$http_x_custom',
  '$arg_q',
  '$cookie_session',
  '$sent_http_x',
  'a$',
  '$ and more',
  '$-x',
  '$$foo',
  '$foo$$bar',
  '$connection_upgrade',
  '${Connection_Upgrade}',
];

function config(value: string): string {
  return `events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            return 200 "${value}";\n        }\n    }\n}\n`;
}

function ours(text: string): string[] {
  const file = '/w/nginx.conf';
  const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
  ws.setFiles([file]);
  return ws.findings(file).filter((f) => f.code === 'nginx-variable').map((f) => f.message);
}

test('variable spellings in a value: our unknown-variable finding matches nginx -t', async () => {
  const disagreements: string[] = [];
  let unknown = 0;
  for (const value of VALUES) {
    const text = config(value);
    const verdict = await nginxTest({ 'nginx.conf': withLocalPaths(text) });
    const nginxSays = /^unknown "[^"]*" variable$/.test(verdict.error?.message ?? '') ? verdict.error!.message : undefined;
    if (!verdict.ok && !nginxSays) {
      // nginx refused for another reason (a malformed name): we must not claim an unknown variable
      if (ours(text).length) disagreements.push(`${value}: nginx says ${verdict.error?.message}, we say ${ours(text).join('; ')}`);
      continue;
    }
    if (nginxSays) unknown++;
    const got = ours(text)[0];
    if (got !== nginxSays) disagreements.push(`${value}: nginx says ${nginxSays ?? 'ok'}, we say ${got ?? 'nothing'}`);
  }
  assert.deepEqual(disagreements, []);
  // the table exercises both sides
  assert.ok(unknown >= 6, `only ${unknown} spellings are unknown to nginx`);
});

test('every argument position of every nginx-light directive: "$x" is reported exactly where nginx compiles it', async () => {
  const all = probes();
  const verdicts = await pool(all, 4, verdictOf);
  const falsePositives: string[] = [];
  const missed: string[] = [];
  const byPosition = positionVerdicts(all, verdicts);
  all.forEach((p, i) => {
    const got = ours(p.text);
    // nginx accepts the line: any unknown-variable claim is a false positive
    if (verdicts[i] === 'accepted' && got.length) falsePositives.push(`${p.ctx}: ${p.line}  (nginx accepts it; we say ${got[0]})`);
    // nginx refuses the text as a value and no form of the directive compiles it: no claim either
    if (verdicts[i] === 'quoted' && byPosition.get(p.name)?.get(p.position) === 'literal' && got.length) falsePositives.push(`${p.ctx}: ${p.line}  (nginx reads it as text; we say ${got[0]})`);
    if (verdicts[i] === 'compiled' && got[0] !== `unknown "${PROBE_VAR}" variable`) missed.push(p.line);
  });
  assert.deepEqual(falsePositives, []);
  assert.deepEqual([...new Set(missed)].sort(), []);
  assert.ok(verdicts.filter((v) => v === 'compiled').length > 50 && verdicts.filter((v) => v === 'accepted').length > 50, 'the sweep saw both kinds');
});

test('variables made by auth_request_set are defined (the oauth2-proxy pattern)', () => {
  const text = 'events {}\nhttp {\n    server {\n        location / {\n            auth_request /auth;\n            auth_request_set $auth_user $upstream_http_x_user;\n            proxy_set_header X-User $auth_user;\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n}\n';
  assert.deepEqual(ours(text), []);
  assert.deepEqual(ours(text.replace('auth_request_set $auth_user', 'auth_request_set $other')), ['unknown "auth_user" variable']);
});

test('variable names are case-insensitive, as in nginx: a map of $Connection_Upgrade defines $connection_upgrade', async () => {
  const text = 'events {}\nhttp {\n    map $http_upgrade $Connection_Upgrade { default upgrade; \'\' close; }\n    server {\n        listen 127.0.0.1:8080;\n        location /ws/ {\n            proxy_pass http://127.0.0.1:9000;\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $HTTP_UPGRADE;\n            proxy_set_header Connection $connection_upgrade;\n            proxy_read_timeout 600s;\n        }\n    }\n}\n';
  assert.equal((await nginxTest({ 'nginx.conf': withLocalPaths(text) })).ok, true);
  const file = '/w/nginx.conf';
  const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
  ws.setFiles([file]);
  assert.deepEqual(ws.findings(file).map((f) => `${f.code}: ${f.message}`), []);
});

/** [context, the lines]: variables in blocks, conditions, maps, regexes and special forms. */
const CONSTRUCTS: Array<[string, string]> = [
  ['http', 'map $zzq $x { default 1; }'],
  ['http', 'map $host $x { default $zzq; }'],
  ['http', 'map $host $x { ~(?<cap>.*) $cap; default 0; }'],
  ['http', 'map $host $x { hostnames; default 0; $zzq 1; }'],
  ['http', 'geo $zzq $x { default 0; }'],
  ['http', 'geo $x { default $zzq; }'],
  ['http', 'split_clients "${zzq}" $x { 50% a; * b; }'],
  ['http', 'split_clients "${host}" $x { 50% $zzq; * b; }'],
  ['location', 'if ($zzq) { return 204; }'],
  ['location', 'if ($host = $zzq) { return 204; }'],
  ['location', 'if ($host ~ $zzq) { return 204; }'],
  ['location', 'if ($host ~ "^(?<zname>.+)$") { return 200 $zname; }'],
  ['location', 'if (!-e /srv/$zzq) { return 204; }'],
  ['server', 'location ~ ^/(?<zz2>[a-z]+)$ { return 200 $zz2; }'],
  ['server', 'server_name ~^(?<zz4>.+)\\.example\\.com$; location / { return 200 $zz4; }'],
  ['http', 'upstream u { server 127.0.0.1:9; hash $host$zzq consistent; }'],
  ['http', 'upstream u { server unix:/tmp/$zzq.sock; }'],
  ['http', 'types { text/$zzq zzq; }'],
  ['http', 'log_format f escape=json "${zzq}x";'],
  ['location', 'rewrite ^(.*)$ /$zzq last;'],
  ['location', 'rewrite ^/$zzq / last;'],
  ['location', 'rewrite ^/(?<zz3>.*)$ /$zz3 last;'],
  ['location', 'proxy_redirect http://a/ http://$zzq/;'],
  ['location', 'proxy_redirect http://$zzq/ /;'],
  ['location', 'proxy_redirect ~^http://(.*)$zzq /;'],
  ['location', 'proxy_cookie_path /$zzq /;'],
  ['location', 'proxy_cookie_domain ~$zzq x;'],
  ['location', 'set $zzq 1; return 200 $zzq;'],
  ['location', 'return 200 $ZZQ_X;'],
  ['location', 'return https://$zzq/;'],
  ['location', 'return $scheme://$zzq/;'],
  ['location', 'return /$zzq;'],
  ['location', 'return 301 https://$zzq/;'],
  ['location', 'valid_referers none $zzq;'],
  ['location', 'limit_except GET { deny $zzq; }'],
  ['location', 'error_page 404 /$zzq;'],
  ['location', 'try_files $zzq =404;'],
  ['location', 'userid on; userid_name $zzq;'],
  ['location', 'default_type text/$zzq;'],
  ['http', 'limit_req_zone $zzq zone=z:1m rate=1r/s;'],
];

test('variables in maps, conditions, regexes, upstreams and return: our finding matches nginx -t', async () => {
  const disagreements: string[] = [];
  for (const [ctx, line] of CONSTRUCTS) {
    const body = ctx === 'location' ? `server { listen 127.0.0.1:8080; location / { ${line} } }` : ctx === 'server' ? `server { listen 127.0.0.1:8080; ${line} }` : `${line}\nserver { listen 127.0.0.1:8080; }`;
    const text = `events {}\nhttp {\n${body}\n}\n`;
    const verdict = await nginxTest({ 'nginx.conf': withLocalPaths(text) });
    const theirs = verdict.ok ? undefined : verdict.error?.message;
    const got = ours(text)[0];
    if (theirs !== undefined && !/^unknown "/.test(theirs)) {
      if (got) disagreements.push(`${line}: nginx says ${theirs}, we say ${got}`);
    } else if (got !== theirs) disagreements.push(`${line}: nginx says ${theirs ?? 'ok'}, we say ${got ?? 'nothing'}`);
  }
  assert.deepEqual(disagreements, []);
});
