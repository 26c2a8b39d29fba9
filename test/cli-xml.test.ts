// `check --format checkstyle` and `--format junit`: XML that a strict XML 1.0 reader accepts,
// with every finding of `--format json` in it (one Checkstyle <error>, or one failing JUnit
// testcase, each), clean files listed too, and hostile file names and messages (`<&"'`, `]]>`,
// control characters XML cannot carry) read back as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseXml, type XmlElement } from './util/xml';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20 });

interface JsonRow { file: string; line: number; column: number; severity: string; code: string; message: string }

/** What XML cannot carry, as the reports write it: visible \uXXXX text. */
// eslint-disable-next-line no-control-regex
const asXml = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const shown = (cwd: string, file: string) => { const r = path.relative(cwd, file); return r.startsWith('..') ? file : r; };
const CHECKSTYLE: Record<string, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

/** Both reports of one target against its JSON findings; returns the number of findings. */
function compare(cwd: string, target: string, expectFiles?: string[]): number {
  const json = run(cwd, 'check', '--format', 'json', target);
  const rows = (JSON.parse(json.stdout) as JsonRow[]).map((r) => ({ ...r, file: asXml(shown(cwd, r.file)), message: asXml(r.message) }));

  const cs = run(cwd, 'check', '--format', 'checkstyle', target);
  assert.equal(cs.status, json.status, cs.stderr);
  const checkstyle = parseXml(cs.stdout);
  assert.equal(checkstyle.name, 'checkstyle');
  const files = checkstyle.children.map((f) => f.attrs.name);
  assert.equal(new Set(files).size, files.length, 'each file once');
  if (expectFiles) assert.deepEqual([...files].sort(), [...expectFiles].sort());
  const errors = checkstyle.children.flatMap((f) => f.children.map((e) => ({ ...e.attrs, file: f.attrs.name } as Record<string, string>)));
  assert.deepEqual(
    errors.map((e) => [e.file, Number(e.line), Number(e.column), e.severity, e.source, e.message]).sort(),
    rows.map((r) => [r.file, r.line, r.column, CHECKSTYLE[r.severity], `nginx-ws.${r.code}`, r.message]).sort(),
  );
  for (const r of rows) assert.ok(files.includes(r.file));

  const ju = run(cwd, 'check', '--format', 'junit', target);
  assert.equal(ju.status, json.status, ju.stderr);
  const junit = parseXml(ju.stdout);
  assert.equal(junit.name, 'testsuites');
  assert.deepEqual(junit.children.map((s) => s.attrs.name), files, 'one testsuite per file, in the same order');
  let failing = 0;
  for (const suite of junit.children) {
    const cases = suite.children;
    assert.ok(cases.every((c: XmlElement) => c.name === 'testcase'));
    const mine = rows.filter((r) => r.file === suite.attrs.name);
    const failures = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
    assert.equal(Number(suite.attrs.tests), cases.length);
    assert.equal(Number(suite.attrs.failures), failures.length);
    if (!mine.length) assert.deepEqual([cases.length, failures.length], [1, 0], `${suite.attrs.name}: one passing testcase`);
    else assert.equal(failures.length, mine.length);
    assert.deepEqual(
      failures.map((c) => { const f = c.children[0]; return [Number(c.attrs.line), f.attrs.type, f.attrs.message]; }).sort(),
      mine.map((r) => [r.line, r.code, r.message]).sort(),
    );
    for (const c of failures) assert.ok(c.children[0].text.includes(c.children[0].attrs.message));
    failing += failures.length;
  }
  assert.equal(Number(junit.attrs.failures), failing);
  assert.equal(failing, rows.length);
  return rows.length;
}

test('hostile file names and messages survive both XML reports', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-xml-')));
  try {
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
    const hostile = `h&<'">]]>\t.conf`;
    fs.writeFileSync(path.join(dir, 'conf.d', hostile), 'server {\n    a<&"\']]>\u0001\u001bb\u007f on;\n    &amp;x on;\n    tab\u000bz on;\n}\n');
    fs.writeFileSync(path.join(dir, 'conf.d', 'clean.conf'), 'server { listen 80; }\n');
    const n = compare(dir, '.', ['nginx.conf', 'conf.d/clean.conf', `conf.d/${hostile}`]);
    assert.ok(n >= 3);
    const cs = run(dir, 'check', '--format', 'checkstyle', '.').stdout;
    const messages = parseXml(cs).children.flatMap((f) => f.children.map((e) => e.attrs.message));
    assert.ok(messages.includes('unknown directive "a<&"\']]>\\u0001\\u001bb\u007f"'), JSON.stringify(messages));
    assert.ok(messages.includes('unknown directive "&amp"'), JSON.stringify(messages));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('checkstyle and junit on the real-world WebSocket layouts: every JSON finding, clean files too', () => {
  const n = compare(ROOT, 'test/fixtures/ws-corpus') + compare(ROOT, 'test/fixtures/cli/broken');
  assert.ok(n > 50, String(n));
  assert.equal(compare(ROOT, 'test/fixtures/cli/clean', ['test/fixtures/cli/clean/nginx.conf']), 0);
});

test('the XML reader rejects what XML rejects (the check can fail)', () => {
  for (const bad of ['<a m="<"/>', '<a>&</a>', '<a>&nbsp;</a>', '<a>\u0001</a>', '<a>&#1;</a>', '<a></b>', '<a>', '<a/><b/>', '<a>]]></a>', '<a m="1" m="2"/>']) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
  assert.deepEqual(parseXml('<a m="x&#10;y&apos;">t&lt;</a>'), { name: 'a', attrs: { m: "x\ny'" }, children: [], text: 't<' });
});
