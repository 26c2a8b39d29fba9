import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { hasLocationFixes, workingLocation } from './wsLocation';
import { MemoryHost } from '../../../../test/util/fixture';
import { nginxTestSync } from '../../../../test/util/nginx';

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace(new MemoryHost(new Map(Object.entries(files))), DEFAULT_OPTIONS);
  ws.setFiles(Object.keys(files));
  return ws;
}

/** Rule findings (not nginx's) inside the text between `from` and the next `}` after it. */
function ruleFindingsIn(ws: Workspace, file: string, text: string, from: string): string[] {
  const start = text.indexOf(from);
  const end = text.indexOf('}', start);
  return ws.findings(file).filter((f) => !f.code.startsWith('nginx-') && f.span.start >= start && f.span.end <= end).map((f) => f.code).sort();
}

const TWO_BROKEN = [
  'events {}',
  'http {',
  '    server {',
  '        listen 8080;',
  '        location /ws/ {',
  '            proxy_pass http://127.0.0.1:9000;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '        }',
  '        location /live/ {',
  '            proxy_pass http://127.0.0.1:9001;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '        }',
  '    }',
  '}',
  '',
].join('\n');

test('one action adds every missing piece of one location, and nothing to its neighbour', () => {
  const file = '/w/nginx.conf';
  const ws = workspace({ [file]: TWO_BROKEN });
  // the rules see one missing piece at a time: the map only once Connection names it
  assert.ok(ruleFindingsIn(ws, file, TWO_BROKEN, 'location /ws/').length >= 1);
  const at = TWO_BROKEN.indexOf('Upgrade $http_upgrade');
  assert.equal(hasLocationFixes(ws, file, at), true);
  const r = workingLocation(ws, [file], file, at);
  assert.ok(r, 'a fix for the location');
  assert.ok(r.fixes >= 3, `several fixes in one action (took ${r.fixes})`);
  const fixed = r.texts.get(file)!;
  assert.match(fixed, /map \$http_upgrade \$connection_upgrade/, 'the map the Connection line needs, in http');
  const ws2 = workspace({ [file]: fixed });
  assert.deepEqual(ruleFindingsIn(ws2, file, fixed, 'location /ws/'), [], 'nothing left to say about /ws/');
  // the other endpoint keeps its own problems (its own fix is its own action)
  const live = fixed.slice(fixed.indexOf('location /live/'));
  assert.ok(!/proxy_http_version|Connection/.test(live.slice(0, live.indexOf('}'))), '/live/ untouched');
  assert.ok(ruleFindingsIn(ws2, file, fixed, 'location /live/').length > 0, '/live/ still flagged');
  assert.equal(ws.text(file), TWO_BROKEN, 'the live workspace is left as it was');
  const v = nginxTestSync(new Map([['nginx.conf', fixed]]));
  assert.ok(v.ok, `nginx -t accepts the fixed config: ${v.output}`);
});

test('across files: the site in conf.d gets its lines, nginx.conf gets the map', () => {
  const main = '/w/nginx.conf';
  const site = '/w/conf.d/app.conf';
  const files = {
    [main]: 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    [site]: 'server {\n    listen 8080;\n    location /socket.io/ {\n        proxy_pass http://127.0.0.1:9000;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n',
  };
  const ws = workspace(files);
  const r = workingLocation(ws, Object.keys(files), site, files[site].indexOf('proxy_pass'));
  assert.ok(r);
  assert.deepEqual([...r.texts.keys()].sort(), [site, main].sort());
  assert.match(r.texts.get(main)!, /map \$http_upgrade \$connection_upgrade/);
  assert.match(r.texts.get(site)!, /proxy_http_version 1\.1;[\s\S]*Connection \$connection_upgrade/);
  const v = nginxTestSync(new Map([['nginx.conf', r.texts.get(main)!], ['conf.d/app.conf', r.texts.get(site)!]]));
  assert.ok(v.ok, v.output);
});

test('no location there, or nothing to fix in it: no action', () => {
  const file = '/w/nginx.conf';
  const good = 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }\n    server {\n        listen 8080;\n        location /ws/ {\n            proxy_pass http://127.0.0.1:9000;\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n            proxy_read_timeout 600s;\n        }\n    }\n}\n';
  const ws = workspace({ [file]: good });
  assert.equal(workingLocation(ws, [file], file, good.indexOf('proxy_pass')), undefined);
  assert.equal(hasLocationFixes(ws, file, good.indexOf('proxy_pass')), false);
  const ws2 = workspace({ [file]: TWO_BROKEN });
  assert.equal(workingLocation(ws2, [file], file, TWO_BROKEN.indexOf('listen')), undefined, 'outside every location');
});
