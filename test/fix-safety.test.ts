// `check --fix DIR` on generated real-world layouts, as a user runs it: dist/cli.js in a child
// process, then the files on disk. For each layout (Debian sites-available/sites-enabled with
// links and snippets, conf.d, the Docker image's templates, a certbot-managed site) and each seed,
// a generator decides which sites are enabled and which are broken, which files are CRLF, end
// without a newline, have mode 0640/0600 or another owner. After --fix:
//   - each broken file is fixed once (nginx -t, which refuses duplicates, passes on every file in
//     its context; a second --fix changes nothing), and rewritten by rename (new inode);
//   - links are still the same links, modes, owners, line endings and a missing final newline kept;
//   - files that needed no change are byte- and mtime-identical;
//   - every finding is listed once, on sites-available (never on the link), before and after;
//   - a file included by absolute path from outside the given directory is not touched (and
//     says so) unless --fix-includes.
// Seeds: a few fixed ones plus a fresh one every run, printed (FIX_SAFETY_SEED=n replays one).
// Certificates and certbot's own files exist only on a server: the generated configs name them
// under /etc/letsencrypt/ as certbot writes them (our check leaves such unread includes alone);
// for nginx -t, /etc/letsencrypt/ is pointed at files made in the temporary prefix (a self-signed
// pair, certbot-style options, DH parameters), with the line count unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeCerts, nginxTest, withLocalPaths, OPENSSL, type Certs } from './util/nginx';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');
const IS_ROOT = process.getuid?.() === 0;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** mulberry32: small, seedable, good enough to pick variations. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}
type Rng = ReturnType<typeof rng>;

/** One generated file: where, what, and how it is stored. */
interface Gen {
  rel: string;
  text: string;
  crlf: boolean;
  /** Without the final newline. */
  bare: boolean;
  mode: number;
  uid?: number;
  /** Has a problem with a safe fix: --fix must change it. */
  broken: boolean;
  /** Outside the directory given to the CLI. */
  outside?: boolean;
}

interface Layout {
  kind: string;
  files: Gen[];
  /** rel → link target (as written in the link). */
  links: Map<string, string>;
  /** Files (rel) a user edits and our findings must be listed under (never a link). */
  nginxTestMains: { main: string; name: string }[];
}

const MAP = "    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }\n";

type Fault = 'upgrade' | 'version' | 'timeout' | 'scheme' | 'proto';
const FAULTS: Fault[] = ['upgrade', 'version', 'timeout', 'scheme'];
/** Behind TLS the backend must also be told the scheme (ws-forwarded-proto-missing). */
const PROTO_LINE = 'proxy_set_header X-Forwarded-Proto $scheme;';

/** A server with a plain location and a WebSocket one; `faults` break the latter, each with a safe fix. */
function site(i: number, faults: Set<Fault>, opts: { listen: string; connection?: string; extra?: string[]; snippet?: string; serverLines?: string[]; tls?: boolean }): string {
  const ws: string[] = [`        proxy_pass ${faults.has('scheme') ? 'ws' : 'http'}://127.0.0.1:${9100 + i};`];
  if (opts.tls && !faults.has('proto')) ws.push(`        ${PROTO_LINE}`);
  if (opts.snippet) ws.push(`        include ${opts.snippet};`);
  else {
    if (!faults.has('version')) ws.push('        proxy_http_version 1.1;');
    if (!faults.has('upgrade')) ws.push('        proxy_set_header Upgrade $http_upgrade;');
    ws.push(`        proxy_set_header Connection ${opts.connection ?? '$connection_upgrade'};`);
    if (!faults.has('timeout')) ws.push('        proxy_read_timeout 600s;');
  }
  return [
    'server {',
    `    listen ${opts.listen};`,
    `    server_name site${i}.example;`,
    ...(opts.serverLines ?? []).map((l) => `    ${l}`),
    '    location / {',
    `        proxy_pass http://127.0.0.1:${9100 + i};`,
    '    }',
    '    location /ws/ {',
    ...ws,
    '    }',
    ...(opts.extra ?? []).map((l) => `    ${l}`),
    '}',
    '',
  ].join('\n');
}

