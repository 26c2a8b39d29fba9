import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-upgrade-header-missing';

test('flags a location that asks for Connection upgrade but forwards no Upgrade (error)', () => {
  check(`
events {}
http {
    server {
        location /app/ {
#       ^^^^^^^^ error ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Connection "upgrade";
        }
    }
}`, { rule });
});

test('flags a WebSocket-looking path with no upgrade headers at all (warning)', () => {
  check(`
events {}
http {
    server {
        location /socket.io/ {
#       ^^^^^^^^ warning ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:3000;
        }
        location = /cable {
#       ^^^^^^^^ warning ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:3001;
        }
        location /engine.io/ {
#       ^^^^^^^^ warning ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:3003;
        }
    }
    server {
        # websocket endpoint for the dashboard
        location /events {
#       ^^^^^^^^ warning ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:3002;
        }
    }
}`, { rule });
});

test('never flags plain HTTP proxies', () => {
  check(`
events {}
http {
    server {
        location / { proxy_pass http://127.0.0.1:8080; proxy_set_header Host $host; }
        location /api/ { proxy_pass http://127.0.0.1:8081; }
        location /wsdl/ { proxy_pass http://127.0.0.1:8082; }
        location /news { proxy_pass http://127.0.0.1:8083; proxy_set_header Connection ""; proxy_http_version 1.1; }
    }
}`, { rule });
});

test('does not double-report what ws-headers-not-inherited says', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Host $host;
        }
    }
}`, { rule });
});

test('endpoint patterns from the settings count', () => {
  check(`
events {}
http {
    server {
        location /stream-updates {
#       ^^^^^^^^ warning ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, { rule, options: { endpointPatterns: ['^/stream-updates'] } });
});

test('fix: adds the header after the location\'s own proxy_set_header lines', () => {
  checkFix(`
events {}
http {
    server {
        loca‸tion /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_http_version 1.1;
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
            proxy_set_header Connection "upgrade";
            proxy_set_header Upgrade $http_upgrade;
        }
    }
}`, rule);
});

test('fix: a one-line location keeps its shape', () => {
  checkFix(`
events {}
http {
    server {
        ‸location /ws/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Connection "upgrade"; }
    }
}`, `
events {}
http {
    server {
        location /ws/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Connection "upgrade"; proxy_set_header Upgrade $http_upgrade; }
    }
}`, rule);
});

test('fix: inherited headers are copied along, since adding one would drop them', () => {
  checkFix(`
events {}
http {
    server {
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        lo‸cation /ws/ {
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, `
events {}
http {
    server {
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header Upgrade $http_upgrade;
        }
    }
}`, rule, { title: 'Add proxy_set_header Upgrade $http_upgrade (copying the 2 inherited' });
});

test('fix: tabs and CRLF are preserved', () => {
  checkFix('events {}\r\nhttp {\r\n\tserver {\r\n\t\tlocati‸on /ws/ {\r\n\t\t\tproxy_pass http://127.0.0.1:8080;\r\n\t\t}\r\n\t}\r\n}',
    'events {}\r\nhttp {\r\n\tserver {\r\n\t\tlocation /ws/ {\r\n\t\t\tproxy_pass http://127.0.0.1:8080;\r\n\t\t\tproxy_set_header Upgrade $http_upgrade;\r\n\t\t}\r\n\t}\r\n}', rule);
});

test('a comment counts only when it says WebSocket and means it, and yields to the real endpoint beside it', () => {
  check(`
events {}
http {
    server {
        # site 0: websocket and api
        location / {
            proxy_pass http://127.0.0.1:8080;
        }
        location /ws/ {
#       ^^^^^^^^ warning ws-upgrade-header-missing +fix
            proxy_pass http://127.0.0.1:8081;
        }
    }
    server {
        # no websocket here: do not forward Upgrade to the API
        location /api/ {
            proxy_pass http://127.0.0.1:8082;
        }
        # websockets are disabled on this host
        location /feed/ {
            proxy_pass http://127.0.0.1:8083;
        }
    }
}`, { rule });
});
