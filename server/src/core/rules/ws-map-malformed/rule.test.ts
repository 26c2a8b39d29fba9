import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';
import { nginxTest, withLocalPaths } from '../../../../../test/util/nginx';

const rule = 'ws-map-malformed';

test('the article\'s garbled map (lost $ signs) replaces nginx\'s argument-count error', () => {
  check(`
events {}
http {
    map httpupgradeconnection_upgrade {
#   ^^^ error ws-map-malformed +fix
        default upgrade;
        '' close;
    }
}`, { rule });
});

test('wrong default, missing default, empty key mapped to upgrade, no empty key', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default close; '' close; }
#                                                   ^^^^^ error ws-map-malformed +fix
    map $http_upgrade $conn2 { '' close; }
#   ^^^ error ws-map-malformed +fix
    map $http_upgrade $conn3 { default upgrade; '' upgrade; }
#                                                  ^^^^^^^ error ws-map-malformed +fix
    map $http_upgrade $conn4 { default upgrade; }
#   ^^^ error ws-map-malformed +fix
}`, { rule });
});

test('never flags the canonical map, its keepalive variant, or unrelated maps', () => {
  check(`
events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    map $http_upgrade $connection_upgrade_ka { default upgrade; "" ""; }
    map $http_upgrade $conn_upper { default Upgrade; '' close; }
    map $uri $backend { default 127.0.0.1:8080; ~^/api 127.0.0.1:8081; }
}`, { rule });
});

test('fix: the garbled map becomes the canonical one', () => {
  checkFix(`
events {}
http {
    m‸ap httpupgradeconnection_upgrade {
        default upgrade;
        '' close;
    }
}`, `
events {}
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
}`, rule);
});

test('fix: keeps the variable name and the keepalive variant', () => {
  checkFix(`
events {}
http {
    map $http_upgrade $conn_ka { default cl‸ose; '' ''; }
}`, `
events {}
http {
    map $http_upgrade $conn_ka {
        default upgrade;
        '' '';
    }
}`, rule);
});

test('maps that give "upgrade" to websocket by an entry of their own are fine, looked up as nginx does', async () => {
  const text = `
events {}
http {
    map $http_upgrade $conn_exact { default keep-alive; websocket upgrade; }
    map $http_upgrade $conn_case { default close; WebSocket upgrade; '' close; }
    map $http_upgrade $conn_regex { default keep-alive; ~*^websocket$ upgrade; }
    map $http_upgrade $conn_empty_regex { default upgrade; ~^$ close; }
}`;
  check(text, { rule });
  // and nginx takes them
  const verdict = await nginxTest({ 'nginx.conf': withLocalPaths(text) });
  if (!verdict.ok) throw new Error(verdict.output);
});

test('a default that is not upgrade still counts when no entry catches websocket', () => {
  check(`
events {}
http {
    map $http_upgrade $conn_other { default keep-alive; h2c upgrade; '' close; }
#                                           ^^^^^^^^^^ error ws-map-malformed +fix
    map $http_upgrade $conn_regex_miss { default close; ~^h2 upgrade; }
#                                                ^^^^^ error ws-map-malformed +fix
}`, { rule });
});
