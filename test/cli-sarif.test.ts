// `check --format sarif`: a SARIF 2.1.0 log that the SARIF JSON schema accepts, with one result
// per finding of `--format json` (same rule, level, file and region), on real layouts; files
// inside the working directory as relative URIs against %SRCROOT%, others as absolute file URIs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv from 'ajv';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURES = path.join(ROOT, 'test/fixtures');

const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20 });

interface JsonRow { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }

/** The SARIF 2.1.0 schema (a draft-4 schema: its top-level `id` is Ajv 8's `$id`). */
function sarifValidator() {
  const { id, $schema: _draft, ...rest } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sarif/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    unicodeRegExp: false,
    formats: {
      uri: (x: string) => { try { new URL(x); return true; } catch { return false; } },
      'uri-reference': (x: string) => !/[\s\\]/.test(x),
      'date-time': (x: string) => !Number.isNaN(Date.parse(x)),
    },
  });
  const compiled = ajv.compile({ $id: id, ...rest });
  return Object.assign((x: unknown) => compiled(x), { get errors() { return compiled.errors; } });
}
const validate = sarifValidator();

const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** The absolute path a result's artifact location names. */
function fileOf(loc: { uri: string; uriBaseId?: string }, bases: Record<string, { uri: string }>): string {
  if (loc.uriBaseId) return fileURLToPath(new URL(loc.uri, bases[loc.uriBaseId].uri));
  assert.match(loc.uri, /^file:\/\//);
  return fileURLToPath(loc.uri);
}

function checkLayout(cwd: string, target: string): number {
  const json = run(cwd, 'check', '--format', 'json', target);
  const rows = JSON.parse(json.stdout) as JsonRow[];
  const out = run(cwd, 'check', '--format', 'sarif', target);
  assert.equal(out.status, json.status, out.stderr);
  const log = JSON.parse(out.stdout);
  assert.ok(validate(log), `${target}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
  assert.equal(log.version, '2.1.0');
  const [runOut] = log.runs;
  const driver = runOut.tool.driver;
  assert.equal(driver.name, 'nginx-ws');
  assert.match(driver.version, /^\d+\.\d+\.\d+/);
  const ruleIds = driver.rules.map((r: { id: string }) => r.id);
  for (const r of driver.rules) assert.match(r.helpUri, new RegExp(`/docs/rules/${r.id}\\.md$`));
  assert.equal(runOut.results.length, rows.length, target);
  runOut.results.forEach((res: any, i: number) => {
    const row = rows[i];
    assert.equal(res.ruleId, row.code);
    assert.equal(ruleIds[res.ruleIndex], row.code, `${row.code} is in the rules`);
    assert.equal(res.level, LEVEL[row.severity]);
    assert.equal(res.message.text, row.message);
    const { artifactLocation, region } = res.locations[0].physicalLocation;
    assert.equal(fileOf(artifactLocation, runOut.originalUriBaseIds), row.file);
    if (artifactLocation.uriBaseId) assert.ok(!row.file.startsWith('..') && !path.relative(cwd, row.file).startsWith('..'));
    assert.deepEqual([region.startLine, region.startColumn, region.endLine, region.endColumn], [row.line, row.column, row.endLine, row.endColumn]);
    for (const rel of res.relatedLocations ?? []) {
      assert.ok(fs.existsSync(fileOf(rel.physicalLocation.artifactLocation, runOut.originalUriBaseIds)));
      assert.ok(rel.message.text);
    }
  });
  return rows.length;
}

test('SARIF on the real-world WebSocket layouts and the CLI fixtures: valid, one result per JSON finding', () => {
  let n = 0;
  n += checkLayout(ROOT, 'test/fixtures/ws-corpus');
  n += checkLayout(ROOT, 'test/fixtures/cli/broken');
  n += checkLayout(path.join(FIXTURES, 'cli/broken/conf.d'), '..');
  assert.ok(n > 50, `only ${n} findings: the layouts should give many`);
  // a clean tree: no result, still a valid log
  assert.equal(checkLayout(ROOT, 'test/fixtures/cli/clean'), 0);
});

test('SARIF: files outside the working directory are absolute file URIs; odd names are encoded; related places are given', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-sarif-')));
  const elsewhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-sarif-cwd-')));
  try {
    fs.mkdirSync(path.join(dir, 'conf d'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), 'events {}\nhttp {\n    include "conf d/*.conf";\n}\n');
    fs.writeFileSync(path.join(dir, 'conf d', 'a#b%c.conf'), [
      'server {',
      '    listen 80;',
      '    proxy_set_header Upgrade $http_upgrade;',
      '    proxy_set_header Connection "upgrade";',
      '    location /ws/ {',
      '        proxy_pass http://127.0.0.1:9000;',
      '        proxy_http_version 1.1;',
      '        proxy_set_header Host $host;',
      '    }',
      '}',
      '',
    ].join('\n'));
    const inside = checkLayout(dir, '.');
    const outside = checkLayout(elsewhere, dir);
    assert.equal(inside, outside);
    const log = JSON.parse(run(elsewhere, 'check', '--format', 'sarif', dir).stdout);
    const uris = log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    assert.ok(uris.every((u: any) => !u.uriBaseId && u.uri.startsWith(pathToFileURL(dir).href)), JSON.stringify(uris));
    const rel = JSON.parse(run(dir, 'check', '--format', 'sarif', '.').stdout).runs[0].results;
    assert.ok(rel.some((r: any) => r.locations[0].physicalLocation.artifactLocation.uri === 'conf%20d/a%23b%25c.conf'), JSON.stringify(rel.map((r: any) => r.locations)));
    // the headers the location no longer inherits are its related places
    assert.ok(rel.some((r: any) => r.relatedLocations?.length), JSON.stringify(rel, null, 1));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('the validator rejects what SARIF forbids (the check can fail)', () => {
  const log = JSON.parse(run(ROOT, 'check', '--format', 'sarif', 'test/fixtures/cli/broken').stdout);
  assert.ok(validate(log));
  const bad = JSON.parse(JSON.stringify(log));
  bad.runs[0].results[0].level = 'hint';
  assert.equal(validate(bad), false);
  const bad2 = JSON.parse(JSON.stringify(log));
  bad2.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  assert.equal(validate(bad2), false);
  const bad3 = JSON.parse(JSON.stringify(log));
  delete bad3.runs[0].tool.driver.name;
  assert.equal(validate(bad3), false);
});
