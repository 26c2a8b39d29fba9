// What some rules say nginx does at run time, checked on the real binary (no WebSocket needed):
// each fact is a config, a request and the answer nginx gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import { requireNginx } from '../util/nginx';
import { freePort, nginxTest, NginxProcess } from './nginx';

const TEMP = ['client_body_temp_path cb;', 'proxy_temp_path p;', 'fastcgi_temp_path f;', 'uwsgi_temp_path u;', 'scgi_temp_path s;'].join(' ');

function get(port: number, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

test('ws-map-duplicate: of two maps of one variable, nginx -t says nothing and the last one serves every request', async (t) => {
  requireNginx();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-facts-'));
  const port = await freePort();
  const conf = [
    'pid nginx.pid;',
    'error_log error.log;',
    'events { worker_connections 16; }',
    'http {',
    `    access_log off; ${TEMP}`,
    "    map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
    "    map $http_upgrade $connection_upgrade { default upgrade2; '' second; }",
    `    server { listen 127.0.0.1:${port}; location / { return 200 "[$connection_upgrade]"; } }`,
    '}',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  let nginx: NginxProcess | undefined;
  t.after(async () => { await nginx?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });
  const v = await nginxTest(dir, path.join(dir, 'nginx.conf'));
  assert.ok(v.ok, v.output);
  assert.doesNotMatch(v.output, /\[(warn|emerg)\]/, 'not even a warning');
  nginx = await NginxProcess.start(dir, path.join(dir, 'nginx.conf'), port);
  assert.equal(await get(port), '[second]', 'a plain request: the second map');
  assert.equal(await get(port, { Upgrade: 'websocket', Connection: 'Upgrade' }), '[upgrade2]', 'an upgrade request: the second map');
});
