// The real proof: for every rule whose fault breaks a WebSocket connection, a broken config
// (test/proof/cases) in front of a real nginx and a real WebSocket echo backend fails — the
// handshake is refused, the connection drops, or nginx refuses the config with the error the
// rule predicts — and after the product's own code actions (nothing hand-written) nginx -t
// passes, the handshake answers 101 with a valid Sec-WebSocket-Accept, and a message echoes.
//
// Everything listens on 127.0.0.1. Needs nginx (test/util/nginx.ts finds it); fails, never
// skips, without it. Each case prints what it showed before and after the fix.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { DEFAULT_OPTIONS, type AnalyzeOptions } from '../../server/src/core/index';
import type { Finding } from '../../server/src/core/types';
import { probe, type ProbeReport } from '../../server/src/probe/probe';
import { acceptOf, startLenientBackend, startStrictBackend, type Backend } from './backends';
import { analyse, applyCliFix, applyLocationFix, applyRuleFixes, listFiles } from './fixer';
import { nginxVersion, requireNginx } from '../util/nginx';
import { alive, freePort, nginxTest, NginxProcess, processesMentioning, started } from './nginx';

const CASES_DIR = path.resolve(__dirname, '../../../test/proof/cases');
const PATH = '/ws/';
const MESSAGE = 'hello through nginx';
const IDLE_MS = 1500;
const STEP_MS = 3000;
const DROP_MARGIN_MS = 1000;

type Before =
  /** nginx -t fails; `nginx` matches its error; `predicted` is said by nginx and by the rule's message alike. */
  | { kind: 'refuses'; nginx: RegExp; predicted?: string }
  /** nginx starts and answers the handshake with this status (not 101). */
  | { kind: 'status'; status: number; errorLog?: RegExp }
  /** the handshake succeeds, then nginx drops the idle connection (and says why in error.log). */
  | { kind: 'drops'; errorLog: RegExp }
  /** control: the rule flags it, yet the handshake works (so it is not among the breaking faults). */
  | { kind: 'works' };

interface Case {
  /** File (or folder) under cases/. */
  name: string;
  rule: string;
  before: Before;
  /** The lenient `ws` backend's status before the fix: shows the failure is the strict backend's doing. */
  lenientBefore?: number;
  /** Skip on nginx versions where the fault no longer exists. */
  fixedIn?: [number, number, number];
  /** The files the fixes must change (relative to the case), when that is the point. */
  fixTouches?: string[];
}

