// Bad input gets a clear message and loses nothing: the analysis finishes and says what it skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS, MAX_FILE_BYTES } from '../server/src/core/index';
import { MAX_DEPTH } from '../server/src/core/syntax/parser';
import { MemoryHost } from './util/fixture';
import { nginxTest, withLocalPaths } from './util/nginx';

function analyse(files: Record<string, string>, unreadable: string[] = []) {
  const ws = new Workspace(new MemoryHost(new Map(Object.entries(files)), new Set(unreadable)), DEFAULT_OPTIONS);
  ws.setFiles(Object.keys(files).concat(unreadable));
  return (f: string) => ws.findings(f).map((x) => `${x.severity} ${x.code}: ${x.message}`);
}

test('nesting far deeper than any real config: one warning, no stack overflow', () => {
  const depth = 50_000;
  const text = `events {}\nhttp { server { ${'location /a { '.repeat(depth)}${'}'.repeat(depth)} } }\n`;
  const findings = analyse({ '/w/nginx.conf': text })('/w/nginx.conf');
  assert.deepEqual(findings, [`warning nginx-syntax: blocks nested deeper than ${MAX_DEPTH} levels: their contents are not analysed`]);
});

test('a huge file is skipped with its size, the rest is analysed', () => {
  const big = '# x\n'.repeat(Math.ceil((MAX_FILE_BYTES + 1) / 4));
  const get = analyse({ '/w/nginx.conf': 'events {}\nhttp { include conf.d/*.conf; }\n', '/w/conf.d/big.conf': big, '/w/conf.d/app.conf': 'server { foo; }\n' });
  assert.ok(get('/w/nginx.conf').some((m) => /big\.conf: skipped: \d+ MB is larger than the 16 MB limit/.test(m)), get('/w/nginx.conf').join('\n'));
  assert.deepEqual(get('/w/conf.d/app.conf'), ['error nginx-directive: unknown directive "foo"']);
});

test('an unreadable include is reported where it is included', () => {
  const get = analyse({ '/w/nginx.conf': 'events {}\nhttp { include secret.conf; }\n' }, ['/w/secret.conf']);
  assert.deepEqual(get('/w/nginx.conf'), ['warning nginx-include: secret.conf: skipped: permission denied']);
});

test('an include cycle is reported once and not followed', () => {
  const get = analyse({
    '/w/nginx.conf': 'events {}\nhttp { include a.conf; }\n',
    '/w/a.conf': 'include b.conf;\nserver { listen 8080; }\n',
    '/w/b.conf': 'include a.conf;\n',
  });
  assert.deepEqual(get('/w/b.conf'), ['error nginx-include: include cycle: a.conf → b.conf → a.conf; not followed']);
  assert.deepEqual(get('/w/a.conf'), []);
});

test('a NUL byte or invalid UTF-8 in a buffer is just text: no crash', () => {
  const get = analyse({ '/w/nginx.conf': 'events {}\nhttp { server { location / { return 200 "a\u0000b\uFFFD"; } } }\n' });
  assert.deepEqual(get('/w/nginx.conf'), []);
});

test('envsubst placeholders in *.conf.template files are opaque; the same text in a .conf is nginx\'s error', () => {
  const body = 'map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }\nserver {\n    listen ${NGINX_PORT};\n    location /api/ {\n        proxy_pass http://${BACKEND}:$BACKEND_PORT;\n        proxy_set_header Host $host;\n    }\n}\n';
  const get = analyse({ '/w/nginx.conf': 'events {}\nhttp { include templates/*.conf.template; include conf.d/*.conf; }\n', '/w/templates/app.conf.template': body.replace('$connection_upgrade', '$tpl_connection_upgrade'), '/w/conf.d/app.conf': body });
  // (one map per variable: the same map in both files would be ws-map-duplicate, rightly)
  assert.deepEqual(get('/w/templates/app.conf.template'), []);
  // nginx names variables in lower case; `listen` takes its argument as text (nginx: host not found)
  assert.deepEqual(get('/w/conf.d/app.conf'), ['error nginx-variable: unknown "backend" variable', 'error nginx-variable: unknown "backend_port" variable']);
});

test('well-known third-party directives (OpenResty, headers-more, echo…) are not unknown; made-up ones are', () => {
  const get = analyse({
    '/w/nginx.conf': [
      'events {}',
      'http {',
      '    lua_shared_dict cache 10m;',
      '    server {',
      '        more_set_headers "Server: x";',
      '        location /a { content_by_lua_block { ngx.say("}") } }',
      '        location /b { echo "hi"; }',
      '        location /c { brotli on; proxy_pass http://127.0.0.1:8080; }',
      '        location /d { frobnicate on; }',
      '    }',
      '}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(get('/w/nginx.conf'), ['error nginx-directive: unknown directive "frobnicate"']);
});

test('a UTF-8 byte order mark at the start: nginx\'s own error, and a fix that removes the mark', async () => {
  const text = '\uFEFFevents {}\nhttp {}\n';
  const file = '/w/nginx.conf';
  const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
  ws.setFiles([file]);
  const [f] = ws.findings(file);
  assert.equal(f.message, 'unknown directive "\uFEFFevents"');
  const verdict = await nginxTest({ 'nginx.conf': text });
  assert.equal(verdict.error?.message, f.message, 'the same text as nginx');
  const edit = f.fixes![0].edits[0];
  const fixed = text.slice(0, edit.span.start) + edit.text + text.slice(edit.span.end);
  assert.equal(fixed, 'events {}\nhttp {}\n');
  assert.equal((await nginxTest({ 'nginx.conf': withLocalPaths(fixed) })).ok, true);
});
