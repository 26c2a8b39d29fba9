// Suppression comments and per-code severity settings, for rules and nginx-level codes alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, parseFixture, workspaceOf, allFindings } from './util/fixture';

test('# nginx-ws-disable-next-line silences one line, for the listed ids only', () => {
  check(`
events {}
http {
    server {
        # nginx-ws-disable-next-line ws-upgrade-header-missing, ws-read-timeout
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
        }
        # nginx-ws-disable-next-line ws-read-timeout
        location /socket.io/ {
#       ^^^^^^^^ warning ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
        }
    }
}`);
});

test('# nginx-ws-disable <id> silences a whole file; without ids, everything', () => {
  check(`
# nginx-ws-disable ws-read-timeout
events {}
http {
    server {
        location /ws/ {
#       ^^^^^^^^ warning ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
        }
    }
}`);
  check(`
# nginx-ws-disable
events {}
http {
    server {
        location /ws/ { proxy_pass http://127.0.0.1:8080; }
        foo bar;
    }
}`);
});

test('severity settings apply to rules and nginx codes; off removes them', () => {
  const { files } = parseFixture(`
events {}
http {
    server {
        location /ws/ { proxy_pass http://127.0.0.1:8080; proxy_http_version 1.1; }
        foo bar;
    }
}`);
  const codes = (options: object) => allFindings(workspaceOf(files, options), files).map((f) => `${f.code}:${f.severity}`).sort();
  assert.deepEqual(codes({}), ['nginx-directive:error', 'ws-read-timeout:hint', 'ws-upgrade-header-missing:warning']);
  assert.deepEqual(codes({ rules: { 'ws-upgrade-header-missing': 'error', 'nginx-directive': 'off', 'ws-read-timeout': 'off' } }), ['ws-upgrade-header-missing:error']);
});
