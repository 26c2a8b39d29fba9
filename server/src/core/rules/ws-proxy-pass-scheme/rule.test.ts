import { test } from 'node:test';
import { check, checkFix } from '../../../../../test/util/fixture';

const rule = 'ws-proxy-pass-scheme';

test('ws:// and wss:// in proxy_pass, directly or through set/map', () => {
  check(`
events {}
http {
    map $uri $target { default ws://127.0.0.1:9001; }
#                              ^^ error ws-proxy-pass-scheme +fix
    server {
        location /a/ { proxy_pass ws://127.0.0.1:9000; }
#                                 ^^ error ws-proxy-pass-scheme +fix
        location /b/ { proxy_pass WSS://127.0.0.1:9000; }
#                                 ^^^ error ws-proxy-pass-scheme +fix
        location /c/ { set $b ws://127.0.0.1:9000; proxy_pass $b; }
#                             ^^ error ws-proxy-pass-scheme +fix
        location /d/ { proxy_pass $target; }
    }
}`, { rule });
});

test('never flags http(s) targets or ws:// strings that do not reach proxy_pass', () => {
  check(`
events {}
http {
    server {
        location /a/ { proxy_pass http://127.0.0.1:9000; }
        location /b/ { proxy_pass https://127.0.0.1:9443; }
        location /c/ { set $doc ws://example.invalid/; return 200 $doc; }
    }
}`, { rule });
});

test('fix: ws:// becomes http://, wss:// https://', () => {
  checkFix(`
events {}
http {
    server {
        location /ws/ { proxy_pass w‸ss://127.0.0.1:9000; }
    }
}`, `
events {}
http {
    server {
        location /ws/ { proxy_pass https://127.0.0.1:9000; }
    }
}`, rule);
});
