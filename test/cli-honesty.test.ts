// The CLI tells the truth about what it checked and what it changed: a folder with no nginx file
// and a scan cut short are failures (exit 2), severities are named as they are, --fix says which
// files it changed (on stderr, so JSON on stdout stays parseable), a link named on the command
// line is reported under that name while the file it points at is the one changed, and a file
// that cannot be replaced safely is left alone together with the fixes that need it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');
const BROKEN = path.join(REPO, 'test/fixtures/cli/broken');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function temp(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-honest-')));
}

test('a folder with no nginx file says so and exits 2; naming a file checks it anyway', () => {
  const dir = temp();
  try {
    const site = 'server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:9000;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n';
    fs.writeFileSync(path.join(dir, 'peertube'), site);
    fs.writeFileSync(path.join(dir, 'default.conf.tpl'), site);
    const r = run('check', dir);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /no nginx configuration file found/);
    assert.doesNotMatch(r.out, /0 files checked/);
    const named = run('check', path.join(dir, 'peertube'));
    assert.equal(named.code, 1, named.out + named.err);
    assert.match(named.out, /peertube:3:5: error: .*\[ws-connection-header-missing\]/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a scan that stops at the file limit says where and exits 2', () => {
  const r = run('check', '--max-files', '1', BROKEN);
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /stopped after 1 nginx files \(--max-files\); the files after .+ were not checked/);
  assert.equal(run('check', '--max-files', 'lots', BROKEN).code, 2);
});

test('text output names every severity, in the lines and in the summary', () => {
  const r = run('check', '--rule', 'ws-http-version=info', BROKEN);
  assert.match(r.out, /: info: Upgrade is forwarded/);
  assert.match(r.out, /: hint: proxy_read_timeout is not set/);
  assert.match(r.out, /^2 files checked: 1 error, 0 warnings, 1 info, 1 hint$/m);
});

test('--fix with --format json: stdout is the JSON of what remains, stderr says what changed', () => {
  const dir = temp();
  try {
    fs.cpSync(BROKEN, dir, { recursive: true });
    const r = run('check', '--fix', '--format', 'json', dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), []);
    assert.deepEqual(r.err.trim().split('\n').sort(), [
      `nginx-ws: fixed ${dir}/conf.d/app.conf: 2 fixes`,
      `nginx-ws: fixed ${dir}/nginx.conf: 1 fix`,
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a link named on the command line: findings under that name, the file it points at is changed, the link stays', () => {
  const dir = temp();
  try {
    fs.mkdirSync(path.join(dir, 'sites-available'));
    fs.mkdirSync(path.join(dir, 'sites-enabled'));
    const site = 'server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:9000;\n        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection "upgrade";\n    }\n}\n';
    fs.writeFileSync(path.join(dir, 'sites-available/chat'), site);
    const link = path.join(dir, 'sites-enabled/chat');
    fs.symlinkSync('../sites-available/chat', link);
    const listed = run('check', '--format', 'json', link);
    const rows = JSON.parse(listed.out) as { file: string; code: string }[];
    assert.deepEqual(rows.map((x) => [x.file, x.code]), [[link, 'ws-read-timeout']]);
    // the directory: the same file is listed once, under its real path
    const all = JSON.parse(run('check', '--format', 'json', dir).out) as { file: string; code: string }[];
    assert.deepEqual(all.map((x) => [x.file, x.code]), [[`${dir}/sites-available/chat`, 'ws-read-timeout']]);
    const r = run('check', '--fix', link);
    assert.equal(r.err.trim(), `nginx-ws: fixed ${link}: 1 fix (through a link: ${dir}/sites-available/chat was changed)`);
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.match(fs.readFileSync(path.join(dir, 'sites-available/chat'), 'utf8'), /proxy_read_timeout 600s;/);
    assert.deepEqual(JSON.parse(run('check', '--format', 'json', dir).out), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that cannot be replaced safely (hard links): left alone, with every fix that needs it; the rest is fixed', () => {
  const dir = temp();
  try {
    fs.cpSync(BROKEN, dir, { recursive: true });
    const main = path.join(dir, 'nginx.conf');
    const before = fs.readFileSync(main);
    fs.linkSync(main, path.join(dir, 'nginx.conf.orig'));
    const r = run('check', '--fix', dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.ok(fs.readFileSync(main).equals(before), 'nginx.conf untouched');
    assert.match(r.err, new RegExp(`^nginx-ws: not fixed: ${main.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: it has 2 hard links`, 'm'));
    assert.match(r.err, /^nginx-ws: fixed .*conf\.d\/app\.conf: 2 fixes$/m);
    assert.match(r.out, /\[ws-map-missing\]/, 'the map is still missing, and said so');
    const app = fs.readFileSync(path.join(dir, 'conf.d/app.conf'), 'utf8');
    assert.match(app, /proxy_http_version 1\.1;/);
    assert.doesNotMatch(app, /map \$http_upgrade/, 'no map written into the site instead');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a link in the tree to a file outside it: reported under the real path, fixed only with --fix-includes, and said so', () => {
  const dir = temp();
  try {
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'sites-enabled'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    fs.writeFileSync(path.join(tree, 'nginx.conf'), 'events {}\nhttp {\n    include sites-enabled/*;\n}\n');
    const real = path.join(dir, 'elsewhere/chat');
    const site = 'server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:9000;\n        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection "upgrade";\n    }\n}\n';
    fs.writeFileSync(real, site);
    const link = path.join(tree, 'sites-enabled/chat');
    fs.symlinkSync(real, link);
    const r = run('check', '--fix', tree);
    assert.equal(r.err.trim(), `nginx-ws: not fixed: ${real}: outside the given paths, use --fix-includes (reached through ${link})`);
    assert.equal(fs.readFileSync(real, 'utf8'), site);
    assert.match(r.out, new RegExp(`^${real.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:5: hint: .*\\[ws-read-timeout\\]$`, 'm'));
    const inc = run('check', '--fix-includes', tree);
    assert.equal(inc.err.trim(), `nginx-ws: fixed ${real}: 1 fix (also reached as ${link}: a link, left as it is)`);
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.match(fs.readFileSync(real, 'utf8'), /proxy_read_timeout 600s;/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
