// The project file as the CLI reads it (a whole process): `.nginx-ws.json` or package.json's
// `nginxWebSocket` key, found from the checked path upwards, sets rule levels, the nginx version,
// extra directives and the scan limit; the flags win; a wrong value stops the check naming the
// file, an unknown key is warned about and the check goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../..', 'dist/cli.js');
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
const codes = (stdout: string) => (JSON.parse(stdout) as { code: string; severity: string; message: string }[]);

function layout(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-project-')));
  fs.mkdirSync(path.join(dir, 'deploy/nginx/conf.d'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'deploy/nginx/nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
  fs.writeFileSync(path.join(dir, 'deploy/nginx/conf.d/app.conf'), [
    'server {',
    '    listen 80;',
    '    acme_module_switch on;',
    '    location /live/ {',
    '        proxy_pass http://127.0.0.1:9000;',
    '        proxy_set_header Upgrade $http_upgrade;',
    '        proxy_set_header Connection "upgrade";',
    '    }',
    '}',
    '',
  ].join('\n'));
  return dir;
}

test('the project file sets the defaults, found from the checked path upwards; flags win over it', () => {
  const dir = layout();
  try {
    const target = 'deploy/nginx';
    const bare = codes(run(dir, 'check', '--format', 'json', target).stdout).map((r) => r.code);
    assert.ok(bare.includes('nginx-directive') && bare.includes('ws-http-version') && bare.includes('ws-read-timeout'), bare.join());
    fs.writeFileSync(path.join(dir, '.nginx-ws.json'), JSON.stringify({
      nginxVersion: '1.29.7',
      extraDirectives: ['acme_module_switch'],
      rules: { 'ws-read-timeout': 'off', 'ws-connection-hardcoded': 'error' },
    }));
    const withFile = run(dir, 'check', '--format', 'json', target);
    assert.equal(withFile.stderr, '');
    const rows = codes(withFile.stdout);
    const got = rows.map((r) => r.code);
    // 1.29.7 talks HTTP/1.1 upstream; the directive is accepted; the hint is off; the info is now an error
    assert.ok(!got.includes('ws-http-version') && !got.includes('nginx-directive') && !got.includes('ws-read-timeout'), got.join());
    assert.equal(rows.find((r) => r.code === 'ws-connection-hardcoded')?.severity, 'error');
    // from a file deeper down, from another working directory: the same file applies
    const deeper = codes(run(os.tmpdir(), 'check', '--format', 'json', path.join(dir, 'deploy/nginx/conf.d/app.conf')).stdout).map((r) => r.code);
    assert.ok(!deeper.includes('ws-read-timeout') && !deeper.includes('ws-http-version'), deeper.join());
    // flags win: a level, the version; an extra directive adds to the file's
    const flags = codes(run(dir, 'check', '--format', 'json', '--rule', 'ws-read-timeout=warning', '--nginx-version', '1.22', '--extra-directive', 'other_thing', target).stdout);
    assert.equal(flags.find((r) => r.code === 'ws-read-timeout')?.severity, 'warning');
    assert.ok(flags.some((r) => r.code === 'ws-http-version'));
    assert.ok(!flags.some((r) => r.code === 'nginx-directive'));
    // maxFiles from the file
    fs.writeFileSync(path.join(dir, '.nginx-ws.json'), JSON.stringify({ maxFiles: 1 }));
    const limited = run(dir, 'check', target);
    assert.equal(limited.status, 2);
    assert.match(limited.stderr, /--max-files/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('frontedBy: from the project file or --fronted-by (the flag wins), the read-timeout advice names the front', () => {
  const dir = layout();
  try {
    const target = 'deploy/nginx';
    const message = (...args: string[]) => codes(run(dir, 'check', '--format', 'json', ...args, target).stdout).find((r) => r.code === 'ws-read-timeout')?.message ?? '';
    assert.doesNotMatch(message(), /Cloudflare|load balancer/);
    fs.writeFileSync(path.join(dir, '.nginx-ws.json'), JSON.stringify({ frontedBy: 'cloudflare' }));
    assert.match(message(), /Cloudflare closes it after 100 s .* ping more often than every 100 s/);
    assert.match(message('--fronted-by', 'aws-alb'), /AWS load balancer closes it after 60 s .* every 60 s/);
    assert.doesNotMatch(message('--fronted-by', 'none'), /Cloudflare|load balancer/);
    const bad = run(dir, 'check', '--fronted-by', 'akamai', target);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--fronted-by takes none, cloudflare, aws-alb or the idle limit in seconds, not "akamai"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('package.json\'s nginxWebSocket key works the same; a nearer file wins; .nginx-ws.json beside it is preferred', () => {
  const dir = layout();
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', nginxWebSocket: { rules: { 'ws-read-timeout': 'off' } } }));
    let got = codes(run(dir, 'check', '--format', 'json', 'deploy/nginx').stdout).map((r) => r.code);
    assert.ok(!got.includes('ws-read-timeout') && got.includes('ws-http-version'), got.join());
    // a package.json without the key in between does not stop the search
    fs.writeFileSync(path.join(dir, 'deploy/package.json'), JSON.stringify({ name: 'y' }));
    got = codes(run(dir, 'check', '--format', 'json', 'deploy/nginx').stdout).map((r) => r.code);
    assert.ok(!got.includes('ws-read-timeout'), got.join());
    // a nearer project file replaces the farther one (no merging across folders)
    fs.writeFileSync(path.join(dir, 'deploy/nginx/.nginx-ws.json'), JSON.stringify({ rules: { 'ws-http-version': 'off' } }));
    got = codes(run(dir, 'check', '--format', 'json', 'deploy/nginx').stdout).map((r) => r.code);
    assert.ok(got.includes('ws-read-timeout') && !got.includes('ws-http-version'), got.join());
    fs.writeFileSync(path.join(dir, 'deploy/nginx/package.json'), JSON.stringify({ nginxWebSocket: { rules: { 'ws-read-timeout': 'off' } } }));
    const both = run(dir, 'check', '--format', 'json', 'deploy/nginx');
    assert.match(both.stderr, /deploy\/nginx\/\.nginx-ws\.json: warning: package\.json in the same folder has a "nginxWebSocket" key too/);
    assert.ok(codes(both.stdout).some((r) => r.code === 'ws-read-timeout'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a wrong value stops the check naming the file and the key; unknown keys are warned about', () => {
  const dir = layout();
  const write = (o: unknown) => fs.writeFileSync(path.join(dir, '.nginx-ws.json'), typeof o === 'string' ? o : JSON.stringify(o));
  try {
    const cases: [unknown, RegExp][] = [
      [{ nginxVersion: 122 }, /\.nginx-ws\.json: error: "nginxVersion": expected a string, not 122/],
      [{ nginxVersion: 'latest' }, /"nginxVersion": A version like 1\.22 or 1\.29\.7, or empty\. Not "latest"\./],
      [{ rules: { 'ws-read-timeout': 'loud' } }, /"rules": "ws-read-timeout": expected one of off, error, warning, info, hint, not "loud"/],
      [{ extraDirectives: 'more_set_headers' }, /"extraDirectives": expected an array of non-empty strings, not "more_set_headers"/],
      [{ endpointPatterns: ['(^/live'] }, /"endpointPatterns": "\(\^\/live" is not a regular expression/],
      [{ nginx: { timeoutMs: 50 } }, /"nginx\.timeoutMs": expected a number from 100 to 120000, not 50/],
      [{ connectionStyle: 'both' }, /"connectionStyle": expected one of "map", "literal", not "both"/],
      [{ readTimeout: '0s' }, /"readTimeout": expected a time longer than zero/],
      [{ frontedBy: 'akamai' }, /"frontedBy": none, cloudflare, aws-alb, or the idle limit in seconds \(e\.g\. 350\)\. Not "akamai"\./],
      ['{ "rules": ', /\.nginx-ws\.json: error: not valid JSON/],
      [[1, 2], /error: the file must hold an object of options, not an array/],
    ];
    for (const [content, message] of cases) {
      write(content);
      const r = run(dir, 'check', 'deploy/nginx');
      assert.equal(r.status, 2, JSON.stringify(content));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'nothing checked');
    }
    write({ rules: { 'ws-read-timeout': 'off', 'ws-nope': 'error' }, colour: true, 'probe.origin': 'https://a', nginx: { testOnSave: false, bogus: 1 } });
    const r = run(dir, 'check', '--format', 'json', 'deploy/nginx');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /\.nginx-ws\.json: warning: "rules": unknown rule or code "ws-nope"; ignored/);
    assert.match(r.stderr, /warning: unknown option "colour"; ignored \(known: nginxVersion, /);
    assert.match(r.stderr, /warning: unknown option "nginx\.bogus"/);
    assert.match(r.stderr, /warning: "probe\.origin" is an editor setting/);
    assert.ok(!codes(r.stdout).some((x) => x.code === 'ws-read-timeout'), 'the valid part still applies');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
