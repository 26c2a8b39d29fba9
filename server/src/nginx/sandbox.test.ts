// The sandbox's copy, without running nginx: what it rewrites (every line keeps its number),
// what it inserts where nginx would use its compiled-in paths, what it refuses to load, and how
// it sets aside what nginx names as missing here. The real nginx runs in test/lsp/nginxSandbox.test.ts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_OPTIONS, Workspace } from '../core/index';
import { MemoryHost } from '../../../test/util/fixture';
import { buildSandbox, installedModule, type Sandbox } from './sandbox';

const BINARY = { version: '1.22.1', prefix: '/usr/share/nginx', modulesPath: '/usr/lib/nginx/modules', configure: '--with-http_ssl_module' };

function sandboxOf(files: Record<string, string>, main = '/ws/nginx.conf'): { sb: Sandbox; copy: () => string; read: (p: string) => string } {
  const ws = new Workspace(new MemoryHost(new Map(Object.entries(files))), DEFAULT_OPTIONS);
  ws.setFiles(Object.keys(files).filter((f) => f.startsWith('/ws/')));
  const root = ws.rootsOf(main).find((r) => r.root === main)!;
  const sb = buildSandbox({ root, base: '/ws', binary: BINARY, text: (f) => ws.text(f), resolveInclude: (a) => ws.resolveInclude(ws.prefixOf(main, 'main'), a) });
  sb.write();
  const c = sb.args[sb.args.indexOf('-c') + 1];
  return { sb, copy: () => fs.readFileSync(c, 'utf8'), read: (p) => fs.readFileSync(p, 'utf8') };
}

const runDir = (sb: Sandbox) => path.join(path.dirname(path.dirname(sb.args[sb.args.indexOf('-e') + 1])), 'run');

test('every written path at any depth and in an outside include goes into the prefix; every line keeps its number', (t) => {
  const depth = 60;
  const main = [
    'pid /run/x.pid;',
    'events {}',
    'http {',
    '    proxy_temp_path /var/lib/app/proxy;',
    '    include /machine/outside.conf;',
    `    server { listen 80; ${'location / { '.repeat(depth)}access_log /var/log/deep.log; ${'} '.repeat(depth)}}`,
    '}',
    '',
  ].join('\n');
  const { sb, copy, read } = sandboxOf({ '/ws/nginx.conf': main, '/machine/outside.conf': 'server {\n    error_log "/var/log/out side.log";\n}\n' });
  t.after(() => sb.dispose());
  const out = copy();
  assert.equal(out.split('\n').length, main.split('\n').length);
  const run = runDir(sb);
  for (const p of [' /run/x.pid', ' /var/lib/app/proxy', ' /var/log/deep.log', ' /machine/outside.conf']) assert.ok(!out.includes(p), `${p} rewritten: ${out}`);
  assert.match(out.split('\n')[0], new RegExp(`^pid ${run}/`));
  // the compiled-in defaults right after `http {`, on its line, except what the user set there
  const http = out.split('\n')[2];
  assert.match(http, new RegExp(`^http \\{ access_log ${run}/access\\.log; client_body_temp_path ${run}/client_body_temp; fastcgi_temp_path`));
  assert.ok(!/proxy_temp_path/.test(http), 'not inserted where the user set it');
  const outside = /include "?([^";]+)"?;/.exec(out)![1];
  assert.ok(outside.startsWith(path.dirname(path.dirname(run))), outside);
  assert.match(read(outside), new RegExp(`error_log ${run}/w\\d+-out_side\\.log;`));
  assert.deepEqual(sb.args.slice(0, 2), ['-t', '-q']);
  assert.ok(!sb.args.includes('-g'), 'the file sets pid: none passed with -g (it would be "is duplicate")');
  assert.equal(sb.toOriginal(outside), '/machine/outside.conf');
  assert.equal(sb.unmap(`x in ${outside}:2`), 'x in /machine/outside.conf:2');
});

