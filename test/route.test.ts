// "Which location serves this URL?" against the real nginx: generated configurations (several
// servers on several ports and addresses, exact / wildcard / regex server names, default_server,
// = / ^~ / prefix / ~ / ~* / nested locations, some proxying so that nginx's auto redirect
// shows) where every location answers with its own id in an X-Route header, then generated
// requests (address × port × Host × raw URI with %-escapes, `//`, `.` and `..`) sent to a running
// nginx and asked of routeRequest. Every answer must agree. A fresh seed each run (printed, replay
// with ROUTE_SEED=n) plus fixed seeds; on a mismatch the seed, the config and the request print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, DEFAULT_OPTIONS, routeRequest, type RouteResult } from '../server/src/core/index';
import { MemoryHost } from './util/fixture';
import { prng } from './util/prng';
import { freePort, NginxProcess } from './proof/nginx';
import { requireNginx } from './util/nginx';

const FIXED_SEEDS = [1, 20260512, 777];
const FRESH = process.env.ROUTE_SEED ? Number(process.env.ROUTE_SEED) : (Date.now() ^ (process.pid << 8)) >>> 0;
const FRESH_CONFIGS = Number(process.env.ROUTE_CONFIGS) || (process.env.ROUTE_SEED ? 1 : 4);
const REQUESTS_PER_CONFIG = 150;
const ADDRESSES = ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2', '127.0.0.3'];

type Rand = () => number;
const pick = <T>(r: Rand, a: readonly T[]): T => a[Math.floor(r() * a.length)];
const chance = (r: Rand, p: number) => r() < p;

const NAMES = [
  '*.a.test', '.b.test', 'a.test', 'www.a.test', 'b.test', 'api.b.test', 'x.y.b.test', 'c.test', 'A.Test',
  '*.b.test', '.a.test', '*.y.b.test', '*.test', '.c.test',
  'www.*', 'www.a.*', 'api.*',
  '~^(www|api)\\.c\\.test$', '~^[a-z]+\\.d\\.test$', '~^API\\.', '~\\.test$', '~^api', '~^w+\\.a\\.test$', '"~^(?<sub>[a-z]+)\\.e\\.test$"',
  '_', '""', 'localhost',
];
const HOSTS = [
  'a.test', 'www.a.test', 'WWW.A.TEST', 'b.test', 'api.b.test', 'x.y.b.test', 'z.x.y.b.test', 'q.b.test', 'c.test', 'www.c.test', 'api.c.test',
  'foo.d.test', 'FOO.D.TEST', 'api.e.test', 'www.example.org', 'api.example.org', 'api', 'apix.test', 'a.test.', 'a.test:8080', 'www.a.co.uk',
  'unknown.test', 'www', 'wwww.a.test', 'sub.a.test', 'localhost', '127.0.0.1', 'e.test', 'bad..host', 'a.test/x',
];
const PREFIXES = ['/', '/a', '/a/', '/a/b', '/a/b/', '/ab', '/api/', '/api/v1/', '/static/', '/ws', '/ws/', '/A', '/a-', '/a/b/c', '/x.php', '/api', '/st'];
const REGEXES = ['~ ^/a', '~ \\.php$', '~* \\.PHP$', '~ ^/api/v[0-9]+/', '~ /b', '~* ^/ws', '~ ^/a/b$', '~ "^/x{2}"', '~* /STATIC/', '~ ^/[a-z]+$', '~ ^/a/b/(.*)\\.js$', '~ ^/st'];
const URI_PARTS = ['', 'a', 'b', 'c', 'ab', 'api', 'v1', 'v2', 'static', 'STATIC', 'ws', 'WS', 'x.php', 'X.PHP', 'A', 'a-', 'st', 'xx', 'c.js', 'a', 'api', 'ws', '.', '..', '%61', '%2F', '%2e', '%2E%2E', '%41', 'St', 'a%2Fb', '%7E', '%C3%A9', '%0A'];

interface Gen {
  conf: string;
  /** Servers written to conf.d/extra.conf (included from http), or ''. */
  extra: string;
  ports: number[];
  ready: number;
  hosts: string[];
  uris: string[];
}

