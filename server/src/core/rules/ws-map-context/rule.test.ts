import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-map-context';

test('a map inside server or location, in place of nginx\'s "not allowed here"', () => {
  check(`
events {}
http {
    server {
        map $http_upgrade $connection_upgrade { default upgrade; '' close; }
#       ^^^ error ws-map-context +fix
        location /ws/ {
            map $http_upgrade $c2 { default upgrade; '' close; }
#           ^^^ error ws-map-context +fix
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, { rule });
});

test('never flags maps at http level, directly or included', () => {
  check(`
#- nginx.conf
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    include conf.d/*.conf;
}
#- conf.d/maps.conf
map $http_upgrade $c2 { default upgrade; '' close; }`, { rule });
});

test('fix: moves the map to the http block', () => {
  checkFix(`
events {}
http {
    server {
        listen 8080;
        m‸ap $http_upgrade $connection_upgrade {
            default upgrade;
            '' close;
        }
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    server {
        listen 8080;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, rule);
});

test('fix: a duplicate of a map the http block already has is removed', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        ‸map $http_upgrade $connection_upgrade { default upgrade; '' close; }
        location /ws/ { proxy_pass http://127.0.0.1:8080; }
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /ws/ { proxy_pass http://127.0.0.1:8080; }
    }
}`, rule);
});
