// One file, one identity: every path that leads to a file (a link, a link to the link) reads one
// text, is analysed once, and its findings are listed once under whichever path is asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS, globToRegExp } from '../index';
import type { FileId, Host } from '../types';

const MAIN = "events {}\nhttp {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }\n    include /etc/nginx/sites-enabled/*;\n}\n";
const SITE = 'server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:9000;\n        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n    }\n}\n';

/** Files and links in memory; counts reads, so that reading one file twice shows. */
function host(files: Map<FileId, string>, links: Map<FileId, FileId>) {
  const reads: FileId[] = [];
  const real = (f: FileId): FileId => (links.has(f) ? real(links.get(f)!) : f);
  const h: Host = {
    read(f) { reads.push(f); return files.get(real(f)); },
    glob(p) { const re = globToRegExp(p); return [...files.keys(), ...links.keys()].filter((f) => re.test(f)).sort(); },
    realpath: real,
  };
  return { h, reads };
}

function layout() {
  const files = new Map([['/w/nginx.conf', MAIN], ['/w/sites-available/chat', SITE]]);
  // two links in sites-enabled, one of them to the other: nginx reads the site twice
  const links = new Map([['/w/sites-enabled/chat', '/w/sites-available/chat'], ['/w/sites-enabled/chat-again', '/w/sites-enabled/chat']]);
  const { h, reads } = host(files, links);
  const ws = new Workspace(h, DEFAULT_OPTIONS);
  ws.setFiles(['/w/nginx.conf', '/w/sites-available/chat', '/w/sites-enabled/chat']);
  return { ws, reads };
}

test('three paths, one file: read once, its findings once under the path asked for', () => {
  const { ws, reads } = layout();
  const f = ws.findings('/w/sites-available/chat');
  assert.deepEqual(f.map((x) => x.code), ['ws-read-timeout']);
  assert.equal(f[0].file, '/w/sites-available/chat');
  assert.ok(f[0].fixes!.every((x) => x.edits.every((e) => e.file === '/w/sites-available/chat')));
  assert.equal(reads.filter((r) => r.includes('chat')).length, 1, `read once: ${reads.join(', ')}`);
  assert.deepEqual(ws.findings('/w/sites-enabled/chat-again').map((x) => `${x.file} ${x.code}`), ['/w/sites-enabled/chat-again ws-read-timeout']);
  assert.deepEqual(new Set(['/w/sites-enabled/chat', '/w/sites-enabled/chat-again'].map((p) => ws.canonical(p))), new Set(['/w/sites-available/chat']));
  assert.ok(!ws.analysis().has('/w/sites-available/chat'), 'not judged again as a fragment of its own');
});

test('an edit under one path is what every path reads', () => {
  const { ws } = layout();
  ws.analysis();
  const edited = SITE.replace('        proxy_http_version 1.1;\n', '        proxy_http_version 1.1;\n        proxy_read_timeout 600s;\n');
  ws.setOverlay('/w/sites-enabled/chat', edited);
  for (const p of ['/w/sites-available/chat', '/w/sites-enabled/chat', '/w/sites-enabled/chat-again']) assert.equal(ws.text(p), edited, p);
  assert.deepEqual(ws.findings('/w/sites-available/chat'), []);
  ws.setOverlay('/w/sites-enabled/chat', undefined);
  assert.equal(ws.text('/w/sites-enabled/chat-again'), SITE);
  assert.deepEqual(ws.findings('/w/sites-available/chat').map((x) => x.code), ['ws-read-timeout']);
});
