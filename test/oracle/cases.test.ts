// Hand-picked configs where the core once disagreed with nginx, each with nginx 1.22.1's
// verdict written down. Ours is checked against it, and the written verdict against the real
// nginx, so it cannot drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNginx } from './nginx';
import { ourFirstError } from './ours';

interface Case {
  name: string;
  /** Lines inside `http { }` (line 3 onwards), unless `main` is set. */
  http?: string[];
  main?: string[];
  /** nginx's first error, or undefined when nginx accepts the config. */
  error?: { message: string; line: number };
}

const CASES: Case[] = [
  // value-dependent duplicates: the set() handlers, not a flag
  { name: 'proxy_redirect: two rewrites add up', http: ['server { location / { proxy_redirect /a /b; proxy_redirect /c /d; } }'] },
  { name: 'proxy_redirect: off after a rewrite', http: ['server { location / {', 'proxy_redirect /a /b;', 'proxy_redirect off;', '} }'], error: { message: '"proxy_redirect" directive is duplicate', line: 5 } },
  { name: 'proxy_redirect: off twice', http: ['server { location / {', 'proxy_redirect off;', 'proxy_redirect off;', '} }'], error: { message: '"proxy_redirect" directive is duplicate', line: 5 } },
  { name: 'proxy_cookie_path: two rewrites add up', http: ['proxy_cookie_path /a /b;', 'proxy_cookie_path /c /d;'] },
  { name: 'proxy_cookie_domain: a rewrite after off', http: ['proxy_cookie_domain off;', 'proxy_cookie_domain a b;'], error: { message: '"proxy_cookie_domain" directive is duplicate', line: 4 } },
  { name: 'proxy_cookie_flags: two cookies add up', http: ['proxy_cookie_flags a secure;', 'proxy_cookie_flags b httponly;'] },
  { name: 'mirror: two mirrors add up', http: ['server { location / { mirror /m1; mirror /m2; } }'] },
  { name: 'mirror: a mirror after off', http: ['server { location / {', 'mirror off;', 'mirror /m;', '} }'], error: { message: '"mirror" directive is duplicate', line: 5 } },
  {
    name: 'limit_req: two zones add up, the same zone twice does not',
    http: ['limit_req_zone $binary_remote_addr zone=a:1m rate=1r/s;', 'limit_req_zone $binary_remote_addr zone=b:1m rate=1r/s;', 'server { location / {', 'limit_req zone=a;', 'limit_req zone=b burst=5;', 'limit_req zone=a nodelay;', '} }'],
    error: { message: '"limit_req" directive is duplicate', line: 8 },
  },
  {
    name: 'limit_conn: the same zone twice',
    http: ['limit_conn_zone $binary_remote_addr zone=c:1m;', 'limit_conn_zone $server_name zone=d:1m;', 'limit_conn c 1;', 'limit_conn d 1;', 'limit_conn c 2;'],
    error: { message: '"limit_conn" directive is duplicate', line: 7 },
  },
  // an empty quoted word is a name like any other
  { name: 'an empty quoted directive name', http: ['"" on;'], error: { message: 'unknown directive ""', line: 3 } },
  { name: 'a map entry with an empty key and no value', http: ['map $http_upgrade $c {', 'default upgrade;', '"" ;', '}'], error: { message: 'invalid number of the map parameters', line: 5 } },
  // the handlers of geo{}, types{} and charset_map{} count their lines' words
  { name: 'geo: one word', http: ['geo $g {', 'default 1;', 'lonely;', '}'], error: { message: 'invalid number of the geo parameters', line: 5 } },
  { name: 'geo: ranges and proxy_recursive alone', http: ['geo $g {', 'ranges;', 'proxy_recursive;', 'default 1;', '}'] },
  { name: 'geo: volatile is newer than 1.22', http: ['geo $g {', 'volatile;', '}'], error: { message: 'invalid number of the geo parameters', line: 4 } },
  { name: 'types: include with two files', http: ['types {', 'text/html html htm;', 'include a b;', '}'], error: { message: 'invalid number of arguments in "include" directive', line: 5 } },
  { name: 'types: any number of extensions', http: ['types {', 'text/plain;', 'text/html html htm shtml;', '}'] },
  { name: 'map: hostnames takes no value', http: ['map $host $m {', 'hostnames;', 'volatile;', 'default 0;', '}'] },
  { name: 'map: include with no file', http: ['map $host $m {', 'include;', '}'], error: { message: 'invalid number of the map parameters', line: 4 } },
  // nginx measures in bytes: "%*s" prints 10 bytes, "%c" one byte (U+FFFD once read as UTF-8)
  { name: 'too long parameter: ten bytes of a non-ASCII word', http: [`server_name ${'é'.repeat(3000)} x;`], error: { message: 'too long parameter "ééééé..." started', line: 3 } },
  { name: 'too long parameter: a comment cut inside a character', http: [`#${'é'.repeat(3000)}`, 'server_tokens off;'], error: { message: 'too long parameter "#éééé\uFFFD..." started', line: 3 } },
  { name: 'a non-ASCII character after a closing quote', http: ['server_name "a"é;'], error: { message: 'unexpected "\uFFFD"', line: 3 } },
  // an undocumented directive nginx 1.22 has
  { name: 'post_action', http: ['server { location / { post_action /after; } }'] },
];

function configOf(c: Case): string {
  const body = c.main ?? ['events {}', 'http {', ...(c.http ?? []), '}'];
  return body.join('\n') + '\n';
}

for (const c of CASES) {
  test(`case: ${c.name}`, async () => {
    const text = configOf(c);
    const ours = ourFirstError(text);
    assert.deepEqual(ours ? { message: ours.message, line: ours.line } : undefined, c.error, 'ours vs the written verdict');
    const v = await runNginx(text);
    assert.deepEqual(v.ok ? undefined : { message: v.error!.message, line: v.error!.line }, c.error, `nginx vs the written verdict:\n${v.output}`);
  });
}
