// The header model against the real nginx: generated configurations put proxy_set_header lines
// at the http, server and location levels (duplicates of one name in different spellings, empty
// literals, variables that are empty for the request, lines in included snippets, nested
// locations and `if` blocks, proxy_http_version, proxy_pass_request_headers off, proxy_cache), a real nginx
// proxies generated client requests to a backend that answers with the raw request head it
// received, and every line of that head (name, value, order, duplicates) must be the one the
// product's model predicts (server/src/core/model/headerList.ts).
//
// A fresh seed every run (printed; NGINX_WS_SEED=N replays it) plus fixed seeds. Needs nginx;
// fails, never skips, without it. Everything listens on 127.0.0.1, on ports the kernel picks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, DEFAULT_OPTIONS } from '../../server/src/core/index';
import { NodeHost } from '../../server/src/host/node-host';
import { modelOf } from '../../server/src/core/rules/run';
import { headLines, upstreamRequest } from '../../server/src/core/model/headerList';
import type { ProxyBlock } from '../../server/src/core/model/effective';
import { prng } from '../util/prng';
import { requireNginx } from '../util/nginx';
import { freePort, NginxProcess } from './nginx';

const fresh = Number(process.env.NGINX_WS_SEED || Math.floor(Math.random() * 2 ** 31));
const SEEDS = [fresh, 1, 2, 3];
console.log(`headers-table seed: ${fresh} (replay with NGINX_WS_SEED=${fresh})`);
const CONFIGS_PER_SEED = 4;
const REQUESTS_PER_BLOCK = 2;

// ---------------------------------------------------------------- the echo backend

/** A TCP server that answers every request with the raw request head it received as the body. */
function startEcho(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    let buf = Buffer.alloc(0);
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end);
      c.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${head.length}\r\nConnection: close\r\n\r\n`), head]));
    });
    c.on('error', () => c.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
      }),
    );
  });
}

/** Sends one raw request to nginx and returns the body of its answer (the head the backend saw). */
function send(port: number, head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { c.destroy(); reject(new Error('no answer within 5 s')); }, 5000);
    const done = (r: { status: number; body: string }) => { clearTimeout(timer); c.destroy(); resolve(r); };
    c.on('connect', () => c.write(head));
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const h = buf.subarray(0, end).toString('latin1');
      const len = Number(/\r\ncontent-length: *(\d+)/i.exec(h)?.[1] ?? -1);
      if (len >= 0 && buf.length >= end + 4 + len) done({ status: Number(h.split(' ')[1]), body: buf.subarray(end + 4, end + 4 + len).toString('latin1') });
    });
    c.on('end', () => {
      const end = buf.indexOf('\r\n\r\n');
      const h = buf.toString('latin1');
      done({ status: Number(h.split(' ')[1]) || 0, body: end < 0 ? '' : buf.subarray(end + 4).toString('latin1') });
    });
    c.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

// ---------------------------------------------------------------- the generator

/** [word as written in the config, the value nginx stores]. */
type Word = [string, string];
const NAMES = ['X-A', 'x-a', 'X-B', 'Host', 'Connection', 'connection', 'Upgrade', 'Accept-Encoding', 'X-Forwarded-For', 'Keep-Alive', 'X-Real-IP', 'TE'];
const VALUES: Word[] = [
  ['""', ''], ["''", ''], ['v1', 'v1'], ['v2', 'v2'], ['"two words"', 'two words'], ['close', 'close'], ['upgrade', 'upgrade'],
  ['$http_x_a', '$http_x_a'], ['$http_x_b', '$http_x_b'], ['$http_upgrade', '$http_upgrade'], ['$connection_upgrade', '$connection_upgrade'],
  ['$http_missing', '$http_missing'], ['$host', '$host'], ['$proxy_host', '$proxy_host'], ['$remote_addr', '$remote_addr'],
  ['$proxy_add_x_forwarded_for', '$proxy_add_x_forwarded_for'], ['"pre-$http_x_a"', 'pre-$http_x_a'], ['"${http_x_b}-suf"', '${http_x_b}-suf'],
  ['$scheme', '$scheme'], ['$request_uri', '$request_uri'], ['$http_connection', '$http_connection'], ['$http_x_a$http_missing', '$http_x_a$http_missing'],
];

interface Gen {
  rnd: () => number;
  pick<T>(xs: T[]): T;
  chance(p: number): boolean;
}

function gen(seed: number): Gen {
  const rnd = prng(seed);
  return { rnd, pick: (xs) => xs[Math.floor(rnd() * xs.length)], chance: (p) => rnd() < p };
}

/** A level's own lines: none (it inherits) about a third of the time, else one to four. */
function headerLines(g: Gen, indent: string): string[] {
  if (g.chance(0.35)) return [];
  const n = 1 + Math.floor(g.rnd() * 4);
  const names = NAMES.filter(() => g.chance(0.3));
  const pool = names.length ? names : [g.pick(NAMES)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${indent}proxy_set_header ${g.pick(pool)} ${g.pick(VALUES)[0]};`);
  return out;
}

