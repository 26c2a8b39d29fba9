// nginx -t on save runs nothing of the workspace's and changes nothing outside its temporary
// prefix, over stdio with the real nginx: a workspace library behind load_module is never
// loaded (a real .so whose constructor would write a marker), paths the config names at any
// depth and in files outside the workspace stay untouched (and so do nginx's compiled-in
// directories), an unprivileged user meets no permission error from nginx's default paths, and
// what exists only on the server (a certificate, a user, an upstream host) becomes an Information
// on its directive while the errors after it are still found.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession, uriOf } from './harness';
import { NGINX, requireNginx } from '../util/nginx';
import { SERVER_COMMAND, TRUST_NOTIFICATION } from '../../server/src/protocol';

const fromNginx = (d: Diagnostic[]) => d.filter((x) => x.source === 'nginx -t');
const NOBODY = { uid: 65534, gid: 65534 };

/** A workspace of these files, a server on it (trusted), the main file opened. */
async function session(t: { after(fn: () => void): void }, files: Record<string, string>, as?: { uid: number; gid: number }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-sbx-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  if (as) spawnSync('chown', ['-R', `${as.uid}:${as.gid}`, root]);
  const s = LspSession.start(as);
  const statuses = s.nginxTestStatus;
  t.after(() => { s.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  s.settings.set(uriOf(root), { nginx: { path: NGINX } });
  await s.initialize(root, { trusted: true });
  await s.rpc.sendNotification('initialized', {});
  await s.until('the folder scan', () => s.logs.some((l) => / nginx files? in \d+ folders?/.test(l)));
  const main = path.join(root, 'nginx.conf');
  await s.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(main), languageId: 'nginx', version: 1, text: fs.readFileSync(main, 'utf8') } });
  await s.diagnostics(uriOf(main), (_, p) => p.version === 1);
  /** Saves; resolves once the run's status came and the main file's nginx -t diagnostics match `expect`. */
  const save = async (expect: (d: Diagnostic[]) => boolean = () => true) => {
    const n = s.logs.length;
    const k = statuses.length;
    await s.rpc.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(main) } });
    await s.until('nginx -t finished', () => statuses.slice(k).some((x) => x.state !== 'running'), 30_000); // generous: nginx runs, several rounds on a loaded machine
    await s.until('its diagnostics', () => expect(fromNginx(s.latest.get(uriOf(main))?.diagnostics ?? [])));
    return s.logs.slice(n);
  };
  return { root, s, main, save, statuses };
}

