// "Which location serves this URL?" against the real nginx: generated configurations (several
// servers on several ports and addresses, exact / wildcard / regex server names, default_server,
// = / ^~ / prefix / ~ / ~* / nested locations, some proxying so that nginx's auto redirect
// shows) where every location answers with its own id in an X-Route header, then generated
// requests (address × port × Host × raw URI with %-escapes, `//`, `.` and `..`) sent to a running
// nginx and asked of routeRequest. Every answer must agree. A fresh seed each run (printed, replay
// with ROUTE_SEED=n; ROUTE_CONFIGS=n runs n fresh configurations) plus fixed seeds; on a mismatch the seed, the config and the request print.
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

const FIXED_SEEDS = process.env.ROUTE_FIXED ? process.env.ROUTE_FIXED.split(',').map(Number) : [1, 20260512, 777, 4, 5];
const FRESH = process.env.ROUTE_SEED ? Number(process.env.ROUTE_SEED) : (Date.now() ^ (process.pid << 8)) >>> 0;
const FRESH_CONFIGS = Number(process.env.ROUTE_CONFIGS) || (process.env.ROUTE_SEED ? 1 : 4);
const REQUESTS_PER_CONFIG = 150;
const ADDRESSES = ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2', '127.0.0.3', '::1'];

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
const PREFIXES = ['/', '/a', '/a/', '/a+', '/a.', '/a0', '/a/-', '/a/b', '/a/b/', '/ab', '/api/', '/api/v1/', '/static/', '/ws', '/ws/', '/A', '/a-', '/a/b/c', '/x.php', '/api', '/st'];
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
      const form = pick(r, ['wild', 'wild', 'lo', 'lo2', 'star', 'v6', 'v6any']);
      const addr = form === 'wild' ? `${port}` : form === 'star' ? `*:${port}` : form === 'v6' ? `[::1]:${port}` : form === 'v6any' ? `[::]:${port}` : `${form === 'lo' ? '127.0.0.1' : '127.0.0.2'}:${port}`;
      const key = form === 'wild' || form === 'star' ? `*:${port}` : addr;
      if (mine.has(key)) continue;
      mine.add(key);
      let def = '';
      if (!usedListen.get(key) && chance(r, 0.3)) { def = chance(r, 0.2) ? ' default' : ' default_server'; usedListen.set(key, true); }
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
        // now and then the modifier glued to the name (`location =/a`, `location ~*\.php$`), as nginx also reads it
        const glued = mod && !name.startsWith('"') && chance(r, 0.15);
        lines.push(`${indent}location ${mod ? mod + (glued ? '' : ' ') : ''}${name} {`);
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
    const start = Math.max(text.lastIndexOf('location ', at), text.lastIndexOf('server ', at), text.lastIndexOf('server{', at));
    ids.set(`${file}:${start}`, m[1]);
  }
  return ids;
}

interface Req { address: string; port: number; host: string; uri: string }
interface Tally { cases: number; retried: number; mismatches: string[]; seen: Map<string, number> }

const newTally = (): Tally => ({ cases: 0, retried: 0, mismatches: [], seen: new Map() });

/**
 * Runs nginx on one configuration (`body(ports, backend, prefix)`: the servers, and the servers of
 * an included conf.d/extra.conf), sends it every request and compares each answer with routeRequest.
 */
async function runConfig(label: string, body: (ports: number[], backend: number, prefix: string) => { conf: string; extra: string }, requests: (ports: number[], dead: number) => Req[], backend: number, tally: Tally): Promise<void> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-route-'));
  let nginx: NginxProcess | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  try {
    fs.mkdirSync(path.join(prefix, 'html'));
    const ports = [await freePort(), await freePort()];
    const ready = await freePort();
    const dead = await freePort(); // nothing listens there
    const g = body(ports, backend, prefix);
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
    let shown = false;
    for (const { address, port, host, uri } of requests(ports, dead)) {
      let got = await send(address, port, host, uri, agent);
      const res = routeRequest(ws, { url: `http://${address.includes(':') ? `[${address}]` : address}:${port}${uri}`, host });
      const want = predicted(res, ids);
      if (got.refused && !want.refused) {
        // a connection refused on a port nginx listens on is the loaded machine's (seen once in
        // 23,000 requests, never on replay): ask once more on a new connection before judging
        tally.retried++;
        await new Promise((r) => setTimeout(r, 100));
        got = await send(address, port, host, uri, new http.Agent({ keepAlive: false }));
      }
      tally.cases++;
      const kind = got.refused ? 'refused' : `server=${res.serverBy} location=${res.locationBy ?? '-'}${res.nested ? ' nested' : ''}`;
      const count = (k: string) => tally.seen.set(k, (tally.seen.get(k) ?? 0) + 1);
      count(kind);
      if (res.nested) count('nested');
      if (address.includes(':') && !got.refused) count('ipv6');
      if (res.server && res.server.file !== '/cfg/nginx.conf') count('included file');
      const same = got.refused === want.refused && (got.refused || (got.route === want.route && (got.status === 301) === (want.status === 301) && (got.status === 400) === (want.status === 400)));
      if (!same) {
        tally.mismatches.push(`${label}: GET ${uri} Host: ${host} to ${address}:${port}\n  nginx: ${JSON.stringify(got)}\n  route: ${JSON.stringify(want)}\n  why: ${res.why.join(' / ')}${res.error ? `\n  error: ${res.error}` : ''}`);
        if (!shown && tally.mismatches.length <= 3) console.log(`--- config of ${label} (ports ${ports.join(', ')}):\n${text}${g.extra ? `--- conf.d/extra.conf:\n${g.extra}` : ''}`);
        shown = true;
      }
    }
  } finally {
    agent.destroy();
    await nginx?.stop();
    fs.rmSync(prefix, { recursive: true, force: true });
  }
}