function faultsOf(r: Rng, tls = false): Set<Fault> {
  const f = new Set<Fault>();
  if (r.chance(0.45)) return f;
  const all: Fault[] = tls ? [...FAULTS, 'proto'] : FAULTS;
  for (const x of all) if (r.chance(0.4)) f.add(x);
  if (!f.size) f.add(r.pick(all));
  return f;
}

function storage(r: Rng): Pick<Gen, 'crlf' | 'bare' | 'mode' | 'uid'> {
  return {
    crlf: r.chance(0.3),
    bare: r.chance(0.3),
    mode: r.pick([0o644, 0o640, 0o600]),
    uid: IS_ROOT && r.chance(0.3) ? 4321 : undefined,
  };
}

const SNIPPET_GOOD = 'proxy_http_version 1.1;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection $connection_upgrade;\nproxy_read_timeout 600s;\n';
/** An explicit HTTP/1.0: ws-http-version, whose safe fix writes 1.1 in place. */
const SNIPPET_BROKEN = SNIPPET_GOOD.replace('proxy_http_version 1.1;', 'proxy_http_version 1.0;');

/** Debian/Ubuntu, optionally with a certbot-managed site and an include from outside the tree. */
function debian(r: Rng, outsideDir: string, certbot: boolean): Layout {
  const files: Gen[] = [];
  const links = new Map<string, string>();
  // certbot's server-level include is not on this machine: it could `set $connection_upgrade`,
  // so a missing map is (rightly) not reported there, and nginx -t would refuse the tree
  const hasMap = certbot || r.chance(0.6);
  const n = r.int(2, 5);
  const snippetBroken = r.chance(0.5);
  let snippetUsed = false;
  let outsideUsed = false;
  const outsideBroken = r.chance(0.7);
  for (let i = 1; i <= n; i++) {
    // the first site is always enabled, so that a missing map is always needed by nginx.conf's tree
    const enabled = i === 1 || r.chance(0.6);
    const isCertbot = certbot && i === 1;
    let faults = faultsOf(r, isCertbot);
    let snippet: string | undefined;
    const extra: string[] = [];
    if (r.chance(0.35) || (i === n && !snippetUsed)) {
      // two paths to one snippet: a link beside it, or the /etc/nginx/ spelling (re-rooted)
      snippet = r.pick(['snippets/websocket.conf', 'snippets/ws.conf', '/etc/nginx/snippets/websocket.conf']);
      snippetUsed = true;
      faults = new Set([...faults].filter((f) => f === 'scheme' || f === 'proto'));
    }
    if (!outsideUsed && (i === n || r.chance(0.3))) {
      outsideUsed = true;
      const proto = isCertbot && !faults.has('proto') ? ` ${PROTO_LINE}` : '';
      extra.push(`location /chat/ { proxy_pass http://127.0.0.1:${9200 + i};${proto} include ${outsideDir}/ws-common.conf; }`);
    }
    const serverLines = isCertbot
      ? [
          'ssl_certificate /etc/letsencrypt/live/site1.example/fullchain.pem; # managed by Certbot',
          'ssl_certificate_key /etc/letsencrypt/live/site1.example/privkey.pem; # managed by Certbot',
          'include /etc/letsencrypt/options-ssl-nginx.conf; # managed by Certbot',
          'ssl_dhparam /etc/letsencrypt/ssl-dhparams.pem; # managed by Certbot',
        ]
      : [];
    let text = site(i, faults, { listen: isCertbot ? `127.0.0.1:${8443 + i} ssl` : `127.0.0.1:${8080 + i}`, snippet, extra, serverLines, tls: isCertbot });
    if (isCertbot) {
      // certbot's redirect server, appended to the same file
      text += 'server {\n    if ($host = site1.example) {\n        return 301 https://$host$request_uri;\n    } # managed by Certbot\n    listen 127.0.0.1:8180;\n    server_name site1.example;\n    return 404; # managed by Certbot\n}\n';
    }
    files.push({ rel: `sites-available/site${i}`, text, ...storage(r), broken: faults.size > 0 });
    if (enabled) links.set(`sites-enabled/site${i}`, `../sites-available/site${i}`);
    // two paths to one file, both included: nginx reads the site twice (a warning about the
    // conflicting server name at most); its fixes are still written once
    if (enabled && r.chance(0.2)) links.set(`sites-enabled/site${i}-again`, `../sites-available/./site${i}`);
  }
  files.push({ rel: 'snippets/websocket.conf', text: snippetBroken ? SNIPPET_BROKEN : SNIPPET_GOOD, ...storage(r), broken: snippetBroken });
  links.set('snippets/ws.conf', 'websocket.conf');
  files.push({ rel: 'ws-common.conf', text: outsideBroken ? SNIPPET_BROKEN : SNIPPET_GOOD, ...storage(r), broken: outsideBroken, outside: true });
  const main = `worker_processes 1;\nevents {\n    worker_connections 64;\n}\nhttp {\n${hasMap ? MAP : ''}    include /etc/nginx/sites-enabled/*;\n}\n`;
  files.unshift({ rel: 'nginx.conf', text: main, ...storage(r), broken: !hasMap });
  return { kind: certbot ? 'certbot' : 'debian', files, links, nginxTestMains: [] };
}

