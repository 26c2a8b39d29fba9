import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-upgrade-hardcoded';

test('Upgrade websocket literal', () => {
  check(`
events {}
http {
    server {
        location /app/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade websocket;
#                                    ^^^^^^^^^ warning ws-upgrade-hardcoded +fix
            proxy_set_header Connection "upgrade";
        }
        location /b/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; }
        location /c/ { proxy_pass http://127.0.0.1:8080; }
    }
}`, { rule });
});

test('fix: $http_upgrade', () => {
  checkFix(`
events {}
http {
    server {
        location /app/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Upgrade "web‸socket"; }
    }
}`, `
events {}
http {
    server {
        location /app/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Upgrade $http_upgrade; }
    }
}`, rule);
});

test('a literal in a WebSocket-only location is fine; in a Socket.IO location, whose polling requests come through too, it is not', () => {
  check(`
events {}
http {
    server {
        location /ws {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade websocket;
            proxy_set_header Connection upgrade;
            proxy_read_timeout 600s;
        }
        location /socket.io/ {
            proxy_pass http://127.0.0.1:8081;
            proxy_http_version 1.1;
            proxy_set_header Upgrade websocket;
#                                    ^^^^^^^^^ warning ws-upgrade-hardcoded +fix
            proxy_set_header Connection upgrade;
            proxy_read_timeout 600s;
        }
    }
}`, { rule: 'ws-upgrade-hardcoded' });
});
