import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS, type AnalyzeOptions } from '../model/tree';
import { droppedMarkdown, droppedSummary, effectiveViews, summaryParts, viewMarkdown, type ViewPlace } from './effectiveView';
import { MemoryHost } from '../../../../test/util/fixture';
import { lineStarts, positionAt } from '../text';

function workspace(files: Record<string, string>, options: AnalyzeOptions = DEFAULT_OPTIONS): Workspace {
  const ws = new Workspace(new MemoryHost(new Map(Object.entries(files))), options);
  ws.setFiles(Object.keys(files));
  return ws;
}

const MAIN = `events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    proxy_set_header X-Http 1;
    server {
        listen 80;
        server_name example.com;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        location /ws/ {
            proxy_pass http://127.0.0.1:9000;
        }
        location /api/ {
            proxy_set_header Host $host;
            proxy_read_timeout 600s;
            proxy_pass http://127.0.0.1:9001;
        }
    }
}
`;

const lineOf = (text: string) => (p: ViewPlace) => `${positionAt(lineStarts(text), p.span.start).line + 1}`;

test('each proxy_pass: the HTTP version, the header lines in nginx\'s order with their level, the settings in force', () => {
  const ws = workspace({ '/w/nginx.conf': MAIN });
  const { proxies } = effectiveViews(ws, '/w/nginx.conf');
  assert.equal(proxies.length, 2);
  const [wsLoc, api] = proxies;
  assert.equal(wsLoc.block, 'location /ws/');
  assert.equal(wsLoc.httpVersion.value, '1.1');
  assert.equal(wsLoc.httpVersion.level, 'server example.com');
  assert.deepEqual(wsLoc.headers.map((h) => `${h.name}=${h.value}@${h.level}`), [
    'Upgrade=$http_upgrade@server example.com', 'Connection=$connection_upgrade@server example.com', 'Host=$proxy_host@nginx default',
    'Content-Length=$proxy_internal_body_length@nginx default', 'Transfer-Encoding=$proxy_internal_chunked@nginx default',
  ]);
  assert.deepEqual(wsLoc.silenced.map((h) => h.name), ['TE', 'Keep-Alive', 'Expect']);
  assert.equal(summaryParts(wsLoc).map((p) => p.text).join(''), '→ HTTP/1.1 · Upgrade, Connection, Host · read 60s');
  assert.deepEqual(wsLoc.dropped.map(lineOf(MAIN)), ['4']);

  assert.equal(api.httpVersion.value, '1.1');
  assert.deepEqual(api.headers.slice(0, 3).map((h) => `${h.name}=${h.value}`), ['Host=$host', 'Connection=close', 'Content-Length=$proxy_internal_body_length']);
  assert.deepEqual(api.silenced.map((h) => h.name), ['TE', 'Keep-Alive', 'Expect', 'Upgrade']);
  assert.equal(api.settings.find((s) => s.name === 'proxy_read_timeout')?.value, '600s');
  assert.equal(summaryParts(api).map((p) => p.text).join(''), '→ HTTP/1.1 · Host, Connection: close · read 600s');
  assert.deepEqual(api.dropped.map(lineOf(MAIN)), ['9', '10', '4']);
  const md = viewMarkdown(api, lineOf(MAIN));
  assert.match(md, /\| Host \| `\$host` \(not sent when empty\) \| location \/api\/ \(15\) \|/);
  assert.match(md, /\| Connection \| `close` \| nginx default \|/);
  assert.match(md, /proxy_read_timeout 600s — location \/api\/ \(16\)/);
  assert.match(md, /proxy_connect_timeout 60s — nginx default/);
  assert.doesNotMatch(md, /1\.29\.7 changed/);
  assert.match(md, /except `host`, `connection`, `content-length`, `transfer-encoding`, `te`, `keep-alive`, `expect`, `upgrade`/);
});

test('lines dropped by inheritance: where they are written, for which blocks, and whether any block still uses them', () => {
  const ws = workspace({ '/w/nginx.conf': MAIN });
  const { dropped } = effectiveViews(ws, '/w/nginx.conf');
  assert.deepEqual(dropped.map((d) => [lineOf(MAIN)(d), d.usedBy, d.droppedFor.map((x) => x.block)]), [
    ['4', 0, ['location /ws/', 'location /api/']],
    ['9', 1, ['location /api/']],
    ['10', 1, ['location /api/']],
  ]);
  assert.equal(droppedSummary(dropped[0]), 'not inherited by any of the 2 proxies below');
  assert.equal(droppedSummary(dropped[1]), 'not inherited by location /api/');
  assert.match(droppedMarkdown(dropped[1], lineOf(MAIN)), /location \/api\/ \(17\), its lines start at 15/);
});