async function withBackend(fn: (port: number) => Promise<void>): Promise<void> {
  const backend = http.createServer((_q, s) => { s.end('backend\n'); });
  await new Promise<void>((res) => backend.listen(0, '127.0.0.1', () => res()));
  try {
    await fn((backend.address() as net.AddressInfo).port);
  } finally {
    await new Promise<void>((res) => backend.close(() => res()));
  }
}

test('route: agrees with the real nginx on generated configurations and requests', { timeout: FRESH_CONFIGS > 20 ? 3_600_000 : 120_000 }, async () => {
  requireNginx();
  const seeds = [...FIXED_SEEDS, ...Array.from({ length: FRESH_CONFIGS }, (_, i) => FRESH + i)];
  console.log(`route: fresh seed ${FRESH} (replay: ROUTE_SEED=${FRESH}); seeds ${seeds.join(', ')}`);
  const tally = newTally();
  const fixedSeen = new Map<string, number>();
  await withBackend(async (backend) => {
    for (const [i, seed] of seeds.entries()) {
      let g: Gen | undefined;
      await runConfig(`seed ${seed}`, (ports, b, prefix) => (g = generate(seed, ports, b, prefix)), (ports, dead) => {
        const r = prng(seed ^ 0x5bd1e995);
        return Array.from({ length: REQUESTS_PER_CONFIG }, () => ({
          address: pick(r, ADDRESSES),
          port: chance(r, 0.03) ? dead : pick(r, ports),
          host: pick(r, g!.hosts),
          uri: uriOf(r, g!),
        }));
      }, backend, tally);
      if (i === FIXED_SEEDS.length - 1) for (const [k, n] of tally.seen) fixedSeen.set(k, n);
    }
  });
  const { cases, mismatches, seen, retried } = tally;
  console.log(`route: ${cases - mismatches.length}/${cases} requests agree with nginx (${seeds.length} configurations${retried ? `; ${retried} refused connection(s) asked again` : ''})`);
  if (mismatches.length) console.log(mismatches.slice(0, 15).join('\n'));
  console.log([...seen].sort().map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`).join('\n'));
  assert.ok(cases >= 500, `only ${cases} cases`);
  // the fixed seeds alone (counted apart) reach every way of choosing: a generator that stopped producing one fails here
  const reached = (part: string) => [...fixedSeen.keys()].some((k) => (part.includes(' ') ? k.endsWith(part.split(' ')[1]) && k.includes(part.split(' ')[0]) : k.split(' ').includes(part)));
  for (const part of ['server=exact', 'server=leading-wildcard', 'server=trailing-wildcard', 'server=regex', 'server=default', 'server=only', 'server=invalid-request',
    'location==', 'location=^~', 'location=prefix', 'location=~', 'location=~*', 'location=~ nested', 'location=redirect', 'location=none', 'nested', 'refused', 'included file', 'ipv6']) {
    assert.ok(reached(part), `no generated request was routed by "${part}"`);
  }
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${cases} requests disagree (first: ${mismatches[0]})`);
});

/** A location answering with its id. */
const loc = (spec: string, id: string, inner = '', proxyTo?: number) =>
  `location ${spec} { add_header X-Route "${id}" always; ${inner} ${proxyTo ? `proxy_pass http://127.0.0.1:${proxyTo};` : `return 200 "${id}";`} }`;