/** What a directory tree looks like: every entry's kind, owner, mode, size and times. */
function snapshot(dirs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (p: string) => {
    let st: fs.Stats;
    try { st = fs.lstatSync(p); } catch { out.set(p, 'absent'); return; }
    out.set(p, `${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.isDirectory() ? '' : st.size} m${st.mtimeMs} c${st.ctimeMs}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) visit(path.join(p, e));
  };
  for (const d of dirs) visit(d);
  return out;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).map((k) => `${k}: ${before.get(k) ?? 'absent'} → ${after.get(k) ?? 'absent'}`);
}

test('load_module of a workspace library runs nothing; the directives it would provide are set aside', async (t) => {
  requireNginx();
  const lib = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-so-'));
  t.after(() => fs.rmSync(lib, { recursive: true, force: true }));
  const marker = path.join(lib, 'constructor-ran');
  fs.writeFileSync(path.join(lib, 'evil.c'), `#include <stdio.h>\n__attribute__((constructor)) static void ran(void) { FILE *f = fopen("${marker}", "w"); if (f) { fputs("ran", f); fclose(f); } }\n`);
  const cc = spawnSync('gcc', ['-shared', '-fPIC', '-o', path.join(lib, 'evil.so'), path.join(lib, 'evil.c')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, `gcc: ${cc.stderr}`);

  // the library really runs its constructor when nginx loads it (so the check below can fail)
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-so-run-'));
  t.after(() => fs.rmSync(prefix, { recursive: true, force: true }));
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), `load_module ${path.join(lib, 'evil.so')};\nevents {}\n`);
  spawnSync(NGINX, ['-t', '-p', prefix + '/', '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'error.log'), '-g', `pid ${prefix}/nginx.pid;`], { timeout: 20000 });
  assert.ok(fs.existsSync(marker), 'the test library writes its marker when loaded');
  fs.rmSync(marker);

  const { root, s, main, save } = await session(t, {
    'nginx.conf': [
      'load_module ./evil.so;', // 1
      `load_module ${path.join(lib, 'evil.so')};`, // 2
      'events {}',
      'http {',
      '    evil_filter on;', // 5
      '    server {',
      '        listen 8080;',
      '        evil_block {', // 8
      '            whatever 1;',
      '        }',
      '        access_log a.log nosuchformat;', // 11
      '    }',
      '}',
      '',
    ].join('\n'),
  });
  fs.copyFileSync(path.join(lib, 'evil.so'), path.join(root, 'evil.so'));
  const logs = await save((d) => d.length >= 2);
  assert.ok(!fs.existsSync(marker), `the library's constructor ran:\n${logs.join('\n')}`);
  const d = fromNginx(s.latest.get(uriOf(main))!.diagnostics);
  const on = (line: number) => d.filter((x) => x.range.start.line === line - 1);
  for (const line of [1, 2]) {
    assert.equal(on(line).length, 1, `one Information on load_module (line ${line}): ${JSON.stringify(d)}`);
    assert.equal(on(line)[0].severity, 3);
    assert.match(on(line)[0].message as string, /^load_module ".*evil\.so" was not loaded by nginx -t here/);
  }
  for (const line of [5, 8]) assert.ok(on(line).every((x) => x.severity === 3), `line ${line}: no error for a directive of the set-aside module: ${JSON.stringify(on(line))}`);
  assert.ok(logs.some((l) => /unknown log format "nosuchformat"/.test(l)), `nginx still reached the error after them:\n${logs.join('\n')}`);
  assert.ok(!d.some((x) => x.range.start.line === 0 && x.severity === 1), 'no Error on line 1');
  await s.stop();
});

test('no file outside the temporary prefix is created or changed', async (t) => {
  requireNginx();
  const machine = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-machine-'));
  t.after(() => fs.rmSync(machine, { recursive: true, force: true }));
  for (const d of ['log', 'lib', 'run', 'cache', 'etc']) fs.mkdirSync(path.join(machine, d));
  fs.writeFileSync(path.join(machine, 'log', 'access.log'), 'old\n');
  // an included file outside the workspace, with paths of its own
  fs.writeFileSync(path.join(machine, 'etc', 'outside.conf'), `server {\n    listen 8081;\n    access_log ${machine}/log/outside.log;\n    error_log ${machine}/log/outside-error.log;\n    proxy_temp_path ${machine}/lib/outside-proxy;\n}\n`);
  const depth = 60;
  const nested = `${'location / { '.repeat(depth)}access_log ${machine}/log/deep.log; proxy_temp_path ${machine}/lib/deep;${' }'.repeat(depth)}`;
  const conf = [
    `pid ${machine}/run/nginx.pid;`,
    `error_log ${machine}/log/error.log;`,
    'events {}',
    'http {',
    `    access_log ${machine}/log/access.log;`,
    `    client_body_temp_path ${machine}/lib/body;`,
    `    proxy_cache_path ${machine}/cache/c levels=1:2 keys_zone=c:1m;`,
    `    include ${machine}/etc/outside.conf;`,
    '    server {',
    '        listen 8080;',
    `        ${nested}`,
    '    }',
    '}',
    '',
  ].join('\n');
  // the compiled-in directories of this nginx (Debian: /var/lib/nginx, /var/log/nginx)
  const v = spawnSync(NGINX, ['-V'], { encoding: 'utf8' }).stderr;
  const compiled = [...v.matchAll(/--(?:http-[\w-]+-path|error-log-path|pid-path|lock-path)=(\/\S+)/g)].map((m) => path.dirname(m[1]));
  const watched = [machine, ...new Set(compiled)];
  const before = snapshot(watched);
  const { root, s, main, save, statuses } = await session(t, { 'nginx.conf': conf });
  const workspaceBefore = snapshot([root]);
  const logs = await save();
  assert.ok(logs.some((l) => /^nginx -t \S+ on .*nginx\.conf: ok$/.test(l)), `nginx -t ran and passed:\n${logs.join('\n')}`);
  assert.deepEqual(changed(before, snapshot(watched)), [], 'nothing outside the prefix changed');
  assert.deepEqual(changed(workspaceBefore, snapshot([root])), [], 'nothing in the workspace changed');
  assert.equal(statuses.at(-1)?.state, 'passed', JSON.stringify(statuses));
  assert.equal(fromNginx(s.latest.get(uriOf(main))!.diagnostics).length, 0);

  // deeper than the parser keeps: nginx -t does not run at all, and says why
  const tooDeep = conf.replace(nested, `${'location / { '.repeat(140)}access_log ${machine}/log/too-deep.log;${' }'.repeat(140)}`);
  fs.writeFileSync(main, tooDeep);
  await s.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(main), version: 2 }, contentChanges: [{ text: tooDeep }] });
  await s.diagnostics(uriOf(main), (_, p) => p.version === 2);
  const again = await save();
  assert.ok(again.some((l) => /: not run \(nginx -t was not run: blocks nested deeper than 128 levels/.test(l)), again.join('\n'));
  const info = await s.diagnostics(uriOf(main), (d) => fromNginx(d).some((x) => /^nginx -t was not run: blocks nested deeper/.test(x.message as string)));
  assert.equal(fromNginx(info.diagnostics)[0].severity, 3);
  assert.equal(statuses.at(-1)?.state, 'notRun');
  assert.equal(statuses.at(-1)?.reason, 'unseen');
  assert.ok(!fs.existsSync(path.join(machine, 'log', 'too-deep.log')));
  assert.deepEqual(changed(before, snapshot(watched)), []);
  await s.stop();
});