test('blocks deeper than the parser keeps: nginx must not run', (t) => {
  const { sb } = sandboxOf({ '/ws/nginx.conf': `events {}\nhttp { server { ${'location / { '.repeat(140)}access_log /x.log; ${'} '.repeat(140)}} }\n` });
  t.after(() => sb.dispose());
  assert.match(sb.unseen?.message ?? '', /^nginx -t was not run: blocks nested deeper than 128 levels/);
});

test('load_module of a library that is not installed with nginx is blanked out, and its directives as nginx names them', (t) => {
  const main = 'load_module ./evil.so;\nload_module "/tmp/x/evil.so";\nevents {}\nhttp {\n    evil on;\n    server { listen 80; }\n}\n';
  const { sb, copy } = sandboxOf({ '/ws/nginx.conf': main });
  t.after(() => sb.dispose());
  const lines = copy().split('\n');
  assert.equal(lines[0].trim(), '');
  assert.equal(lines[1].trim(), '');
  assert.equal(lines[0].length, 'load_module ./evil.so;'.length, 'blanked, not removed');
  assert.deepEqual(sb.notes.map((n) => n.span.start), [0, main.indexOf('load_module "')]);
  const c = sb.args[sb.args.indexOf('-c') + 1];
  const aside = sb.setAside({ level: 'emerg', message: 'unknown directive "evil"', file: c, line: 5 });
  assert.match(aside?.message ?? '', /^unknown directive "evil": a directive of a module nginx -t did not load here/);
  sb.write();
  assert.equal(copy().split('\n')[4].trim(), '');
  assert.equal(sb.setAside({ level: 'emerg', message: 'unknown directive "evil"', file: c, line: 5 }), undefined, 'once');
});

test('an unknown directive is a real error when no module was set aside', (t) => {
  const { sb } = sandboxOf({ '/ws/nginx.conf': 'events {}\nhttp {\n    evil on;\n}\n' });
  t.after(() => sb.dispose());
  assert.equal(sb.setAside({ level: 'emerg', message: 'unknown directive "evil"', file: sb.args[sb.args.indexOf('-c') + 1], line: 3 }), undefined);
});

test('what exists only on the server: a user, a certificate pair, an upstream host, an included file', (t) => {
  const main = [
    'user www-data;',
    'events {}',
    'http {',
    '    upstream app { server backend.internal:8080; }',
    '    server {',
    '        listen 443 ssl;',
    '        ssl_certificate /etc/letsencrypt/live/x/fullchain.pem;',
    '        ssl_certificate_key /etc/letsencrypt/live/x/privkey.pem;',
    '        include /etc/nginx/snippets/server-only.conf;',
    '    }',
    '}',
    '',
  ].join('\n');
  const { sb, copy } = sandboxOf({ '/ws/nginx.conf': main });
  t.after(() => sb.dispose());
  const c = sb.args[sb.args.indexOf('-c') + 1];
  const user = sb.setAside({ level: 'emerg', message: 'getpwnam("www-data") failed', file: c, line: 1 });
  assert.match(user!.message, /^getpwnam\("www-data"\) failed: no such user on this machine/);
  const host = sb.setAside({ level: 'emerg', message: 'host not found in upstream "backend.internal:8080"', file: c, line: 4 });
  assert.match(host!.message, /^host not found in upstream "backend\.internal:8080": the host does not resolve/);
  const cert = sb.setAside({ level: 'emerg', message: 'cannot load certificate "/etc/letsencrypt/live/x/fullchain.pem": BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory:calling fopen(/etc/letsencrypt/live/x/fullchain.pem, r))' });
  assert.equal(cert!.span.start, main.indexOf('ssl_certificate '));
  assert.equal(cert!.nginx, 'cannot load certificate "/etc/letsencrypt/live/x/fullchain.pem"');
  const inc = sb.setAside({ level: 'emerg', message: 'open() "/etc/nginx/snippets/server-only.conf" failed (2: No such file or directory)', file: c, line: 9 });
  assert.match(inc!.message, /^open\(\) "\/etc\/nginx\/snippets\/server-only\.conf" failed \(2: No such file or directory\): the file is not on this machine/);
  sb.write();
  const out = copy().split('\n');
  assert.equal(out.length, main.split('\n').length);
  assert.equal(out[0].trim(), '');
  assert.equal(out[3], '    upstream app { server 127.0.0.1:8080; }');
  const run = runDir(sb);
  assert.equal(out[6], `        ssl_certificate ${run}/placeholder.crt;`);
  assert.equal(out[7], `        ssl_certificate_key ${run}/placeholder.key;`, 'the pair, so the key matches');
  assert.equal(out[8].trim(), '');
  // a real error is not set aside
  assert.equal(sb.setAside({ level: 'emerg', message: 'invalid value "maybe" in "proxy_buffering" directive, it must be "on" or "off"', file: c, line: 5 }), undefined);
});