/** Other directives a level may carry. */
function extras(g: Gen, indent: string): string[] {
  const out: string[] = [];
  if (g.chance(0.25)) out.push(`${indent}proxy_http_version ${g.pick(['1.0', '1.1'])};`);
  if (g.chance(0.08)) out.push(`${indent}proxy_pass_request_headers ${g.pick(['off', 'on'])};`);
  if (g.chance(0.1)) out.push(`${indent}proxy_cache ${g.pick(['z', 'z', 'off'])};`);
  return out;
}

interface Block {
  /** The request path that reaches it. */
  uri: string;
  /** The innermost location's path, and whether proxy_pass stands in an `if` there. */
  location: string;
  inIf: boolean;
  /** A header the request must carry to take the `if`. */
  needs?: [string, string];
}

interface Generated {
  files: Map<string, string>;
  servers: { name: string; blocks: Block[] }[];
}

function generate(g: Gen, backend: number, port: number, id: string): Generated {
  const files = new Map<string, string>();
  const pass = `proxy_pass http://127.0.0.1:${backend};`;
  /** Lines of a level, sometimes moved into an included snippet (they belong to the level all the same). */
  const level = (indent: string, name: string): string[] => {
    const lines = [...headerLines(g, indent), ...extras(g, indent)];
    if (lines.length && g.chance(0.2)) {
      const file = `inc/${name}.conf`;
      files.set(file, lines.map((l) => l.trim()).join('\n') + '\n');
      return g.chance(0.5) ? [`${indent}include ${file};`] : [`${indent}proxy_set_header X-Before-Include b;`, `${indent}include ${file};`];
    }
    return lines;
  };
  const servers: Generated['servers'] = [];
  const out: string[] = [
    'pid nginx.pid;',
    'error_log error.log info;',
    'events { worker_connections 64; }',
    'http {',
    '    access_log off;',
    '    client_body_temp_path client_body_temp;',
    '    proxy_temp_path proxy_temp;',
    '    fastcgi_temp_path fastcgi_temp;',
    '    uwsgi_temp_path uwsgi_temp;',
    '    scgi_temp_path scgi_temp;',
    '    map $http_upgrade $connection_upgrade { default upgrade; "" close; }',
    // the backend's answers carry no caching headers: nothing is stored, every request goes through
    '    proxy_cache_path cache keys_zone=z:1m;',
    ...level('    ', `${id}-http`),
  ];
  for (let s = 0; s < 3; s++) {
    const name = `s${s}`;
    const blocks: Block[] = [];
    out.push('    server {', `        listen 127.0.0.1:${port};`, `        server_name ${name};`, ...level('        ', `${id}-${name}`));
    const nLoc = 3 + Math.floor(g.rnd() * 3);
    for (let k = 0; k < nLoc; k++) {
      const loc = `/${name}c${k}/`;
      const shape = g.pick(['plain', 'plain', 'plain', 'nested', 'if']);
      out.push(`        location ${loc} {`, ...level('            ', `${id}-${name}c${k}`));
      if (shape === 'nested') {
        const inner = `${loc}in/`;
        out.push(`            location ${inner} {`, ...level('                ', `${id}-${name}c${k}in`), `                ${pass}`, '            }');
        blocks.push({ uri: `${inner}x`, location: inner, inIf: false });
      }
      if (shape === 'if') {
        out.push('            if ($http_x_if) {', `                ${pass}`, '            }');
        blocks.push({ uri: `${loc}y`, location: loc, inIf: true, needs: ['X-If', '1'] });
      }
      out.push(`            ${pass}`, '        }');
      blocks.push({ uri: `${loc}x`, location: loc, inIf: false });
    }
    out.push('    }');
    servers.push({ name, blocks });
  }
  out.push('}');
  files.set('nginx.conf', out.join('\n') + '\n');
  return { files, servers };
}

