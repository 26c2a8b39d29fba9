// What ws-upgrade-h2c says nginx does, checked on the real binary: with `Upgrade $http_upgrade`
// nginx forwards an `Upgrade: h2c` request and relays the backend's 101 as a tunnel (bytes then
// flow straight to the backend, past nginx's location rules); with the rule's fix (a map that lets
// only `websocket` through) the backend gets no Upgrade and answers as a plain request.
// The backend answers ANY upgrade with 101 and then echoes, as an h2c-capable server would switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { requireNginx } from '../util/nginx';
import { closer, listen, track } from './backends';
import { freePort, nginxTest, NginxProcess } from './nginx';

const TEMP = ['client_body_temp_path cb;', 'proxy_temp_path p;', 'fastcgi_temp_path f;', 'uwsgi_temp_path u;', 'scgi_temp_path s;'].join(' ');

/** Switches to any protocol asked for, then echoes; a plain request gets 200 "plain". */
async function anyUpgradeBackend(): Promise<{ address: string; upgrades: string[]; close: () => Promise<void> }> {
  const upgrades: string[] = [];
  const sockets = new Set<Duplex>();
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 5 });
    res.end('plain');
  });
  track(server, sockets);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    upgrades.push(String(req.headers.upgrade));
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\n\r\n`);
    socket.on('data', (d: Buffer) => socket.write(Buffer.concat([Buffer.from('tunnel:'), d])));
  });
  const port = await listen(server);
  return { address: `127.0.0.1:${port}`, upgrades, close: closer(server, sockets) };
}

/** Sends an h2c upgrade request through nginx; the status line, and what a write after it brings back. */
function h2cRequest(port: number): Promise<{ status: string; tunnel?: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    let status = '';
    const done = (r: { status: string; tunnel?: string }) => {
      clearTimeout(t);
      s.destroy();
      resolve(r);
    };
    const t = setTimeout(() => done({ status: status || buf.split('\r\n')[0] }), 3000);
    s.on('error', reject);
    s.on('connect', () => s.write('GET /ws/ HTTP/1.1\r\nHost: localhost\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n'));
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (!status && buf.includes('\r\n\r\n')) {
        status = buf.split('\r\n')[0];
        buf = buf.slice(buf.indexOf('\r\n\r\n') + 4);
        if (/ 101 /.test(status)) s.write('GET /admin/ HTTP/1.1');
        else done({ status });
      } else if (status && buf.includes('tunnel:')) done({ status, tunnel: buf });
    });
  });
}

const site = (port: number, backend: string, upgrade: string) =>
  [
    'pid nginx.pid;',
    'error_log error.log;',
    'events { worker_connections 16; }',
    'http {',
    `    access_log off; ${TEMP}`,
    '    map $http_upgrade $ws_upgrade { ~*^websocket$ websocket; default \'\'; }',
    "    map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
    `    server {`,
    `        listen 127.0.0.1:${port};`,
    '        location /admin/ { deny all; }',
    `        location /ws/ { proxy_pass http://${backend}; proxy_http_version 1.1; proxy_set_header Upgrade ${upgrade}; proxy_set_header Connection $connection_upgrade; }`,
    '    }',
    '}',
    '',
  ].join('\n');

test('ws-upgrade-h2c: $http_upgrade lets an h2c upgrade through as a tunnel; the filter map does not', async (t) => {
  requireNginx();
  const backend = await anyUpgradeBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-h2c-'));
  let nginx: NginxProcess | undefined;
  t.after(async () => {
    await nginx?.stop();
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const [upgrade, tunnels] of [['$http_upgrade', true], ['$ws_upgrade', false]] as const) {
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'nginx.conf'), site(port, backend.address, upgrade));
    const v = await nginxTest(dir, path.join(dir, 'nginx.conf'));
    assert.ok(v.ok, v.output);
    nginx = await NginxProcess.start(dir, path.join(dir, 'nginx.conf'), port);
    const mark = backend.upgrades.length;
    const r = await h2cRequest(port);
    t.diagnostic(`Upgrade ${upgrade}: ${r.status}${r.tunnel ? `; through the tunnel "GET /admin/" reached the backend: ${JSON.stringify(r.tunnel)}` : ''}`);
    if (tunnels) {
      assert.match(r.status, / 101 /, 'nginx relays the backend\'s 101 to an h2c upgrade');
      assert.deepEqual(backend.upgrades.slice(mark), ['h2c']);
      assert.match(r.tunnel ?? '', /^tunnel:GET \/admin\//, 'a request nginx denies reaches the backend through the tunnel');
    } else {
      assert.match(r.status, / 200 /, 'with the map the backend sees a plain request');
      assert.deepEqual(backend.upgrades.slice(mark), []);
    }
    await nginx.stop();
    nginx = undefined;
  }
});