test('every path nginx -t opens for writing, creates or chowns lies in its temporary prefix (traced)', async (t) => {
  requireNginx();
  const strace = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  assert.equal(strace.status, 0, 'this test traces nginx with strace(1): install it (Debian: strace)');
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-trace-'));
  t.after(() => fs.rmSync(bin, { recursive: true, force: true }));
  const trace = path.join(bin, 'trace');
  const calls = 'open,openat,creat,mkdir,mkdirat,chown,lchown,fchownat,rename,renameat,renameat2,unlink,unlinkat,truncate,symlink,symlinkat,link,linkat';
  fs.writeFileSync(path.join(bin, 'nginx'), `#!/bin/sh\nexec strace -f -qq -o "${trace}.$$" -e trace=${calls} "${NGINX}" "$@"\n`, { mode: 0o755 });
  // nothing set (nginx's compiled-in paths), and paths set at every level and in an outside file
  const machine = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-machine-'));
  t.after(() => fs.rmSync(machine, { recursive: true, force: true }));
  fs.writeFileSync(path.join(machine, 'outside.conf'), `access_log ${machine}/outside.log;\nproxy_temp_path ${machine}/outside-proxy;\n`);
  const confs = [
    'events {}\nhttp {\n    server { listen 8080; }\n}\n',
    `pid ${machine}/nginx.pid;\nerror_log ${machine}/error.log;\nevents {}\nhttp {\n    access_log ${machine}/a.log;\n    fastcgi_temp_path ${machine}/f;\n    scgi_cache_path ${machine}/c keys_zone=z:1m;\n    server {\n        listen 8080;\n        include ${machine}/outside.conf;\n        location / { location / { uwsgi_temp_path ${machine}/u; } }\n    }\n}\n`,
  ];
  const sandboxDir = path.join(fs.realpathSync(os.tmpdir()), 'nginx-ws-t-');
  for (const conf of confs) {
    const { root, s, save } = await session(t, { 'nginx.conf': conf });
    s.settings.set(uriOf(root), { nginx: { path: path.join(bin, 'nginx') } });
    const logs = await save();
    assert.ok(logs.some((l) => /^nginx -t \S+ on .*nginx\.conf: ok$/.test(l)), logs.join('\n'));
    const traced = fs.readdirSync(bin).filter((f) => f.startsWith('trace.')).map((f) => fs.readFileSync(path.join(bin, f), 'utf8')).join('');
    const writes = traced.split('\n').filter((l) => /^\d+\s+(creat|mkdir|mkdirat|chown|lchown|fchownat|rename|renameat2?|unlink|unlinkat|truncate|symlink|symlinkat|link|linkat)\(|^\d+\s+open(at)?\(.*O_(WRONLY|RDWR|CREAT|TRUNC|APPEND)/.test(l));
    assert.ok(writes.length >= 3, `the trace saw nginx write (the pid, the logs, the temp paths):\n${traced}`);
    const outside = writes.filter((l) => !/"([^"]*)"/.exec(l)?.[1].startsWith(sandboxDir));
    assert.deepEqual(outside, [], 'nginx -t wrote nothing outside its prefix');
    for (const f of fs.readdirSync(bin).filter((f) => f.startsWith('trace.'))) fs.rmSync(path.join(bin, f));
    await s.stop();
  }
  assert.deepEqual(fs.readdirSync(machine), ['outside.conf']);
});

test('an unprivileged user gets no permission error from nginx\'s default paths', async (t) => {
  requireNginx();
  if (process.getuid?.() !== 0) assert.notEqual(process.getuid?.(), 0); // already unprivileged: the server runs as this user
  // a correct config: nginx gets past parsing and opens its default log and temp paths
  const conf = 'events {}\nhttp {\n    server {\n        listen 8080;\n    }\n}\n';
  // nginx's compiled-in paths are what an unprivileged user cannot write (so this test can fail)
  const control = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-nobody-'));
  t.after(() => fs.rmSync(control, { recursive: true, force: true }));
  fs.writeFileSync(path.join(control, 'nginx.conf'), conf);
  fs.chmodSync(control, 0o777);
  const as = process.getuid?.() === 0 ? NOBODY : undefined;
  const direct = spawnSync(NGINX, ['-t', '-p', control + '/', '-c', path.join(control, 'nginx.conf'), '-e', path.join(control, 'error.log'), '-g', `pid ${control}/nginx.pid;`], { encoding: 'utf8', timeout: 20000, ...as });
  assert.match(direct.stderr, /Permission denied/, `without the sandbox's paths nginx -t as this user fails: ${direct.stderr}`);

  const { s, main, save, statuses } = await session(t, { 'nginx.conf': conf }, as);
  const logs = await save();
  assert.ok(!logs.some((l) => /Permission denied/.test(l)), logs.join('\n'));
  assert.ok(logs.some((l) => /^nginx -t \S+ on .*nginx\.conf: ok$/.test(l)), logs.join('\n'));
  assert.deepEqual(fromNginx(s.latest.get(uriOf(main))!.diagnostics), []);
  assert.equal(statuses.at(-1)?.state, 'passed');

  // and an error is still reported where nginx finds it
  const bad = conf.replace('listen 8080;', 'listen 8080;\n        access_log a.log nosuchformat;');
  fs.writeFileSync(main, bad);
  await s.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(main), version: 2 }, contentChanges: [{ text: bad }] });
  await save((d) => d.length > 0);
  assert.deepEqual(fromNginx(s.latest.get(uriOf(main))!.diagnostics).map((x) => [x.range.start.line, x.message]), [[4, 'unknown log format "nosuchformat"']]);
  await s.stop();
});

