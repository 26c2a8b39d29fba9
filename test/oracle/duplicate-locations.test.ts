// Which duplicate location nginx reports first: it checks them once the http block is read,
// server after server, in each the locations sorted as ngx_http_cmp_locations sorts them (`/`
// lowest, an exact match before the prefix of the same name), nested levels before their own.
// Generated servers with several duplicates each, compared with the real nginx: the same
// message and the same line. A fresh seed every run (printed; NGINX_WS_SEED=N replays) and fixed ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nginxTest, requireNginx, withLocalPaths } from '../util/nginx';
import { ourFirstError } from './ours';
import { rng } from '../hostile/gen';

const NAMES = ['/', '/a', '/a/', '/a/b', '/a-b', '/a.b', '/ab', '/A', '/b', '/t5.html', '/auth', '/x/y', '/x'];

function config(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const servers: string[] = [];
  const nServers = 1 + Math.floor(r() * 3);
  for (let s = 0; s < nServers; s++) {
    const locs: string[] = [];
    const n = 3 + Math.floor(r() * 6);
    for (let i = 0; i < n; i++) {
      const name = pick(NAMES);
      const mod = pick(['', '', '= ', '^~ ']);
      let body = 'return 204;';
      // a nested level, sometimes with duplicates of its own (nested names stay inside the outer)
      if (mod !== '= ' && r() < 0.3) {
        const inner = NAMES.filter((x) => x.startsWith(name) && x !== name);
        if (inner.length) body = Array.from({ length: 2 + Math.floor(r() * 2) }, () => `location ${pick(['', '= '])}${pick(inner)} { return 204; }`).join(' ');
      }
      locs.push(`        location ${mod}${name} { ${body} }`);
    }
    servers.push(`    server {\n        listen 127.0.0.1:${18000 + s};\n${locs.join('\n')}\n    }`);
  }
  return withLocalPaths(`events {}\nhttp {\n${servers.join('\n')}\n}\n`);
}

function freshSeed(): number {
  const env = process.env.NGINX_WS_SEED;
  return env ? Number(env) : Math.floor(Math.random() * 2 ** 31);
}

test('the first duplicate location: the one nginx reports, on its line', async () => {
  requireNginx();
  const fresh = freshSeed();
  console.log(`duplicate-location seed: ${fresh} (replay with NGINX_WS_SEED=${fresh})`);
  let compared = 0;
  for (const base of [1, 2, 3, fresh]) {
    for (let k = 0; k < 40; k++) {
      const text = config(base * 1000 + k);
      const v = await nginxTest({ 'nginx.conf': text });
      const ours = ourFirstError(text);
      if (v.ok) {
        assert.equal(ours, undefined, `nginx accepts (seed ${base}/${k}) but we say ${JSON.stringify(ours)}:\n${text}`);
        continue;
      }
      if (!/^duplicate location /.test(v.error?.message ?? '')) continue;
      compared++;
      assert.deepEqual({ message: ours?.message, line: ours?.line }, { message: v.error!.message, line: v.error!.line }, `seed ${base}/${k}:\n${text}`);
    }
  }
  assert.ok(compared >= 60, `only ${compared} configurations had a duplicate location`);
});
