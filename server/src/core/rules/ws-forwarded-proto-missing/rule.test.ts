import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-forwarded-proto-missing';

const ws = `proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;`;

test('TLS servers (listen ssl, ssl on) whose WebSocket location does not pass the scheme; lost by inheritance', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        listen 443 ssl;
        proxy_set_header X-Forwarded-Proto $scheme;
        location /ws/ {
#       ^^^^^^^^ hint ws-forwarded-proto-missing +fix
            proxy_pass http://127.0.0.1:8080;
            ${ws}
        }
    }
    server {
        listen 8443;
        ssl on;
        location /socket.io/ {
#       ^^^^^^^^ hint ws-forwarded-proto-missing +fix
            proxy_pass http://127.0.0.1:8080;
            ${ws}
        }
    }
}`, { rule });
});

test('not: plain http servers, the scheme passed (X-Forwarded-Proto, Forwarded), an https backend, plain HTTP proxies', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        listen 80;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            ${ws}
        }
    }
    server {
        listen 443 ssl;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            ${ws}
            proxy_set_header X-Forwarded-Proto $scheme;
        }
        location /ws2/ {
            proxy_pass http://127.0.0.1:8080;
            ${ws}
            proxy_set_header Forwarded "for=$remote_addr;proto=$scheme";
        }
        location /ws3/ {
            proxy_pass https://127.0.0.1:8443;
            ${ws}
        }
        location /api/ {
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, { rule });
});

test('fix: adds X-Forwarded-Proto $scheme beside the location\u2019s headers (nginx -t: certificates named by variables load per handshake)', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        listen 127.0.0.1:8443 ssl;
        ssl_certificate /etc/nginx/certs/$ssl_server_name.crt;
        ssl_certificate_key /etc/nginx/certs/$ssl_server_name.key;
        loc‸ation /ws/ {
            proxy_pass http://127.0.0.1:8080;
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
        listen 127.0.0.1:8443 ssl;
        ssl_certificate /etc/nginx/certs/$ssl_server_name.crt;
        ssl_certificate_key /etc/nginx/certs/$ssl_server_name.key;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-Proto $scheme;
        }
    }
}`, rule);
});
