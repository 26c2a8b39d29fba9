import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-connection-hardcoded';

test('Connection "upgrade" literal (example one) is an info', () => {
  check(`
events {}
http {
    server {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
#                                   ^^^^^^^^^ info ws-connection-hardcoded +fix
        location / { proxy_pass http://127.0.0.1:8080; proxy_http_version 1.1; }
    }
}`, { rule });
});

test('not with the map, nor with the literal style setting', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location / { proxy_pass http://127.0.0.1:8080; proxy_set_header Connection $connection_upgrade; proxy_set_header Upgrade $http_upgrade; }
    }
}`, { rule });
  check(`
events {}
http {
    server {
        location / { proxy_pass http://127.0.0.1:8080; proxy_set_header Connection "upgrade"; proxy_set_header Upgrade $http_upgrade; }
    }
}`, { rule, options: { connectionStyle: 'literal' } });
});

test('fix (suggestion): switch to the map, adding it', () => {
  checkFix(`
events {}
http {
    server {
        location / {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgr‸ade";
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
        location / {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, rule);
});

test('fix when the map already exists (another location uses it): only the value changes', () => {
  checkFix(`
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
        location / {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgr‸ade";
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
        location / {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`, rule);
});
