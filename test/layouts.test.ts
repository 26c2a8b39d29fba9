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
import { Workspace, DEFAULT_OPTIONS } from '../server/src/core/index';
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
const UNUSED = APP.replace('127.0.0.1:8080', '127.0.0.1:8081').replace('        proxy_set_header Upgrade $http_upgrade;\n', '');

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
  // an edit that changes no variable does not re-judge (nor re-publish) the other fragments
  ws.setOverlay('/w/conf.d/00-websocket-map.conf', map + '# a comment\n');
  assert.ok(!ws.dependents('/w/conf.d/00-websocket-map.conf').includes('/w/conf.d/app.conf'));
  ws.setOverlay('/w/conf.d/00-websocket-map.conf', undefined);
  // and nginx agrees that the two files under an nginx.conf including conf.d/*.conf are valid
  const verdict = await nginxTest({
    'nginx.conf': withLocalPaths('events {}\nhttp {\n    include conf.d/*.conf;\n}\n'),
    'conf.d/00-websocket-map.conf': map,
    'conf.d/app.conf': APP,
  });
  assert.equal(verdict.ok, true, verdict.output);
});

/** Ubuntu-style site: Debian's proxy_params and a server-side snippet, neither in the repository. */
const SITE = `upstream app_ws {
    server 127.0.0.1:9000;
}
server {
    listen 127.0.0.1:8080;
    location / {
        include proxy_params;
        proxy_pass http://app_ws;
    }
    location /ws/ {
        include proxy_params;
        include /etc/nginx/snippets/websocket-headers.conf;
        proxy_pass http://app_ws;
    }
}
`;

const PROXY_PARAMS = 'proxy_set_header Host $http_host;\nproxy_set_header X-Real-IP $remote_addr;\nproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\nproxy_set_header X-Forwarded-Proto $scheme;\n';
const SNIPPET = 'proxy_http_version 1.1;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection "upgrade";\nproxy_read_timeout 600s;\n';

function site(text: string) {
  const files = new Map([['/w/sites-available/app', text]]);
  const ws = new Workspace(new MemoryHost(files), DEFAULT_OPTIONS);
  ws.setFiles(files.keys());
  return ws.findings('/w/sites-available/app').filter((f) => f.code.startsWith('ws-')).map((f) => `${f.code}@${f.span.start}`);
}

test('includes from outside the repository: nothing is called missing that an unread snippet may hold; stock proxy_params holds no Upgrade', async () => {
  // the WebSocket lines live in a snippet on the server: no finding at all
  assert.deepEqual(site(SITE), []);
  // nginx agrees, given the files the server has
  const verdict = await nginxTest((prefix) => ({
    'nginx.conf': withLocalPaths(`events {}\nhttp {\n    include ${prefix}/sites-available/app;\n}\n`),
    'sites-available/app': SITE.replace('/etc/nginx/snippets/', `${prefix}/snippets/`).replace(/include proxy_params;/g, `include ${prefix}/proxy_params;`),
    'proxy_params': PROXY_PARAMS,
    'snippets/websocket-headers.conf': SNIPPET,
  }));
  assert.equal(verdict.ok, true, verdict.output);
  // without the snippet, /ws/ has only proxy_params, whose content is known: Upgrade is missing
  // there (and only there: it is the endpoint, location / proxies plain HTTP to the same upstream)
  const bare = SITE.replace('        include /etc/nginx/snippets/websocket-headers.conf;\n', '');
  const wsAt = bare.indexOf('location /ws/');
  assert.deepEqual(site(bare).sort(), [`ws-read-timeout@${wsAt}`, `ws-upgrade-header-missing@${wsAt}`]);
});

test('an upstream named like a WebSocket backend: the location with the Upgrade headers is the endpoint, the plain one is not flagged', () => {
  const text = SITE.replace('        include /etc/nginx/snippets/websocket-headers.conf;\n', '        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection "upgrade";\n        proxy_read_timeout 600s;\n');
  assert.deepEqual(site(text).filter((c) => !c.startsWith('ws-connection-hardcoded')), []);
  // with no explicit endpoint, the name is all there is: location / is flagged (a warning, with the reason)
  const only = text.replace(/    location \/ws\/ \{[^}]*\}\n/, '');
  assert.deepEqual(site(only).map((c) => c.split('@')[0]).sort(), ['ws-read-timeout', 'ws-upgrade-header-missing']);
});
