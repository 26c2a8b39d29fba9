import { test } from 'node:test';
import { check } from '../../../../../test/util/fixture';

const rule = 'ws-map-duplicate';

test('two maps of $connection_upgrade: both flagged, the last one is the one nginx keeps', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
#                     ^^^^^^^^^^^^^^^^^^^ warning ws-map-duplicate
    map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
#                     ^^^^^^^^^^^^^^^^^^^ warning ws-map-duplicate
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, { rule });
});

test('across an include (conf.d brings its own map)', () => {
  check(`
#- nginx.conf
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
#                     ^^^^^^^^^^^^^^^^^^^ warning ws-map-duplicate
    include conf.d/*.conf;
}
#- conf.d/app.conf
map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
#                 ^^^^^^^^^^^^^^^^^^^ warning ws-map-duplicate
server {
    location /ws/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
    }
}`, { rule });
});

test('not: one map per variable, or maps no WebSocket header uses', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    map $uri $section { default a; }
    map $host $section2 { default b; }
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, { rule });
});
