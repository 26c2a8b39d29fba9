import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { applyEdits } from './format';
import { definitionsAt, highlightsAt, prepareRename, referencesAt, renameAt } from './references';
import { MemoryHost } from '../../../../test/util/fixture';
import { nginxTest, withLocalPaths } from '../../../../test/util/nginx';
import { prng } from '../../../../test/util/prng';
import type { TextEdit } from '../types';

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace(new MemoryHost(new Map(Object.entries(files))), DEFAULT_OPTIONS);
  ws.setFiles(Object.keys(files));
  return ws;
}

/** Offset of the k-th character of the n-th `needle` in the file. */
const at = (files: Record<string, string>, file: string, needle: string, k = 1, n = 0) => {
  let i = -1;
  for (let j = 0; j <= n; j++) i = files[file].indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in ${file}`);
  return i + k;
};

/** file:line:text of each place, to compare readably. */
const show = (files: Record<string, string>, places: { file: string; span: { start: number; end: number } }[]) =>
  places.map((p) => `${p.file}:${files[p.file].slice(0, p.span.start).split('\n').length}:${files[p.file].slice(p.span.start, p.span.end)}`);

/** Applies core edits to the files. */
function applied(files: Record<string, string>, edits: TextEdit[]): Record<string, string> {
  const out = { ...files };
  for (const f of new Set(edits.map((e) => e.file))) {
    out[f] = applyEdits(out[f], edits.filter((e) => e.file === f).map((e) => ({ span: e.span, text: e.text })));
  }
  return out;
}

const TWO_FILES = {
  '/w/nginx.conf': `events {}
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    upstream Backend {
        server 127.0.0.1:8080;
    }
    include conf.d/*.conf;
}
`,
  '/w/conf.d/app.conf': `server {
    listen 8000;
    error_page 502 @down;
    location /ws/ {
        proxy_pass http://backend/socket;
        proxy_set_header Connection $connection_upgrade;
        try_files $uri @down;
    }
    location @down {
        return 503 "down: \${connection_upgrade}";
    }
}
server {
    listen 8001;
    location / { try_files $uri @down; }
    location @down { return 500; }
}
`,
};

test('definitions across the include graph: an upstream (case-insensitively, as nginx), a map variable, a named location of the same server', () => {
  const ws = workspace(TWO_FILES);
  const app = '/w/conf.d/app.conf';
  assert.deepEqual(show(TWO_FILES, definitionsAt(ws, app, at(TWO_FILES, app, 'backend', 2))!), ['/w/nginx.conf:7:Backend']);
  assert.deepEqual(show(TWO_FILES, definitionsAt(ws, app, at(TWO_FILES, app, '$connection_upgrade', 0))!), ['/w/nginx.conf:3:$connection_upgrade']);
  assert.deepEqual(show(TWO_FILES, definitionsAt(ws, app, at(TWO_FILES, app, '@down', 2))!), ['/w/conf.d/app.conf:9:@down']);
  // the second server's try_files goes to its own @down
  assert.deepEqual(show(TWO_FILES, definitionsAt(ws, app, at(TWO_FILES, app, '@down', 2, 3))!), ['/w/conf.d/app.conf:16:@down']);
  assert.deepEqual(definitionsAt(ws, app, at(TWO_FILES, app, '$uri', 2)), [], 'a built-in variable has no definition');
  assert.equal(definitionsAt(ws, app, at(TWO_FILES, app, 'listen', 2)), undefined, 'a directive name is no symbol of this index');
});

test('references: every use in both files, ${name} included; the declaration only when asked', () => {
  const ws = workspace(TWO_FILES);
  const app = '/w/conf.d/app.conf';
  assert.deepEqual(show(TWO_FILES, referencesAt(ws, '/w/nginx.conf', at(TWO_FILES, '/w/nginx.conf', '$connection_upgrade', 3))), [
    '/w/nginx.conf:3:$connection_upgrade',
    '/w/conf.d/app.conf:6:$connection_upgrade',
    '/w/conf.d/app.conf:10:${connection_upgrade}',
  ]);
  assert.deepEqual(show(TWO_FILES, referencesAt(ws, app, at(TWO_FILES, app, '@down', 1), false)), ['/w/conf.d/app.conf:3:@down', '/w/conf.d/app.conf:7:@down']);
  assert.deepEqual(show(TWO_FILES, highlightsAt(ws, '/w/nginx.conf', at(TWO_FILES, '/w/nginx.conf', 'Backend', 1))), ['/w/nginx.conf:7:Backend'], 'highlights stay in the file');
});

test('rename: an upstream, a map variable and a named location, in every file; nginx -t accepts the result', async () => {
  const app = '/w/conf.d/app.conf';
  const cases: [string, string, number, string, string[]][] = [
    [app, 'backend', 2, 'chat_v2', ['upstream chat_v2 {', 'proxy_pass http://chat_v2/socket;']],
    [app, '$connection_upgrade', 4, 'conn', ['map $http_upgrade $conn {', 'Connection $conn;', '"down: ${conn}"']],
    [app, '@down', 3, '@gone', ['error_page 502 @gone;', 'location @gone {', 'try_files $uri @gone;', 'location @down { return 500; }']],
  ];
  for (const [file, needle, k, name, expect] of cases) {
    const ws = workspace(TWO_FILES);
    const r = renameAt(ws, file, at(TWO_FILES, file, needle, k), name);
    assert.ok(r.ok, `${needle}: ${!r.ok && r.message}`);
    const after = applied(TWO_FILES, r.edits);
    const all = Object.values(after).join('\n');
    for (const e of expect) assert.ok(all.includes(e), `${needle} → ${name}: ${e}\n${all}`);
    const verdict = await nginxTest({ 'nginx.conf': withLocalPaths(after['/w/nginx.conf']), 'conf.d/app.conf': after[app] });
    assert.ok(verdict.ok, `${needle} → ${name}: ${verdict.output}`);
  }
});

test('prepareRename refuses built-ins, directive names, captures and names that are not upstreams, each with a reason', () => {
  const files = {
    '/w/nginx.conf': `events {}
http {
    upstream app { server 127.0.0.1:1; }
    server {
        listen 8000;
        location ~ ^/u/(?<user>[a-z]+)$ {
            set $who $user;
            proxy_pass http://127.0.0.1:9000;
            return 200 $host$who;
        }
    }
}
`,
  };
  const ws = workspace(files);
  const f = '/w/nginx.conf';
  const refuse = (needle: string, k: number, re: RegExp) => {
    const r = prepareRename(ws, f, at(files, f, needle, k));
    assert.equal(r.ok, false, needle);
    assert.match((r as { message: string }).message, re);
  };
  refuse('$host', 2, /\$host is an nginx variable/);
  refuse('proxy_pass', 2, /"proxy_pass" is a directive of nginx/);
  refuse('$user', 2, /named capture of a regex/);
  refuse('127.0.0.1:9000', 2, /names no upstream block/);
  const ok = prepareRename(ws, f, at(files, f, '$who', 2));
  assert.deepEqual(ok, { ok: true, span: { start: at(files, f, '$who', 1), end: at(files, f, '$who', 4) }, placeholder: 'who' });
  // the capture is still found as the variable's definition
  assert.deepEqual(show(files, definitionsAt(ws, f, at(files, f, '$user', 2))!), ['/w/nginx.conf:6:user']);
});

test('rename checks the new name: not a variable of nginx, not taken, a name nginx reads whole', () => {
  const ws = workspace(TWO_FILES);
  const app = '/w/conf.d/app.conf';
  const msg = (needle: string, k: number, name: string) => {
    const r = renameAt(ws, app, at(TWO_FILES, app, needle, k), name);
    return r.ok ? 'ok' : r.message;
  };
  assert.match(msg('$connection_upgrade', 3, 'host'), /\$host is an nginx variable/);
  assert.match(msg('$connection_upgrade', 3, 'http_upgrade'), /nginx variable/);
  assert.match(msg('$connection_upgrade', 3, 'a-b'), /not a variable name/);
  assert.match(msg('backend', 2, 'a/b'), /not a plain upstream name/);
  assert.equal(msg('backend', 2, 'BACKEND'), 'ok');
});

test('a snippet included by two servers: the named location of each server is renamed with its own uses only', () => {
  const files = {
    '/w/nginx.conf': `events {}
http {
    server { listen 8000; include snippets/fallback.conf; location @err { return 500; } }
    server { listen 8001; location / { try_files $uri @err; } location @err { return 502; } }
}
`,
    '/w/snippets/fallback.conf': 'location / { try_files $uri @err; }\n',
  };
  const ws = workspace(files);
  const r = renameAt(ws, '/w/nginx.conf', at(files, '/w/nginx.conf', '@err', 2), 'broken');
  assert.ok(r.ok);
  assert.deepEqual(show(files, r.edits).sort(), ['/w/nginx.conf:3:err', '/w/snippets/fallback.conf:1:err']);
});

test('stream upstreams are their own namespace, and a variable in a lua block stops its rename', () => {
  const files = {
    '/w/nginx.conf': `events {}
stream {
    upstream db { server 127.0.0.1:5432; }
    server { listen 5433; proxy_pass db; }
}
http {
    upstream db { server 127.0.0.1:80; }
    server {
        listen 8000;
        set $tenant a;
        location / { proxy_pass http://db; content_by_lua_block { ngx.say(ngx.var.tenant) } }
    }
}
`,
  };
  const ws = workspace(files);
  const f = '/w/nginx.conf';
  assert.deepEqual(show(files, referencesAt(ws, f, at(files, f, 'proxy_pass db', 12))), ['/w/nginx.conf:3:db', '/w/nginx.conf:4:db']);
  assert.deepEqual(show(files, referencesAt(ws, f, at(files, f, 'http://db', 8))), ['/w/nginx.conf:7:db', '/w/nginx.conf:11:db']);
  assert.match((prepareRename(ws, f, at(files, f, '$tenant', 2)) as { message: string }).message, /embedded code block/);
});

/**
 * Generated configurations over three files: each upstream, map variable, set variable and
 * named location renamed to a fresh name; nginx -t accepts every result, the references after
 * are as many as before, and renaming back gives the original text.
 */
test('rename, generated: nginx -t accepts every rename, and renaming back restores the files', async () => {
  const seeds = [1, 2, Date.now() % 100000];
  console.log(`rename generator seeds: ${seeds.join(', ')}`);
  for (const seed of seeds) {
    const rnd = prng(seed);
    const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
    const ups = ['api', 'Chat', 'ws_back', 'b1'].slice(0, 2 + Math.floor(rnd() * 3));
    const vars = ['conn', 'mode', 'flag'].slice(0, 1 + Math.floor(rnd() * 3));
    const passes = ['proxy_pass http://{u}', 'proxy_pass http://{u}/x/', 'grpc_pass grpc://{u}', 'fastcgi_pass {u}', 'uwsgi_pass {u}', 'scgi_pass {u}', 'set $memcached_key $uri; memcached_pass {u}'];
    const main = `events {}\nhttp {\n${ups.map((u) => `    upstream ${u} { server 127.0.0.1:${1000 + ups.indexOf(u)}; }\n`).join('')}${vars.map((v) => `    map $http_upgrade $${v} { default a; '' b; }\n`).join('')}    include conf.d/*.conf;\n}\n`;
    const locs = Array.from({ length: 3 + Math.floor(rnd() * 3) }, (_, i) => {
      const u = pick(ups);
      const v = pick(vars);
      return `    location /l${i}/ {\n        ${pick(passes).replace('{u}', u)};\n        set $s${i} "\${${v}}-$${v}";\n        add_header X-${i} $s${i};\n        try_files $uri @named;\n    }\n`;
    });
    const app = `server {\n    listen 127.0.0.1:8000;\n${locs.join('')}    include snippets/named.conf;\n}\n`;
    const snippet = `location @named {\n    proxy_pass http://${pick(ups)};\n    add_header X-Mode $${pick(vars)};\n}\n`;
    const files: Record<string, string> = { '/w/nginx.conf': main, '/w/conf.d/app.conf': app, '/w/snippets/named.conf': snippet };
    const prefixed = (fs: Record<string, string>) => ({ 'nginx.conf': withLocalPaths(fs['/w/nginx.conf']), 'conf.d/app.conf': fs['/w/conf.d/app.conf'], 'snippets/named.conf': fs['/w/snippets/named.conf'] });
    const before = await nginxTest(prefixed(files));
    assert.ok(before.ok, `seed ${seed}: the generated config is valid: ${before.output}\n${Object.values(files).join('\n')}`);
    const targets: [string, string, number][] = [
      ...ups.map((u): [string, string, number] => ['/w/nginx.conf', `upstream ${u}`, 10]),
      ...vars.map((v): [string, string, number] => ['/w/nginx.conf', ` $${v} {`, 2]),
      ['/w/snippets/named.conf', '@named', 2],
      ['/w/conf.d/app.conf', 'set $s0', 6],
    ];
    for (const [file, needle, k] of targets) {
      const ws = workspace(files);
      const offset = at(files, file, needle, k);
      const count = referencesAt(ws, file, offset).length;
      const fresh = `renamed_${Math.floor(rnd() * 1000)}`;
      const r = renameAt(ws, file, offset, fresh);
      assert.ok(r.ok, `seed ${seed} ${needle}: ${!r.ok && r.message}`);
      assert.equal(r.edits.length, count, `seed ${seed} ${needle}: one edit per reference`);
      const after = applied(files, r.edits);
      const v = await nginxTest(prefixed(after));
      assert.ok(v.ok, `seed ${seed}: ${needle} → ${fresh}: ${v.output}\n${Object.values(after).join('\n')}`);
      const ws2 = workspace(after);
      const back = renameAt(ws2, r.edits[0].file, r.edits[0].span.start, (files[r.edits[0].file]).slice(r.edits[0].span.start, r.edits[0].span.end));
      assert.ok(back.ok, `seed ${seed} ${needle}: back: ${!back.ok && back.message}`);
      assert.equal(referencesAt(ws2, r.edits[0].file, r.edits[0].span.start).length, count, `seed ${seed} ${needle}: as many references after`);
      assert.deepEqual(applied(after, back.edits), files, `seed ${seed} ${needle}: renaming back restores the files`);
    }
  }
});

test('references on an include path: every include of the workspace that reads the same file', () => {
  const files = {
    '/w/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    '/w/conf.d/a.conf': 'server {\n    listen 8000;\n    location / { include snippets/ws.conf; }\n}\n',
    '/w/conf.d/b.conf': 'server {\n    listen 8001;\n    location / { include "/etc/nginx/snippets/ws.conf"; }\n    location /x { include snippets/other.conf; }\n}\n',
    '/w/snippets/ws.conf': 'proxy_http_version 1.1;\n',
    '/w/snippets/other.conf': 'proxy_read_timeout 1h;\n',
  };
  const ws = workspace(files);
  assert.deepEqual(show(files, referencesAt(ws, '/w/conf.d/a.conf', at(files, '/w/conf.d/a.conf', 'snippets/ws.conf', 3))), [
    '/w/conf.d/a.conf:3:snippets/ws.conf',
    '/w/conf.d/b.conf:3:/etc/nginx/snippets/ws.conf',
  ]);
  assert.deepEqual(referencesAt(ws, '/w/conf.d/a.conf', at(files, '/w/conf.d/a.conf', 'listen', 2)), []);
});
