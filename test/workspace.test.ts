// The workspace re-analyses only the roots a change can affect: the files a root read, the
// literal paths and globs its includes looked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS } from '../server/src/core/index';
import { MemoryHost } from './util/fixture';

function setup() {
  const files = new Map<string, string>([
    ['/w/a/nginx.conf', 'events {}\nhttp { include conf.d/*.conf; include extra.conf; }\n'],
    ['/w/a/conf.d/app.conf', 'server { listen 8080; }\n'],
    ['/w/b/nginx.conf', 'events {}\nhttp { server { listen 8081; } }\n'],
  ]);
  const host = new MemoryHost(files);
  const ws = new Workspace(host, DEFAULT_OPTIONS);
  ws.setFiles(files.keys());
  return { files, ws };
}

test('an edit re-analyses its own root only', () => {
  const { ws } = setup();
  const a1 = ws.analysis().get('/w/a/nginx.conf');
  const b1 = ws.analysis().get('/w/b/nginx.conf');
  ws.setOverlay('/w/a/conf.d/app.conf', 'server { listen 8080; foo; }\n');
  const a2 = ws.analysis().get('/w/a/nginx.conf');
  assert.notEqual(a2, a1, 'the edited root is analysed again');
  assert.equal(ws.analysis().get('/w/b/nginx.conf'), b1, 'the other root is reused');
  assert.deepEqual(ws.findings('/w/a/conf.d/app.conf').map((f) => f.message), ['unknown directive "foo"']);
  assert.deepEqual(ws.findings('/w/b/nginx.conf'), []);
});

test('a new file matching a root\'s glob, or a missing include appearing, re-analyses that root', () => {
  const { files, ws } = setup();
  const a1 = ws.analysis().get('/w/a/nginx.conf')!;
  const b1 = ws.analysis().get('/w/b/nginx.conf')!;
  assert.ok(a1.findings.some((f) => f.message.startsWith('open() "/w/a/extra.conf" failed')));
  files.set('/w/a/conf.d/new.conf', 'server { bar; }\n');
  ws.addFile('/w/a/conf.d/new.conf');
  const a2 = ws.analysis().get('/w/a/nginx.conf')!;
  assert.notEqual(a2, a1);
  assert.ok(a2.files.has('/w/a/conf.d/new.conf'));
  files.set('/w/a/extra.conf', 'server { listen 8082; }\n');
  ws.addFile('/w/a/extra.conf');
  const a3 = ws.analysis().get('/w/a/nginx.conf')!;
  assert.notEqual(a3, a2);
  assert.ok(!a3.findings.some((f) => f.message.startsWith('open()')));
  assert.equal(ws.analysis().get('/w/b/nginx.conf'), b1, 'root b looked for none of these files');
});

test('changed options re-analyse everything', () => {
  const { ws } = setup();
  const b1 = ws.analysis().get('/w/b/nginx.conf');
  ws.setOptions({ ...DEFAULT_OPTIONS, nginxVersion: '1.29.7' });
  assert.notEqual(ws.analysis().get('/w/b/nginx.conf'), b1);
});
