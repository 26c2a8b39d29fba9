// Integration tests: the probe against real servers on 127.0.0.1 — a `ws` backend behind a
// real nginx, raw TCP servers that misbehave, and a TLS server with a self-signed certificate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as http from 'node:http';
import * as https from 'node:https';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { WebSocketServer } from 'ws';
import { probe } from './probe';
import type { ProbeReport } from './probe';
import { acceptFor } from './handshake';
import { encodeFrame, Opcode } from './frames';
import { exitCodeFor, formatReport } from './report';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const TIMEOUT = 3000;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function listen(server: net.Server | http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** Closes a server and destroys its open sockets. */
function shutdown(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((r) => server.close(() => r()));
}

function tracked<T extends net.Server>(server: T): { server: T; sockets: Set<net.Socket> } {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return { server, sockets };
}

/** HTTP version of the last upgrade request each path received (what nginx sent upstream). */
const upstreamVersion = new Map<string, string>();

/** A `ws` server: echoes on every path, closes with 1011 on /boom. */
function attachEcho(wss: WebSocketServer): void {
  wss.on('connection', (ws, req) => {
    upstreamVersion.set(req.url ?? '', req.httpVersion);
    if (req.url?.endsWith('/boom')) {
      ws.close(1011, 'boom');
      return;
    }
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
}

function assertFormatted(r: ProbeReport, ...patterns: RegExp[]): string {
  const text = formatReport(r);
  for (const p of patterns) assert.match(text, p);
  return text;
}

// ---------------------------------------------------------------------------------------

describe('probe through a real nginx', () => {
  let tmp = '';
  let nginx: ChildProcess | undefined;
  let nginxExit: Promise<void> | undefined;
  let nginxPort = 0;
  let wss: WebSocketServer | undefined;
  let nginxLog = '';

  before(async () => {
    if (!fs.existsSync(NGINX)) {
      throw new Error(`nginx is required for these tests but ${NGINX} does not exist (set NGINX_BIN to its path)`);
    }
    // A plain `ws` server on its own port: it answers non-upgrade requests itself (426).
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    attachEcho(server);
    const backendPort = (server.address() as net.AddressInfo).port;

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-nginx-'));
    fs.chmodSync(tmp, 0o755); // nginx workers may run as another user when the tests run as root
    nginxPort = await freePort();
    const t = (name: string) => path.join(tmp, name);
    const conf = `
worker_processes 1;
error_log ${t('error.log')} info;
pid ${t('nginx.pid')};
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${t('client_body')};
  proxy_temp_path ${t('proxy')};
  fastcgi_temp_path ${t('fastcgi')};
  uwsgi_temp_path ${t('uwsgi')};
  scgi_temp_path ${t('scgi')};
  upstream backend { server 127.0.0.1:${backendPort}; }
  server {
    listen 127.0.0.1:${nginxPort};
    location /ws {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 30s;
    }
    location /plain {
      proxy_pass http://backend;
    }
    location /nover {
      proxy_pass http://backend;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
    }
  }
}
`;
    fs.writeFileSync(t('nginx.conf'), conf);
    const child = spawn(NGINX, ['-p', tmp, '-c', t('nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx = child;
    child.stdout!.on('data', (d) => (nginxLog += d));
    child.stderr!.on('data', (d) => (nginxLog += d));
    let exited = false;
    nginxExit = new Promise((r) =>
      child.once('exit', () => {
        exited = true;
        r();
      }),
    );
    child.once('error', (e) => (nginxLog += String(e)));
    // Wait until nginx accepts connections (or dies).
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (exited) throw new Error(`nginx exited at startup:\n${nginxLog}${readIf(t('error.log'))}`);
      const ok = await new Promise<boolean>((r) => {
        const s = net.connect(nginxPort, '127.0.0.1', () => {
          s.destroy();
          r(true);
        });
        s.on('error', () => r(false));
      });
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`nginx did not start listening in 10 s:\n${nginxLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([nginxExit, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (nginx.exitCode === null) nginx.kill('SIGKILL');
    }
    if (wss) {
      for (const c of wss.clients) c.terminate();
      const server = wss;
      await new Promise<void>((r) => server.close(() => r()));
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('(a) succeeds with the upgrade headers: 101, accept verified, echo, close 1000', async () => {
    const steps: string[] = [];
    const r = await probe(`ws://127.0.0.1:${nginxPort}/ws`, {
      timeoutMs: TIMEOUT,
      message: 'hello through nginx',
      ping: true,
      origin: 'http://127.0.0.1',
      onProgress: (s) => steps.push(s),
    });
    assert.equal(r.verdict, 'ok', formatReport(r));
    assert.equal(r.ok, true);
    assert.equal(r.response?.statusCode, 101);
    assert.match(r.response!.headers.find(([n]) => n.toLowerCase() === 'server')?.[1] ?? '', /nginx/);
    assert.deepEqual(
      r.checks.map((c) => [c.id, c.ok]),
      [
        ['status', true],
        ['upgrade', true],
        ['connection', true],
        ['accept', true],
      ],
    );
    const key = /Sec-WebSocket-Key: (\S+)/.exec(r.request!)![1]!;
    const accept = r.response!.headers.find(([n]) => n.toLowerCase() === 'sec-websocket-accept')![1];
    assert.equal(accept, acceptFor(key));
    assert.match(r.request!, /^Origin: http:\/\/127\.0\.0\.1\r$/m);
    assert.deepEqual(r.echo && { ok: r.echo.ok, received: r.echo.received }, { ok: true, received: 'hello through nginx' });
    assert.equal(r.ping?.ok, true);
    assert.equal(r.close?.code, 1000);
    assert.equal(r.close?.initiatedBy, 'client');
    assert.equal(r.diagnosis, undefined);
    assert.equal(r.tlsVerificationRelaxed, false);
    assert.deepEqual(
      r.timings.map((t) => t.step),
      ['connect', 'handshake', 'echo', 'ping', 'close'],
    );
    assert.ok(steps.length >= 4);
    assert.equal(exitCodeFor(r), 0);
    assertFormatted(r, /Verdict: OK/, /✓ Sec-WebSocket-Accept matches/, /✓ close: 1000 Normal Closure/);
  });

  it('(b) without the upgrade headers: the backend answers 426 → symptom 2 with the header rules', async () => {
    const r = await probe(`ws://127.0.0.1:${nginxPort}/plain`, { timeoutMs: TIMEOUT });
    assert.equal(r.verdict, 'handshake-failed', formatReport(r));
    assert.equal(r.response?.statusCode, 426);
    assert.equal(r.response?.reason, 'Upgrade Required');
    assert.match(r.response!.headers.find(([n]) => n.toLowerCase() === 'server')?.[1] ?? '', /nginx/);
    assert.equal(r.response?.body, 'Upgrade Required');
    assert.equal(r.diagnosis?.number, 2);
    assert.equal(r.diagnosis?.symptom, 'unexpected-response-code');
    assert.equal(r.diagnosis?.browserMessage, 'Error during WebSocket handshake: Unexpected response code: 426');
    assert.deepEqual(r.diagnosis?.rules, [
      'ws-upgrade-header-missing',
      'ws-connection-header-missing',
      'ws-http-version',
      'ws-headers-not-inherited',
      'ws-map-missing',
    ]);
    assert.match(r.diagnosis!.causes.join('\n'), /hop-by-hop/);
    assert.equal(exitCodeFor(r), 1);
    assertFormatted(
      r,
      /Symptom 2 of 3/,
      /Unexpected response code: 426/,
      /https:\/\/github\.com\/nginx-websocket\/nginx-websocket\/blob\/main\/docs\/rules\/ws-upgrade-header-missing\.md/,
      /layer 4/,
    );
  });

  it('the headers without proxy_http_version 1.1 still upgrade with a lenient backend (`ws`)', async () => {
    // nginx sends HTTP/1.0 upstream; `ws` (Node's parser) upgrades anyway. Backends that insist on
    // HTTP/1.1, as RFC 6455 requires, answer 400 instead; only the static ws-http-version rule
    // catches this configuration in general.
    const r = await probe(`ws://127.0.0.1:${nginxPort}/nover`, { timeoutMs: TIMEOUT, message: 'x' });
    assert.equal(r.verdict, 'ok', formatReport(r));
    assert.equal(upstreamVersion.get('/nover'), '1.0');
    assert.equal(upstreamVersion.get('/ws'), '1.1');
  });

  it('the backend closing with 1011 through nginx is reported with its meaning', async () => {
    const r = await probe(`ws://127.0.0.1:${nginxPort}/ws/boom`, { timeoutMs: TIMEOUT });
    assert.equal(r.verdict, 'closed');
    assert.equal(r.close?.code, 1011);
    assert.equal(r.close?.reason, 'boom');
  });
});

// ---------------------------------------------------------------------------------------

describe('probe against misbehaving servers', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function rawServer(onSocket: (s: net.Socket, request: string) => void): Promise<number> {
    const t = tracked(
      net.createServer((s) => {
        let buf = '';
        s.on('data', (d) => {
          const before = buf;
          buf += d.toString('latin1');
          if (!before.includes('\r\n\r\n') && buf.includes('\r\n\r\n')) onSocket(s, buf);
        });
        s.on('error', () => {});
      }),
    );
    const port = await listen(t.server);
    cleanups.push(() => shutdown(t.server, t.sockets));
    return port;
  }

  it('(c) a port nobody listens on → symptom 1, connection refused', async () => {
    const port = await freePort();
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT });
    assert.equal(r.verdict, 'connect-failed');
    assert.equal(r.error?.code, 'ECONNREFUSED');
    assert.equal(r.diagnosis?.number, 1);
    assert.equal(r.diagnosis?.symptom, 'connection-failed');
    assert.equal(r.request, undefined);
    assert.equal(exitCodeFor(r), 1);
    assertFormatted(r, /Symptom 1 of 3: The connection was refused/, /layer 7/);
  });

  it('(d) a server that accepts and never answers → symptom 3 after the timeout', async () => {
    const t = tracked(net.createServer((s) => s.on('error', () => {})));
    const port = await listen(t.server);
    cleanups.push(() => shutdown(t.server, t.sockets));
    const start = Date.now();
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: 500 });
    const took = Date.now() - start;
    assert.equal(r.verdict, 'timeout');
    assert.equal(r.diagnosis?.number, 3);
    assert.equal(r.diagnosis?.browserMessage, 'The request timed out');
    assert.deepEqual(r.timings.map((x) => [x.step, x.ok]), [
      ['connect', true],
      ['handshake', false],
    ]);
    assert.ok(took >= 450 && took < 2500, `took ${took} ms`);
    assertFormatted(r, /Symptom 3 of 3/, /within 500 ms/);
  });

  it('(e) a ws backend that closes with 1011 → the report shows 1011 and its meaning', async () => {
    const t = tracked(http.createServer());
    const wss = new WebSocketServer({ server: t.server });
    attachEcho(wss);
    const port = await listen(t.server);
    cleanups.push(async () => {
      wss.close();
      await shutdown(t.server, t.sockets);
    });
    const r = await probe(`ws://127.0.0.1:${port}/boom`, { timeoutMs: TIMEOUT });
    assert.equal(r.response?.statusCode, 101);
    assert.equal(r.verdict, 'closed');
    assert.equal(r.close?.code, 1011);
    assert.equal(r.close?.name, 'Internal Error');
    assert.equal(r.close?.initiatedBy, 'server');
    assert.match(r.close!.meaning, /unexpected condition/);
    assert.equal(exitCodeFor(r), 1);
    assertFormatted(r, /close: 1011 Internal Error \("boom"\)/, /unexpected condition/);

    // The same server with --message: the server closes before any echo.
    const m = await probe(`ws://127.0.0.1:${port}/boom`, { timeoutMs: TIMEOUT, message: 'hi' });
    assert.equal(m.verdict, 'echo-failed');
    assert.equal(m.close?.code, 1011);
  });

  it('101 with a wrong Sec-WebSocket-Accept → symptom 2, accept check failed', async () => {
    const port = await rawServer((s) =>
      s.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Accept: ${acceptFor('wrong')}\r\n\r\n`,
      ),
    );
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT });
    assert.equal(r.verdict, 'handshake-failed');
    assert.deepEqual(r.checks.filter((c) => !c.ok).map((c) => c.id), ['accept']);
    assert.equal(r.diagnosis?.number, 2);
    assert.match(r.diagnosis!.browserMessage, /Sec-WebSocket-Accept/);
  });

  it('a redirect to https → symptom 2 telling to use wss://', async () => {
    const port = await rawServer((s) =>
      s.end('HTTP/1.1 301 Moved Permanently\r\nLocation: https://example.test/\r\nContent-Length: 0\r\n\r\n'),
    );
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT });
    assert.equal(r.response?.statusCode, 301);
    assert.equal(r.diagnosis?.number, 2);
    assert.match(r.diagnosis!.causes.join('\n'), /use the wss:\/\/ URL/);
  });

  it('a server that reads the request and hangs up → symptom 1', async () => {
    const port = await rawServer((s) => s.end());
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT });
    assert.equal(r.verdict, 'connect-failed');
    assert.equal(r.diagnosis?.number, 1);
    assert.match(r.diagnosis!.title, /without answering/);
  });

  it('a server that answers something else than HTTP → symptom 1', async () => {
    const port = await rawServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT });
    assert.equal(r.verdict, 'handshake-failed');
    assert.equal(r.diagnosis?.number, 1);
    assert.match(formatReport(r), /SSH-2\.0/);
  });

  it('frames in the same packet as the 101, server pings, and a masked server frame', async () => {
    // A hand-made server: sends the 101, a greeting and a ping at once, then echoes and closes.
    const port = await rawServer((s, req) => {
      const key = /Sec-WebSocket-Key: (\S+)/i.exec(req)![1]!;
      s.write(
        Buffer.concat([
          Buffer.from(
            'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n' +
              `Sec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`,
          ),
          encodeFrame({ opcode: Opcode.Text, payload: 'welcome' }),
          encodeFrame({ opcode: Opcode.Ping, payload: 'are you there' }),
        ]),
      );
      const seen: Buffer[] = [];
      s.on('data', (d) => {
        seen.push(d);
        // Reply to the probe's text frame (whatever it is) with a masked frame: forbidden.
        if (seen.length === 1) s.write(encodeFrame({ opcode: Opcode.Text, payload: 'masked!', mask: true }));
      });
    });
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT, message: 'x' });
    assert.equal(r.verdict, 'protocol-error', formatReport(r));
    assert.deepEqual(r.echo?.otherMessages, ['welcome']);
    assert.equal(r.close?.code, 1002);
    assert.match(r.close!.reason, /masked/);
  });

  /** A hand-made WebSocket server: completes the handshake, then calls `then`. */
  const upgraded = (then: (s: net.Socket) => void) =>
    rawServer((s, req) => {
      const key = /Sec-WebSocket-Key: (\S+)/i.exec(req)![1]!;
      s.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`,
      );
      then(s);
    });

  it('a connection that ends without a close frame → 1006 Abnormal Closure', async () => {
    const port = await upgraded((s) => setTimeout(() => s.destroy(), 20));
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT, message: 'x' });
    assert.equal(r.verdict, 'echo-failed');
    assert.equal(r.close?.code, 1006);
    assert.equal(r.close?.initiatedBy, 'network');
    assert.ok(r.diagnosis?.rules.includes('ws-read-timeout'));
  });

  it('--idle: a server that drops a silent connection after 300 ms → closed during the idle period, when, and why', async () => {
    const port = await upgraded((s) => setTimeout(() => s.destroy(), 300));
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT, idleMs: 1500, message: 'x' });
    assert.equal(r.verdict, 'closed');
    assert.equal(r.idle?.survived, false);
    assert.ok(r.idle!.closedAfterMs! >= 250 && r.idle!.closedAfterMs! < 1500, `closed after ${r.idle?.closedAfterMs} ms`);
    assert.equal(r.close?.code, 1006);
    assert.equal(r.echo, undefined, 'no echo is tried on a closed connection');
    assert.match(r.summary, /closed after 0\.\d s without traffic \(1006/);
    assert.ok(r.diagnosis?.causes[0].includes('without traffic'), r.diagnosis?.causes[0]);
    assert.match(formatReport(r), /closed after 0\.\d s idle \(of 1\.5 s\)/);
  });

  it('--idle: a connection that stays open survives, then echoes; server messages meanwhile are counted', async () => {
    const port = await upgraded((s) => {
      setTimeout(() => s.write(encodeFrame({ opcode: Opcode.Text, payload: 'tick' })), 100);
      s.on('data', (d: Buffer) => {
        // unmask a small client text frame and echo it; answer close with close
        const op = d[0] & 0x0f;
        const len = d[1] & 0x7f;
        const mask = d.subarray(2, 6);
        const payload = Buffer.from(d.subarray(6, 6 + len)).map((b, i) => b ^ mask[i & 3]);
        if (op === Opcode.Text) s.write(encodeFrame({ opcode: Opcode.Text, payload: Buffer.from(payload).toString() }));
        else if (op === Opcode.Close) s.end(encodeFrame({ opcode: Opcode.Close, payload: Buffer.from([0x03, 0xe8]) }));
      });
    });
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT, idleMs: 600, message: 'after idle' });
    assert.equal(r.verdict, 'ok', r.summary);
    assert.equal(r.idle?.survived, true);
    assert.equal(r.idle?.serverMessages, 1);
    assert.equal(r.echo?.received, 'after idle');
    assert.ok(r.timings.some((t) => t.step === 'idle' && t.ok && t.ms >= 550), JSON.stringify(r.timings));
    assert.match(r.summary, /open after 0\.6 s idle/);
  });

  it('a server that never echoes → echo failed after the timeout, other messages listed', async () => {
    const port = await upgraded((s) => s.write(encodeFrame({ opcode: Opcode.Text, payload: 'hello from app' })));
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: 300, message: 'x' });
    assert.equal(r.verdict, 'echo-failed');
    assert.deepEqual(r.echo?.otherMessages, ['hello from app']);
    assert.equal(r.diagnosis?.symptom, 'no-echo');
    assert.match(formatReport(r), /other messages received: "hello from app"/);
  });

  it('a server that never answers the close frame → timed out in the close step', async () => {
    const port = await upgraded(() => {});
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: 300 });
    assert.equal(r.verdict, 'timeout');
    assert.equal(r.diagnosis?.number, 3);
    assert.deepEqual(r.timings.at(-1), { step: 'close', ms: r.timings.at(-1)!.ms, ok: false });
  });

  it('an abort signal cancels the probe', async () => {
    const t = tracked(net.createServer((s) => s.on('error', () => {})));
    const port = await listen(t.server);
    cleanups.push(() => shutdown(t.server, t.sockets));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const start = Date.now();
    const r = await probe(`ws://127.0.0.1:${port}/`, { timeoutMs: 10_000, signal: ac.signal });
    assert.equal(r.verdict, 'aborted');
    assert.ok(Date.now() - start < 2000);
  });

  it('rejects http(s):// and other schemes with a clear error', async () => {
    const h = await probe('http://127.0.0.1:1/ws', { timeoutMs: 100 });
    assert.equal(h.verdict, 'invalid-url');
    assert.match(h.summary, /use ws:\/\/127\.0\.0\.1:1\/ws/);
    assert.equal(exitCodeFor(h), 2);
    const s = await probe('https://127.0.0.1:1/ws', { timeoutMs: 100 });
    assert.match(s.summary, /use wss:\/\//);
    const f = await probe('ftp://127.0.0.1/', { timeoutMs: 100 });
    assert.match(f.summary, /ws:\/\/ or wss:\/\//);
    assert.equal((await probe('not a url', { timeoutMs: 100 })).verdict, 'invalid-url');
  });
});