/** conf.d: nginx.conf includes conf.d/*.conf. */
function confd(r: Rng): Layout {
  const files: Gen[] = [];
  const hasMap = r.chance(0.6);
  const n = r.int(2, 4);
  for (let i = 1; i <= n; i++) {
    const faults = faultsOf(r);
    files.push({ rel: `conf.d/site${i}.conf`, text: site(i, faults, { listen: `127.0.0.1:${8080 + i}` }), ...storage(r), broken: faults.size > 0 });
  }
  const main = `events {}\nhttp {\n${hasMap ? MAP : ''}    include /etc/nginx/conf.d/*.conf;\n}\n`;
  files.unshift({ rel: 'nginx.conf', text: main, ...storage(r), broken: !hasMap });
  return { kind: 'conf.d', files, links: new Map(), nginxTestMains: [] };
}

/** The nginx Docker image: templates/*.conf.template, rendered by envsubst into conf.d at start. */
function docker(r: Rng): Layout {
  const files: Gen[] = [];
  const n = r.int(1, 3);
  files.push({ rel: 'templates/00-map.conf.template', text: MAP.replace(/^ {4}/gm, ''), ...storage(r), broken: false });
  for (let i = 1; i <= n; i++) {
    const faults = faultsOf(r);
    const text = site(i, faults, { listen: '${NGINX_PORT}' }).replace(`server_name site${i}.example;`, `server_name site${i}.\${NGINX_HOST};`);
    files.push({ rel: `templates/site${i}.conf.template`, text, ...storage(r), broken: faults.size > 0 });
  }
  return { kind: 'docker', files, links: new Map(), nginxTestMains: [] };
}

const stored = (g: Gen) => {
  let t = g.text;
  if (g.bare) t = t.replace(/\n+$/, '');
  return g.crlf ? t.replace(/\n/g, '\r\n') : t;
};

/** Writes a layout: the tree in <dir>/etc/nginx, outside files in <dir>/outside. */
function write(l: Layout, dir: string): { tree: string; outside: string; pathOf: (g: Gen) => string } {
  const tree = path.join(dir, 'etc/nginx');
  const outside = path.join(dir, 'outside');
  const pathOf = (g: Gen) => path.join(g.outside ? outside : tree, g.rel);
  for (const g of l.files) {
    const p = pathOf(g);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, stored(g));
    fs.chmodSync(p, g.mode);
    if (g.uid !== undefined) fs.chownSync(p, g.uid, g.uid);
    // in the past, so that a rewrite shows even on a coarse clock
    fs.utimesSync(p, new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
  }
  for (const [rel, target] of l.links) {
    fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    fs.symlinkSync(target, path.join(tree, rel));
  }
  return { tree, outside, pathOf };
}