const CASES: Case[] = [
  { name: 'upgrade-header-missing.conf', rule: 'ws-upgrade-header-missing', before: { kind: 'status', status: 426 } },
  { name: 'upgrade-header-missing-inherited.conf', rule: 'ws-upgrade-header-missing', before: { kind: 'status', status: 426 } },
  { name: 'connection-header-missing.conf', rule: 'ws-connection-header-missing', before: { kind: 'status', status: 426 } },
  { name: 'connection-header-empty.conf', rule: 'ws-connection-header-missing', before: { kind: 'status', status: 426 } },
  { name: 'connection-header-close.conf', rule: 'ws-connection-header-missing', before: { kind: 'status', status: 426 } },
  { name: 'connection-missing-include', rule: 'ws-connection-header-missing', before: { kind: 'status', status: 426 }, fixTouches: ['conf.d/app.conf', 'nginx.conf'] },
  { name: 'http-version-default.conf', rule: 'ws-http-version', before: { kind: 'status', status: 400 }, lenientBefore: 101, fixedIn: [1, 29, 7] },
  { name: 'http-version-1.0.conf', rule: 'ws-http-version', before: { kind: 'status', status: 400 }, lenientBefore: 101 },
  { name: 'headers-not-inherited.conf', rule: 'ws-headers-not-inherited', before: { kind: 'status', status: 426 } },
  { name: 'headers-not-inherited-snippet', rule: 'ws-headers-not-inherited', before: { kind: 'status', status: 426 }, fixTouches: ['conf.d/app.conf'] },
  { name: 'headers-not-inherited-proxy-params', rule: 'ws-headers-not-inherited', before: { kind: 'status', status: 426 }, fixTouches: ['nginx.conf'] },
  { name: 'ws-map-missing', rule: 'ws-map-missing', before: { kind: 'refuses', nginx: /unknown "connection_upgrade" variable/, predicted: 'unknown "connection_upgrade" variable' }, fixTouches: ['nginx.conf'] },
  { name: 'map-default-close.conf', rule: 'ws-map-malformed', before: { kind: 'status', status: 426 } },
  { name: 'map-lost-dollar.conf', rule: 'ws-map-malformed', before: { kind: 'refuses', nginx: /invalid number of arguments in "map" directive/, predicted: 'invalid number of arguments in "map" directive' } },
  { name: 'map-in-server.conf', rule: 'ws-map-context', before: { kind: 'refuses', nginx: /"map" directive is not allowed here/, predicted: '"map" directive is not allowed here' } },
  { name: 'map-in-location-include', rule: 'ws-map-context', before: { kind: 'refuses', nginx: /"map" directive is not allowed here/, predicted: '"map" directive is not allowed here' }, fixTouches: ['conf.d/app.conf', 'nginx.conf'] },
  { name: 'proxy-pass-ws-literal.conf', rule: 'ws-proxy-pass-scheme', before: { kind: 'refuses', nginx: /invalid URL prefix/, predicted: 'invalid URL prefix' } },
  { name: 'proxy-pass-ws-variable.conf', rule: 'ws-proxy-pass-scheme', before: { kind: 'status', status: 500, errorLog: /invalid URL prefix in "ws:\/\// } },
  { name: 'typographic-quotes.conf', rule: 'typographic-quotes', before: { kind: 'status', status: 426 } },
  { name: 'typographic-quotes-space.conf', rule: 'typographic-quotes', before: { kind: 'refuses', nginx: /invalid number of arguments in "proxy_set_header" directive/ } },
  { name: 'upgrade-variable-misspelt.conf', rule: 'ws-upgrade-variable', before: { kind: 'status', status: 426 } },
  { name: 'upgrade-variable-swapped.conf', rule: 'ws-upgrade-variable', before: { kind: 'status', status: 426 } },
  { name: 'read-timeout.conf', rule: 'ws-read-timeout', before: { kind: 'drops', errorLog: /upstream timed out .* while proxying upgraded connection/ } },
  // Controls: these rules flag real problems, but not ones that break the handshake. Proven here
  // so the list above is complete for a reason, and their fixes are shown not to break anything.
  { name: 'controls/upgrade-hardcoded.conf', rule: 'ws-upgrade-hardcoded', before: { kind: 'works' } },
  { name: 'controls/connection-hardcoded.conf', rule: 'ws-connection-hardcoded', before: { kind: 'works' } },
  { name: 'controls/keepalive-close.conf', rule: 'ws-keepalive-close', before: { kind: 'works' } },
];

describe('the real proof: broken configs fail through a real nginx, the product’s fixes make them work', () => {
  let root = '';
  let strict: Backend;
  let lenient: Backend;
  let options: AnalyzeOptions = DEFAULT_OPTIONS;
  let version: [number, number, number] = [0, 0, 0];
  const running = new Set<NginxProcess>();

  before(async () => {
    // nginx is the oracle: without it the proof fails, it is never skipped
    requireNginx();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-proof-'));
    const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(nginxVersion() ?? '');
    if (m) {
      version = [Number(m[1]), Number(m[2]), Number(m[3])];
      options = { ...DEFAULT_OPTIONS, nginxVersion: version.join('.') };
    }
    [strict, lenient] = await Promise.all([startStrictBackend(), startLenientBackend()]);
  });

  after(async () => {
    for (const p of running) await p.stop();
    await Promise.all([strict?.close(), lenient?.close()]);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  async function startNginx(dir: string, port: number): Promise<NginxProcess> {
    const p = await NginxProcess.start(dir, path.join(dir, 'nginx.conf'), port);
    running.add(p);
    return p;
  }

  async function stopNginx(p: NginxProcess | undefined): Promise<void> {
    if (!p) return;
    await p.stop();
    running.delete(p);
  }

  for (const c of CASES) {
    test(`${c.rule}: ${c.name}`, { timeout: 30000 }, async (t) => {
      if (c.fixedIn && !older(version, c.fixedIn)) return t.skip(`nginx ${version.join('.')} no longer has this fault`);
      const say = (s: string) => t.diagnostic(s);
      const src = path.join(CASES_DIR, c.name);
      const verb = c.before.kind === 'works' ? 'flags' : 'breaks';
      for (const f of fs.statSync(src).isDirectory() ? listFiles(src) : [src]) {
        assert.match(fs.readFileSync(f, 'utf8'), new RegExp(`^# ${verb}: ${c.rule} `), `${path.relative(CASES_DIR, f)} starts with "# ${verb}: ${c.rule} —"`);
      }

      const port = await freePort();
      const dir = render(src, path.join(root, caseDir(c.name)), port, strict.address);
      const files = listFiles(dir);
      const url = `ws://127.0.0.1:${port}${PATH}`;

      // the product flags it
      const flagged = analyse(files, options).filter((f) => f.code === c.rule);
      assert.ok(flagged.length > 0, `${c.rule} reports nothing on ${c.name}`);
      for (const f of flagged) say(`product: ${where(f, dir)} ${f.severity} [${f.code}] ${f.message}`);

      // BEFORE: it fails for real
      let nginx: NginxProcess | undefined;
      try {
        if (c.before.kind === 'refuses') {
          const { nginx: expected, predicted } = c.before;
          const r = await nginxTest(dir, path.join(dir, 'nginx.conf'));
          say(`before: nginx -t fails: ${r.error!.message}${r.error!.file ? ` in ${r.error!.file}:${r.error!.line}` : ''}`);
          assert.equal(r.ok, false, 'nginx -t must refuse the broken config');
          assert.match(r.output, expected);
          if (predicted) assert.ok(flagged.some((f) => f.message.includes(predicted)), `the rule's message should say "${predicted}" as nginx does`);
        } else {
          const t0 = await nginxTest(dir, path.join(dir, 'nginx.conf'));
          assert.ok(t0.ok, `nginx -t should accept ${c.name}:\n${t0.output}`);
          nginx = await startNginx(dir, port);
          if (c.before.kind === 'works') {
            const mark = strict.seen.length;
            const r = await probe(url, { timeoutMs: STEP_MS, message: MESSAGE });
            say(`before: handshake → ${statusOf(r)}; echo ${r.echo?.ok ? 'ok' : 'FAILED'}${backendSaw(strict, mark)} — flagged, but not a handshake breaker`);
            assert.equal(r.response?.statusCode, 101, r.summary);
            assert.ok(r.ok, r.summary);
          } else if (c.before.kind === 'status') {
            const mark = strict.seen.length;
            const r = await probe(url, { timeoutMs: STEP_MS, message: MESSAGE });
            say(`before: handshake → ${statusOf(r)}${backendSaw(strict, mark)}`);
            assert.equal(r.ok, false);
            assert.equal(r.response?.statusCode, c.before.status, `handshake status before the fix: ${r.summary}`);
            assert.notEqual(r.response?.statusCode, 101);
            const expected = c.before.errorLog;
            if (expected) {
              const line = nginx.errorLog().split('\n').find((l) => expected.test(l));
              say(`before: error.log: ${line?.replace(/^.*?\[error\]/, '[error]') ?? '(no matching line)'}`);
              assert.ok(line, `error.log should match ${expected}`);
            }
          } else {
            // wait for the drop: it must come after proxy_read_timeout (1 s) and within the idle period
            // (plus a margin for a busy machine); resolves as soon as the connection closes
            const idle = await idleConnection(url, IDLE_MS + DROP_MARGIN_MS);
            say(`before: handshake 101, then idle → ${idle.closedAfterMs !== undefined ? `dropped by nginx after ${idle.closedAfterMs} ms (close code ${idle.code})` : `still open after ${IDLE_MS + DROP_MARGIN_MS} ms`}`);
            assert.ok(idle.opened, 'the handshake itself works before the fix');
            assert.ok(idle.closedAfterMs !== undefined, 'nginx should drop the idle connection');
            assert.ok(idle.closedAfterMs >= 900, `dropped after ${idle.closedAfterMs} ms: sooner than proxy_read_timeout 1s`);
            const expected = c.before.errorLog;
            const line = await poll(() => nginx!.errorLog().split('\n').find((l) => expected.test(l)), 2000);
            say(`before: error.log: ${line?.replace(/^.*?\[(error|info)\]/, '[$1]') ?? '(no matching line)'}`);
            assert.ok(line, `error.log should match ${expected}`);
          }
          await stopNginx(nginx);
          nginx = undefined;
        }

        if (c.lenientBefore !== undefined) {
          const lport = await freePort();
          const ldir = render(src, path.join(root, caseDir(c.name) + '-lenient'), lport, lenient.address);
          nginx = await startNginx(ldir, lport);
          const mark = lenient.seen.length;
          const r = await probe(`ws://127.0.0.1:${lport}${PATH}`, { timeoutMs: STEP_MS, message: MESSAGE });
          say(`before, lenient ws backend: handshake → ${statusOf(r)}${backendSaw(lenient, mark)}`);
          assert.equal(r.response?.statusCode, c.lenientBefore);
          await stopNginx(nginx);
          nginx = undefined;
        }

        // THE FIX: the product's own code actions for this rule, until it has nothing left to say
        const run = applyRuleFixes(files, c.rule, options);
        assert.deepEqual(run.fixless.map((f) => f.message), [], 'every finding of the rule offers a fix');
        assert.ok(run.changed.size > 0, 'the fixes changed something');
        assert.deepEqual(run.after.map((f) => `${where(f, dir)} ${f.message}`), [], `${c.rule} still reports after ${run.passes} fix pass(es)`);
        for (const [file, text] of run.changed) say(`fix (${path.relative(dir, file)}): ${lineDiff(originalOf(file, dir, src, port, strict.address), text)}`);
        if (c.fixTouches) assert.deepEqual([...run.changed.keys()].map((f) => path.relative(dir, f)).sort(), c.fixTouches, 'the files the fix edits');
        const errors = analyse(files, options).filter((f) => f.severity === 'error');
        assert.deepEqual(errors.map((f) => `${where(f, dir)} [${f.code}] ${f.message}`), [], 'no error left after the fix');

        // AFTER: nginx accepts it, the handshake completes, a message echoes
        const t1 = await nginxTest(dir, path.join(dir, 'nginx.conf'));
        assert.ok(t1.ok, `nginx -t on the fixed config:\n${t1.output}\n${[...run.changed.values()].join('\n---\n')}`);
        nginx = await startNginx(dir, port);
        const mark = strict.seen.length;
        const r = await probe(url, { timeoutMs: STEP_MS, message: MESSAGE });
        say(`after: nginx -t ok; handshake → ${statusOf(r)}; accept ${acceptVerdict(r)}; echo ${r.echo?.ok ? `"${r.echo.received}"` : 'FAILED'}${backendSaw(strict, mark)}`);
        assert.equal(r.response?.statusCode, 101, r.summary);
        assertAccept(r);
        assert.ok(r.checks.every((k) => k.ok), `RFC 6455 checks: ${JSON.stringify(r.checks.filter((k) => !k.ok))}`);
        assert.equal(r.echo?.received, MESSAGE);
        assert.ok(r.ok, r.summary);
        if (c.before.kind === 'drops') {
          const idle = await idleConnection(url, IDLE_MS, MESSAGE);
          say(`after: idle ${IDLE_MS} ms → ${idle.closedAfterMs === undefined ? `still open, then echoed "${idle.echoed}"` : `dropped after ${idle.closedAfterMs} ms`}`);
          assert.equal(idle.closedAfterMs, undefined, 'the connection must survive the idle period after the fix');
          assert.equal(idle.echoed, MESSAGE);
        }
      } finally {
        await stopNginx(nginx);
      }
    });
  }

  // ONE ACTION, two kinds: the editor's "Make this a working WebSocket location" on the /ws/
  // location, once; and fix-all as `nginx-ws check --fix`, run once as a process (the loop the
  // editor's source.fixAll shares). Each turns every breaking case into a working one, with no
  // hand-picked rule (not the rule's fixes one at a time).
  const ACTIONS: [string, string, (dir: string) => Map<string, string>][] = [
    ['one action', '-one-action', (dir) => applyLocationFix(listFiles(dir), PATH, options)],
    ['fix-all (check --fix)', '-fix-all', (dir) => {
      const run = applyCliFix(dir, options);
      assert.notEqual(run.code, 2, `check --fix failed:\n${run.stderr}`);
      return run.changed;
    }],
  ];
  for (const [action, suffix, apply] of ACTIONS) {
    for (const c of CASES.filter((x) => x.before.kind !== 'works')) {
      test(`${action}: ${c.name}`, { timeout: 30000 }, async (t) => {
        if (c.fixedIn && !older(version, c.fixedIn)) return t.skip(`nginx ${version.join('.')} no longer has this fault`);
        const src = path.join(CASES_DIR, c.name);
        const port = await freePort();
        const dir = render(src, path.join(root, caseDir(c.name) + suffix), port, strict.address);
        const changed = apply(dir);
        assert.ok(changed.size > 0, `${action} changed something`);
        for (const [file, text] of changed) t.diagnostic(`${action} (${path.relative(dir, file)}): ${lineDiff(originalOf(file, dir, src, port, strict.address), text)}`);
        const left = analyse(listFiles(dir), options).filter((f) => f.severity === 'error' || f.code === c.rule);
        assert.deepEqual(left.map((f) => `${where(f, dir)} [${f.code}] ${f.message}`), [], `nothing of the case left after ${action}`);
        const t1 = await nginxTest(dir, path.join(dir, 'nginx.conf'));
        assert.ok(t1.ok, `nginx -t after ${action}:\n${t1.output}`);
        let nginx: NginxProcess | undefined;
        try {
          nginx = await startNginx(dir, port);
          const url = `ws://127.0.0.1:${port}${PATH}`;
          const r = await probe(url, { timeoutMs: STEP_MS, message: MESSAGE });
          t.diagnostic(`after ${action}: handshake → ${statusOf(r)}; echo ${r.echo?.ok ? `"${r.echo.received}"` : 'FAILED'}`);
          assert.equal(r.response?.statusCode, 101, r.summary);
          assertAccept(r);
          assert.equal(r.echo?.received, MESSAGE);
          if (c.before.kind === 'drops') {
            const idle = await idleConnection(url, IDLE_MS, MESSAGE);
            assert.equal(idle.closedAfterMs, undefined, 'the connection survives the idle period');
          }
        } finally {
          await stopNginx(nginx);
        }
      });
    }
  }

  test('no nginx is left behind', async () => {
    for (const p of running) await p.stop();
    const left = started.filter(alive);
    assert.deepEqual(left, [], 'every nginx the suite started has exited');
    if (root) assert.deepEqual(processesMentioning(root), [], 'no process runs on the suite’s temporary prefix');
  });
});

function caseDir(name: string): string {
  return name.replace(/\.conf$/, '').replaceAll('/', '-');
}

/** Polls `get` every 20 ms until it yields a value or `ms` pass. */
async function poll<T>(get: () => T | undefined, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined || Date.now() >= deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function older(v: [number, number, number], than: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== than[i]) return v[i] < than[i];
  return false;
}

/** Copies a case (file or folder) into `dest`, filling in the loopback port and the backend. */
function render(src: string, dest: string, port: number, backend: string): string {
  fs.mkdirSync(dest, { recursive: true });
  const fill = (text: string) => text.replaceAll('__PORT__', String(port)).replaceAll('__BACKEND__', backend);
  if (fs.statSync(src).isDirectory()) {
    for (const f of listFiles(src)) {
      const to = path.join(dest, path.relative(src, f));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, fill(fs.readFileSync(f, 'utf8')));
    }
  } else {
    fs.writeFileSync(path.join(dest, 'nginx.conf'), fill(fs.readFileSync(src, 'utf8')));
  }
  return dest;
}

function originalOf(file: string, dir: string, src: string, port: number, backend: string): string {
  const from = fs.statSync(src).isDirectory() ? path.join(src, path.relative(dir, file)) : src;
  return fs.readFileSync(from, 'utf8').replaceAll('__PORT__', String(port)).replaceAll('__BACKEND__', backend);
}

/** Lines removed (-) and added (+), trimmed, in order (a longest-common-subsequence diff). */
function lineDiff(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) (i++, j++);
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+ ${y[j++].trim()}`);
    else out.push(`- ${x[i++].trim()}`);
  }
  return out.join(' | ');
}

function where(f: Finding, dir: string): string {
  const text = fs.readFileSync(f.file, 'utf8');
  const line = text.slice(0, f.span.start).split('\n').length;
  return `${path.relative(dir, f.file)}:${line}`;
}

function statusOf(r: ProbeReport): string {
  if (r.response) return `${r.response.statusCode} ${r.response.reason}`.trim();
  return `no response (${r.verdict}: ${r.summary})`;
}

function backendSaw(b: Backend, mark: number): string {
  const s = b.seen.slice(mark);
  if (!s.length) return ' (the backend saw no request)';
  return s
    .map((e) => ` (${b.kind} backend saw HTTP/${e.httpVersion}, Upgrade: ${e.upgrade ?? '—'}, Connection: ${e.connection === undefined ? '—' : Buffer.from(e.connection, 'latin1').toString('utf8')} → ${e.answered}${e.reason ? `: ${e.reason}` : ''})`)
    .join('');
}

function acceptVerdict(r: ProbeReport): string {
  const key = /^Sec-WebSocket-Key:\s*(\S+)/im.exec(r.request ?? '')?.[1];
  const got = r.response?.headers.find(([k]) => k.toLowerCase() === 'sec-websocket-accept')?.[1];
  return key && got === acceptOf(key) ? 'verified' : `NOT verified (${got ?? 'missing'})`;
}

/** Recomputes Sec-WebSocket-Accept from the key the client sent, independently of the probe. */
function assertAccept(r: ProbeReport): void {
  const key = /^Sec-WebSocket-Key:\s*(\S+)/im.exec(r.request ?? '')?.[1];
  assert.ok(key, 'the request carried a Sec-WebSocket-Key');
  const got = r.response?.headers.find(([k]) => k.toLowerCase() === 'sec-websocket-accept')?.[1];
  assert.equal(got, acceptOf(key), 'Sec-WebSocket-Accept = base64(SHA-1(key + GUID))');
}

interface Idle {
  opened: boolean;
  /** When the connection closed during the idle period, counted from the handshake. */
  closedAfterMs?: number;
  code?: number;
  echoed?: string;
}

/**
 * Opens a WebSocket through nginx, sends nothing for `idleMs`, and reports whether the
 * connection was dropped meanwhile; if it survived and `message` is given, checks the echo.
 */
function idleConnection(url: string, idleMs: number, message?: string): Promise<Idle> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: STEP_MS });
    const result: Idle = { opened: false };
    let openedAt = 0;
    let idleTimer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => finish(new Error('idle check did not finish in time')), idleMs + 3 * STEP_MS);
    const finish = (err?: Error) => {
      clearTimeout(guard);
      clearTimeout(idleTimer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      if (err) reject(err);
      else resolve(result);
    };
    ws.on('error', (e) => {
      if (!result.opened) finish(e);
    });
    ws.on('open', () => {
      result.opened = true;
      openedAt = performance.now();
      idleTimer = setTimeout(() => {
        if (!message) return finish();
        ws.once('message', (data) => {
          result.echoed = data.toString();
          finish();
        });
        ws.send(message);
      }, idleMs);
    });
    ws.on('close', (code) => {
      if (result.opened && result.closedAfterMs === undefined && result.echoed === undefined) {
        result.closedAfterMs = Math.round(performance.now() - openedAt);
        result.code = code;
      }
      finish();
    });
  });
}
