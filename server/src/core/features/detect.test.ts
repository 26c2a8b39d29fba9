import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeNginx } from './detect';

test('nginx files are recognised by their first statement, past comments', () => {
  for (const text of [
    'server {\n    listen 80;\n}\n',
    '# chat backend\n\nupstream chat {\n    server 127.0.0.1:3000;\n}\n',
    'http {\n}\n',
    '  location /ws/ {\n    proxy_pass http://chat;\n  }\n',
    'server\n{\n    listen 80;\n}\n',
    'user www-data;\nworker_processes auto;\n',
    '\uFEFFmap $http_upgrade $connection_upgrade {\n default upgrade;\n}\n',
    'server {\n    listen ${PORT};\n    server_name ${HOST};\n}\n', // a template for envsubst
  ]) assert.equal(looksLikeNginx(text), true, text);
});

test('other programs\' .conf files are not claimed', () => {
  for (const text of [
    '<VirtualHost *:80>\n    ServerName a\n</VirtualHost>\n',
    '[program:chat]\ncommand=node server.js\n',
    'server = 127.0.0.1\nport = 80\n',
    'server {\n  host = "a"\n}\n', // HOCON/HCL-like: `=` inside
    'location = "x"\n',
    '# only comments\n# here\n',
    '',
    'listen 80\n',
    'function server() {\n}\n',
  ]) assert.equal(looksLikeNginx(text), false, text);
});
