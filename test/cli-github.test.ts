// `check --format github`: one GitHub Actions workflow command per finding of `--format json`,
// with the level, the file relative to the working directory and the position, escaped as the
// runner reads them, so a pull request gets one annotation per finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../..', 'dist/cli.js');

const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

/** The runner's decoding of a workflow command: `::level k=v,k=v::message`. */
function parseCommand(line: string): { level: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const props = Object.fromEntries(m[2].split(',').map((kv) => { const i = kv.indexOf('='); return [kv.slice(0, i), unescape(kv.slice(i + 1))]; }));
  return { level: m[1], props, message: unescape(m[3]) };
}

test('one annotation per finding, at the JSON finding\'s place, with its level', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-github-')));
  try {
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
    // a name with a comma and a message with a percent sign: both must survive the escaping
    fs.writeFileSync(path.join(dir, 'conf.d', 'chat,2.conf'), [
      'server {',
      '    listen 80;',
      '    fo%o on;',
      '    location /ws/ {',
      '        proxy_pass http://127.0.0.1:9000;',
      '        proxy_set_header Upgrade $http_upgrade;',
      '    }',
      '}',
      '',
    ].join('\n'));
    const json = run(dir, 'check', '--format', 'json', '.');
    const rows = JSON.parse(json.stdout) as { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }[];
    assert.ok(rows.length >= 3, json.stdout);
    assert.ok(rows.some((r) => r.severity === 'error') && rows.some((r) => r.severity === 'hint' || r.severity === 'info'), json.stdout);
    const gh = run(dir, 'check', '--format', 'github', '.');
    assert.equal(gh.status, json.status);
    const commands = gh.stdout.split('\n').filter((l) => l.startsWith('::')).map(parseCommand);
    assert.equal(commands.length, rows.length, gh.stdout);
    const level: Record<string, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };
    rows.forEach((r, i) => {
      const c = commands[i];
      assert.equal(c.level, level[r.severity]);
      assert.equal(c.props.file, path.relative(dir, r.file));
      assert.deepEqual([c.props.line, c.props.col, c.props.endLine, c.props.endColumn].map(Number), [r.line, r.column, r.endLine, r.endColumn]);
      assert.equal(c.props.title, `nginx-ws ${r.code}`);
      assert.equal(c.message, r.message);
    });
    assert.ok(commands.some((c) => c.props.file === 'conf.d/chat,2.conf' && c.message === 'unknown directive "fo%o"'), gh.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
