import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-upgrade-hardcoded';

test('Upgrade websocket literal', () => {
  check(`
events {}
http {
    server {
        location /ws/ {
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
        location /ws/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Upgrade "web‸socket"; }
    }
}`, `
events {}
http {
    server {
        location /ws/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Upgrade $http_upgrade; }
    }
}`, rule);
});
