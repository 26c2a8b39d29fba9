// Real-world layouts.
// Debian/Ubuntu: nginx.conf includes /etc/nginx/sites-enabled/*, whose entries are symbolic
// links to sites-available/. The file people edit is the one in sites-available; it is judged
// as part of nginx.conf's tree, under its own path. Checked in memory (links in the host) and
// on disk (real links, NodeHost), where nginx -t agrees the tree is valid.
// Docker: only conf.d/ is in the repository (the image's nginx.conf includes conf.d/*.conf),
// with the upgrade map in a file of its own beside the servers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, DEFAULT_OPTIONS } from '../server/src/core/model/workspace';
import { NodeHost, findNginxFiles, toFileId } from '../server/src/host/node-host';
import { MemoryHost } from './util/fixture';
import { nginxTest, withLocalPaths } from './util/nginx';

const MAIN = `events {}
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    include /etc/nginx/sites-enabled/*;
}
`;

const APP = `server {
    listen 127.0.0.1:8080;
    location /ws/ {
        proxy_pass http://127.0.0.1:9000;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 600s;
    }
}
`;

/** A site that is not enabled (no link), with a WebSocket location missing its Upgrade line. */
const UNUSED = `server {
    listen 127.0.0.1:8081;
    location /ws/ {
        proxy_pass http://127.0.0.1:9000;
        proxy_http_version 1.1;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 600s;
    }
}
`;

function memory(main = MAIN) {
  const files = new Map([
    ['/w/nginx.conf', main],
    ['/w/sites-available/app', APP],
    ['/w/sites-available/unused', UNUSED],
    // the machine's own /etc/nginx (outside the workspace) must not stand in for the workspace's
    ['/etc/nginx/sites-enabled/default', 'server { listen 80; foo_machine_only; }\n'],
  ]);
  const links = new Map([['/w/sites-enabled/app', '/w/sites-available/app']]);
  const ws = new Workspace(new MemoryHost(files, new Set(), links), DEFAULT_OPTIONS);
  ws.setFiles(['/w/nginx.conf', '/w/sites-available/app', '/w/sites-available/unused']);
  return ws;
}

const codes = (ws: Workspace, file: string) => ws.findings(file).map((f) => `${f.code}: ${f.message}`);

test('a site enabled through a link is judged inside nginx.conf, under its sites-available path', () => {
  const ws = memory();
  const main = ws.analysis().get('/w/nginx.conf')!;
  assert.ok(main.files.has('/w/sites-enabled/app'), 'the include reaches the workspace copy, not /etc/nginx on the machine');
  assert.ok(!ws.analysis().has('/w/sites-available/app'), 'not an orphan fragment');
  assert.deepEqual(codes(ws, '/w/sites-available/app'), []);
  // an edit in the open sites-available buffer is what nginx.conf's tree reads
  ws.setOverlay('/w/sites-available/app', APP.replace('        proxy_set_header Upgrade $http_upgrade;\n', ''));
  const f = ws.findings('/w/sites-available/app');
  assert.deepEqual(f.map((x) => x.code), ['ws-upgrade-header-missing']);
  assert.equal(f[0].file, '/w/sites-available/app');
  assert.ok(f[0].fixes!.length && f[0].fixes!.every((x) => x.edits.every((e) => e.file === '/w/sites-available/app')), 'the fix edits the open file');
  assert.ok(ws.dependents('/w/sites-available/app').includes('/w/sites-enabled/app'));
});

test('a site that is not enabled: the map of the workspace\'s nginx.conf counts, its own mistakes still show', () => {
  const ws = memory();
  assert.deepEqual(codes(ws, '/w/sites-available/unused').map((c) => c.split(':')[0]), ['ws-upgrade-header-missing']);
  // without the map in nginx.conf, the fragment's $connection_upgrade is unknown again
  ws.setOverlay('/w/nginx.conf', MAIN.replace(/    map[^}]*}\n/, ''));
  assert.ok(ws.dependents('/w/nginx.conf').includes('/w/sites-available/unused'), 'editing nginx.conf re-publishes the fragments');
  assert.deepEqual(codes(ws, '/w/sites-available/unused').map((c) => c.split(':')[0]), ['ws-upgrade-header-missing', 'ws-map-missing']);
  ws.setOverlay('/w/nginx.conf', undefined);
  assert.deepEqual(codes(ws, '/w/sites-available/unused').map((c) => c.split(':')[0]), ['ws-upgrade-header-missing']);
});

test('on disk with real links: the same verdicts, and nginx -t accepts the tree', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-debian-'));
  try {
    fs.mkdirSync(path.join(dir, 'sites-available'));
    fs.mkdirSync(path.join(dir, 'sites-enabled'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), MAIN);
    fs.writeFileSync(path.join(dir, 'sites-available/app'), APP);
    fs.writeFileSync(path.join(dir, 'sites-available/unused'), UNUSED);
    fs.symlinkSync('../sites-available/app', path.join(dir, 'sites-enabled/app'));
    const root = toFileId(dir);
    const ws = new Workspace(new NodeHost(), DEFAULT_OPTIONS);
    ws.setFiles(findNginxFiles(root));
    assert.deepEqual(codes(ws, `${root}/sites-available/app`), []);
    assert.deepEqual(codes(ws, `${root}/nginx.conf`), []);
    // nginx itself, with the include pointed at this tree
    const verdict = await nginxTest((prefix) => ({
      'nginx.conf': withLocalPaths(MAIN.replace('/etc/nginx/sites-enabled/*', `${prefix}/sites-enabled/*`)),
      'sites-enabled/app': APP,
    }));
    assert.equal(verdict.ok, true, verdict.output);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Docker conf.d only: the map in conf.d/00-websocket-map.conf counts for conf.d/app.conf, and stops counting when removed', async () => {
  const map = "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    '' close;\n}\n";
  const files = new Map([
    ['/w/conf.d/00-websocket-map.conf', map],
    ['/w/conf.d/app.conf', APP],
  ]);
  const ws = new Workspace(new MemoryHost(files), DEFAULT_OPTIONS);
  ws.setFiles(files.keys());
  assert.deepEqual(codes(ws, '/w/conf.d/app.conf'), []);
  const appRoot = ws.analysis().get('/w/conf.d/app.conf');
  // the map goes away: app.conf (unchanged, its analysis reused) is judged again
  ws.setOverlay('/w/conf.d/00-websocket-map.conf', '# moved\n');
  assert.ok(ws.dependents('/w/conf.d/00-websocket-map.conf').includes('/w/conf.d/app.conf'), 'app.conf is re-published');
  assert.deepEqual(codes(ws, '/w/conf.d/app.conf').map((c) => c.split(':')[0]), ['ws-map-missing']);
  assert.equal(ws.analysis().get('/w/conf.d/app.conf'), appRoot, 'only the rules ran again, not the whole analysis');
  ws.setOverlay('/w/conf.d/00-websocket-map.conf', undefined);
  assert.deepEqual(codes(ws, '/w/conf.d/app.conf'), []);
  // and nginx agrees that the two files under an nginx.conf including conf.d/*.conf are valid
  const verdict = await nginxTest({
    'nginx.conf': withLocalPaths('events {}\nhttp {\n    include conf.d/*.conf;\n}\n'),
    'conf.d/00-websocket-map.conf': map,
    'conf.d/app.conf': APP,
  });
  assert.equal(verdict.ok, true, verdict.output);
});