/** One generated configuration (its text, without the prefix-dependent lines) and the requests worth sending it. */
function generate(seed: number, ports: number[], backend: number, prefix: string): Gen {
  const r = prng(seed);
  const nServers = 3 + Math.floor(r() * 5);
  const split = chance(r, 0.5) ? 1 + Math.floor(r() * (nServers - 1)) : nServers; // servers from `split` on go to an included file
  const main: string[] = [];
  const extra: string[] = [];
  let lines = main;
  const usedListen = new Map<string, boolean>(); // addr:port → has a default_server
  const hostsFromConfig = new Set<string>();
  const uris = new Set<string>();
  for (let s = 0; s < nServers; s++) {
    const id = `S${s}`;
    if (s === split) lines = extra;
    lines.push('    server {');
    if (chance(r, 0.1)) lines.push('        merge_slashes off;');
    const nListen = chance(r, 0.85) ? 1 + Math.floor(r() * 2) : 0;
    const mine = new Set<string>();
    for (let i = 0; i < nListen; i++) {
      const port = pick(r, ports);
      const form = pick(r, ['wild', 'wild', 'lo', 'lo2', 'star']);
      const addr = form === 'wild' ? `${port}` : form === 'star' ? `*:${port}` : `${form === 'lo' ? '127.0.0.1' : '127.0.0.2'}:${port}`;
      const key = form === 'wild' || form === 'star' ? `*:${port}` : addr;
      if (mine.has(key)) continue;
      mine.add(key);
      let def = '';
      if (!usedListen.get(key) && chance(r, 0.3)) { def = ' default_server'; usedListen.set(key, true); }
      else if (!usedListen.has(key)) usedListen.set(key, false);
      lines.push(`        listen ${addr}${def};`);
    }
    if (nListen === 0) lines.push(`        listen ${ports[0]};`); // never the implicit *:80 (taken on a shared machine)
    if (chance(r, 0.85)) {
      const names = new Set<string>();
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) names.add(pick(r, NAMES));
      lines.push(`        server_name ${[...names].join(' ')};`);
      for (const nm of names) if (!nm.startsWith('~') && !nm.startsWith('"')) hostsFromConfig.add(nm.replace(/^\*\./, 'q.').replace(/^\./, '').replace(/\.\*$/, '.example.org'));
    }
    lines.push(`        root ${prefix}/html;`);
    lines.push(`        add_header X-Route "${id} -" always;`);
    let locId = 0;
    const emitLocations = (indent: string, parent: { kind: string; name: string } | undefined, depth: number) => {
      const n = depth === 0 ? 2 + Math.floor(r() * 6) : 1 + Math.floor(r() * 3);
      const seenExact = new Set<string>();
      const seenIncl = new Set<string>();
      for (let i = 0; i < n; i++) {
        let mod: string;
        let name: string;
        const regex = chance(r, parent?.kind === 'regex' ? 1 : 0.35);
        if (regex) {
          const re = pick(r, REGEXES);
          mod = re.slice(0, re.indexOf(' '));
          name = re.slice(re.indexOf(' ') + 1);
        } else {
          mod = pick(r, ['', '', '=', '^~']);
          const base = parent ? parent.name : '';
          name = parent ? base + pick(r, ['', 'x', '/', '/b', 'b/', '-1']) : pick(r, PREFIXES);
          if (!name.startsWith(base)) continue;
          const set = mod === '=' ? seenExact : seenIncl;
          if (set.has(name)) continue;
          set.add(name);
          uris.add(name);
          if (name.endsWith('/')) uris.add(name.slice(0, -1) || '/');
        }
        const lid = `${id} L${locId++}`;
        const proxies = !regex && name.endsWith('/') && chance(r, 0.4);
        lines.push(`${indent}location ${mod ? mod + ' ' : ''}${name} {`);
        lines.push(`${indent}    add_header X-Route "${lid}" always;`);
        if (proxies) lines.push(`${indent}    proxy_pass http://127.0.0.1:${backend};`);
        const kind = regex ? 'regex' : mod === '=' ? 'exact' : 'prefix';
        if (depth < 2 && kind !== 'exact' && chance(r, 0.3)) emitLocations(indent + '    ', { kind, name }, depth + 1);
        if (!proxies) lines.push(`${indent}    return 200 "${lid}\\n";`);
        lines.push(`${indent}}`);
      }
    };
    emitLocations('        ', undefined, 0);
    if (chance(r, 0.2)) lines.push(`        location @fallback { return 200 "${id} named\\n"; }`);
    lines.push('    }');
  }
  if (extra.length) main.push('    include conf.d/*.conf;');
  const hosts = [...new Set([...HOSTS, ...hostsFromConfig])];
  return { conf: main.join('\n'), extra: extra.length ? extra.join('\n') + '\n' : '', ports, ready: 0, hosts, uris: [...uris] };
}

