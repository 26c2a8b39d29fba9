// Two Connection lines in one block: nginx sends every line whose value is not empty, so
// `Connection $connection_upgrade` followed by `Connection close` (or `keep-alive`, or a variable
// that is empty) still asks for the upgrade, and a strict RFC 6455 backend completes the
// handshake. The header list (model/headerList.ts) predicts exactly what the backend received.
// Needs nginx; fails, never skips, without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { Workspace, DEFAULT_OPTIONS } from '../../server/src/core/index';
import { NodeHost } from '../../server/src/host/node-host';
import { modelOf } from '../../server/src/core/rules/run';
import { headLines, upstreamRequest } from '../../server/src/core/model/headerList';
import { requireNginx } from '../util/nginx';
import { startStrictBackend } from './backends';
import { freePort, NginxProcess } from './nginx';

function handshake(url: string): Promise<string> {
  return new Promise((resolve) => {
    const w = new WebSocket(url);
    const t = setTimeout(() => { w.terminate(); resolve('timeout'); }, 5000);
    const done = (s: string) => { clearTimeout(t); resolve(s); };
    w.on('open', () => {
      w.send('ping');
      w.on('message', (m) => { done(`101, echoed ${String(m)}`); w.close(); });
    });
    w.on('unexpected-response', (_req, res) => { done(`status ${res.statusCode}`); res.resume(); });
    w.on('error', (e) => done(`error ${e.message}`));
  });
}

for (const second of ['close', 'keep-alive', '$http_x_keepalive', '""']) {
  test(`Connection $connection_upgrade then Connection ${second}: both non-empty lines are sent, the handshake works`, async (t) => {
    requireNginx();
    const backend = await startStrictBackend();
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-header-facts-'));
    let nginx: NginxProcess | undefined;
    t.after(async () => { await nginx?.stop(); await backend.close(); fs.rmSync(dir, { recursive: true, force: true }); });
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, [
      'pid nginx.pid;',
      'error_log error.log info;',
      'events { worker_connections 16; }',
      'http {',
      '    access_log off; client_body_temp_path cb; proxy_temp_path p; fastcgi_temp_path f; uwsgi_temp_path u; scgi_temp_path s;',
      "    map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
      `    server {`,
      `        listen 127.0.0.1:${port};`,
      '        location /ws/ {',
      `            proxy_pass http://${backend.address};`,
      '            proxy_http_version 1.1;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '            proxy_set_header Connection $connection_upgrade;',
      `            proxy_set_header Connection ${second};`,
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'));
    nginx = await NginxProcess.start(dir, conf, port);
    const result = await handshake(`ws://127.0.0.1:${port}/ws/`);
    const seen = backend.seen.at(-1);
    assert.equal(result, '101, echoed ping', JSON.stringify(seen));

    // what the model says nginx sends, joined as the backend's HTTP parser joins repeated lines
    const ws = new Workspace(new NodeHost(), DEFAULT_OPTIONS);
    ws.setFiles([conf]);
    const root = [...ws.analysis().values()][0];
    const [block] = modelOf(ws, root, ws.options).proxies;
    const req = upstreamRequest(block.levels, { http11ByDefault: false });
    const lines = headLines(req, { headers: [['Upgrade', 'websocket'], ['Connection', 'Upgrade']] }, (v) => (v === '$connection_upgrade' ? 'upgrade' : v === '$http_upgrade' ? 'websocket' : v.startsWith('$') ? '' : v));
    const connection = lines.filter(([n]) => n.toLowerCase() === 'connection').map(([, v]) => v).join(', ');
    assert.equal(connection, seen?.connection);
    // the handshake works, so the rules must not say the Connection header breaks it
    const said = ws.findings(conf).filter((f) => f.severity === 'error' || f.severity === 'warning');
    assert.deepEqual(said.map((f) => `${f.code}: ${f.message}`), [], `Connection $connection_upgrade + Connection ${second} works (the backend saw Connection: ${seen?.connection})`);
  });
}
