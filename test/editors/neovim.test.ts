// A real editor other than VS Code: Debian's headless Neovim starts the language server over
// stdio (test/editors/neovim.lua, the README's setup), gets the diagnostics of a broken config,
// asks for a code action and applies the fix. Neovim writes what it saw to a JSON file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
const SERVER = path.join(REPO, 'dist/server.js');
const SCRIPT = path.join(REPO, 'test/editors/neovim.lua');

const BROKEN = [
  'events {}',
  'http {',
  '    map $http_upgrade $connection_upgrade {',
  '        default upgrade;',
  "        '' close;",
  '    }',
  '    server {',
  '        listen 80;',
  '        location /ws/ {',
  '            proxy_pass http://127.0.0.1:9000;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '            proxy_set_header Connection $connection_upgrade;',
  '        }',
  '        unknown_thing on;',
  '    }',
  '}',
  '',
].join('\n');

test('headless Neovim gets the diagnostics and a working code action from the server', () => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(nvim.status, 0, 'Neovim is needed for this test: apt-get install neovim (.ci/run installs it)');
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-nvim-')));
  try {
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, BROKEN);
    const out = path.join(dir, 'result.json');
    // Neovim's own files (state, logs, shada) stay in the temp folder; no user config is read
    const home = path.join(dir, 'home');
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data'), XDG_STATE_HOME: path.join(home, 'state'), XDG_CACHE_HOME: path.join(home, 'cache'),
      NGINX_WS_OUT: out, NGINX_WS_NODE: process.execPath, NGINX_WS_SERVER: SERVER, NGINX_WS_ROOT: dir };
    const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', SCRIPT, conf], { env, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', cwd: dir });
    assert.ok(fs.existsSync(out), `Neovim wrote no result (status ${r.status}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(result.errors, [], JSON.stringify(result));
    assert.equal(result.published, true);
    const codes = result.diagnostics.map((d: { code: string }) => d.code).sort();
    // the settings given in init_options apply: ws-read-timeout is off
    assert.deepEqual(codes, ['nginx-directive', 'ws-http-version'], JSON.stringify(result.diagnostics));
    const unknown = result.diagnostics.find((d: { code: string }) => d.code === 'nginx-directive');
    assert.deepEqual([unknown.lnum, unknown.col, unknown.message], [13, 8, 'unknown directive "unknown_thing"']);
    assert.ok(result.actions.some((t: string) => t.includes('proxy_http_version 1.1')), JSON.stringify(result.actions));
    assert.match(result.text, /location \/ws\/ \{[^}]*proxy_http_version 1\.1;[^}]*\}/, 'the fix went into the WebSocket location');
    assert.equal(result.text.split('proxy_http_version 1.1;').length, 2, 'the fix inserted the line once');
    assert.equal(result.stopped, true, 'the server stopped when asked');
    assert.equal(r.status, 0, r.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
