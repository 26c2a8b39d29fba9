import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-socketio-path';

const ws = `proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;`;

test('a URI that replaces /socket.io/ or /engine.io/', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app { server 127.0.0.1:3000; }
    server {
        location /socket.io/ {
            proxy_pass http://app/;
#                      ^^^^^^^^^^^ warning ws-socketio-path +fix
            ${ws}
        }
        location ^~ /chat/socket.io {
            proxy_pass http://127.0.0.1:3000/;
#                      ^^^^^^^^^^^^^^^^^^^^^^ warning ws-socketio-path +fix
            ${ws}
        }
        location /engine.io/ {
            proxy_pass http://app/realtime/;
#                      ^^^^^^^^^^^^^^^^^^^^ warning ws-socketio-path +fix
            ${ws}
        }
    }
}`, { rule });
});

test('not: no URI, a URI that keeps the segment, a prefix stripped before it, regex locations, rewrite, variables', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app { server 127.0.0.1:3000; }
    server {
        location /socket.io/ {
            proxy_pass http://app;
            ${ws}
        }
        location /a/socket.io/ {
            proxy_pass http://app/socket.io/;
            ${ws}
        }
        location /chat/ {
            proxy_pass http://app/;
            ${ws}
        }
        location ~ ^/b/socket.io/ {
            proxy_pass http://app;
            ${ws}
        }
        location /c/socket.io/ {
            rewrite ^/c/(.*)$ /$1 break;
            proxy_pass http://app/;
            ${ws}
        }
        location /d/socket.io/ {
            set $up app;
            proxy_pass http://$up/;
            ${ws}
        }
    }
}`, { rule });
});

test('fix: the URI keeps /socket.io/', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /chat/socket.io/ {
            proxy_pass http://127.0.0.1:30‸00/;
            ${ws}
        }
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /chat/socket.io/ {
            proxy_pass http://127.0.0.1:3000/socket.io/;
            ${ws}
        }
    }
}`, rule);
});
