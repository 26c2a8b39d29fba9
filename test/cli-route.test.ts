// `nginx-ws route` as a user runs it: dist/cli.js in a child process, on a configuration in a
// temporary folder (a directory, a file, an nginx -T dump on standard input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');

function run(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [CLI, 'route', ...args], { encoding: 'utf8', timeout: 30_000, input, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MAIN = 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; "" close; }\n    include conf.d/*.conf;\n}\n';
const APP = `server {
    listen 8080;
    server_name example.com *.example.com;
    location / {
        proxy_pass http://127.0.0.1:3000;
    }
    location /ws/ {
        proxy_pass http://127.0.0.1:3001;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
    }
}
`;

const DEFAULT = 'server {\n    listen 8080 default_server;\n    server_name _;\n    return 444;\n}\n';

test('route: the server, the location, why, and the WebSocket headers, with file:line', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-route-cli-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), MAIN);
  fs.writeFileSync(path.join(dir, 'conf.d/app.conf'), APP);
  fs.writeFileSync(path.join(dir, 'conf.d/default.conf'), DEFAULT);

  const r = run(['http://chat.example.com:8080/ws/room'], dir);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^server {4}conf\.d\/app\.conf:1 {2}server_name example\.com \*\.example\.com {2}\(listen \*:8080\)$/m);
  assert.match(out, /^location {2}conf\.d\/app\.conf:7 {2}location \/ws\/$/m);
  assert.match(out, /longest leading wildcard matching "chat\.example\.com" is \*\.example\.com/);
  assert.match(out, /^ {2}Upgrade: +\$http_upgrade +conf\.d\/app\.conf:10 \(location\)$/m);
  assert.match(out, /^ {2}Connection: +\$connection_upgrade +conf\.d\/app\.conf:11 \(location\)$/m);
  assert.match(out, /^ {2}HTTP version: 1\.1 +conf\.d\/app\.conf:9 \(location\)$/m);
  assert.match(out, /^ {2}read timeout: 60s +nginx default$/m);

  // the plain location: no Upgrade sent, HTTP/1.0 and Connection: close by default (nginx 1.22)
  const plain = run(['http://example.com:8080/x', 'nginx.conf'], dir).stdout;
  assert.match(plain, /^ {2}Upgrade: +not sent/m);
  assert.match(plain, /^ {2}Connection: +close +nginx default$/m);
  assert.match(plain, /^ {2}HTTP version: 1\.0 +nginx default$/m);

  // --host and the auto redirect
  assert.match(run(['http://127.0.0.1:8080/ws', '--host', 'Example.COM', dir], os.tmpdir()).stdout, /^answer {4}301 redirect to \/ws\/$/m);

  // json: places as file and line
  const j = JSON.parse(run(['http://example.com:8080/ws/a', '--format', 'json'], dir).stdout);
  assert.deepEqual(j.location, { file: 'conf.d/app.conf', line: 7, label: 'location /ws/' });
  assert.equal(j.serverBy, 'exact');
  assert.deepEqual(j.proxy.headers.find((h: { name: string }) => h.name === 'Upgrade'), { name: 'Upgrade', value: '$http_upgrade', from: 'location', file: 'conf.d/app.conf', line: 10 });

  // nothing on that port: exit 1, said why
  const none = run(['http://example.com/'], dir);
  assert.equal(none.code, 1);
  assert.match(none.stdout, /no server listens on port 80: nginx refuses the connection \(listening: \*:8080\)/);

  // an nginx -T dump on standard input
  const dump = `# configuration file /etc/nginx/nginx.conf:\n${MAIN}\n# configuration file /etc/nginx/conf.d/app.conf:\n${APP}\n# configuration file /etc/nginx/conf.d/default.conf:\n${DEFAULT}`;
  const d = run(['http://example.com:8080/ws/', '-'], dir, dump);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /^location {2}\/etc\/nginx\/conf\.d\/app\.conf:7 {2}location \/ws\/$/m);
  // an unknown Host: the default_server (in another file)
  assert.match(run(['http://127.0.0.1:8080/', '--host', 'other.test'], dir).stdout, /^server {4}conf\.d\/default\.conf:1 {2}server_name _ {2}\(listen \*:8080\)$/m);
});

test('route: usage errors exit 2', () => {
  const cwd = os.tmpdir();
  assert.equal(run([], cwd).code, 2);
  assert.match(run(['ftp://x/', cwd], cwd).stderr, /is not http, https, ws or wss/);
  assert.equal(run(['http://x/', '--format', 'xml'], cwd).code, 2);
  assert.match(run(['http://x/', '/nonexistent/nginx.conf'], cwd).stderr, /no such file or directory/);
  assert.match(run(['http://x/', '--bogus'], cwd).stderr, /unknown option "--bogus"/);
});