interface Snapshot { bytes: Buffer; mtimeMs: number; mode: number; uid: number; gid: number; ino: number }
const snap = (p: string): Snapshot => {
  const st = fs.statSync(p);
  return { bytes: fs.readFileSync(p), mtimeMs: st.mtimeMs, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, ino: st.ino };
};

interface Row { file: string; line: number; column: number; code: string; message: string }

/** Every finding once: no two rows for one place of one real file, none on a link. */
function assertListedOnce(rows: Row[], what: string): void {
  const keys = new Set<string>();
  for (const r of rows) {
    assert.ok(!fs.lstatSync(r.file).isSymbolicLink(), `${what}: a finding is listed on the link ${r.file}`);
    const k = `${fs.realpathSync(r.file)}:${r.line}:${r.column}:${r.code}:${r.message}`;
    assert.ok(!keys.has(k), `${what}: listed twice: ${k}`);
    keys.add(k);
  }
}

let certs: Certs | undefined;
let dhparams: string | undefined;
/** certbot's files as they would be on the server, for nginx -t only. */
function letsencrypt(): Record<string, string> {
  certs ??= makeCerts();
  if (!dhparams) {
    const out = path.join(path.dirname(certs.cert), 'dh.pem');
    const d = spawnSync(OPENSSL, ['dhparam', '-dsaparam', '-out', out, '2048'], { encoding: 'utf8', timeout: 60_000 });
    if (d.status !== 0) throw new Error(`openssl dhparam failed: ${d.stderr}`);
    dhparams = fs.readFileSync(out, 'utf8');
  }
  return {
    'letsencrypt/live/site1.example/fullchain.pem': fs.readFileSync(certs.cert, 'utf8'),
    'letsencrypt/live/site1.example/privkey.pem': fs.readFileSync(certs.key, 'utf8'),
    // the kind of settings certbot's options file holds
    'letsencrypt/options-ssl-nginx.conf': 'ssl_session_cache shared:le_test:1m;\nssl_session_timeout 1440m;\nssl_session_tickets off;\nssl_protocols TLSv1.2 TLSv1.3;\nssl_prefer_server_ciphers off;\n',
    'letsencrypt/ssl-dhparams.pem': dhparams,
  };
}

/**
 * nginx -t on the fixed layout, file by file: every file is included, in its own context, by
 * at least one run. /etc/nginx/ and /etc/letsencrypt/ point into the run's prefix; the outside
 * directory is used where it is.
 */
