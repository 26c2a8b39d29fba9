// nginx's line at every edge: configs whose error nginx reports on a later line than the
// statement's first (a statement split over lines, an unterminated directive, `has no opening
// "{"`, a missing `;` before `}`, a main file with a stray top-level block). For each, the real
// nginx -t says where; the CLI (text and JSON, as a child process) and the language server (over
// stdio) must show nginx's message and line, and where the statement starts elsewhere, the
// related information points there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nginxTestSync, requireNginx } from './util/nginx';
import { LspSession, uriOf } from './lsp/harness';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');

interface Case {
  name: string;
  lines: string[];
  /** 1-based line where the statement nginx complains about starts, when it is not nginx's line. */
  startsAt?: number;
}

const H = ['events {}', 'http {', '    access_log off;'];
const CASES: Case[] = [
  { name: 'events with no "{"', lines: ['events', '    worker_connections 512;', 'http {}'], startsAt: 1 },
  { name: 'arguments over four lines', lines: [...H, '    proxy_set_header', '        Upgrade', '        $http_upgrade', '        extra;', '}'], startsAt: 4 },
  { name: 'log_format missing its ";" before a block', lines: [...H, '    log_format main', "        '$remote_addr'", '    server {', '    }', '}'], startsAt: 4 },
  { name: 'missing ";" before "}"', lines: [...H, '    server {', '        listen 8080', '    }', '}'] },
  { name: 'unterminated at the end of the file', lines: [...H, '    server_tokens', '        off'] },
  { name: 'an upstream with no server', lines: [...H, '    upstream u {', '    }', '}'], startsAt: 4 },
  { name: 'a duplicate split over lines', lines: [...H, '    server_tokens off;', '    server_tokens', '        on;', '}'], startsAt: 5 },
  { name: 'not allowed here, ";" on the next line', lines: [...H, '    worker_processes 2', '    ;', '}'], startsAt: 4 },
  { name: 'unknown directive, ";" two lines down', lines: [...H, '    frobnicate', '        on', '    ;', '}'], startsAt: 4 },
  { name: 'a bad location modifier, "{" on the next line', lines: [...H, '    server {', '        location == /x', '        {', '        }', '    }', '}'], startsAt: 5 },
  { name: 'an if condition over lines', lines: [...H, '    server {', '        location / {', '            if ($x', '                a)', '            {', '            }', '        }', '    }', '}'], startsAt: 6 },
  // a rule that says it better replaces nginx's finding, at nginx's line, starting with nginx's words
  { name: 'a map in a server, "{" two lines down', lines: [...H, '    server {', '        map $http_upgrade', '            $connection_upgrade', '        {', '            default upgrade;', "            '' close;", '        }', '    }', '}'], startsAt: 5 },
  { name: 'a missing include, its ";" on the next line', lines: [...H, '    include missing.conf', '    ;', '}'], startsAt: 4 },
  // context inference: a main file with a stray top-level location is judged as main
  { name: 'main file, stray location', lines: ['worker_processes 1;', 'events {}', 'http {', '    access_log off;', '}', 'location / {', '}'] },
  { name: 'main-level directives only, stray location', lines: ['worker_processes 1;', 'worker_rlimit_nofile 1024;', 'location / {', '}'] },
  { name: 'one main-level directive, more stray locations', lines: ['worker_processes 1;', 'location / {', '}', 'location /a {', '}', 'location /b {', '}'] },
];

interface Seen { message: string; line: number; related?: number }

/** nginx's message with the run's prefix as `<dir>`. */
const normal = (m: string, dir: string) => m.split(dir).join('<dir>');

test('nginx-level errors are shown on nginx\'s line, in the CLI and the editor', async (t) => {
  requireNginx();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-lines-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const names = CASES.map((_, i) => `c${String(i).padStart(2, '0')}.conf`);
  const expected = new Map<string, Seen>();
  CASES.forEach((c, i) => {
    const text = c.lines.join('\n') + (c.name.includes('end of the file') ? '' : '\n');
    fs.writeFileSync(path.join(dir, names[i]), text);
    const v = nginxTestSync({ 'nginx.conf': text });
    assert.ok(!v.ok && v.error?.line, `${c.name}: nginx accepted it or gave no line:\n${v.output}`);
    const line = v.error!.line!;
    // the point of the case: nginx's line is not where the statement starts
    if (c.startsAt !== undefined) assert.notEqual(line, c.startsAt, `${c.name}: nginx reports the statement's first line`);
    expected.set(names[i], { message: normal(v.error!.message, v.prefix), line, related: c.startsAt });
  });

  // the finding whose message starts with nginx's (which one comes first is the differential
  // test's business); an explanation may follow after a colon
  const says = (ours: string, nginx: string) => ours === nginx || ours.startsWith(nginx + ': ');
  const withMessage = <T extends { code: string; message: string }>(rows: T[], message: string) => rows.find((r) => says(normal(r.message, dir), message));

  await t.test('CLI --format json: line is nginx\'s', () => {
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', dir], { encoding: 'utf8', timeout: 30_000 });
    const rows = JSON.parse(r.stdout) as { file: string; line: number; code: string; severity: string; message: string }[];
    for (const name of names) {
      const want = expected.get(name)!;
      const got = withMessage(rows.filter((x) => path.basename(x.file) === name), want.message);
      assert.ok(got, `${name}: no finding "${want.message}" in ${JSON.stringify(rows.filter((x) => path.basename(x.file) === name))}`);
      assert.equal(got.line, want.line, `${name} (${CASES[names.indexOf(name)].name}): ${got.message}`);
    }
  });

  await t.test('CLI text: file:line is nginx\'s', () => {
    const r = spawnSync(process.execPath, [CLI, 'check', dir], { encoding: 'utf8', timeout: 30_000 });
    for (const name of names) {
      const want = expected.get(name)!;
      const row = r.stdout.split('\n').find((l) => l.startsWith(path.join(dir, name) + ':') && (normal(l, dir).includes(`: ${want.message} [`) || normal(l, dir).includes(`: ${want.message}: `)));
      assert.ok(row, `${name}: no nginx-level line in\n${r.stdout}`);
      const m = /^[^:]+:(\d+):\d+: (?:error|warning): (.*) \[[a-z-]+\]$/.exec(row)!;
      assert.equal(Number(m[1]), want.line, row);
      assert.ok(says(normal(m[2], dir), want.message), row);
    }
  });

  await t.test('language server: the range starts on nginx\'s line; related information at the statement\'s start', async () => {
    const session = LspSession.start();
    try {
      await session.initialize(dir);
      await session.rpc.sendNotification('initialized', {});
      for (const name of names) {
        const want = expected.get(name)!;
        const p = await session.diagnostics(uriOf(path.join(dir, name)), (d) => d.length > 0);
        const text = (x: { message: string | { value: string } }) => normal(typeof x.message === 'string' ? x.message : x.message.value, dir);
        const d = p.diagnostics.find((x) => says(text(x), want.message));
        assert.ok(d, `${name}: no diagnostic "${want.message}" in ${JSON.stringify(p.diagnostics)}`);
        assert.equal(d.range.start.line + 1, want.line, name);
        const rel = d.relatedInformation?.find((x) => x.message.startsWith('the statement starts here'));
        assert.equal(rel ? rel.location.range.start.line + 1 : undefined, want.related, `${name}: related information`);
      }
    } finally {
      await session.stop();
    }
  });
});
