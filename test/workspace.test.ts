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
  assert.ok(ws.judgedOf(a1)!.findings.some((f) => f.message.startsWith('open() "/w/a/extra.conf" failed')));
  files.set('/w/a/conf.d/new.conf', 'server { bar; }\n');
  ws.addFile('/w/a/conf.d/new.conf');
  const a2 = ws.analysis().get('/w/a/nginx.conf')!;
  assert.notEqual(a2, a1);
  assert.ok(a2.files.has('/w/a/conf.d/new.conf'));
  files.set('/w/a/extra.conf', 'server { listen 8082; }\n');
  ws.addFile('/w/a/extra.conf');
  const a3 = ws.analysis().get('/w/a/nginx.conf')!;
  assert.notEqual(a3, a2);
  assert.ok(!ws.judgedOf(a3)!.findings.some((f) => f.message.startsWith('open()')));
  assert.equal(ws.analysis().get('/w/b/nginx.conf'), b1, 'root b looked for none of these files');
});

test('changed options re-analyse everything', () => {
  const { ws } = setup();
  const b1 = ws.analysis().get('/w/b/nginx.conf');
  ws.setOptions({ ...DEFAULT_OPTIONS, nginxVersion: '1.29.7' });
  assert.notEqual(ws.analysis().get('/w/b/nginx.conf'), b1);
});

test('a snapshot is a value: an edit builds the next one and leaves the old one as it was', () => {
  const { ws } = setup();
  const s1 = ws.snapshot();
  const a1 = s1.judged.get('/w/a/nginx.conf')!;
  const b1 = s1.judged.get('/w/b/nginx.conf')!;
  const before = a1.findings.map((f) => f.message);
  ws.setOverlay('/w/a/conf.d/app.conf', 'server { listen 8080; foo; }\n');
  const s2 = ws.snapshot();
  assert.ok(s2.revision > s1.revision);
  assert.equal(s2.judged.get('/w/b/nginx.conf'), b1, 'the untouched root is shared, judgement and all');
  assert.notEqual(s2.judged.get('/w/a/nginx.conf'), a1);
  assert.deepEqual(s1.judged.get('/w/a/nginx.conf')!.findings.map((f) => f.message), before, 'the old snapshot still says what it said');
  assert.ok(s2.judged.get('/w/a/nginx.conf')!.findings.some((f) => f.message === 'unknown directive "foo"'));
  assert.equal(ws.snapshot(), s2, 'no change, same snapshot');
});

test('a fragment is judged again exactly when an answer it got about the rest of the workspace changes', () => {
  const files = new Map<string, string>([
    ['/w/conf.d/app.conf', 'server { listen 80; location /ws/ { proxy_pass http://127.0.0.1:3000; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; } }\n'],
    ['/w/conf.d/other.conf', 'server { listen 81; }\n'],
  ]);
  const ws = new Workspace(new MemoryHost(files), DEFAULT_OPTIONS);
  ws.setFiles(files.keys());
  const codes = () => ws.findings('/w/conf.d/app.conf').map((f) => f.code);
  assert.ok(codes().includes('ws-map-missing'), 'no file defines $connection_upgrade');
  const j1 = ws.snapshot().judged.get('/w/conf.d/app.conf')!;
  assert.equal(j1.asked.get('connection_upgrade'), false, 'the judgement records the question and its answer');
  // a change elsewhere that defines some other variable: the answer is the same, the judgement is kept
  ws.setOverlay('/w/conf.d/other.conf', 'map $host $unrelated { default 1; }\nserver { listen 81; }\n');
  assert.equal(ws.snapshot().judged.get('/w/conf.d/app.conf'), j1);
  assert.ok(!ws.snapshot().rejudged.has('/w/conf.d/app.conf'));
  // the map appears in another file: the answer changes, the fragment is judged again
  ws.setOverlay('/w/conf.d/other.conf', 'map $http_upgrade $connection_upgrade { default upgrade; "" close; }\nserver { listen 81; }\n');
  const j3 = ws.snapshot().judged.get('/w/conf.d/app.conf')!;
  assert.notEqual(j3, j1);
  assert.equal(j3.root, j1.root, 'its tree is reused: only the judgement depended on the answer');
  assert.ok(ws.snapshot().rejudged.has('/w/conf.d/app.conf'));
  assert.ok(ws.dependents('/w/conf.d/other.conf').includes('/w/conf.d/app.conf'));
  assert.ok(!codes().includes('ws-map-missing'));
});
