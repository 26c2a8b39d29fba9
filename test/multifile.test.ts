// The upgrade map and its users across files, as real deployments split them: the map in
// nginx.conf's http{}, servers in conf.d/ or sites-enabled/. The product must follow includes
// the way nginx does (globs, absolute distro paths, map variables being global) and say so when
// it cannot (include cycles). Every tree the product calls clean is also run through the real
// `nginx -t`; a missing nginx fails these tests, it never skips them.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../server/src/core/fix/apply';
import { lineStarts, positionAt } from '../server/src/core/text';
import type { Finding } from '../server/src/core/types';
import { allFindings, parseFixture, ROOT, workspaceOf, type FixtureFile } from './util/fixture';
import { makeCerts, requireNginx, type Certs } from './util/nginx';
import { nginxTestTree } from './util/sandbox-nginx';

const NGINX_CONF = `
events {}

http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }

    include conf.d/*.conf;
}
`;

const NGINX_CONF_WITHOUT_MAP = `
events {}

http {
    include conf.d/*.conf;
}
`;

const APP_CONF = `
server {
    listen 8080;
    server_name app.example.com;

    location / {
        proxy_pass http://127.0.0.1:3000;
        proxy_set_header Host $host;
    }

    location /ws/ {
        proxy_pass http://127.0.0.1:3000;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Host $host;
        proxy_read_timeout 600s;
    }
}
`;

function tree(files: Record<string, string>): FixtureFile[] {
  return Object.entries(files).map(([rel, text]) => ({ path: `${ROOT}/${rel}`, text: text.replace(/^\n/, '') }));
}

function show(files: FixtureFile[], findings: Finding[]): string {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  return findings
    .map((f) => {
      const p = positionAt(lineStarts(texts.get(f.file) ?? ''), f.span.start);
      return `  ${f.file.slice(ROOT.length + 1)}:${p.line + 1}:${p.character + 1} ${f.severity} ${f.code}: ${f.message}`;
    })
    .join('\n') || '  (none)';
}

function findingsOf(files: FixtureFile[]): Finding[] {
  return allFindings(workspaceOf(files), files);
}

function assertClean(files: FixtureFile[]): void {
  const found = findingsOf(files);
  assert.equal(found.length, 0, `expected no finding, got:\n${show(files, found)}`);
}

async function assertNginxAccepts(files: FixtureFile[], certs: Certs | undefined): Promise<void> {
  requireNginx();
  assert.ok(certs, 'no test certificate');
  const r = await nginxTestTree(new Map(files.map((f) => [f.path.slice(ROOT.length + 1), f.text])), certs);
  assert.ok(r.ok, `nginx -t rejected the tree:\n${r.output}`);
}

