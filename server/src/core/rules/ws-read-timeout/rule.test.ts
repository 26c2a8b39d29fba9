import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-read-timeout';

test('default or short timeouts on WebSocket endpoints are hints', () => {
  check(`
events {}
http {
    server {
        location /ws/ {
#       ^^^^^^^^ hint ws-read-timeout +fix
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
        location /socket.io/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 30s;
#                              ^^^ hint ws-read-timeout +fix
        }
        location /long/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 1h;
        }
        location /plain/ { proxy_pass http://127.0.0.1:8080; }
    }
}`, { rule });
});

test('fix: adds the configured timeout', () => {
  checkFix(`
events {}
http {
    server {
        ‸location /ws/ {
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, `
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_read_timeout 3600s;
        }
    }
}`, rule, { options: { readTimeout: '3600s' } });
});
