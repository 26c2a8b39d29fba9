// `nginx-ws fmt` as a user or a CI job runs it: dist/cli.js in a child process, on files in a
// temporary folder. In place by default (the file's mode kept, a link left a link), --check
// lists what would change and exits 1, --diff prints a unified diff `patch` applies, --stdout
// and - print, a file with a syntax error is named and left alone (exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, 'fmt', ...args], { encoding: 'utf8', timeout: 30_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const UGLY = 'events {}\nhttp {\nserver { listen 80;\n  location / { return 204; }\n    }\n}\n';
const PRETTY = 'events {}\nhttp {\n    server {\n        listen 80;\n        location / { return 204; }\n    }\n}\n';

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-fmt-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

test('fmt formats in place, keeping the mode; a second run changes nothing', (t) => {
  const dir = folder({ 'nginx.conf': UGLY, 'conf.d/ok.conf': 'server {\n    listen 81;\n}\n' });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'nginx.conf');
  fs.chmodSync(file, 0o640);
  const r = run([dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.readFileSync(file, 'utf8'), PRETTY);
  assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  assert.match(r.stderr, /formatted .*nginx\.conf/);
  assert.doesNotMatch(r.stderr, /ok\.conf/, 'an unchanged file is not written');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['conf.d', 'nginx.conf'], 'no temporary file left');
  const again = run([dir, '--check']);
  assert.equal(again.code, 0);
  assert.equal(again.stdout, '');
});

test('--check lists the files that would change and exits 1; --diff prints a diff patch applies', (t) => {
  const dir = folder({ 'a.conf': UGLY, 'b.conf': PRETTY });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = path.join(dir, 'a.conf');
  const check = run(['--check', a, path.join(dir, 'b.conf')]);
  assert.equal(check.code, 1);
  assert.equal(check.stdout, `${a}\n`);
  assert.equal(fs.readFileSync(a, 'utf8'), UGLY, '--check writes nothing');
  const diff = run(['--diff', a]);
  assert.equal(diff.code, 0);
  assert.match(diff.stdout, /^--- .*a\.conf\n\+\+\+ .*a\.conf\n@@ -1,6 \+1,7 @@\n/);
  assert.equal(fs.readFileSync(a, 'utf8'), UGLY, '--diff writes nothing');
  const patched = spawnSync('patch', ['-s', '-o', '-', a], { input: diff.stdout, encoding: 'utf8' });
  if (patched.error) assert.fail(`patch did not run: ${patched.error.message}`);
  assert.equal(patched.stdout, PRETTY, 'patch applies the diff and gets the formatted file');
});

test('--stdout and - print the formatted text; --indent tab and --indent 2', () => {
  assert.equal(run(['-'], UGLY).stdout, PRETTY);
  assert.equal(run(['--indent', 'tab', '-'], UGLY).stdout, PRETTY.replace(/ {4}/g, '\t'));
  assert.equal(run(['--indent=2', '-'], UGLY).stdout, PRETTY.replace(/ {4}/g, '  '));
  assert.equal(run(['--final-newline', '-'], 'events {}').stdout, 'events {}\n');
  assert.equal(run(['-'], 'events {}').stdout, 'events {}', 'no final newline unless asked');
  const r = run(['--indent', 'x', '-'], UGLY);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--indent takes/);
});

test('a file with a syntax error is named with its line and left alone; exit 2', (t) => {
  const broken = 'http {\n  server {\n  listen 80\n  }\n}\n';
  const dir = folder({ 'bad.conf': broken, 'good.conf': UGLY });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = run([dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not formatted: .*bad\.conf:4: the file has a syntax error \(unexpected "\}"\)/);
  assert.equal(fs.readFileSync(path.join(dir, 'bad.conf'), 'utf8'), broken);
  assert.equal(fs.readFileSync(path.join(dir, 'good.conf'), 'utf8'), PRETTY, 'the other files are formatted');
});

test('a file reached through a link is formatted once, and the link stays a link', (t) => {
  const dir = folder({ 'sites-available/app': UGLY });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'sites-enabled'));
  fs.symlinkSync('../sites-available/app', path.join(dir, 'sites-enabled/app'));
  const r = run([path.join(dir, 'sites-available/app'), path.join(dir, 'sites-enabled/app')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.match(/formatted/g)?.length, 1);
  assert.ok(fs.lstatSync(path.join(dir, 'sites-enabled/app')).isSymbolicLink());
  assert.equal(fs.readFileSync(path.join(dir, 'sites-available/app'), 'utf8'), PRETTY);
});
