import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-connection-header-missing';

test('flags Upgrade without Connection, and Connection "" / close', () => {
  check(`
events {}
http {
    server {
        location /a/ {
#       ^^^^^^^^ error ws-connection-header-missing +fix
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
        }
        location /b/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "";
#                                       ^^ error ws-connection-header-missing +fix
        }
        location /c/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection close;
#                                       ^^^^^ error ws-connection-header-missing +fix
        }
    }
}`, { rule });
});

test('never flags keepalive proxies or upgrade-carrying values', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app { server 127.0.0.1:8080; keepalive 16; }
    server {
        location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
        location /ws/ { proxy_pass http://app; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; }
        location /ws2/ { proxy_pass http://app; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "Upgrade"; }
        location /ws3/ { proxy_pass http://app; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $http_connection; }
    }
}`, { rule });
});

test('fix: adds Connection $connection_upgrade and the map to the http block', () => {
  checkFix(`
events {}
http {
    server {
        locat‸ion /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
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
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, rule);
});

test('fix: reuses an existing map, replaces an empty value', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "‸";
        }
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, rule);
});

test('fix: the literal style writes "upgrade"', () => {
  checkFix(`
events {}
http {
    server {
        ‸location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
        }
    }
}`, `
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}`, rule, { options: { connectionStyle: 'literal' } });
});

test('fix across files: the map goes into nginx.conf', () => {
  checkFix(`
#- nginx.conf
events {}
http {
    include conf.d/*.conf;
}
#- conf.d/app.conf
server {
    ‸location /ws/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_set_header Upgrade $http_upgrade;
    }
}`, `
#- nginx.conf
events {}
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    include conf.d/*.conf;
}
#- conf.d/app.conf
server {
    location /ws/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
    }
}`, rule);
});

test('an empty Connection after the upgrade one drops only itself (nginx sends every non-empty entry)', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /cable {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Connection "";
            proxy_read_timeout 600s;
        }
    }
}`, { rule: 'ws-connection-header-missing' });
});

test('never flags a Connection line that asks for the upgrade when a later one says close or keep-alive: nginx sends both', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /a/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Connection close;
        }
        location /b/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Connection keep-alive;
        }
        location /c/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection keep-alive;
            proxy_set_header Connection close;
#                                       ^^^^^ error ws-connection-header-missing +fix
        }
    }
}`, { rule });
});
