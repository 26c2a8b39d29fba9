import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-keepalive-close';

test('the map sends close to a keepalive upstream', () => {
  const f = check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
#                                                               ^^^^^ info ws-keepalive-close +fix
    upstream app { server 127.0.0.1:8080; keepalive 32; }
    server {
        location /ws/ {
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, { rule });
  assert.match(f.find((x) => x.code === rule)!.related![0].note, /keepalive in upstream app/);
});

test('no keepalive, or the \'\' \'\' variant: nothing', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    map $http_upgrade $connection_upgrade_ka { default upgrade; '' ''; }
    upstream app { server 127.0.0.1:8080; }
    upstream ka { server 127.0.0.1:8081; keepalive 8; }
    server {
        location /ws/ { proxy_pass http://app; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; }
        location /ka/ { proxy_pass http://ka; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade_ka; }
    }
}`, { rule });
});

test('fix (suggestion): map \'\' to \'\'', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' cl‸ose; }
    upstream app { server 127.0.0.1:8080; keepalive 32; }
    server {
        location /ws/ { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; }
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
    upstream app { server 127.0.0.1:8080; keepalive 32; }
    server {
        location /ws/ { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; }
    }
}`, rule);
});