async function nginxChecks(l: Layout, tree: string, outside: string): Promise<void> {
  const read = (rel: string) => fs.readFileSync(path.join(tree, rel), 'utf8');
  const sandbox = (text: string, prefix: string) => text.split('/etc/nginx/').join(`${prefix}/`).split('/etc/letsencrypt/').join(`${prefix}/letsencrypt/`);
  const runs: { name: string; files: (prefix: string) => Record<string, string> }[] = [];
  const treeFiles = (prefix: string, main: string): Record<string, string> => {
    const out: Record<string, string> = { 'nginx.conf': withLocalPaths(sandbox(main, prefix)) };
    for (const g of l.files) if (!g.outside && g.rel !== 'nginx.conf') out[g.rel] = sandbox(read(g.rel), prefix);
    // links as the files they lead to (sites-enabled/x, snippets/ws.conf)
    for (const rel of l.links.keys()) out[rel] = sandbox(fs.readFileSync(path.join(tree, rel), 'utf8'), prefix);
    if (l.kind === 'certbot') Object.assign(out, letsencrypt());
    return out;
  };
  if (l.kind === 'debian' || l.kind === 'certbot') {
    const main = read('nginx.conf');
    runs.push({ name: 'nginx.conf with sites-enabled', files: (p) => treeFiles(p, main) });
    for (const g of l.files.filter((x) => x.rel.startsWith('sites-available/'))) {
      // each site, enabled or not, alone in the fixed nginx.conf's http block
      const alone = main.replace('/etc/nginx/sites-enabled/*', `/etc/nginx/${g.rel}`);
      assert.notEqual(alone, main, 'nginx.conf keeps its include line');
      runs.push({ name: g.rel, files: (p) => treeFiles(p, alone) });
    }
  } else if (l.kind === 'conf.d') {
    runs.push({ name: 'nginx.conf with conf.d', files: (p) => treeFiles(p, read('nginx.conf')) });
  } else {
    // as the image's entrypoint does: envsubst each template into conf.d/<name without .template>
    const env: Record<string, string> = { NGINX_PORT: '127.0.0.1:8090', NGINX_HOST: 'example.test' };
    runs.push({
      name: 'templates rendered into conf.d',
      files: () => {
        const out: Record<string, string> = { 'nginx.conf': withLocalPaths('events {}\nhttp {\n    include conf.d/*.conf;\n}\n') };
        for (const g of l.files) out[`conf.d/${path.basename(g.rel, '.template')}`] = read(g.rel).replace(/\$\{(\w+)\}/g, (m, k: string) => env[k] ?? m);
        return out;
      },
    });
  }
  for (const run of runs) {
    const v = await nginxTest(run.files);
    assert.ok(v.ok, `nginx -t on ${run.name} (${l.kind}, outside: ${outside}):\n${v.output}`);
  }
}

const LAYOUTS: [string, (r: Rng, outside: string) => Layout][] = [
  ['debian', (r, o) => debian(r, o, false)],
  ['certbot', (r, o) => debian(r, o, true)],
  ['conf.d', (r) => confd(r)],
  ['docker', (r) => docker(r)],
];

