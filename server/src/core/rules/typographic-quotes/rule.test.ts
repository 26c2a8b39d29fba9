import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'typographic-quotes';

test('the article\'s “upgrade” and ‘’ are flagged', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; ‘’ close; }
#                                                            ^^ error typographic-quotes +fix
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection “upgrade”;
#                                       ^^^^^^^^^ error typographic-quotes +fix
            proxy_read_timeout 600s;
        }
    }
}`, { rule });
});

test('apostrophes inside words and ASCII quotes are fine', () => {
  check(`
events {}
http {
    server {
        location / { return 200 "don’t panic"; }
        location /a { return 200 it’s; }
        location /b { proxy_pass http://127.0.0.1:8080; proxy_set_header Connection "upgrade"; proxy_set_header Upgrade $http_upgrade; }
    }
}`, { rule });
});

test('fix: ASCII quotes', () => {
  checkFix(`
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Connection “up‸grade”;
        }
    }
}`, `
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Connection "upgrade";
        }
    }
}`, rule);
  checkFix(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; ‘‸’ close; }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
}`, rule);
});