function uriOf(r: Rand, g: Gen): string {
  const k = r();
  let u: string;
  if (k < 0.6 && g.uris.length) {
    u = pick(r, g.uris);
    if (chance(r, 0.5)) u += pick(r, ['', 'x', '/', '/b', 'b', '.php', '.PHP', '/c.js', '?q=1', '/../a', '/./', '//b']);
  } else {
    const n = 1 + Math.floor(r() * 4);
    u = '';
    for (let i = 0; i < n; i++) u += (chance(r, 0.1) ? '//' : '/') + pick(r, URI_PARTS);
    if (chance(r, 0.15)) u += '/';
  }
  if (chance(r, 0.05)) u = u.replace(/a/, '%6' + pick(r, ['1', 'g'])); // a bad escape now and then
  if (chance(r, 0.1)) u += '?x=' + pick(r, ['1', '/a', '%2F']);
  return u.startsWith('/') ? u : '/' + u;
}

interface Answer { refused: boolean; route?: string; status?: number }

function send(address: string, port: number, host: string, uri: string, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: address, port, path: uri, method: 'GET', headers: { Host: host }, agent, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ refused: false, route: String(res.headers['x-route'] ?? ''), status: res.statusCode }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' ? resolve({ refused: true }) : reject(e)));
    req.end();
  });
}

/** What routeRequest predicts, in the shape nginx answers. */
function predicted(res: RouteResult, ids: Map<string, string>): Answer {
  if (res.error) return { refused: true };
  const server = ids.get(`${res.server!.file}:${res.server!.span.start}`)!;
  const loc = res.location ? ids.get(`${res.location.file}:${res.location.span.start}`) : undefined;
  return { refused: false, route: loc ?? server, status: res.status };
}

/** Location and server ids by their place in the text: the X-Route each one adds. */
function idsOf(file: string, text: string): Map<string, string> {
  const ids = new Map<string, string>();
  const re = /add_header X-Route "([^"]+)" always;/g;
  for (let m; (m = re.exec(text)); ) {
    // the block that holds this add_header: the last unclosed `{` before it
    let depth = 0;
    let at = m.index;
    for (; at >= 0; at--) {
      const c = text[at];
      if (c === '}') depth++;
      else if (c === '{') { if (depth === 0) break; depth--; }
    }
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const start = lineStart + (/^\s*/.exec(text.slice(lineStart))![0].length);
    ids.set(`${file}:${start}`, m[1]);
  }
  return ids;
}

