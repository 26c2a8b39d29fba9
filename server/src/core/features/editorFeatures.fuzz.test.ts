// Completion, signature help and hover at every offset of generated half-typed configurations
// (quotes left open, comments, `$` and `${`, braces in words, includes): none throws or hangs,
// and every item replaces text that ends at the cursor and starts in the word being typed. A fresh seed
// every run (printed; replay with NGINX_WS_SEED=<n>) plus fixed ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { argumentCompletions } from './argCompletion';
import { directiveCompletions } from './completion';
import { hoverAt } from './hover';
import { signatureHelp } from './signature';
import { MemoryHost } from '../../../../test/util/fixture';
import { prng } from '../../../../test/util/prng';

const PIECES = [
  'events {}\n', 'http {\n', 'server {\n', 'location / {\n', 'location ~ ^/u/(?<id>\\d+) {\n', 'location @back {\n', '}\n', 'stream {\n', 'upstream up {\n',
  'server 127.0.0.1:9000;\n', 'listen 80 ssl ', 'proxy_pass http://up', 'proxy_pass http://', 'proxy_set_header Connection ', 'proxy_set_header Upgrade $http_upgrade;\n',
  'map $http_upgrade $connection_upgrade { default upgrade; "" close; }\n', 'set $x "a b', "add_header X-A '$", 'return 301 $sch', 'return 200 ${ho', '# comment $x ',
  'include conf.d/', 'try_files $uri @', 'error_page 502 @back;\n', 'ssl_certificate ', 'root /srv/', 'more_set_headers "X-', 'proxy_read_timeout 6', 'if ($http_upgrade) {\n',
  'geo $office { default 0; }\n', 'auth_request_set $t $upstream_http_x;\n', ';', '{', '"', "'", '\\', ' ', '\n', '$', '${', 'a}b', '\t',
];

function generate(seed: number): string {
  const r = prng(seed);
  let s = '';
  const n = 5 + Math.floor(r() * 25);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

/** Every offset (or `sample` of them, at random) of the text of `seed`. */
function check(seed: number, sample?: number): void {
  const text = generate(seed);
  const pick = prng(seed ^ 0x5bd1e995);
  const offsets = sample === undefined ? [...Array(text.length + 1).keys()] : Array.from({ length: sample }, () => Math.floor(pick() * (text.length + 1)));
  const ws = new Workspace(new MemoryHost(new Map([['/w/nginx.conf', text], ['/w/conf.d/a.conf', 'server { listen 81; }\n']])), DEFAULT_OPTIONS);
  ws.setFiles(['/w/nginx.conf', '/w/conf.d/a.conf']);
  for (const o of offsets) {
    const where = `seed ${seed}, offset ${o} of ${JSON.stringify(text)}`;
    let items;
    try {
      items = argumentCompletions(ws, '/w/nginx.conf', o);
      directiveCompletions(ws, '/w/nginx.conf', o);
      signatureHelp(ws, '/w/nginx.conf', o);
      hoverAt(ws, '/w/nginx.conf', o, (p) => `${p.file}:${p.span.start}`);
    } catch (e) {
      assert.fail(`${where}: ${(e as Error).stack}`);
    }
    for (const i of items ?? []) {
      assert.ok(i.start <= o && i.start >= 0, `${where}: ${i.label} starts at ${i.start}`);
      const replaced = text.slice(i.start, o);
      // one word as nginx reads it: `;`, `{` (but `${`) and whitespace end it; `}` inside it and
      // anything after a backslash are literal
      assert.ok(/^["']/.test(replaced) || !/;|\s|(^|[^$])\{/.test(replaced.replace(/\\[^]/g, 'x')), `${where}: ${i.label} would replace ${JSON.stringify(replaced)}`);
      assert.ok(i.insert.length > 0, `${where}: empty insert`);
    }
  }
}

const fresh = Number(process.env.NGINX_WS_SEED) || Math.floor(Math.random() * 2 ** 31);
console.log(`editor features seed: ${fresh} (replay with NGINX_WS_SEED=${fresh})`);

test('completion, signature help and hover never throw and replace only the word being typed', { timeout: 120_000 }, () => {
  for (const seed of [1, 42, 532149460]) check(seed); // 532149460: `${ho` with no closing brace once hung the hover
  for (let i = 0; i < 8; i++) check(fresh + i, 40);
});