const fresh = Number(process.env.FIX_SAFETY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SEEDS = [1, 2, 3, 20261202, fresh];

for (const seed of SEEDS) {
  test(`--fix on generated layouts, seed ${seed}${seed === fresh ? ' (fresh: FIX_SAFETY_SEED=' + seed + ' replays it)' : ''}`, async (t) => {
    t.diagnostic(`seed ${seed}`);
    for (const [name, gen] of LAYOUTS) {
      await t.test(name, async () => {
        const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-fixsafe-')));
        try {
          const outsideDir = path.join(dir, 'outside');
          const layout = gen(rng(seed * 31 + name.length), outsideDir);
          const { tree, outside, pathOf } = write(layout, dir);
          const before = new Map(layout.files.map((g) => [g, snap(pathOf(g))]));
          const linksBefore = new Map([...layout.links.keys()].map((rel) => [rel, fs.readlinkSync(path.join(tree, rel))]));
          const describe = layout.files.map((g) => `${g.rel}${g.broken ? ' broken' : ''}${g.crlf ? ' crlf' : ''}${g.bare ? ' bare' : ''} ${g.mode.toString(8)}`).join(', ') + ` links: ${[...layout.links.keys()].join(', ')}`;

          const listed = cli('check', '--format', 'json', tree);
          assert.ok(listed.code === 0 || listed.code === 1, `check: exit ${listed.code}\n${listed.err}`);
          const rowsBefore = JSON.parse(listed.out) as Row[];
          assertListedOnce(rowsBefore, 'before --fix');
          // nginx.conf's missing map is reported where $connection_upgrade is used, in a site
          for (const g of layout.files.filter((x) => x.broken && !x.outside && x.rel !== 'nginx.conf')) {
            assert.ok(rowsBefore.some((r) => r.file === pathOf(g)), `${g.rel} is broken and reported under its own path (${describe})\n${listed.out}`);
          }

          const fixed = cli('check', '--fix', '--format', 'json', tree);
          assert.ok(fixed.code === 0 || fixed.code === 1, `--fix: exit ${fixed.code}\n${fixed.err}`);
          const rowsAfter = JSON.parse(fixed.out) as Row[];
          assertListedOnce(rowsAfter, 'after --fix');
          // what it says it changed: each file once, with a count
          const said = [...fixed.err.matchAll(/^nginx-ws: fixed (\S+): (\d+) fix(es)?/gm)].map((m) => m[1]);
          assert.equal(new Set(said).size, said.length, `a file reported fixed twice:\n${fixed.err}`);

          for (const g of layout.files) {
            const p = pathOf(g);
            const b = before.get(g)!;
            const a = snap(p);
            assert.equal(a.mode, b.mode, `${g.rel}: mode kept`);
            assert.deepEqual([a.uid, a.gid], [b.uid, b.gid], `${g.rel}: owner kept`);
            const changed = g.broken && !g.outside;
            if (!changed) {
              assert.ok(a.bytes.equals(b.bytes), `${g.rel}: needs no change (or lies outside), must be byte-identical (${describe})\n${a.bytes.toString()}`);
              assert.equal(a.mtimeMs, b.mtimeMs, `${g.rel}: not rewritten (mtime)`);
              assert.ok(!said.includes(p), `${g.rel}: not reported as fixed`);
              continue;
            }
            assert.ok(!a.bytes.equals(b.bytes), `${g.rel}: broken, must be fixed (${describe})\n${fixed.out}\n${fixed.err}`);
            assert.notEqual(a.ino, b.ino, `${g.rel}: replaced through a temporary file (new inode)`);
            assert.ok(said.includes(p), `${g.rel}: reported as fixed:\n${fixed.err}`);
            const text = a.bytes.toString('utf8');
            if (g.crlf) assert.ok(!/[^\r]\n/.test(text) && !text.startsWith('\n'), `${g.rel}: CRLF kept:\n${JSON.stringify(text)}`);
            else assert.ok(!text.includes('\r'), `${g.rel}: LF kept`);
            assert.equal(text.endsWith('\n'), !g.bare, `${g.rel}: final newline ${g.bare ? 'still missing' : 'kept'}`);
            for (const once of ['proxy_read_timeout', 'proxy_http_version', 'proxy_set_header Upgrade', 'map $http_upgrade']) {
              for (const block of text.split(/location |server \{/)) {
                assert.ok(block.split(once).length <= 2, `${g.rel}: "${once}" written twice in one block:\n${text}`);
              }
            }
          }
          for (const [rel, target] of linksBefore) {
            assert.ok(fs.lstatSync(path.join(tree, rel)).isSymbolicLink(), `${rel} is still a link`);
            assert.equal(fs.readlinkSync(path.join(tree, rel)), target, `${rel} still points at ${target}`);
          }
          // the file outside the given directory: left alone, and said so
          const out = layout.files.find((g) => g.outside);
          if (out?.broken) assert.match(fixed.err, new RegExp(`^nginx-ws: not fixed: ${pathOf(out).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: outside the given paths, use --fix-includes$`, 'm'));
          // no temporary file left behind
          const leftovers = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('.nginx-ws-'));
          assert.deepEqual(leftovers, []);

          // idempotent: nothing left that a second run would change
          const again = cli('check', '--fix', tree);
          assert.equal(again.err.match(/^nginx-ws: fixed /m), null, `second --fix changed something:\n${again.err}`);

          await nginxChecks(layout, tree, outside);

          // --fix-includes: the outside file is fixed too
          if (out?.broken) {
            const before2 = snap(pathOf(out));
            const inc = cli('check', '--fix-includes', tree);
            assert.match(inc.err, new RegExp(`^nginx-ws: fixed ${pathOf(out).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1 fix`, 'm'));
            const after2 = snap(pathOf(out));
            assert.ok(!after2.bytes.equals(before2.bytes));
            assert.equal(after2.mode, before2.mode);
            await nginxChecks(layout, tree, outside);
          }
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
