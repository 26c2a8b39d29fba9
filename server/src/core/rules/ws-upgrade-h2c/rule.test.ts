import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-upgrade-h2c';

test('$http_upgrade in servers with deny, auth_basic, auth_request or internal; at http level too', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /admin/ { deny all; proxy_pass http://127.0.0.1:8080; }
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
#                                    ^^^^^^^^^^^^^ hint ws-upgrade-h2c +fix
            proxy_set_header Connection $connection_upgrade;
        }
    }
    server {
        listen 81;
        auth_basic "staff";
        auth_basic_user_file htpasswd;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \${http_upgrade};
#                                    ^^^^^^^^^^^^^^^ hint ws-upgrade-h2c +fix
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, { rule });
});

test('not: no access rule to bypass, auth_basic off, a filter map', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    map $http_upgrade $ws_only { ~*^websocket$ websocket; default ''; }
    server {
        auth_basic off;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
    server {
        listen 81;
        location /admin/ { deny all; }
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $ws_only;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, { rule });
});

test('fix (a suggestion): a map that lets only websocket through', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /internal/ { internal; }
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_up‸grade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, `
events {}
http {
    map $http_upgrade $ws_upgrade {
        ~*^websocket$ websocket;
        default       '';
    }
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /internal/ { internal; }
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $ws_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, rule);
});
