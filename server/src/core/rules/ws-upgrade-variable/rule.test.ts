import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-upgrade-variable';

test('a misspelt $http_upgrade, another header, the map in Upgrade, $http_upgrade in Connection', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /a/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgarde;
#                                    ^^^^^^^^^^^^^ error ws-upgrade-variable +fix
            proxy_set_header Connection $connection_upgrade;
        }
        location /b/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_connection;
#                                    ^^^^^^^^^^^^^^^^ error ws-upgrade-variable +fix
            proxy_set_header Connection $connection_upgrade;
        }
        location /c/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $connection_upgrade;
#                                    ^^^^^^^^^^^^^^^^^^^ error ws-upgrade-variable +fix
            proxy_set_header Connection $http_upgrade;
#                                       ^^^^^^^^^^^^^ error ws-upgrade-variable +fix
        }
    }
}`, { rule });
});

test('not: $http_upgrade, an Upgrade filter map, set variables, mixed values', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    map $http_upgrade $ws_only { ~*^websocket$ websocket; default ''; }
    server {
        set $up websocket;
        location /a/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /b/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $ws_only;
            proxy_set_header Connection $connection_upgrade;
        }
        location /c/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $up;
            proxy_set_header Connection "upgrade";
        }
        location /d/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade "$http_upgrade";
            proxy_set_header Connection "keep-alive, $connection_upgrade";
        }
    }
}`, { rule });
});

test('fix: Upgrade takes $http_upgrade', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upg‸rade_;
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
        }
    }
}`, rule);
});

test('fix: Connection takes $connection_upgrade, adding the map', () => {
  checkFix(`
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $http_up‸grade;
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
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, rule);
});
