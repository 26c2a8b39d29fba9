import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { semanticTokens } from './semantic';
import { MemoryHost } from '../../../../test/util/fixture';

test('semantic tokens: unknown and misplaced directive names, user variables (from another file) vs nginx\'s, upstreams, named locations', () => {
  const files = {
    '/w/nginx.conf': 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; }\n    upstream app { server 127.0.0.1:1; }\n    include conf.d/*.conf;\n}\n',
    '/w/conf.d/a.conf': [
      'server {',
      '    listen 8000;',
      '    proxy_bufer_size 4k;',
      '    location / {',
      '        server_name x;',
      '        proxy_pass http://app;',
      '        proxy_set_header Connection $connection_upgrade;',
      '        set $mine $host;',
      '        add_header X-A "$mine $nosuch";',
      '        try_files $uri @back;',
      '    }',
      '    location @back { return 204; }',
      '}',
      '',
    ].join('\n'),
  };
  const ws = new Workspace(new MemoryHost(new Map(Object.entries(files))), DEFAULT_OPTIONS);
  ws.setFiles(Object.keys(files));
  const text = files['/w/conf.d/a.conf'];
  const got = semanticTokens(ws, '/w/conf.d/a.conf').map((t) => `${text.slice(t.start, t.end)} ${t.type}${t.modifiers.length ? ' ' + t.modifiers.join(',') : ''}`);
  assert.deepEqual(got, [
    'proxy_bufer_size unknownDirective',
    'server_name unknownDirective',
    'app namespace',
    '$connection_upgrade variable',
    '$mine variable declaration',
    '$host variable readonly,defaultLibrary',
    '$mine variable',
    '$uri variable readonly,defaultLibrary',
    '@back function',
    '@back function declaration',
  ]);
});
