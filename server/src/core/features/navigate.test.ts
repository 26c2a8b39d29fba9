import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { describe, outline, symbolAt } from './navigate';
import { MemoryHost } from '../../../../test/util/fixture';

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace(new MemoryHost(new Map(Object.entries(files))), DEFAULT_OPTIONS);
  ws.setFiles(Object.keys(files));
  return ws;
}

test('symbolAt: the variable under the cursor, written $name or ${name}, and nothing past it', () => {
  const text = 'server {\n    location / {\n        return 200 "a${Host}b$remote_addr-c";\n    }\n}\n';
  const ws = workspace({ '/w/a.conf': text });
  const at = (needle: string, k: number) => symbolAt(ws, '/w/a.conf', text.indexOf(needle) + k);
  assert.deepEqual(at('${Host}', 3), { kind: 'variable', name: 'host', d: at('${Host}', 3)!.d, span: { start: text.indexOf('${Host}'), end: text.indexOf('${Host}') + 7 } });
  assert.equal((at('$remote_addr', 12) as { name?: string }).name, 'remote_addr', 'at the end of the name');
  assert.equal(at('-c"', 1), undefined, 'past the variable');
  assert.equal(at('return', 2)?.kind, 'directive');
  assert.equal(at('location', 1)?.kind, 'directive');
});

test('an include of proxy_params from outside the workspace is explained, not "no file"', () => {
  const text = 'server {\n    location / {\n        include proxy_params;\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n';
  const ws = workspace({ '/w/sites-available/app': text });
  const s = symbolAt(ws, '/w/sites-available/app', text.indexOf('proxy_params') + 2)!;
  assert.equal(s.kind, 'include');
  assert.match(describe(ws, '/w/sites-available/app', s, () => '')!, /Debian's stock file sets `proxy_set_header` Host/);
});

test('outline: a server without arguments is named by server_name and listen', () => {
  const ws = workspace({ '/w/a.conf': 'server {\n    listen 443 ssl;\n    listen 80;\n    server_name a.test b.test;\n    location /ws/ { }\n}\n' });
  const [server] = outline(ws, '/w/a.conf');
  assert.equal(server.name, 'server a.test b.test (443, 80)');
  assert.deepEqual(server.children.map((c) => c.name), ['location /ws/']);
});

test('hover: proxy_http_version\'s default follows the configured nginx version; $http_upgrade says what it holds', () => {
  const text = 'server {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n';
  const hoverOf = (version: string | undefined, needle: string, k: number) => {
    const ws = new Workspace(new MemoryHost(new Map([['/w/a.conf', text]])), { ...DEFAULT_OPTIONS, nginxVersion: version });
    ws.setFiles(['/w/a.conf']);
    return describe(ws, '/w/a.conf', symbolAt(ws, '/w/a.conf', text.indexOf(needle) + k)!, () => '')!;
  };
  assert.match(hoverOf(undefined, 'proxy_http_version', 3), /default `1\.0` in nginx 1\.22 \(`1\.1` since 1\.29\.7\)/);
  assert.match(hoverOf('1.30', 'proxy_http_version', 3), /default `1\.1` \(since 1\.29\.7\)/);
  assert.match(hoverOf(undefined, '$http_upgrade', 2), /`websocket` on a WebSocket handshake, empty for plain HTTP/);
  assert.match(hoverOf(undefined, 'proxy_pass', 2), /^\*\*proxy_pass\*\*/);
});