test('route: agrees with the real nginx on generated configurations and requests', { timeout: FRESH_CONFIGS > 20 ? 3_600_000 : 120_000 }, async () => {
  requireNginx();
  const seeds = [...FIXED_SEEDS, ...Array.from({ length: FRESH_CONFIGS }, (_, i) => FRESH + i)];
  console.log(`route: fresh seed ${FRESH} (replay: ROUTE_SEED=${FRESH}); seeds ${seeds.join(', ')}`);
  const backend = http.createServer((_q, s) => { s.end('backend\n'); });
  await new Promise<void>((res) => backend.listen(0, '127.0.0.1', () => res()));
  const backendPort = (backend.address() as net.AddressInfo).port;
  let cases = 0;
  const mismatches: string[] = [];
  const seen = new Map<string, number>();
  let retried = 0;
  try {
    for (const seed of seeds) {
      const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-route-'));
      let nginx: NginxProcess | undefined;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
      try {
        fs.mkdirSync(path.join(prefix, 'html'));
        const ports = [await freePort(), await freePort()];
        const ready = await freePort();
        const dead = await freePort(); // nothing listens there
        const g = generate(seed, ports, backendPort, prefix);
        const text = [
          `pid ${prefix}/nginx.pid;`,
          `error_log ${prefix}/error.log;`,
          'events { worker_connections 64; }',
          'http {',
          `    access_log off;`,
          `    client_body_temp_path ${prefix}/cb; proxy_temp_path ${prefix}/p; fastcgi_temp_path ${prefix}/f; uwsgi_temp_path ${prefix}/u; scgi_temp_path ${prefix}/s;`,
          `    server { listen 127.0.0.1:${ready}; return 204; }`,
          g.conf,
          '}',
          '',
        ].join('\n');
        const conf = path.join(prefix, 'nginx.conf');
        fs.writeFileSync(conf, text);
        const files = new Map([['/cfg/nginx.conf', text]]);
        if (g.extra) {
          fs.mkdirSync(path.join(prefix, 'conf.d'));
          fs.writeFileSync(path.join(prefix, 'conf.d', 'extra.conf'), g.extra);
          files.set('/cfg/conf.d/extra.conf', g.extra);
        }
        nginx = await NginxProcess.start(prefix, conf, ready);
        const ws = new Workspace(new MemoryHost(files), DEFAULT_OPTIONS);
        ws.setFiles([...files.keys()]);
        const ids = new Map([...files].flatMap(([f, t]) => [...idsOf(f, t)]));
        const r = prng(seed ^ 0x5bd1e995);
        for (let i = 0; i < REQUESTS_PER_CONFIG; i++) {
          const address = pick(r, ADDRESSES);
          const port = chance(r, 0.03) ? dead : pick(r, ports);
          const host = pick(r, g.hosts);
          const uri = uriOf(r, g);
          let got = await send(address, port, host, uri, agent);
          const res = routeRequest(ws, { url: `http://${address}:${port}${uri}`, host });
          const want = predicted(res, ids);
          if (got.refused && !want.refused) {
            // a connection refused on a port nginx listens on is the loaded machine's (seen once in
            // 23,000 requests, never on replay): ask once more on a new connection before judging
            retried++;
            await new Promise((res) => setTimeout(res, 100));
            got = await send(address, port, host, uri, new http.Agent({ keepAlive: false }));
          }
          cases++;
          const kind = got.refused ? 'refused' : `server=${res.serverBy} location=${res.locationBy ?? '-'}${res.nested ? ' nested' : ''}`;
          seen.set(kind, (seen.get(kind) ?? 0) + 1);
          if (res.nested) seen.set('nested', (seen.get('nested') ?? 0) + 1);
          if (res.server && res.server.file !== '/cfg/nginx.conf') seen.set('included file', (seen.get('included file') ?? 0) + 1);
          const same = got.refused === want.refused && (got.refused || (got.route === want.route && (got.status === 301) === (want.status === 301) && (got.status === 400) === (want.status === 400)));
          if (!same) {
            mismatches.push(`seed ${seed}: GET ${uri} Host: ${host} to ${address}:${port}\n  nginx: ${JSON.stringify(got)}\n  route: ${JSON.stringify(want)}\n  why: ${res.why.join(' / ')}${res.error ? `\n  error: ${res.error}` : ''}`);
            if (mismatches.length <= 3) console.log(`--- config of seed ${seed} (ports ${ports.join(', ')}):\n${text}${g.extra ? `--- conf.d/extra.conf:\n${g.extra}` : ''}`);
          }
        }
      } finally {
        agent.destroy();
        await nginx?.stop();
        fs.rmSync(prefix, { recursive: true, force: true });
      }
    }
  } finally {
    await new Promise<void>((res) => backend.close(() => res()));
  }
  console.log(`route: ${cases - mismatches.length}/${cases} requests agree with nginx (${seeds.length} configurations${retried ? `; ${retried} refused connection(s) asked again` : ''})`);
  if (mismatches.length) console.log(mismatches.slice(0, 15).join('\n'));
  console.log([...seen].sort().map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`).join('\n'));
  assert.ok(cases >= 500, `only ${cases} cases`);
  // the fixed seeds alone reach every way of choosing: a generator that stopped producing one would show here
  const reached = (part: string) => [...seen.keys()].some((k) => (part.includes(' ') ? k.endsWith(part.split(' ')[1]) && k.includes(part.split(' ')[0]) : k.split(' ').includes(part)));
  for (const part of ['server=exact', 'server=leading-wildcard', 'server=trailing-wildcard', 'server=regex', 'server=default', 'server=only', 'server=invalid-request',
    'location==', 'location=^~', 'location=prefix', 'location=~', 'location=~*', 'location=~ nested', 'location=redirect', 'location=none', 'nested', 'refused', 'included file']) {
    assert.ok(reached(part), `no generated request was routed by "${part}"`);
  }
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${cases} requests disagree (first: ${mismatches[0]})`);
});
