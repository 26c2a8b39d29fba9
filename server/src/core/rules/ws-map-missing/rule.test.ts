import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-map-missing';

test('flags $connection_upgrade with no map, in place of nginx\'s own unknown-variable error', () => {
  check(`
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
#                                       ^^^^^^^^^^^^^^^^^^^ error ws-map-missing +fix
        }
    }
}`, { rule });
});

test('a map anywhere in the graph — another file, after the use — defines it', () => {
  check(`
#- nginx.conf
events {}
http {
    include conf.d/*.conf;
    include maps/*.map;
}
#- conf.d/app.conf
server {
    location /ws/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
    }
}
#- maps/upgrade.map
map $http_upgrade $connection_upgrade { default upgrade; '' close; }`, { rule });
});

test('an include that cannot be followed may hold the map: no finding', () => {
  check(`
events {}
http {
    include /etc/nginx/this-does-not-exist.conf;
#           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info nginx-include
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, { rule });
});

test('a conf.d fragment nobody includes: a warning, fixed at the top of the fragment', () => {
  check(`
#- conf.d/app.conf
server {
    location /ws/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
#                                   ^^^^^^^^^^^^^^^^^^^ warning ws-map-missing +fix
    }
}`, { rule });
});

test('fix: the map goes into the http block of nginx.conf', () => {
  checkFix(`
#- nginx.conf
events {}
http { include conf.d/*.conf; }
#- conf.d/app.conf
server {
    location /ws/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_up‸grade;
    }
}`, `
#- nginx.conf
events {}
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    include conf.d/*.conf; }
#- conf.d/app.conf
server {
    location /ws/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
    }
}`, rule);
});

test("certbot's options-ssl-nginx.conf, read only on the server, holds no map: still flagged", () => {
  check(`
events {}
http {
    server {
        listen 443 ssl;
        ssl_certificate /etc/letsencrypt/live/chat.example.com/fullchain.pem;
        ssl_certificate_key /etc/letsencrypt/live/chat.example.com/privkey.pem;
        include /etc/letsencrypt/options-ssl-nginx.conf;
#               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info nginx-include
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
#                                       ^^^^^^^^^^^^^^^^^^^ error ws-map-missing +fix
        }
    }
}`, { rule });
});