test('installedModule: only a root-owned file nobody else can write, really inside the modules directory', (t) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-mod-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const mods = path.join(dir, 'modules');
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(mods, { mode: 0o755 });
  fs.mkdirSync(ws, { mode: 0o755 });
  fs.chmodSync(mods, 0o755);
  fs.writeFileSync(path.join(mods, 'ok.so'), 'x', { mode: 0o644 });
  fs.writeFileSync(path.join(mods, 'open.so'), 'x');
  fs.chmodSync(path.join(mods, 'open.so'), 0o666);
  fs.writeFileSync(path.join(ws, 'evil.so'), 'x', { mode: 0o644 });
  fs.symlinkSync(path.join(ws, 'evil.so'), path.join(mods, 'link.so'));
  const root = process.getuid?.() === 0; // files made here are root's only when the tests run as root
  assert.equal(installedModule(path.join(mods, 'ok.so'), [mods]), root);
  assert.equal(installedModule(path.join(mods, 'open.so'), [mods]), false, 'world-writable');
  assert.equal(installedModule(path.join(mods, 'link.so'), [mods]), false, 'a link out of the directory');
  assert.equal(installedModule(path.join(ws, 'evil.so'), [mods]), false, 'outside the directory');
  assert.equal(installedModule(path.join(mods, 'ok.so'), [mods], mods), false, 'inside the workspace');
  assert.equal(installedModule(path.join(mods, '../modules/../ws/evil.so'), [mods]), false);
  assert.equal(installedModule(path.join(mods, 'missing.so'), [mods]), false);
});

