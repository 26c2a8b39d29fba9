import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-sticky-session';

const ws = `proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;`;

test('Socket.IO, Engine.IO, SockJS and SignalR paths over several servers without affinity; another method', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream chat { server 127.0.0.1:3001; server 127.0.0.1:3002; }
    upstream fair { least_conn; server 127.0.0.1:3001; server 127.0.0.1:3002; server 127.0.0.1:3003 backup; }
    server {
        location /socket.io/ {
            proxy_pass http://chat;
#                      ^^^^^^^^^^^ warning ws-sticky-session +fix
            ${ws}
        }
        location /engine.io/ {
            proxy_pass http://CHAT;
#                      ^^^^^^^^^^^ warning ws-sticky-session +fix
            ${ws}
        }
        location ~ ^/sockjs-node/ {
            proxy_pass http://chat;
#                      ^^^^^^^^^^^ warning ws-sticky-session +fix
            ${ws}
        }
        location /app/ {
            proxy_pass http://chat/hubs/;
#                      ^^^^^^^^^^^^^^^^^ warning ws-sticky-session +fix
            ${ws}
        }
        location /signalr {
            proxy_pass http://fair;
#                      ^^^^^^^^^^^ warning ws-sticky-session
            ${ws}
        }
    }
}`, { rule });
});

test('not: ip_hash, hash, sticky, one server (backup and down apart), a plain WebSocket path, a variable, an unread include', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream a { ip_hash; server 127.0.0.1:3001; server 127.0.0.1:3002; }
    upstream b { hash $remote_addr consistent; server 127.0.0.1:3001; server 127.0.0.1:3002; }
    upstream c { server 127.0.0.1:3001; server 127.0.0.1:3002 backup; server 127.0.0.1:3003 down; }
    upstream d { server 127.0.0.1:3001; server 127.0.0.1:3002; }
    upstream e { include /etc/nginx/upstreams/e.conf; server 127.0.0.1:3001; server 127.0.0.1:3002; }
#                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^ info nginx-include
    server {
        location /socket.io/ {
            proxy_pass http://a;
            ${ws}
        }
        location /engine.io/ {
            proxy_pass http://b;
            ${ws}
        }
        location /sockjs/ {
            proxy_pass http://c;
            ${ws}
        }
        location /ws/ {
            proxy_pass http://d;
            ${ws}
        }
        location /signalr/ {
            set $pool d;
            proxy_pass http://$pool;
            ${ws}
        }
        location /hubs/ {
            proxy_pass http://e;
            ${ws}
        }
    }
}`, { rule });
});

test('fix: ip_hash goes first in the upstream (before keepalive, which must follow the method)', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream chat {
        server 127.0.0.1:3001;
        server 127.0.0.1:3002;
        keepalive 8;
    }
    server {
        location /socket.io/ {
            proxy_pass http://ch‸at;
            ${ws}
        }
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream chat {
        ip_hash;
        server 127.0.0.1:3001;
        server 127.0.0.1:3002;
        keepalive 8;
    }
    server {
        location /socket.io/ {
            proxy_pass http://chat;
            ${ws}
        }
    }
}`, rule);
});

test('not: a singular /hub/ (JupyterHub, not SignalR), even as a WebSocket endpoint', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream pool { server 127.0.0.1:3001; server 127.0.0.1:3002; }
    server {
        location /hub/ {
            proxy_pass http://pool;
            ${ws}
        }
    }
}`, { rule });
});