test('what exists only on the server is an Information on its directive, and the errors after it are still found', async (t) => {
  requireNginx();
  const { s, main, save, statuses } = await session(t, {
    'nginx.conf': [
      'user nginx-ws-no-such-user;', // 1
      'events {}',
      'http {',
      '    upstream app {',
      '        server backend.invalid:8080;', // 5
      '    }',
      '    server {',
      '        listen 8443 ssl;',
      '        ssl_certificate /etc/ssl/nginx-ws-server-only/fullchain.pem;', // 9
      '        ssl_certificate_key /etc/ssl/nginx-ws-server-only/privkey.pem;',
      '        location /ws/ { proxy_pass http://app; }',
      '    }',
      '}',
      'worker_cpu_affinity xyz;', // 14
      '',
    ].join('\n'),
  });
  const logs = await save((d) => d.length >= 3);
  const d = fromNginx(s.latest.get(uriOf(main))!.diagnostics);
  const on = (line: number) => d.filter((x) => x.range.start.line === line - 1);
  const cert = on(9);
  assert.equal(cert.length, 1, JSON.stringify(d));
  assert.equal(cert[0].severity, 3);
  assert.match(cert[0].message as string, /^cannot load certificate "\/etc\/ssl\/nginx-ws-server-only\/fullchain\.pem": .*could not complete this check here/);
  // an upstream host is never looked up: the copy names 127.0.0.1 (nothing reaches DNS)
  assert.deepEqual(on(5), [], JSON.stringify(d));
  if (process.getuid?.() === 0) {
    // as root nginx looks the user up; an unprivileged nginx ignores `user` with a notice
    assert.equal(on(1)[0]?.severity, 3, JSON.stringify(d));
    assert.match(on(1)[0].message as string, /^getpwnam\("nginx-ws-no-such-user"\) failed: no such user/);
  }
  assert.ok(!on(1).some((x) => x.severity === 1), 'no Error on line 1');
  assert.ok(logs.some((l) => /invalid character "z" in "worker_cpu_affinity"/.test(l)), `nginx reached the error after them:\n${logs.join('\n')}`);
  const after = s.latest.get(uriOf(main))!.diagnostics.filter((x) => x.range.start.line === 13 && x.severity === 1);
  assert.equal(after.length, 1, `the error after them is shown once: ${JSON.stringify(s.latest.get(uriOf(main))!.diagnostics)}`);
  assert.equal(statuses.at(-1)?.state, 'failed');
  await s.stop();
});

