import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-http-version';

test('flags the 1.0 default before nginx 1.29.7 and an explicit 1.0', () => {
  check(`
events {}
http {
    server {
        location /a/ {
#       ^^^^^^^^ error ws-http-version +fix
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
        location /b/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.0;
#                              ^^^ error ws-http-version +fix
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}`, { rule });
});

test('1.29.7 and later default to 1.1; inherited 1.1 counts; plain proxies never flagged', () => {
  check(`
events {}
http {
    proxy_http_version 1.1;
    server {
        location /a/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; }
        location /b/ { proxy_pass http://127.0.0.1:8080; }
    }
}`, { rule });
  check(`
events {}
http {
    server {
        location /a/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; }
    }
}`, { rule, options: { nginxVersion: '1.29.7' } });
});

test('fix: adds proxy_http_version 1.1 after proxy_pass', () => {
  checkFix(`
events {}
http {
    server {
        location‸ /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}`, `
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}`, rule);
});

test('fix: 1.0 becomes 1.1', () => {
  checkFix(`
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1‸.0;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}`, `
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}`, rule);
});

test('proxy_http_version 2 (accepted since 1.29.4) carries no Upgrade: flagged there; before, nginx refuses the value', () => {
  const src = (annotation: string) => `
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 2;
${annotation}
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 600s;
        }
    }
}`;
  check(src('#                              ^ error ws-http-version +fix'), { rule, options: { nginxVersion: '1.29.7' } });
  check(src('#                              ^ error nginx-directive'), { rule, options: { nginxVersion: '1.22' } });
});
