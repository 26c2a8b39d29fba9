import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyzeOptions } from '../../../../../server/src/core/index';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-read-timeout';

test('default or short timeouts on WebSocket endpoints are hints', () => {
  check(`
events {}
http {
    server {
        location /ws/ {
#       ^^^^^^^^ hint ws-read-timeout +fix
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
        location /socket.io/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 30s;
#                              ^^^ hint ws-read-timeout +fix
        }
        location /long/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 1h;
        }
        location /plain/ { proxy_pass http://127.0.0.1:8080; }
    }
}`, { rule });
});

test('fix: adds the configured timeout', () => {
  checkFix(`
events {}
http {
    server {
        ‸location /ws/ {
            proxy_pass http://127.0.0.1:8080;
        }
    }
}`, `
events {}
http {
    server {
        location /ws/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_read_timeout 3600s;
        }
    }
}`, rule, { options: { readTimeout: '3600s' } });
});

test('fronted by Cloudflare (frontedBy): every WebSocket endpoint is told to ping more often than its idle limit', () => {
  const src = `
events {}
http {
    server {
        location /ws/ {
#       ^^^^^^^^ hint ws-read-timeout +fix
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
        location /socket.io/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 30s;
#                              ^^^ hint ws-read-timeout +fix
        }
        location /long/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 1h;
#                              ^^ hint ws-read-timeout
        }
        location /plain/ { proxy_pass http://127.0.0.1:8080; }
    }
}`;
  const byMessage = (front: string) => check(src, { rule, options: { frontedBy: front } as Partial<AnalyzeOptions> }).map((f) => f.message);
  const cf = byMessage('cloudflare');
  assert.match(cf[0], /Cloudflare closes it after 100 s .* ping more often than every 100 s/);
  assert.match(cf[1], /after 30 s .* Cloudflare closes it after 100 s .* ping more often than every 30 s/);
  assert.match(cf[2], /^Cloudflare closes a WebSocket after 100 s without data, whatever proxy_read_timeout says: .* every 100 s\.$/);
  const alb = byMessage('aws-alb');
  assert.match(alb[2], /AWS load balancer closes a WebSocket after 60 s .* every 60 s\.$/);
  const custom = byMessage('45');
  assert.match(custom[1], /after 30 s .* closes it after 45 s .* every 30 s/);
  assert.match(custom[2], /after 45 s .* every 45 s\.$/);
});

test('fronted by nothing (none, the default): the advice is nginx\u2019s alone', () => {
  const messages = check(`
events {}
http {
    server {
        location /long/ {
            proxy_pass http://127.0.0.1:8080;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 1h;
        }
    }
}`, { rule, options: { frontedBy: 'none' } as Partial<AnalyzeOptions> });
  assert.deepEqual(messages, []);
});