test('the status of the last run, and the command that runs it', async (t) => {
  requireNginx();
  const { root, s, main, statuses } = await session(t, { 'nginx.conf': 'events {}\nhttp {\n    server { listen 8080; access_log a.log nosuchformat; }\n}\n' });
  s.settings.set(uriOf(root), { nginx: { path: NGINX, testOnSave: false } });
  await s.rpc.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(main) } });
  await s.until('not run: disabled', () => statuses.at(-1)?.reason === 'disabled');
  // the status bar's click runs it even with testOnSave off
  await s.rpc.sendRequest('workspace/executeCommand', { command: SERVER_COMMAND.runNginxTest, arguments: [uriOf(main)] });
  await s.until('failed', () => statuses.at(-1)?.state === 'failed', 30_000); // nginx runs: generous on a loaded machine
  assert.match(statuses.at(-1)!.detail, /unknown log format "nosuchformat"/);
  assert.ok(statuses.some((x) => x.state === 'running'));
  const fixed = 'events {}\nhttp {\n    server { listen 8080; access_log a.log combined; }\n}\n';
  fs.writeFileSync(main, fixed);
  await s.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(main), version: 2 }, contentChanges: [{ text: fixed }] });
  await s.rpc.sendRequest('workspace/executeCommand', { command: SERVER_COMMAND.runNginxTest, arguments: [uriOf(main)] });
  await s.until('passed', () => statuses.at(-1)?.state === 'passed', 30_000);
  await s.stop();
});

test('a client that says nothing about trust is untrusted', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-sbx-'));
  fs.writeFileSync(path.join(root, 'nginx.conf'), 'events {}\nhttp { server { listen 8080; access_log a.log nosuchformat; } }\n');
  const s = LspSession.start();
  t.after(() => { s.child.kill(); fs.rmSync(root, { recursive: true, force: true }); });
  const statuses = s.nginxTestStatus;
  s.settings.set(uriOf(root), { nginx: { path: NGINX } });
  await s.initialize(root); // no initializationOptions
  await s.rpc.sendNotification('initialized', {});
  const main = path.join(root, 'nginx.conf');
  await s.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(main), languageId: 'nginx', version: 1, text: fs.readFileSync(main, 'utf8') } });
  await s.rpc.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(main) } });
  await s.until('the reason is logged', () => s.logs.some((l) => l.includes('not trusted')));
  await s.until('the status says why', () => statuses.at(-1)?.reason === 'untrusted');
  assert.equal(s.history.flatMap((h) => fromNginx(h.diagnostics)).length, 0);
  // the user grants trust: the status bar says it may run now, and the next save runs it
  await s.rpc.sendNotification(TRUST_NOTIFICATION, { trusted: true });
  await s.until('not run yet', () => statuses.at(-1)?.reason === 'notYet');
  await s.rpc.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(main) } });
  await s.until('failed', () => statuses.at(-1)?.state === 'failed', 30_000); // nginx runs: generous on a loaded machine
  await s.stop();
});
