import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-host-missing';

test('apps that check Origin (by path, by upstream name): an address, an upstream, a unix socket, a service name; headers of the server lost by the location', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app { server 127.0.0.1:8081; }
    server {
        proxy_set_header Host $http_host;
        location /cable {
            proxy_pass http://127.0.0.1:8080;
#                      ^^^^^^^^^^^^^^^^^^^^^ info ws-host-missing +fix
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /live/websocket {
            proxy_pass http://app;
#                      ^^^^^^^^^^ info ws-host-missing +fix
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /user/ {
            proxy_pass http://unix:/run/app.sock:/api/kernels/;
#                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info ws-host-missing +fix
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /ws/ {
            proxy_pass http://grafana:3000;
#                      ^^^^^^^^^^^^^^^^^^^ info ws-host-missing +fix
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, { rule });
});

test('not: Host in force (own, inherited whole, proxy_params), a dotted host name, a variable, plain HTTP, an unread include, an app not known to check', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /a/cable {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /b/cable {
            proxy_pass http://backend.example.com:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /c/cable {
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
        location /cable {
            proxy_pass http://127.0.0.1:8080;
        }
    }
    server {
        listen 82;
        location /cable {
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
        location /cable {
            proxy_pass http://127.0.0.1:8080;
            include /etc/nginx/snippets/ws-headers.conf;
#                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info nginx-include
        }
    }
    server {
        listen 84;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
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
        location /cable {
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
        location /cable {
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
        location /cable {
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
        location /cable {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
        }
    }
}`, rule);
});