test('a glob include points at a list of the copies of what it matched, in nginx\'s order', (t) => {
  const { sb, copy, read } = sandboxOf({
    '/ws/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n    include /etc/nginx/conf.d/*.conf;\n}\n',
    '/ws/conf.d/b.conf': 'server { listen 81; }\n',
    '/ws/conf.d/a.conf': 'server { listen 80; }\n',
  });
  t.after(() => sb.dispose());
  const lists = [...copy().matchAll(/include "?([^";]+)"?;/g)].map((m) => m[1]);
  assert.equal(lists.length, 2);
  for (const list of lists) {
    const included = [...read(list).matchAll(/include "?([^";]+)"?;/g)].map((m) => sb.toOriginal(m[1]));
    assert.deepEqual(included, ['/ws/conf.d/a.conf', '/ws/conf.d/b.conf'], 'the re-rooted /etc/nginx glob too');
    assert.equal(read(read(list).match(/include "?([^";]+)"?;/)![1]), 'server { listen 80; }\n');
  }
});

test('a message about a redirected path names the path the user wrote', (t) => {
  const { sb, copy } = sandboxOf({ '/ws/nginx.conf': 'events {}\nhttp {\n    access_log /var/log/app/access.log;\n}\n' });
  t.after(() => sb.dispose());
  const scratch = /access_log (\S+);/.exec(copy().split('\n')[2])![1];
  assert.notEqual(scratch, '/var/log/app/access.log');
  assert.equal(sb.unmap(`open() "${scratch}" failed (13: Permission denied)`), 'open() "/var/log/app/access.log" failed (13: Permission denied)');
});

test('a CA bundle, DH parameters or ticket key that is not on this machine, as nginx words it', (t) => {
  const main = 'events {}\nhttp {\n    server {\n        ssl_trusted_certificate /etc/nope/ca.pem;\n        ssl_dhparam /etc/nope/dh.pem;\n        ssl_session_ticket_key /etc/nope/ticket.key;\n    }\n}\n';
  const { sb, copy } = sandboxOf({ '/ws/nginx.conf': main });
  t.after(() => sb.dispose());
  const c = sb.args[sb.args.indexOf('-c') + 1];
  const ca = sb.setAside({ level: 'emerg', message: 'SSL_CTX_load_verify_locations("/etc/nope/ca.pem") failed (SSL: error:80000002:system library::No such file or directory:calling fopen(/etc/nope/ca.pem, r))' });
  assert.equal(ca?.span.start, main.indexOf('ssl_trusted_certificate'));
  assert.match(ca!.message, /^SSL_CTX_load_verify_locations\("\/etc\/nope\/ca\.pem"\) failed: the file is not on this machine/);
  const dh = sb.setAside({ level: 'emerg', message: 'BIO_new_file("/etc/nope/dh.pem") failed (SSL: error:80000002:system library::No such file or directory:calling fopen(/etc/nope/dh.pem, r))' });
  assert.equal(dh?.span.start, main.indexOf('ssl_dhparam'));
  const key = sb.setAside({ level: 'emerg', message: 'open() "/etc/nope/ticket.key" failed (2: No such file or directory)', file: c, line: 6 });
  assert.equal(key?.span.start, main.indexOf('ssl_session_ticket_key'));
  sb.write();
  const out = copy().split('\n');
  assert.match(out[3], /ssl_trusted_certificate \S+\/placeholder\.crt;/, 'a CA bundle gets the placeholder');
  assert.equal(out[4].trim(), '');
  assert.equal(out[5].trim(), '');
});

test('host names nginx would look up in DNS are loopback addresses in the copy: nginx -t never asks the network', (t) => {
  const main = [
    'events {}',
    'http {',
    '    upstream app { server backend.internal:8080 max_fails=3; server 10.0.0.7:8080; server localhost:9000; }',
    '    server {',
    '        listen api.example.com:8080 default_server;',
    '        listen www.example.com:8080;',
    '        listen 8081;',
    '        location /a { proxy_pass http://api.internal:9000/x; }',
    '        location /b { proxy_pass http://app; }',
    '        location /c { proxy_pass http://$upstream_name; }',
    '        location /d { fastcgi_pass unix:/run/php.sock; }',
    '        location /e { grpc_pass grpc://[::1]:50051; }',
    '    }',
    '}',
    '',
  ].join('\n');
  const { sb, copy } = sandboxOf({ '/ws/nginx.conf': main });
  t.after(() => sb.dispose());
  const out = copy().split('\n');
  assert.equal(out.length, main.split('\n').length);
  const loop = /127\.255\.\d+\.\d+/;
  const addr = (line: string) => loop.exec(line)?.[0];
  assert.match(out[2], /server 127\.255\.\d+\.\d+:8080 max_fails=3; server 10\.0\.0\.7:8080; server localhost:9000;/);
  assert.match(out[4], /listen 127\.255\.\d+\.\d+:8080 default_server;/);
  assert.match(out[5], /listen 127\.255\.\d+\.\d+:8080;/);
  // one loopback address per host name: two hosts never become one listen address
  assert.equal(new Set([addr(out[2]), addr(out[4]), addr(out[5]), addr(out[7])]).size, 4);
  assert.match(out[6], /listen 8081;/);
  assert.match(out[7], /proxy_pass http:\/\/127\.255\.\d+\.\d+:9000\/x;/);
  // an upstream's own name, a variable, a socket and an address stay as written
  for (const i of [8, 9, 10, 11]) assert.equal(out[i].trim(), main.split('\n')[i].trim());
});
