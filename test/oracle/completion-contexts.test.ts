// Directive completion against the real nginx: in each context nginx 1.22 (nginx-light) reads
// (main, events, http, server, location, if in a location, limit_except, upstream), a directive
// offered there is one nginx does not call "not allowed here" or unknown, and a directive of the
// build that is not offered is one nginx calls "not allowed here". `name;` is enough: nginx
// checks the context before the terminator and the arguments. A sample of the pairs each run (a
// fresh seed, printed; replay with NGINX_WS_SEED=<n>), plus the WebSocket proxy's own directives.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS, directiveCompletions } from '../../server/src/core/index';
import { directiveNames, lookup } from '../../server/src/core/data/directives';
import { MemoryHost } from '../util/fixture';
import { prng } from '../util/prng';
import { nginxTest, withLocalPaths } from '../util/nginx';

const WRAP: Record<string, (line: string) => string> = {
  main: (l) => `${l}\nevents {}\n`,
  events: (l) => `events {\n${l}\n}\n`,
  http: (l) => `events {}\nhttp {\n${l}\n}\n`,
  server: (l) => `events {}\nhttp {\nserver {\nlisten 127.0.0.1:18099;\n${l}\n}\n}\n`,
  location: (l) => `events {}\nhttp {\nserver {\nlisten 127.0.0.1:18099;\nlocation / {\n${l}\n}\n}\n}\n`,
  'if-location': (l) => `events {}\nhttp {\nserver {\nlisten 127.0.0.1:18099;\nlocation / {\nif ($request_uri) {\n${l}\n}\n}\n}\n}\n`,
  limit_except: (l) => `events {}\nhttp {\nserver {\nlisten 127.0.0.1:18099;\nlocation / {\nlimit_except GET {\n${l}\n}\n}\n}\n}\n`,
  upstream: (l) => `events {}\nhttp {\nupstream u {\nserver 127.0.0.1:1;\n${l}\n}\n}\n`,
};

/** The directives each wrapper already has at the cursor's level. */
const SIBLINGS: Record<string, string[]> = { main: ['events'], server: ['listen'], upstream: ['server'] };

/** What nginx says of `name;` in a context: refused there, unknown, or read (whatever came next). */
async function verdictOf(ctx: string, name: string): Promise<'not allowed' | 'unknown' | 'read'> {
  const v = await nginxTest({ 'nginx.conf': withLocalPaths(WRAP[ctx](`${name};`)) });
  const m = v.error?.message ?? '';
  if (m === `"${name}" directive is not allowed here`) return 'not allowed';
  if (m === `unknown directive "${name}"`) return 'unknown';
  return 'read';
}

const fresh = Number(process.env.NGINX_WS_SEED) || Math.floor(Math.random() * 2 ** 31);
console.log(`completion contexts seed: ${fresh} (replay with NGINX_WS_SEED=${fresh})`);

test('the directives offered in a context are the ones nginx accepts there', { timeout: 300_000 }, async () => {
  const r = prng(fresh);
  const build = directiveNames().filter((n) => (lookup(n) ?? []).some((s) => s.inLight122 && !s.plus && !s.external));
  const always = ['proxy_pass', 'proxy_set_header', 'proxy_http_version', 'proxy_read_timeout', 'map', 'upstream', 'server', 'location', 'listen', 'server_name', 'keepalive', 'if', 'return'];
  const wrong: string[] = [];
  let checked = 0;
  for (const ctx of Object.keys(WRAP)) {
    const text = WRAP[ctx]('‸');
    const ws = new Workspace(new MemoryHost(new Map([['/w/nginx.conf', text.replace('‸', '')]])), DEFAULT_OPTIONS);
    ws.setFiles(['/w/nginx.conf']);
    const items = directiveCompletions(ws, '/w/nginx.conf', text.indexOf('‸'));
    assert.ok(items, `completion in ${ctx}`);
    const offered = new Set(items.filter((i) => !i.secondary).map((i) => i.name));
    const sample = [...always, ...build.filter(() => r() < (Number(process.env.NGINX_WS_SAMPLE) || 0.04))].filter((n, i, a) => build.includes(n) && a.indexOf(n) === i);
    for (const name of sample) {
      const said = await verdictOf(ctx, name);
      checked++;
      if (offered.has(name) && said !== 'read') wrong.push(`${name} is offered in ${ctx}, nginx says ${said}`);
      // a directive of the wrapper itself (events in main) is rightly not offered twice
      if (!offered.has(name) && said === 'read' && !SIBLINGS[ctx]?.includes(name)) wrong.push(`${name} is not offered in ${ctx}, nginx reads it there`);
    }
  }
  console.log(`completion contexts: ${checked} directive × context pairs through nginx -t`);
  assert.deepEqual(wrong, []);
});
