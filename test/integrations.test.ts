// The files other tools read: the pre-commit hook, the GitHub Action, and the README's snippets
// for editors and CI. Each is parsed as its tool would, and what it runs is run: the hook's file
// pattern and the package it installs, the action's check step as a shell script, the README's
// Lua under Neovim, its project file through the project-file checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readProjectConfig } from '../server/src/core/index';

const REPO = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): any };
const read = (f: string) => fs.readFileSync(path.join(REPO, f), 'utf8');
const manifest = JSON.parse(read('package.json'));
const README = read('README.md');

/** The README's fenced blocks of a language. */
const blocks = (lang: string) => [...README.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]);

test('the pre-commit hook: a bin of the package, a file pattern for nginx files, a package that carries the bins', () => {
  const hooks = yaml.load(read('.pre-commit-hooks.yaml'));
  assert.equal(hooks.length, 1);
  const [hook] = hooks;
  assert.equal(hook.id, 'nginx-ws');
  assert.equal(hook.language, 'node');
  assert.equal(hook.pass_filenames, false);
  const [bin, command] = hook.entry.split(' ');
  assert.ok(manifest.bin[bin], `${bin} is a bin of package.json`);
  assert.equal(command, 'check');
  // pre-commit searches the pattern in each staged path (Python's re: the same syntax here)
  const files = new RegExp(hook.files);
  for (const p of ['nginx.conf', 'deploy/nginx/conf.d/app.conf', 'etc/nginx/sites-enabled/example', 'templates/default.conf.template', 'site.nginx']) assert.ok(files.test(p), p);
  for (const p of ['README.md', 'src/index.ts', 'nginx.conf.bak', 'sites-enabled/a/b']) assert.ok(!files.test(p), p);
  // pre-commit installs the package from `npm pack`: every bin must be in it
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  assert.equal(pack.status, 0, pack.stderr);
  const packed = (JSON.parse(pack.stdout)[0].files as { path: string }[]).map((f) => f.path);
  for (const target of Object.values(manifest.bin) as string[]) assert.ok(packed.includes(target), `${target} is packed: ${packed.join(', ')}`);
  assert.ok(!packed.some((f) => f.startsWith('server/') || f.startsWith('test/')), 'sources and tests stay out of the package');
});

test('the GitHub Action: its check step, run as the runner runs it, writes SARIF or annotations and the exit code', () => {
  const action = yaml.load(read('action.yml'));
  assert.equal(action.runs.using, 'composite');
  const check = action.runs.steps.find((s: { id?: string }) => s.id === 'check');
  assert.ok(check?.run && check.shell === 'bash');
  // the build step makes the file the check step runs
  assert.ok(action.runs.steps.some((s: { run?: string }) => s.run?.includes('node esbuild.mjs')));
  assert.ok(check.run.includes('$GITHUB_ACTION_PATH/dist/cli.js') && read('esbuild.mjs').includes("outfile: 'dist/cli.js'"));
  for (const k of Object.keys(check.env)) assert.match(check.env[k], /^\$\{\{ inputs\.[a-z-]+ \}\}$/, 'inputs reach the script only through the environment');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-action-'));
  try {
    const runStep = (format: string) => {
      const output = path.join(dir, `output-${format}`);
      const sarif = path.join(dir, 'out.sarif');
      const r = spawnSync('bash', ['-e', '-c', check.run], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: output, NGINX_WS_PATH: 'test/fixtures/cli/broken', NGINX_WS_FORMAT: format, NGINX_WS_ARGS: '--rule ws-read-timeout=off', NGINX_WS_SARIF: sarif },
      });
      assert.equal(r.status, 0, `the step itself succeeds; the result step fails later: ${r.stderr}`);
      return { stdout: r.stdout, output: fs.readFileSync(output, 'utf8'), sarif };
    };
    const s = runStep('sarif');
    assert.equal(s.output, 'exit-code=1\n');
    const log = JSON.parse(fs.readFileSync(s.sarif, 'utf8'));
    const rules = log.runs[0].results.map((r: { ruleId: string }) => r.ruleId);
    assert.ok(rules.includes('ws-map-missing') && !rules.includes('ws-read-timeout'), rules.join());
    const g = runStep('github');
    assert.equal(g.output, 'exit-code=1\n');
    assert.ok(g.stdout.split('\n').filter((l) => l.startsWith('::error ')).length >= 2, g.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the README\'s CI snippets name what exists', () => {
  const action = yaml.load(read('action.yml'));
  const hooks = yaml.load(read('.pre-commit-hooks.yaml'));
  const docs = blocks('yaml').map((b) => yaml.load(b));
  assert.ok(docs.length >= 3);
  const workflow = docs.find((d) => d.jobs);
  const step = Object.values(workflow.jobs as Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>)[0].steps.find((x) => x.uses?.startsWith('nginx-websocket/nginx-websocket'))!;
  for (const input of Object.keys(step.with ?? {})) assert.ok(action.inputs[input], `action input ${input}`);
  const precommit = docs.find((d) => d.repos);
  assert.equal(precommit.repos[0].hooks[0].id, hooks[0].id);
  const gitlab = docs.find((d) => d['nginx-ws']);
  assert.ok(gitlab['nginx-ws'].script.some((l: string) => l.includes('--format junit')));
  assert.ok(gitlab['nginx-ws'].script.some((l: string) => l.includes('--format codequality') && l.includes(gitlab['nginx-ws'].artifacts.reports.codequality)));
  for (const f of ['sarif', 'checkstyle', 'junit', 'codequality', 'github']) assert.ok(README.includes(`--format ${f}`) || README.includes(`format: ${f}`), f);
});

test('the README\'s project file passes the project-file checks', () => {
  const [json] = blocks('json');
  const config = readProjectConfig(json)!;
  assert.deepEqual(config.problems, []);
  assert.ok(Object.keys(config.values).length >= 3);
});

test('the README\'s Lua for Neovim compiles', () => {
  const lua = blocks('lua');
  assert.equal(lua.length, 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-lua-'));
  try {
    const results: string[] = [];
    lua.forEach((code, i) => {
      const file = path.join(dir, `${i}.lua`);
      fs.writeFileSync(file, code);
      const out = path.join(dir, `${i}.out`);
      const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', 'NONE', '-c', `lua local f, e = loadfile(${JSON.stringify(file)}); vim.fn.writefile({ f and 'ok' or e }, ${JSON.stringify(out)})`, '-c', 'qall!'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: dir, XDG_STATE_HOME: dir, XDG_CACHE_HOME: dir, XDG_DATA_HOME: dir } });
      assert.equal(r.status, 0, r.stderr);
      results.push(fs.readFileSync(out, 'utf8').trim());
    });
    assert.deepEqual(results, ['ok', 'ok']);
    // and the check can fail
    fs.writeFileSync(path.join(dir, 'bad.lua'), 'vim.lsp.start({ name = ');
    const out = path.join(dir, 'bad.out');
    spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', 'NONE', '-c', `lua local f, e = loadfile(${JSON.stringify(path.join(dir, 'bad.lua'))}); vim.fn.writefile({ f and 'ok' or e }, ${JSON.stringify(out)})`, '-c', 'qall!'], { timeout: 60_000, env: { ...process.env, HOME: dir, XDG_STATE_HOME: dir, XDG_CACHE_HOME: dir, XDG_DATA_HOME: dir } });
    assert.notEqual(fs.readFileSync(out, 'utf8').trim(), 'ok');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