// ---------------------------------------------------------------------------------------

describe('probe over TLS with a self-signed certificate', () => {
  let tmp = '';
  let t: ReturnType<typeof tracked<https.Server>> | undefined;
  let wss: WebSocketServer | undefined;
  let port = 0;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-tls-'));
    const key = path.join(tmp, 'key.pem');
    const cert = path.join(tmp, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    t = tracked(https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }));
    wss = new WebSocketServer({ server: t.server });
    attachEcho(wss);
    port = await listen(t.server);
  });

  after(async () => {
    wss?.close();
    if (t) await shutdown(t.server, t.sockets);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('(f) fails verification by default → symptom 1 (TLS)', async () => {
    const r = await probe(`wss://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT, message: 'secure' });
    assert.equal(r.verdict, 'connect-failed', formatReport(r));
    assert.equal(r.error?.stage, 'tls');
    assert.equal(r.error?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(r.tlsVerificationRelaxed, false);
    assert.equal(r.tls?.verification, true);
    assert.equal(r.diagnosis?.number, 1);
    assert.match(r.diagnosis!.title, /TLS/);
    assertFormatted(r, /self-signed/, /--insecure/);
  });

  it('(f) succeeds with insecure, and the report says verification was off', async () => {
    const r = await probe(`wss://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT, insecure: true, message: 'secure' });
    assert.equal(r.verdict, 'ok', formatReport(r));
    assert.equal(r.tlsVerificationRelaxed, true);
    assert.equal(r.tls?.verification, false);
    assert.equal(r.tls?.authorized, false);
    assert.equal(r.tls?.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.match(r.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.equal(r.echo?.received, 'secure');
    assert.equal(r.close?.code, 1000);
    assert.deepEqual(r.timings.map((x) => x.step), ['connect', 'tls', 'handshake', 'echo', 'close']);
    assertFormatted(r, /verification was OFF/, /DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  it('wss:// to a plain port fails in the TLS handshake', async () => {
    const plain = tracked(net.createServer((s) => {
      s.on('error', () => {});
      s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    }));
    const p = await listen(plain.server);
    try {
      const r = await probe(`wss://127.0.0.1:${p}/`, { timeoutMs: TIMEOUT });
      assert.equal(r.verdict, 'connect-failed', formatReport(r));
      assert.equal(r.error?.stage, 'tls');
      assert.equal(r.diagnosis?.number, 1);
    } finally {
      await shutdown(plain.server, plain.sockets);
    }
  });
});

function readIf(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
