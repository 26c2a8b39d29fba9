import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-headers-not-inherited';

test('one proxy_set_header in a location drops the server\'s Upgrade/Connection (with related lines)', () => {
  const found = check(`
events {}
http {
    server {
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header X-Real-IP $remote_addr;
#           ^^^^^^^^^^^^^^^^ error ws-headers-not-inherited +fix
        }
        location /other/ {
            proxy_pass http://127.0.0.1:8081;
        }
    }
}`, { rule });
  const f = found.find((x) => x.code === rule)!;
  assert.equal(f.related?.length, 2);
  assert.match(f.related![0].note, /Upgrade \$http_upgrade/);
});

test('never flags levels that set the headers again, or that have none of their own', () => {
  check(`
events {}
http {
    server {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_http_version 1.1;
        location /a/ { proxy_pass http://127.0.0.1:8080; }
        location /b/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
    server {
        proxy_set_header Host $host;
        location / { proxy_pass http://127.0.0.1:8080; proxy_set_header X-Real-IP $remote_addr; }
    }
}`, { rule });
});

test('headers from an included stock file count as the level\'s own, said at the include (not on line 1 of proxy_params)', () => {
  check(`
#- nginx.conf
events {}
http {
    server {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_http_version 1.1;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            include proxy_params;
#                   ^^^^^^^^^^^^ error ws-headers-not-inherited +fix
        }
    }
}
#- proxy_params
proxy_set_header Host $http_host;
proxy_set_header X-Real-IP $remote_addr;`, { rule });
});

test('fix: copies the inherited lines after the level\'s own', () => {
  checkFix(`
events {}
http {
    server {
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_‸header X-Real-IP $remote_addr;
        }
    }
}`, `
events {}
http {
    server {
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}`, rule);
});

/** A server with the WebSocket headers and a location whose first lines are `lines`. */
const withParams = (lines: string) => `
events {}
http {
    server {
        listen 80;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        location /ws/ {
${lines}
            proxy_pass http://127.0.0.1:8080;
            proxy_read_timeout 600s;
        }
    }
}`;

test('Debian\'s proxy_params, included from outside the workspace, stops inheritance too; the fix copies the lines after it', () => {
  check(withParams(`            include /etc/nginx/proxy_params;
#           ^^^^^^^ error ws-headers-not-inherited +fix
#                   ^^^^^^^^^^^^^^^^^^^^^^^ info nginx-include`), { rule });
  checkFix(
    withParams('            inc‸lude /etc/nginx/proxy_params;'),
    withParams(`            include /etc/nginx/proxy_params;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";`),
    rule,
    { nginxAccepts: false },
  );
});

test('proxy_params in a location with no upgrade headers above it: nothing to say', () => {
  check(`
events {}
http {
    server {
        listen 80;
        location / {
            include /etc/nginx/proxy_params;
#                   ^^^^^^^^^^^^^^^^^^^^^^^ info nginx-include
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, { rule });
});