const srv = (id: string, head: string, ...locs: string[]) => [`    server {`, `        ${head}`, `        add_header X-Route "${id} -" always;`, ...locs.map((l) => `        ${l}`), '    }'].join('\n');

// Corner cases route.ts claims, each put to the real nginx (the expected answers are nginx's, not written here).
const CORNERS: { name: string; conf: (p: number[], backend: number) => string; requests: [string, string, string][] }[] = [
  {
    name: "the location tree sorts '/' lowest: /a/ (proxying) still answers /a with a 301 beside /a+ and /a-",
    conf: (p, b) => [
      srv('T', `listen ${p[0]};`, loc('/a+', 'T a+'), loc('/a-', 'T a-'), loc('/a/', 'T a/', '', b)),
      srv('U', `listen ${p[1]};`, loc('/a/', 'U a/', '', b), loc('/b', 'U b')),
    ].join('\n'),
    requests: [['0', 'x', '/a'], ['0', 'x', '/a/'], ['0', 'x', '/a-'], ['1', 'x', '/a'], ['1', 'x', '/a?q=1'], ['1', 'x', '/b']],
  },
  {
    name: 'a nested ^~ stops the regexes beside it, not those of the server level',
    conf: (p) => srv('N', `listen ${p[0]};`,
      loc('/p/', 'N p', `${loc('^~ /p/q/', 'N pq')} ${loc('~ q', 'N ~q')}`),
      loc('~ /p/q/x', 'N ~pqx'), loc('/r/', 'N r', loc('~ s$', 'N ~s')), loc('~ /r/', 'N ~r')),
    requests: [['0', 'x', '/p/q/x'], ['0', 'x', '/p/q/y'], ['0', 'x', '/p/zq'], ['0', 'x', '/r/s'], ['0', 'x', '/r/t']],
  },
  {
    name: 'server names: .a.test takes the exact key a.test; *.b.test then .b.test: the second is ignored yet blocks b.test',
    conf: (p) => [
      srv('A', `listen ${p[0]}; server_name .a.test *.b.test;`),
      srv('B', `listen ${p[0]}; server_name a.test .b.test;`),
      srv('C', `listen ${p[0]}; server_name b.test ~^WWW\\.;`),
      srv('D', `listen ${p[0]} default_server; server_name www.*;`),
    ].join('\n'),
    requests: [['0', 'a.test', '/'], ['0', 'x.a.test', '/'], ['0', 'b.test', '/'], ['0', 'x.b.test', '/'], ['0', 'www.c.test', '/'], ['0', 'WWW.C.TEST', '/'], ['0', 'www.', '/'], ['0', 'nothing', '/']],
  },
  {
    name: "merge_slashes and the URI are the default server's, read before the Host",
    conf: (p) => [
      srv('M', `listen ${p[0]}; server_name m.test; merge_slashes off;`, loc('= /a/b', 'M a/b'), loc('= /a//b', 'M a//b')),
      srv('K', `listen ${p[0]}; server_name k.test;`, loc('= /a/b', 'K a/b'), loc('= /a//b', 'K a//b')),
    ].join('\n'),
    requests: [['0', 'm.test', '/a//b'], ['0', 'k.test', '/a//b'], ['0', 'k.test', '/a/%2F/b'], ['0', 'k.test', '/../a'], ['0', 'k.test', '/a/%2e%2e/a/b']],
  },
  {
    name: 'decoding: %3F is a literal ?, %2F a slash, ~* folds ASCII case',
    conf: (p) => srv('E', `listen ${p[0]};`, loc('= /a?b', 'E a?b'), loc('= /a/b', 'E a/b'), loc('~* ^/CASE$', 'E case'), loc('~ ^/n\\n?$', 'E nl')),
    requests: [['0', 'x', '/a%3Fb'], ['0', 'x', '/a%3fb?x'], ['0', 'x', '/a%2Fb'], ['0', 'x', '/case'], ['0', 'x', '/CaSe'], ['0', 'x', '/case%0A'], ['0', 'x', '/n%0A']],
  },
];

test('route: corner cases of nginx routing, each against the real nginx', { timeout: 60_000 }, async () => {
  requireNginx();
  const tally = newTally();
  await withBackend(async (backend) => {
    for (const c of CORNERS) {
      await runConfig(c.name, (ports, b) => ({ conf: c.conf(ports, b), extra: '' }), (ports) => c.requests.map(([port, host, uri]) => ({ address: '127.0.0.1', port: ports[Number(port)], host, uri })), backend, tally);
    }
  });
  assert.equal(tally.mismatches.length, 0, tally.mismatches.join('\n'));
  assert.equal(tally.cases, CORNERS.reduce((n, c) => n + c.requests.length, 0));
});