/** Client headers after Host, in a random order; names without underscores (nginx drops those by default). */
function clientHeaders(g: Gen): [string, string][] {
  const pool: [string, string][][] = [
    [['X-A', g.pick(['a1', '', 'A two'])]],
    [['x-b', g.pick(['b1', ''])]],
    [['Upgrade', 'websocket']],
    [['Connection', g.pick(['keep-alive', 'Upgrade', 'close'])]],
    [['TE', 'trailers']],
    [['Keep-Alive', '300']],
    [['Accept-Encoding', 'gzip']],
    [['X-Forwarded-For', '10.0.0.9']],
    [['X-Real-IP', '10.1.1.1']],
    [['X-Dup', '1'], ['X-Dup', '2']],
    [['User-Agent', 'gen/1']],
    // preconditions that change nothing on the echo's answer (no ETag, no Last-Modified)
    [['If-None-Match', '"e1"']],
    [['If-Modified-Since', 'Wed, 21 Oct 2015 07:28:00 GMT']],
  ];
  const chosen = pool.filter(() => g.chance(0.45));
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = Math.floor(g.rnd() * (i + 1));
    [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
  }
  return chosen.flat();
}

/** How nginx evaluates the variables the generator uses, for one request. */
function expander(client: [string, string][], uri: string, backend: number, body: string): (t: string) => string {
  const first = (name: string) => client.find(([n]) => n.toLowerCase().replace(/-/g, '_') === name)?.[1];
  const xff = first('x_forwarded_for');
  const host = (first('host') ?? '').toLowerCase();
  const value = (v: string): string => {
    if (v.startsWith('http_')) return first(v.slice(5)) ?? '';
    switch (v) {
      case 'host': return host;
      case 'proxy_host': return `127.0.0.1:${backend}`;
      case 'remote_addr': return '127.0.0.1';
      case 'proxy_add_x_forwarded_for': return xff !== undefined ? `${xff}, 127.0.0.1` : '127.0.0.1';
      case 'scheme': return 'http';
      case 'request_uri': return uri;
      case 'connection_upgrade': return first('upgrade') ? 'upgrade' : 'close';
      case 'proxy_internal_body_length': return body ? String(Buffer.byteLength(body)) : ''; // the body nginx read (proxy_request_buffering on)
      case 'proxy_internal_chunked': return '';
      case 'upstream_cache_last_modified': case 'upstream_cache_etag': return ''; // nothing is ever cached
      default: throw new Error(`the test does not know how nginx evaluates $${v}`);
    }
  };
  return (t) => t.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_m, a: string | undefined, b: string | undefined) => value((a ?? b)!.toLowerCase()));
}

// ---------------------------------------------------------------- the run

let echo: Awaited<ReturnType<typeof startEcho>>;
const prefixes: string[] = [];
before(async () => {
  requireNginx();
  echo = await startEcho();
});
after(async () => {
  await echo?.close();
  for (const p of prefixes) fs.rmSync(p, { recursive: true, force: true });
});

interface Mismatch { seed: number; config: string; request: string; expected: string; got: string }

