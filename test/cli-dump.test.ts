// `nginx -T | nginx-ws check -`: the dump of the configuration the real nginx loaded gives the
// same findings as checking the tree itself, under the file names nginx printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NGINX, requireNginx } from './util/nginx';

const CLI = path.resolve(__dirname, '../..', 'dist/cli.js');
const cli = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, timeout: 60_000 });

test('an nginx -T dump on standard input: the same findings as the tree, under the same names', () => {
  requireNginx();
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-dump-')));
  try {
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.mkdirSync(path.join(dir, 'snippets'));
    const temp = ['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'].map((d) => `${d} ${dir}/${d};`).join(' ');
    // nginx.conf without a final newline: the dump adds one line feed after every file
    fs.writeFileSync(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nevents {}\nhttp {\n    ${temp} access_log off;\n    include conf.d/*.conf;\n}`);
    fs.writeFileSync(path.join(dir, 'conf.d', 'a.conf'), 'server {\n    listen 127.0.0.1:18411;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:9000;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n');
    fs.writeFileSync(path.join(dir, 'conf.d', 'b.conf'), 'server {\n    listen 127.0.0.1:18412;\n    location /socket.io/ {\n        include snippets/proxy.conf;\n    }\n}\n');
    fs.writeFileSync(path.join(dir, 'snippets', 'proxy.conf'), 'proxy_pass http://127.0.0.1:9001;\nproxy_http_version 1.0;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection upgrade;\n\n');
    const dump = spawnSync(NGINX, ['-T', '-q', '-p', dir + '/', '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { encoding: 'utf8' });
    assert.equal(dump.status, 0, dump.stderr);
    assert.match(dump.stdout, /^# configuration file .*\/snippets\/proxy\.conf:$/m);
    const fromDump = cli(['check', '--format', 'json', '-'], dump.stdout);
    const fromTree = cli(['check', '--format', 'json', dir]);
    assert.equal(fromDump.status, fromTree.status, fromDump.stderr);
    const rows = (out: string) => (JSON.parse(out) as { file: string; line: number; column: number; endLine: number; endColumn: number; code: string; message: string }[])
      .map((r) => `${r.file}:${r.line}:${r.column}-${r.endLine}:${r.endColumn} ${r.code} ${r.message}`).sort();
    const tree = rows(fromTree.stdout);
    assert.ok(tree.length >= 4 && tree.some((r) => r.includes('/snippets/proxy.conf:')), fromTree.stdout);
    assert.deepEqual(rows(fromDump.stdout), tree);
    // what is not a dump is said so
    const none = cli(['check', '-'], 'hello\n');
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no "# configuration file …:" section/);
    assert.equal(cli(['check', '--fix', '-'], dump.stdout).status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