describe('multi-file: the upgrade map in nginx.conf, the server in conf.d/app.conf', () => {
  let certs: Certs | undefined;
  before(() => {
    requireNginx();
    certs = makeCerts();
  });

  it('gives no finding, and nginx -t accepts it', async () => {
    const files = tree({ 'nginx.conf': NGINX_CONF, 'conf.d/app.conf': APP_CONF });
    assertClean(files);
    await assertNginxAccepts(files, certs);
  });

  it('without the map: ws-map-missing in conf.d/app.conf, whose fix puts the map into nginx.conf', async () => {
    const files = tree({ 'nginx.conf': NGINX_CONF_WITHOUT_MAP, 'conf.d/app.conf': APP_CONF });
    const ws = workspaceOf(files);
    const found = allFindings(ws, files);
    assert.equal(found.length, 1, `expected exactly one finding, got:\n${show(files, found)}`);
    const f = found[0];
    assert.equal(f.code, 'ws-map-missing');
    assert.equal(f.severity, 'error');
    assert.equal(f.file, `${ROOT}/conf.d/app.conf`);
    const app = files[1].text;
    assert.equal(app.slice(f.span.start, f.span.end), '$connection_upgrade');
    assert.equal(positionAt(lineStarts(app), f.span.start).line + 1, 14);

    assert.ok(f.fixes && f.fixes.length === 1, 'the finding carries one fix');
    const edits = f.fixes[0].edits;
    assert.ok(edits.every((e) => e.file === `${ROOT}/nginx.conf`), 'the fix edits nginx.conf only');
    const fixed = applyEdits(files[0].text, edits).text;
    assert.equal(
      fixed,
      [
        'events {}',
        '',
        'http {',
        '    map $http_upgrade $connection_upgrade {',
        '        default upgrade;',
        "        '' close;",
        '    }',
        '    include conf.d/*.conf;',
        '}',
        '',
      ].join('\n'),
    );

    const after = [{ path: files[0].path, text: fixed }, files[1]];
    assertClean(after);
    await assertNginxAccepts(after, certs);
  });

  it('the map in conf.d/00-map.conf, picked up by the glob: no finding', async () => {
    const files = tree({
      'nginx.conf': NGINX_CONF_WITHOUT_MAP,
      'conf.d/00-map.conf': `
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}
`,
      'conf.d/app.conf': APP_CONF,
    });
    assertClean(files);
    await assertNginxAccepts(files, certs);
  });

  it('the map defined after its use (map variables are global): no finding', async () => {
    const files = tree({
      'nginx.conf': `
events {}

http {
    include conf.d/*.conf;

    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
}
`,
      'conf.d/app.conf': APP_CONF,
    });
    assertClean(files);
    await assertNginxAccepts(files, certs);
  });

  it('sites-enabled included by the absolute distro path: re-rooted, no finding', async () => {
    const files = tree({
      'nginx.conf': `
user www-data;
worker_processes auto;

events {
    worker_connections 768;
}

http {
    default_type application/octet-stream;

    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }

    include /etc/nginx/sites-enabled/*;
}
`,
      'sites-enabled/app': APP_CONF,
    });
    const ws = workspaceOf(files);
    const root = ws.analysis().get(`${ROOT}/nginx.conf`);
    assert.ok(root && root.complete, 'the absolute include is followed');
    assert.ok(root.files.has(`${ROOT}/sites-enabled/app`), 'sites-enabled/app is reached from nginx.conf');
    assertClean(files);
    // and the product still sees through the include: drop the map, the use is flagged
    const noMap = [{ path: files[0].path, text: files[0].text.replace(/ {4}map[^}]*\}\n\n/, '') }, files[1]];
    const found = findingsOf(noMap);
    assert.deepEqual(found.map((x) => `${x.file.slice(ROOT.length + 1)} ${x.severity} ${x.code}`), ['sites-enabled/app error ws-map-missing'], show(noMap, found));
    await assertNginxAccepts(files, certs);
  });

  it('a lone nginx.conf including /etc/nginx/conf.d/*.conf (the article\'s example two) is no include cycle', () => {
    // re-rooting once turned the glob into a bare *.conf that listed nginx.conf itself
    const files = tree({ 'nginx.conf': NGINX_CONF.replace('include conf.d/*.conf;', 'include /etc/nginx/conf.d/*.conf;') });
    assertClean(files);
  });

  it('an absolute glob outside the workspace may hold the map: no ws-map-missing', () => {
    // on the server, /etc/nginx/conf.d/*.conf may define $connection_upgrade; nothing here says it doesn't
    const files = tree({ 'nginx.conf': NGINX_CONF_WITHOUT_MAP.replace('include conf.d/*.conf;', `include /etc/nginx/conf.d/*.conf;\n${APP_CONF.replace(/^\n/, '').replace(/^(?=.)/gm, '    ')}`) });
    const found = findingsOf(files);
    assert.equal(found.filter((f) => f.severity === 'error' || f.severity === 'warning').length, 0, show(files, found));
  });

  it('an include cycle is reported, not followed forever, and the rest is still analysed', () => {
    const { files } = parseFixture(`
events {}

http {
    include a.conf;
}
#- a.conf
include b.conf;

server {
    listen 8080;

    location /ws/ {
        proxy_pass http://127.0.0.1:3000;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_read_timeout 600s;
    }
}
#- b.conf
include a.conf;
`);
    const started = Date.now();
    const ws = workspaceOf(files);
    const found = allFindings(ws, files);
    assert.ok(Date.now() - started < 5000, 'analysis finishes promptly');
    const cycle = found.filter((f) => f.code === 'nginx-include' && /include cycle/.test(f.message));
    assert.equal(cycle.length, 1, `one include-cycle finding expected:\n${show(files, found)}`);
    assert.equal(cycle[0].file, `${ROOT}/b.conf`);
    assert.match(cycle[0].message, /a\.conf → b\.conf → a\.conf/);
    // the server in a.conf was still analysed: its missing proxy_http_version is reported
    assert.ok(
      found.some((f) => f.code === 'ws-http-version' && f.file === `${ROOT}/a.conf`),
      `the WebSocket location in a.conf is still checked:\n${show(files, found)}`,
    );
  });
});