test('nothing is said to be dropped where an unread include may hold lines; stock proxy_params counts as its lines', () => {
  const text = `events {}
http {
    server {
        proxy_set_header Upgrade $http_upgrade;
        location /a/ {
            include snippets/unknown.conf;
            proxy_pass http://127.0.0.1:9000;
        }
        location /b/ {
            include proxy_params;
            proxy_pass http://127.0.0.1:9000;
        }
    }
}
`;
  const ws = workspace({ '/w/nginx.conf': text });
  const { proxies, dropped } = effectiveViews(ws, '/w/nginx.conf');
  assert.equal(proxies[0].unread && lineOf(text)(proxies[0].unread), '6');
  assert.match(viewMarkdown(proxies[0], lineOf(text)), /could not be read \(6\)/);
  assert.deepEqual(proxies[1].headers.slice(0, 4).map((h) => `${h.name}=${h.value}@${h.from && lineOf(text)(h.from)}`), [
    'Host=$host@10', 'X-Real-IP=$remote_addr@10', 'X-Forwarded-For=$proxy_add_x_forwarded_for@10', 'X-Forwarded-Proto=$scheme@10',
  ]);
  assert.match(viewMarkdown(proxies[1], lineOf(text)), /\| Host \| `\$host` \(not sent when empty\) \(Debian's proxy_params; older packages: `\$http_host`\) \| location \/b\/ \(10\) \|/);
  // dropped for /b/ (proxy_params replaces it), unknown for /a/: the line is still reported, for /b/ only
  assert.deepEqual(dropped.map((d) => [lineOf(text)(d), d.droppedFor.map((x) => x.block)]), [['4', ['location /b/']]]);
});

test('a snippet\'s lines are shown in the snippet, a proxy_pass in `if` is its own block, nginx 1.29.7 defaults', () => {
  const main = `events {}
http {
    server {
        include snippets/ws.conf;
        location /x/ {
            proxy_set_header X-Own 1;
            if ($http_x_test) {
                proxy_pass http://127.0.0.1:9000;
            }
            proxy_pass http://127.0.0.1:9000;
        }
    }
}
`;
  const snippet = 'proxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection "upgrade";\n';
  const ws = workspace({ '/w/nginx.conf': main, '/w/snippets/ws.conf': snippet }, { ...DEFAULT_OPTIONS, nginxVersion: '1.29.7' });
  const { proxies } = effectiveViews(ws, '/w/nginx.conf');
  assert.deepEqual(proxies.map((p) => p.block), ['if ($http_x_test) in location /x/', 'location /x/']);
  assert.equal(proxies[0].httpVersion.value, '1.1');
  assert.ok(!proxies[0].headers.some((h) => h.name === 'Connection'));
  assert.equal(proxies[0].version, '1.29.7');
  assert.match(viewMarkdown(proxies[0], lineOf(main)), /nginx 1\.29\.7 changed the defaults/);
  assert.equal(proxies[1].cache, undefined);
  const inSnippet = effectiveViews(ws, '/w/snippets/ws.conf');
  assert.equal(inSnippet.proxies.length, 0);
  assert.deepEqual(inSnippet.dropped.map((d) => [lineOf(snippet)(d), d.droppedFor.length, d.usedBy]), [['1', 2, 0], ['2', 2, 0]]);
});

test('proxy_cache in force: the view says which requests get the cache\'s headers', () => {
  const text = `events {}
http {
    proxy_cache_path /tmp/c keys_zone=z:1m;
    server {
        proxy_cache z;
        proxy_cache_methods POST;
        location /a/ {
            proxy_pass http://127.0.0.1:9000;
        }
        location /b/ {
            proxy_cache off;
            proxy_pass http://127.0.0.1:9000;
        }
    }
}
`;
  const [a, b] = effectiveViews(workspace({ '/w/nginx.conf': text }), '/w/nginx.conf').proxies;
  assert.deepEqual(a.cache?.methods, ['GET', 'HEAD', 'POST']);
  assert.match(viewMarkdown(a, lineOf(text)), /proxy_cache is on \(5\): for GET and HEAD and POST requests/);
  assert.equal(b.cache, undefined);
});
