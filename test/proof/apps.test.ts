// The real proof for the rules whose fault only an application's own checks reveal: a real nginx
// in front of backends that behave like the applications users report (test/proof/cases/apps):
//   - ws-host-missing: a backend that refuses a handshake whose Origin is not its Host (Tornado,
//     gorilla/websocket, ActionCable) answers 403 before the product's fix, 101 and echoes after;
//   - ws-sticky-session: two backends that keep Engine.IO sessions; round robin sends the
//     session's next request to the other one (400 Session ID unknown), ip_hash (the fix) keeps
//     it on one, and the WebSocket upgrade of that session then works through nginx;
//   - ws-socketio-path: a proxy_pass URI that replaces /socket.io/ gets 404 from the Engine.IO
//     backend, the fix's URI keeps the path and the handshake and upgrade work;
//   - the probe's --idle: an idle WebSocket through nginx with proxy_read_timeout 1s is dropped
//     after about 1 s (what ws-read-timeout predicts), with 600s it survives and echoes.
// The fix is always the product's own code actions (test/proof/fixer.ts), never hand-written:
// the rule's fixes, the one-shot location action, and fix-all as `nginx-ws check --fix`.
// Needs nginx; fails, never skips, without it. Everything listens on 127.0.0.1.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_OPTIONS, type AnalyzeOptions } from '../../server/src/core/index';
import { probe } from '../../server/src/probe/probe';
import { acceptOf, startStrictBackend, type Backend } from './backends';
import { analyse, applyCliFix, applyLocationFix, applyRuleFixes, listFiles } from './fixer';
import { makeCerts, nginxVersion, requireNginx, type Certs } from '../util/nginx';
import { alive, freePort, nginxTest, NginxProcess, started } from './nginx';
import { get, SESSION_UNKNOWN, startSessionBackend, type SessionBackend } from './sessions';

const CASES = path.resolve(__dirname, '../../../test/proof/cases/apps');
const MESSAGE = 'hello through nginx';
const STEP_MS = 3000;

