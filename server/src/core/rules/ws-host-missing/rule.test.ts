import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-host-missing';

test('an address, an upstream, a unix socket, a service name; headers of the server lost by the location', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app { server 127.0.0.1:8081; }
    server {
        proxy_set_header Host $http_host;
        location /a/ws/ {
            proxy_pass http://127.0.0.1:8080;
#                      ^^^^^^^^^^^^^^^^^^^^^ info ws-host-missing +fix
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /b/ws/ {
            proxy_pass http://app;
#                      ^^^^^^^^^^ info ws-host-missing +fix
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /c/ws/ {
            proxy_pass http://unix:/run/app.sock:/;
#                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^ info ws-host-missing +fix
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /socket.io/ {
            proxy_pass http://chat:3000;
#                      ^^^^^^^^^^^^^^^^ info ws-host-missing +fix
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, { rule });
});

test('not: Host in force (own, inherited whole, proxy_params), a dotted host name, a variable, plain HTTP, an unread include', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /a/ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /b/ws/ {
            proxy_pass http://backend.example.com:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /c/ws/ {
            set $b 127.0.0.1:8080;
            proxy_pass http://$b;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /api/ {
            proxy_pass http://127.0.0.1:8080;
        }
    }
    server {
        listen 81;
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
        }
    }
    server {
        listen 82;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            include /etc/nginx/proxy_params;
#                   ^^^^^^^^^^^^^^^^^^^^^^^ info nginx-include
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
    server {
        listen 83;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            include /etc/nginx/snippets/ws-headers.conf;
#                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info nginx-include
        }
    }
}`, { rule });
});

test('fix: forwards the client\u2019s Host beside the location\u2019s own headers', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8‸080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
        }
    }
}`, rule);
});

test('fix: headers inherited from the server are copied along (all-or-nothing inheritance)', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        location /ws/ {
            proxy_pass http://127.0.0.1:8‸080;
            proxy_http_version 1.1;
        }
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
        }
    }
}`, rule);
});
