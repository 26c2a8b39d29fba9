// `check --format codequality`: GitLab's code quality JSON, one issue per finding of `--format
// json` (its code, message, severity, relative path and lines), with fingerprints that are unique
// and do not change when the findings move to other lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20 });
const SEVERITY: Record<string, string> = { error: 'major', warning: 'minor', info: 'info', hint: 'info' };

interface Issue { type: string; check_name: string; description: string; severity: string; fingerprint: string; location: { path: string; lines: { begin: number; end: number } } }

test('one code quality issue per JSON finding on the real-world layouts, unique fingerprints', () => {
  const rows = JSON.parse(run(ROOT, 'check', '--format', 'json', 'test/fixtures/ws-corpus').stdout) as { file: string; line: number; endLine: number; severity: string; code: string; message: string }[];
  const r = run(ROOT, 'check', '--format', 'codequality', 'test/fixtures/ws-corpus');
  const issues = JSON.parse(r.stdout) as Issue[];
  assert.ok(rows.length > 50);
  assert.equal(issues.length, rows.length);
  issues.forEach((x, i) => {
    const row = rows[i];
    assert.deepEqual([x.type, x.check_name, x.description, x.severity, x.location.path, x.location.lines.begin, x.location.lines.end], ['issue', row.code, row.message, SEVERITY[row.severity], path.relative(ROOT, row.file), row.line, row.endLine]);
    assert.match(x.fingerprint, /^[0-9a-f]{64}$/);
  });
  assert.equal(new Set(issues.map((x) => x.fingerprint)).size, issues.length, 'fingerprints are unique');
});

test('fingerprints stay when the findings move down a line', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-cq-')));
  try {
    const body = 'server {\n    listen 80;\n    foo on;\n    foo on;\n}\n';
    fs.writeFileSync(path.join(dir, 'site.conf'), body);
    const before = JSON.parse(run(dir, 'check', '--format', 'codequality', '.').stdout) as Issue[];
    fs.writeFileSync(path.join(dir, 'site.conf'), '# a comment\n' + body);
    const after = JSON.parse(run(dir, 'check', '--format', 'codequality', '.').stdout) as Issue[];
    assert.equal(before.length, 2);
    assert.deepEqual(after.map((x) => x.location.lines.begin), before.map((x) => x.location.lines.begin + 1));
    assert.deepEqual(after.map((x) => x.fingerprint), before.map((x) => x.fingerprint));
    assert.notEqual(before[0].fingerprint, before[1].fingerprint, 'two identical findings, two fingerprints');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