describe('the real proof, application checks: Origin against Host, sessions over several backends', () => {
  let root = '';
  let options: AnalyzeOptions = DEFAULT_OPTIONS;
  let strict: Backend;
  /** Compares Origin with the whole origin it thinks it serves, scheme from X-Forwarded-Proto. */
  let schemeChecking: Backend;
  let certs: Certs;
  let chat: SessionBackend[] = [];
  const running = new Set<NginxProcess>();

  before(async () => {
    requireNginx();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-apps-'));
    const m = /nginx\/(\d+\.\d+\.\d+)/.exec(nginxVersion() ?? '');
    if (m) options = { ...DEFAULT_OPTIONS, nginxVersion: m[1] };
    strict = await startStrictBackend({ checkOrigin: true });
    schemeChecking = await startStrictBackend({ checkOrigin: 'with-scheme' });
    certs = makeCerts();
    chat = await Promise.all([startSessionBackend('one'), startSessionBackend('two')]);
  });

  after(async () => {
    for (const p of running) await p.stop();
    await Promise.all([strict?.close(), schemeChecking?.close(), ...chat.map((c) => c.close())]);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** Copies a case into a fresh folder with the port and backends filled in; its files. */
  function render(name: string, port: number): { dir: string; files: string[] } {
    const dir = path.join(root, `${name.replace(/\.conf$/, '')}-${port}`);
    fs.mkdirSync(dir, { recursive: true });
    const text = fs.readFileSync(path.join(CASES, name), 'utf8')
      .replaceAll('__PORT__', String(port))
      .replaceAll('__CERT__', certs.cert)
      .replaceAll('__KEY__', certs.key)
      .replaceAll('__SCHEME_BACKEND__', schemeChecking.address)
      .replaceAll('__BACKEND2__', chat[1].address)
      .replaceAll('__BACKEND__', name.startsWith('sticky') || name.startsWith('socketio') ? chat[0].address : strict.address);
    fs.writeFileSync(path.join(dir, 'nginx.conf'), text);
    return { dir, files: listFiles(dir) };
  }

  async function start(dir: string, port: number): Promise<NginxProcess> {
    const t = await nginxTest(dir, path.join(dir, 'nginx.conf'));
    assert.ok(t.ok, `nginx -t:\n${t.output}\n${fs.readFileSync(path.join(dir, 'nginx.conf'), 'utf8')}`);
    const p = await NginxProcess.start(dir, path.join(dir, 'nginx.conf'), port);
    running.add(p);
    return p;
  }

  async function stop(p: NginxProcess | undefined): Promise<void> {
    if (!p) return;
    await p.stop();
    running.delete(p);
  }

  /** A browser-like handshake: Origin is the page's own origin, the nginx address. */
  async function browserHandshake(port: number, wsPath: string) {
    return probe(`ws://127.0.0.1:${port}${wsPath}`, { timeoutMs: STEP_MS, message: MESSAGE, origin: `http://127.0.0.1:${port}` });
  }

  function lastSeen(): string {
    const e = strict.seen[strict.seen.length - 1];
    return e ? `backend saw Host: ${e.host ?? '—'}, Origin: ${e.origin ?? '—'} → ${e.answered}${e.reason ? ` (${e.reason})` : ''}` : 'backend saw nothing';
  }

  test('ws-host-missing: 403 from an Origin-checking backend, the fix makes the handshake work', { timeout: 30000 }, async (t) => {
    const port = await freePort();
    const { dir, files } = render('host-missing.conf', port);
    const flagged = analyse(files, options).filter((f) => f.code === 'ws-host-missing');
    assert.equal(flagged.length, 1, 'the product flags the location');
    t.diagnostic(`product: ${flagged[0].severity} ${flagged[0].message}`);
    let nginx = await start(dir, port);
    try {
      const r = await browserHandshake(port, '/cable');
      t.diagnostic(`before: handshake → ${r.response?.statusCode}; ${lastSeen()}`);
      assert.equal(r.response?.statusCode, 403, r.summary);
      assert.equal(strict.seen[strict.seen.length - 1].host, strict.address, 'nginx sent its proxy_pass address as Host');
      assert.deepEqual(r.diagnosis?.rules, ['ws-host-missing'], 'the probe points at the rule');
      // a client that sends no Origin (not a browser) is not refused: the fault is Origin vs Host
      const plain = await probe(`ws://127.0.0.1:${port}/cable`, { timeoutMs: STEP_MS, message: MESSAGE });
      assert.equal(plain.response?.statusCode, 101, plain.summary);
      await stop(nginx);

      const run = applyRuleFixes(files, 'ws-host-missing', options);
      assert.deepEqual(run.fixless, [], 'every finding offers a fix');
      assert.deepEqual(run.after, [], 'nothing left to say after the fix');
      const fixed = [...run.changed.values()][0];
      assert.match(fixed, /proxy_set_header Host \$http_host;/);
      nginx = await start(dir, port);
      const after = await browserHandshake(port, '/cable');
      t.diagnostic(`after: handshake → ${after.response?.statusCode}; echo ${after.echo?.received ?? 'FAILED'}; ${lastSeen()}`);
      assert.equal(after.response?.statusCode, 101, after.summary);
      const key = /^Sec-WebSocket-Key:\s*(\S+)/im.exec(after.request ?? '')?.[1] ?? '';
      assert.equal(after.response?.headers.find(([k]) => k.toLowerCase() === 'sec-websocket-accept')?.[1], acceptOf(key));
      assert.equal(after.echo?.received, MESSAGE);
    } finally {
      await stop(nginx);
    }
  });

  test('ws-forwarded-proto-missing: behind TLS without X-Forwarded-Proto, an app that checks the whole origin refuses (403); the fix makes it work', { timeout: 30000 }, async (t) => {
    const port = await freePort();
    const { dir, files } = render('forwarded-proto.conf', port);
    const flagged = analyse(files, options).filter((f) => f.code === 'ws-forwarded-proto-missing');
    assert.equal(flagged.length, 1, 'the product points it out');
    const wss = () => probe(`wss://127.0.0.1:${port}/cable`, { timeoutMs: STEP_MS, message: MESSAGE, origin: `https://127.0.0.1:${port}`, insecure: true });
    const seen = () => schemeChecking.seen[schemeChecking.seen.length - 1];
    let nginx = await start(dir, port);
    try {
      const r = await wss();
      t.diagnostic(`before: handshake → ${r.response?.statusCode}; backend saw X-Forwarded-Proto: ${seen()?.forwardedProto ?? '—'} (${seen()?.reason ?? ''})`);
      assert.equal(r.response?.statusCode, 403, r.summary);
      assert.equal(seen()?.forwardedProto, undefined, 'nginx told the backend nothing of TLS');
      await stop(nginx);

      const run = applyRuleFixes(files, 'ws-forwarded-proto-missing', options);
      assert.deepEqual(run.fixless, [], 'the finding offers a fix');
      assert.deepEqual(run.after, [], 'nothing left to say after the fix');
      assert.match([...run.changed.values()][0], /proxy_set_header X-Forwarded-Proto \$scheme;/);
      nginx = await start(dir, port);
      const after = await wss();
      t.diagnostic(`after: handshake → ${after.response?.statusCode}; backend saw X-Forwarded-Proto: ${seen()?.forwardedProto}`);
      assert.equal(after.response?.statusCode, 101, after.summary);
      assert.equal(seen()?.forwardedProto, 'https');
      assert.equal(after.echo?.received, MESSAGE);
    } finally {
      await stop(nginx);
    }
  });

  test('fact: Host $host drops the port, and the Origin check still fails on a non-default port (why the fix forwards $http_host)', { timeout: 30000 }, async (t) => {
    const port = await freePort();
    const { dir, files } = render('host-without-port.conf', port);
    assert.deepEqual(analyse(files, options).filter((f) => f.code === 'ws-host-missing'), [], 'a Host line is in force: not flagged');
    const nginx = await start(dir, port);
    try {
      const r = await browserHandshake(port, '/cable');
      t.diagnostic(`Host $host: handshake → ${r.response?.statusCode}; ${lastSeen()}`);
      assert.equal(r.response?.statusCode, 403, r.summary);
      assert.equal(strict.seen[strict.seen.length - 1].host, '127.0.0.1');
    } finally {
      await stop(nginx);
    }
  });

  /** An Engine.IO client's first steps: the polling handshake, then `polls` requests of that session. */
  async function session(port: number, polls: number) {
    const hs = await get(port, '/socket.io/?EIO=4&transport=polling');
    assert.equal(hs.status, 200, `handshake: ${hs.status} ${hs.body}`);
    const sid = (JSON.parse(hs.body.slice(1)) as { sid: string }).sid;
    const next = [];
    for (let i = 0; i < polls; i++) next.push(await get(port, `/socket.io/?EIO=4&transport=polling&sid=${sid}`));
    return { sid, opener: hs.backend, next };
  }

  test('ws-sticky-session: round robin loses the session (400 Session ID unknown), ip_hash (the fix) keeps it', { timeout: 30000 }, async (t) => {
    const port = await freePort();
    const { dir, files } = render('sticky-session.conf', port);
    const flagged = analyse(files, options).filter((f) => f.code === 'ws-sticky-session');
    assert.equal(flagged.length, 1, 'the product flags the location');
    t.diagnostic(`product: ${flagged[0].severity} ${flagged[0].message}`);
    let nginx = await start(dir, port);
    try {
      const s = await session(port, 3);
      t.diagnostic(`before: handshake on ${s.opener}; then ${s.next.map((r) => `${r.status} from ${r.backend}`).join(', ')}`);
      const lost = s.next.filter((r) => r.status === 400);
      assert.ok(lost.length >= 1, 'round robin sends a request of the session to the other backend');
      for (const r of lost) {
        assert.equal(r.body, SESSION_UNKNOWN);
        assert.notEqual(r.backend, s.opener);
      }
      const ws = await probe(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=${s.sid}`, { timeoutMs: STEP_MS, message: MESSAGE });
      const ws2 = await probe(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=${s.sid}`, { timeoutMs: STEP_MS, message: MESSAGE });
      t.diagnostic(`before: two upgrades of the session → ${ws.response?.statusCode}, ${ws2.response?.statusCode}`);
      assert.ok([ws, ws2].some((r) => r.response?.statusCode === 400), 'one of two upgrades of the session reaches the other backend');
      const refused = [ws, ws2].find((r) => r.response?.statusCode === 400)!;
      assert.deepEqual(refused.diagnosis?.rules, ['ws-sticky-session'], 'the probe points at the rule');
      await stop(nginx);

      const run = applyRuleFixes(files, 'ws-sticky-session', options);
      assert.deepEqual(run.fixless, [], 'every finding offers a fix');
      assert.deepEqual(run.after, [], 'nothing left to say after the fix');
      assert.match([...run.changed.values()][0], /upstream chat \{\n\s+ip_hash;\n/);
      nginx = await start(dir, port);
      const f = await session(port, 5);
      t.diagnostic(`after: handshake on ${f.opener}; then ${f.next.map((r) => `${r.status} from ${r.backend}`).join(', ')}`);
      for (const r of f.next) {
        assert.equal(r.status, 200, r.body);
        assert.equal(r.backend, f.opener);
      }
      for (let i = 0; i < 2; i++) {
        const up = await probe(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=${f.sid}`, { timeoutMs: STEP_MS, message: MESSAGE });
        assert.equal(up.response?.statusCode, 101, up.summary);
        assert.equal(up.echo?.received, MESSAGE);
      }
    } finally {
      await stop(nginx);
    }
  });

  test('ws-socketio-path: the URI that drops /socket.io/ gets 404, the fix keeps the path', { timeout: 30000 }, async (t) => {
    const port = await freePort();
    const { dir, files } = render('socketio-path.conf', port);
    const flagged = analyse(files, options).filter((f) => f.code === 'ws-socketio-path');
    assert.equal(flagged.length, 1, 'the product flags the proxy_pass');
    t.diagnostic(`product: ${flagged[0].severity} ${flagged[0].message}`);
    let nginx = await start(dir, port);
    try {
      const mark = chat[0].seen.length;
      const hs = await get(port, '/socket.io/?EIO=4&transport=polling');
      t.diagnostic(`before: handshake → ${hs.status}; the backend saw ${chat[0].seen.slice(mark).map((s) => s.url).join(', ')}`);
      assert.equal(hs.status, 404, hs.body);
      assert.equal(chat[0].seen[mark]?.url, '/?EIO=4&transport=polling');
      await stop(nginx);

      const run = applyRuleFixes(files, 'ws-socketio-path', options);
      assert.deepEqual(run.fixless, [], 'every finding offers a fix');
      assert.deepEqual(run.after, [], 'nothing left to say after the fix');
      nginx = await start(dir, port);
      const s = await session(port, 1);
      t.diagnostic(`after: handshake on ${s.opener}; then ${s.next.map((r) => r.status).join(', ')}`);
      assert.equal(s.next[0].status, 200);
      const up = await probe(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=${s.sid}`, { timeoutMs: STEP_MS, message: MESSAGE });
      assert.equal(up.response?.statusCode, 101, up.summary);
      assert.equal(up.echo?.received, MESSAGE);
    } finally {
      await stop(nginx);
    }
  });

  /** What each case does once it works: the location the one action is asked on, and the check. */
  const WORKS: [string, string, (port: number) => Promise<void>][] = [
    ['host-missing.conf', '/cable', async (port) => {
      const after = await browserHandshake(port, '/cable');
      assert.equal(after.response?.statusCode, 101, `${after.summary}; ${lastSeen()}`);
      assert.equal(after.echo?.received, MESSAGE);
    }],
    ['forwarded-proto.conf', '/cable', async (port) => {
      const after = await probe(`wss://127.0.0.1:${port}/cable`, { timeoutMs: STEP_MS, message: MESSAGE, origin: `https://127.0.0.1:${port}`, insecure: true });
      assert.equal(after.response?.statusCode, 101, after.summary);
      assert.equal(after.echo?.received, MESSAGE);
    }],
    ['sticky-session.conf', '/socket.io/', (port) => socketIoWorks(port, 4)],
    ['socketio-path.conf', '/socket.io/', (port) => socketIoWorks(port, 1)],
  ];

  async function socketIoWorks(port: number, polls: number): Promise<void> {
    const s = await session(port, polls);
    for (const r of s.next) assert.equal(r.status, 200, r.body);
    const up = await probe(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=${s.sid}`, { timeoutMs: STEP_MS, message: MESSAGE });
    assert.equal(up.response?.statusCode, 101, up.summary);
    assert.equal(up.echo?.received, MESSAGE);
  }

  // Every broken case is made to work by one action of each kind: the editor's "Make this a
  // working WebSocket location" on the endpoint, and fix-all as `nginx-ws check --fix`, a process.
  for (const [name, at, works] of WORKS) {
    test(`one action: "Make this a working WebSocket location" on ${at} fixes ${name}`, { timeout: 30000 }, async (t) => {
      const port = await freePort();
      const { dir, files } = render(name, port);
      const changed = applyLocationFix(files, at, options);
      assert.ok(changed.size > 0, 'the action changed something');
      t.diagnostic(`one action: ${[...changed.values()].join('').match(/ip_hash;|proxy_pass \S+|proxy_set_header (Host|X-Forwarded-Proto) \S+/g)?.join(', ')}`);
      const nginx = await start(dir, port);
      try {
        await works(port);
      } finally {
        await stop(nginx);
      }
    });

    test(`fix-all (check --fix): ${name}`, { timeout: 30000 }, async (t) => {
      const port = await freePort();
      const { dir } = render(name, port);
      const run = applyCliFix(dir, options);
      assert.notEqual(run.code, 2, `check --fix failed:\n${run.stderr}`);
      assert.ok(run.changed.size > 0, `--fix changed nothing:\n${run.stderr}`);
      t.diagnostic(`--fix: ${[...run.changed.values()].join('').match(/ip_hash;|proxy_pass \S+|proxy_set_header (Host|X-Forwarded-Proto) \S+/g)?.join(', ')}`);
      const nginx = await start(dir, port);
      try {
        await works(port);
      } finally {
        await stop(nginx);
      }
    });
  }

  test('probe --idle measures what ws-read-timeout predicts: proxy_read_timeout 1s drops an idle WebSocket, 600s keeps it', { timeout: 30000 }, async (t) => {
    const base = fs.readFileSync(path.join(CASES, '..', 'read-timeout.conf'), 'utf8');
    for (const [timeout, survives] of [['1s', false], ['600s', true]] as const) {
      const port = await freePort();
      const dir = path.join(root, `idle-${timeout}-${port}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'nginx.conf'), base.replaceAll('__PORT__', String(port)).replaceAll('__BACKEND__', strict.address).replace('proxy_read_timeout 1s;', `proxy_read_timeout ${timeout};`));
      const nginx = await start(dir, port);
      try {
        const r = await probe(`ws://127.0.0.1:${port}/ws/`, { timeoutMs: STEP_MS, idleMs: 2000, message: MESSAGE });
        t.diagnostic(`proxy_read_timeout ${timeout}, idle 2 s: ${r.summary}`);
        assert.equal(r.idle?.survived, survives, r.summary);
        if (survives) {
          assert.equal(r.verdict, 'ok', r.summary);
          assert.equal(r.echo?.received, MESSAGE);
        } else {
          assert.equal(r.verdict, 'closed');
          assert.ok(r.idle!.closedAfterMs! >= 900 && r.idle!.closedAfterMs! < 2000, `closed after ${r.idle?.closedAfterMs} ms (proxy_read_timeout 1s)`);
          assert.ok(r.diagnosis?.rules.includes('ws-read-timeout'));
        }
      } finally {
        await stop(nginx);
      }
    }
  });

  test('no nginx is left behind', async () => {
    for (const p of running) await p.stop();
    assert.deepEqual(started.filter(alive), []);
  });
});