test('the header list the model predicts is the one nginx sends, line for line', { timeout: 240_000 }, async () => {
  let cases = 0;
  let blocks = 0;
  let oldAgree = 0;
  let oldCases = 0;
  let oldExample: string | undefined;
  const mismatches: Mismatch[] = [];
  /** What the generated cases covered, counted per proxy block or request. */
  const covered = { inherited: 0, ownLines: 0, defaultsOnly: 0, droppedAbove: 0, duplicateNames: 0, emptyLiteral: 0, emptyVariable: 0, fromInclude: 0, nested: 0, inIf: 0, off: 0, cached: 0, post: 0 };
  for (const seed of SEEDS) {
    const g = gen(seed);
    for (let c = 0; c < CONFIGS_PER_SEED; c++) {
      const port = await freePort();
      const { files, servers } = generate(g, echo.port, port, `g${c}`);
      const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-headers-'));
      prefixes.push(prefix);
      for (const [f, text] of files) {
        fs.mkdirSync(path.dirname(path.join(prefix, f)), { recursive: true });
        fs.writeFileSync(path.join(prefix, f), text);
      }
      const conf = path.join(prefix, 'nginx.conf');
      const listing = [...files].map(([f, t]) => `# ${f}\n${t}`).join('');

      // the product's view of the configuration
      const ws = new Workspace(new NodeHost(), DEFAULT_OPTIONS);
      ws.setFiles([...files.keys()].map((f) => path.join(prefix, f)));
      const root = [...ws.analysis().values()].find((r) => r.root === conf);
      assert.ok(root, `no analysis of ${conf}`);
      const model = modelOf(ws, root, ws.options);
      const blockOf = (b: Block): ProxyBlock => {
        const found = model.proxies.filter((p) => {
          let loc = p.node;
          while (loc.d.name !== 'location' && loc.parent) loc = loc.parent;
          return loc.d.arg(0) === b.location && (p.node.d.name === 'if') === b.inIf;
        });
        assert.equal(found.length, 1, `one proxy block for ${b.location}${b.inIf ? ' (if)' : ''}\n${listing}`);
        return found[0];
      };

      const nginx = await NginxProcess.start(prefix, conf, port);
      try {
        for (const s of servers) {
          for (const b of s.blocks) {
            blocks++;
            const pb = blockOf(b);
            const req = upstreamRequest(pb.levels, { http11ByDefault: model.http11ByDefault });
            // the model's own level in effect must be the one the list is built from
            assert.equal(req.headerAt, pb.at.headers, `level in effect for ${b.location}\n${listing}`);
            if (req.headerAt < 0) covered.defaultsOnly++; else if (req.headerAt === 0) covered.ownLines++; else covered.inherited++;
            if (req.dropped.length) covered.droppedAbove++;
            const configured = req.headers.filter((h) => h.at >= 0);
            if (new Set(configured.map((h) => h.name.toLowerCase())).size < configured.length) covered.duplicateNames++;
            if (req.silenced.some((h) => h.at >= 0)) covered.emptyLiteral++;
            if (configured.some((h) => h.node && h.node.file !== conf)) covered.fromInclude++;
            if (b.location.endsWith('/in/')) covered.nested++;
            if (b.inIf) covered.inIf++;
            if (!req.passRequestHeaders) covered.off++;
            if (req.cache) covered.cached++;
            for (let r = 0; r < REQUESTS_PER_BLOCK; r++) {
              cases++;
              // a POST with a body now and then: nginx reads it and sends its own Content-Length
              const body = g.chance(0.2) ? 'k=v&n=' + Math.floor(g.rnd() * 1000) : '';
              const method = body ? 'POST' : 'GET';
              const client: [string, string][] = [['Host', s.name], ...(b.needs ? [b.needs] : []), ...clientHeaders(g), ...(body ? [['Content-Length', String(body.length)] as [string, string]] : [])];
              const head = `${method} ${b.uri} HTTP/1.1\r\n${client.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${body}`;
              const answer = await send(port, head);
              const expand = expander(client, b.uri, echo.port, body);
              if (body) covered.post++;
              if (req.headers.some((h) => h.at >= 0 && /\$/.test(h.value) && expand(h.value) === '')) covered.emptyVariable++;
              const expected = [`${method} ${b.uri} HTTP/${req.httpVersion}`, ...headLines(req, { method, headers: client }, expand).map(([n, v]) => `${n}: ${v}`)].join('\n');
              const got = answer.status === 200 ? answer.body.split('\r\n').join('\n') : `status ${answer.status}: ${answer.body}`;
              if (got !== expected) mismatches.push({ seed, config: listing, request: head.replace(/\r\n/g, '\n'), expected, got });

              // effective.ts's map (one entry per name) against what nginx sent from the configuration
              oldCases++;
              const fromConfig = headLines({ ...req, cache: undefined, headers: req.headers.filter((h) => h.at >= 0), passRequestHeaders: false }, { headers: [] }, expand);
              const oldView: [string, string][] = [];
              for (const n of pb.headers.values()) {
                const v = expand(n.d.arg(1) ?? '');
                if (v !== '') oldView.push([n.d.arg(0)!, v]);
              }
              const same = (a: [string, string][], z: [string, string][]) => a.length === z.length && a.every(([n, v], i) => n === z[i][0] && v === z[i][1]);
              if (same(oldView, fromConfig)) oldAgree++;
              else if (!oldExample || fromConfig.length + oldView.length < oldExample.split('\n').length) {
                oldExample = `${pb.headerLevel ? own(pb) : ''}sent: ${JSON.stringify(fromConfig)}\nmap:  ${JSON.stringify(oldView)}`;
              }
            }
          }
        }
      } finally {
        await nginx.stop();
      }
    }
  }
  console.log(`headers-table: ${cases} requests over ${blocks} proxy blocks (${SEEDS.length} seeds × ${CONFIGS_PER_SEED} configs): ${cases - mismatches.length} agree with nginx, ${mismatches.length} differ`);
  console.log(`headers-table: covered (blocks; requests for post/emptyVariable): ${JSON.stringify(covered)}`);
  console.log(`headers-table: effective.ts's header map (one entry per name) matches the configured lines nginx sent in ${oldAgree}/${oldCases}`);
  if (oldExample) console.log(`headers-table: smallest case where the map differs:\n${oldExample}`);
  if (mismatches.length) {
    const m = mismatches[0];
    assert.fail(`${mismatches.length} requests differ (seed ${m.seed}). First:\n${m.config}\n--- request\n${m.request}--- expected\n${m.expected}\n--- got\n${m.got}`);
  }
  assert.ok(cases >= 200, `only ${cases} cases generated`);
});

/** The lines of the level in effect, as written. */
function own(pb: ProxyBlock): string {
  return pb.headerLevel!.children.filter((c) => c.d.name === 'proxy_set_header').map((c) => `proxy_set_header ${c.d.args.map((a) => a.raw).join(' ')};\n`).join('');
}
