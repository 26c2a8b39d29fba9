// The real `nginx -t` on save, on a sandboxed copy of the saved file's configuration tree
// (see ../nginx/sandbox.ts). Its errors are published with source "nginx -t" at the original
// file and line, next to the analysis' own diagnostics. Runs are asynchronous, bounded by
// nginxWebSocket.nginx.timeoutMs, and a newer save of the same tree cancels the older run.
// What exists only on the server (a certificate, a user, an upstream host) is set aside in the
// copy and reported as an Information on its directive, and nginx runs again (bounded rounds), so
// the errors after it are still found. Every result is sent to the client's status bar.
// In an untrusted workspace (or a client that does not say it trusts it) nothing is ever executed.
import { docsUrl, type RootAnalysis } from '../core/index';
import { DiagnosticSeverity, MessageType, type Diagnostic } from 'vscode-languageserver';
import type { FileId } from '../core/types';
import { parseNginxOutput, unknownVariable, type NginxMessage } from '../nginx/output';
import { detectNginx, locateNginx, runFile, type NginxBinary, type RunResult } from '../nginx/run';
import { buildSandbox, MAX_ROUNDS, type SetAside } from '../nginx/sandbox';
import { NGINX_TEST_STATUS_NOTIFICATION, type NginxTestStatus } from '../protocol';
import { uriOf, type ServerContext } from './context';
import { LineMap, uriToFile } from './convert';
import type { Project } from './projects';
import type { Publisher } from './publisher';
import { settingsOf, type NginxSettings } from './settings';

export const NGINX_T_SOURCE = 'nginx -t';
/** Diagnostic code of what the real nginx -t reported; its docs page explains the check. */
export const NGINX_T_CODE = 'nginx-t';

/** `nginxWebSocket.rules["nginx-t"]`: a severity for what nginx -t reports (off: don't run it). */
const LEVEL_SEVERITY: Record<string, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

const SEVERITY: Record<NginxMessage['level'], DiagnosticSeverity> = {
  emerg: DiagnosticSeverity.Error, alert: DiagnosticSeverity.Error, crit: DiagnosticSeverity.Error, error: DiagnosticSeverity.Error,
  warn: DiagnosticSeverity.Warning, notice: DiagnosticSeverity.Information, info: DiagnosticSeverity.Information,
};

export class NginxTester {
  private readonly binaries = new Map<string, Promise<NginxBinary>>();
  private readonly running = new Map<FileId, AbortController>();
  /** nginx -t diagnostics per main config, by file. */
  private readonly byRoot = new Map<FileId, Map<FileId, Diagnostic[]>>();
  private readonly told = new Set<string>();
  /** The last result per main config, for the status bar. */
  private readonly results = new Map<FileId, NginxTestStatus>();

  constructor(private readonly ctx: ServerContext, private readonly publisher: Publisher) {}

  /** A save: runs nginx -t when the settings ask for it. */
  onSave(file: FileId): Promise<void> {
    return this.run(file, false);
  }

  /** The status bar's click (the runNginxTest command): runs now, even with testOnSave off. */
  async onCommand(uri: unknown): Promise<void> {
    const file = typeof uri === 'string' ? uriToFile(uri) : undefined;
    const target = file ?? [...this.results.keys()][0] ?? this.ctx.projects.all().flatMap((p) => [...p.ws.analysis().values()].filter((r) => r.kind === 'main').map((r) => r.root))[0];
    if (target === undefined) return this.status({ state: 'notRun', reason: 'noFile', detail: 'nginx -t: open an nginx configuration file to test it' });
    await this.run(target, true);
  }

  private async run(file: FileId, asked: boolean): Promise<void> {
    let project = this.ctx.projects.owner(file);
    if (!this.ctx.trusted) {
      this.once('untrusted', 'nginx -t is off: this workspace is not trusted, so no nginx executable is run. Trust the workspace to enable it.');
      this.status({ state: 'notRun', reason: 'untrusted', detail: 'nginx -t not run: this workspace is not trusted (no executable runs in a restricted workspace)' });
      return this.clear([...this.byRoot.keys()]);
    }
    const [settings] = await settingsOf(this.ctx, [project]);
    // the file may have moved to its folder's project meanwhile (the folder scan finished)
    project = this.ctx.projects.owner(file);
    const roots = project.ws.rootsOf(file).filter((r) => r.kind === 'main');
    const level = settings.rules[NGINX_T_CODE];
    if ((!settings.nginx.testOnSave && !asked) || level === 'off') {
      this.status({ state: 'notRun', reason: 'disabled', detail: `nginx -t not run: ${level === 'off' ? 'nginxWebSocket.rules["nginx-t"] is off' : 'nginxWebSocket.nginx.testOnSave is off (click to run it once)'}` });
      return this.clear(roots.map((r) => r.root));
    }
    if (!roots.length) {
      // a fragment no main config includes: nothing nginx could load
      return this.status({ state: 'notRun', reason: 'fragment', detail: 'nginx -t not run: no main configuration (with events/http) includes this file, so there is nothing nginx could load' });
    }
    const binary = await this.binary(settings.nginx);
    if (!binary) return;
    const severity = level ? LEVEL_SEVERITY[level] : undefined;
    this.status({ state: 'running', detail: `nginx -t running on ${roots.map((r) => r.root).join(', ')}` });
    const results = await Promise.all(roots.map((r) => this.test(project, r, binary, settings.nginx.timeoutMs, severity)));
    const done = results.filter((r): r is NginxTestStatus => !!r);
    roots.forEach((r, i) => { if (results[i]) this.results.set(r.root, results[i]!); });
    if (!done.length) return;
    const worst = (['failed', 'notRun', 'incomplete', 'passed'] as const).map((s) => done.find((r) => r.state === s)).find(Boolean)!;
    this.status(worst);
  }

  /** Trust or settings changed: drop what may no longer be shown. */
  async refresh(): Promise<void> {
    if (!this.ctx.trusted) return this.clear([...this.byRoot.keys()]);
    if (!this.results.size) this.status({ state: 'notRun', reason: 'notYet', detail: 'nginx -t has not run yet: save an nginx file, or click to run it' });
    for (const root of [...this.byRoot.keys()]) {
      const [s] = await settingsOf(this.ctx, [this.ctx.projects.owner(root)]);
      if (!s.nginx.testOnSave) this.clear([root]);
    }
  }

  private status(s: NginxTestStatus): void {
    void this.ctx.connection.sendNotification(NGINX_TEST_STATUS_NOTIFICATION, s);
  }

  private async binary(s: NginxSettings): Promise<NginxBinary | undefined> {
    const file = locateNginx(s.path);
    if (!file) {
      this.once('no-binary', 'nginx -t is off: no nginx executable found on PATH or at /usr/sbin/nginx. Set nginxWebSocket.nginx.path to use one.');
      this.status({ state: 'notRun', reason: 'noBinary', detail: 'nginx -t not run: no nginx executable found on PATH or at /usr/sbin/nginx (set nginxWebSocket.nginx.path)' });
      return undefined;
    }
    let p = this.binaries.get(file);
    if (!p) this.binaries.set(file, (p = detectNginx(file, s.timeoutMs)));
    try {
      return await p;
    } catch (e) {
      this.once(`detect:${file}`, `nginx -t is off: ${(e as Error).message}`, true);
      this.status({ state: 'notRun', reason: 'noBinary', detail: `nginx -t not run: ${(e as Error).message}` });
      return undefined;
    }
  }

  /** One main config: the sandboxed runs, then its diagnostics. undefined when superseded. */
  private async test(project: Project, root: RootAnalysis, binary: NginxBinary, timeoutMs: number, severity?: DiagnosticSeverity): Promise<NginxTestStatus | undefined> {
    this.running.get(root.root)?.abort(); // superseded by this save
    const abort = new AbortController();
    this.running.set(root.root, abort);
    const ws = project.ws;
    const base = project.folder !== undefined && project.contains(root.root) ? project.folder : root.root.slice(0, root.root.lastIndexOf('/'));
    const rootUri = uriOf(this.ctx, root.root);
    const sandbox = buildSandbox({
      root, base, binary,
      text: (f) => ws.text(f),
      resolveInclude: (arg) => ws.resolveInclude(ws.prefixOf(root.root, 'main'), arg),
    });
    const info = (a: SetAside): Diagnostic => ({ ...spanDiagnostic(ws.text(a.file) ?? '', a.span, DiagnosticSeverity.Information, a.message), ...(a.nginx ? { data: { nginx: a.nginx } } : {}) });
    const add = (diags: Map<FileId, Diagnostic[]>, file: FileId, d: Diagnostic) => diags.set(file, [...(diags.get(file) ?? []), d]);
    if (sandbox.unseen) {
      sandbox.dispose();
      if (this.running.get(root.root) === abort) this.running.delete(root.root);
      const diags = new Map<FileId, Diagnostic[]>();
      add(diags, sandbox.unseen.file, info(sandbox.unseen));
      this.ctx.connection.console.info(`nginx -t on ${root.root}: not run (${sandbox.unseen.message})`);
      this.set(root.root, diags);
      return { state: 'notRun', reason: 'unseen', detail: sandbox.unseen.message, root: rootUri };
    }
    const asides: SetAside[] = [...sandbox.notes];
    let result: RunResult | undefined;
    let messages: NginxMessage[] = [];
    try {
      // the rounds share one time budget: a tree that needs many is still stopped after timeoutMs
      const deadline = Date.now() + timeoutMs;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        sandbox.write();
        result = await runFile(binary.path, sandbox.args, Math.max(1, deadline - Date.now()), abort.signal);
        if (result.aborted || result.timedOut || result.spawnError) break;
        messages = parseNginxOutput(result.stderr);
        const fatal = messages.find((m) => m.level === 'emerg' || m.level === 'alert' || m.level === 'crit');
        const aside = fatal && sandbox.setAside(fatal);
        if (!aside) break;
        asides.push(aside);
        this.ctx.connection.console.info(`nginx -t on ${root.root}: set aside (${aside.message})`);
      }
    } finally {
      sandbox.dispose();
      if (this.running.get(root.root) === abort) this.running.delete(root.root);
    }
    if (!result || result.aborted) return undefined;
    if (result.timedOut) {
      this.ctx.connection.console.warn(`nginx -t on ${root.root} did not finish within ${timeoutMs} ms and was stopped (${binary.path})`);
      this.once(`timeout:${binary.path}`, `nginx -t did not finish within ${timeoutMs} ms and was stopped (${binary.path}). Raise nginxWebSocket.nginx.timeoutMs if your nginx needs longer.`, true);
      return { state: 'notRun', reason: 'timeout', detail: `nginx -t did not finish within ${timeoutMs} ms and was stopped`, root: rootUri };
    }
    if (result.spawnError) {
      this.once(`spawn:${binary.path}`, `nginx -t could not run ${binary.path}: ${result.spawnError}`, true);
      return { state: 'notRun', reason: 'error', detail: `nginx -t could not run ${binary.path}: ${result.spawnError}`, root: rootUri };
    }
    if (result.code !== 0 && !messages.length) messages.push({ level: 'emerg', message: result.stderr.trim().split('\n')[0] || `nginx -t exited with code ${result.code}` });
    const diags = new Map<FileId, Diagnostic[]>();
    for (const a of asides) add(diags, a.file, info(a));
    for (const m of messages) {
      const at = m.file ? { file: sandbox.toOriginal(m.file), line: m.line! } : locate(project, root, m.message);
      const said = sandbox.unmap(m.message);
      add(diags, at.file, { ...lineDiagnostic(ws.text(at.file) ?? '', at.line, severity ?? SEVERITY[m.level], said), data: { nginx: said } });
    }
    const failed = result.code !== 0;
    this.ctx.connection.console.info(`nginx -t ${binary.version} on ${root.root}: ${messages.length ? messages.map((m) => m.message).join('; ') : failed ? `exit ${result.code}` : 'ok'}${asides.length ? ` (${asides.length} set aside)` : ''}`);
    this.set(root.root, diags);
    const label = root.root.slice(root.root.lastIndexOf('/') + 1);
    if (failed) return { state: 'failed', detail: `nginx -t ${binary.version} failed on ${label}: ${sandbox.unmap(messages[0]?.message ?? `exit ${result.code}`)}`, root: rootUri };
    if (asides.length) return { state: 'incomplete', detail: `nginx -t ${binary.version} passed on ${label}, with ${asides.length} thing(s) it could not check here (see the Information diagnostics)`, root: rootUri };
    return { state: 'passed', detail: `nginx -t ${binary.version} passed on ${label}`, root: rootUri };
  }

  private set(root: FileId, diags: Map<FileId, Diagnostic[]>): void {
    const touched = new Set([...(this.byRoot.get(root)?.keys() ?? []), ...diags.keys()]);
    if (diags.size) this.byRoot.set(root, diags); else this.byRoot.delete(root);
    const merged = new Map<FileId, Diagnostic[]>();
    for (const f of touched) merged.set(f, [...this.byRoot.values()].flatMap((m) => m.get(f) ?? []));
    if (merged.size) this.publisher.setExternal(NGINX_T_SOURCE, merged);
  }

  private clear(roots: FileId[]): void {
    for (const r of roots) if (this.byRoot.has(r)) this.set(r, new Map());
  }

  /** Logs every time it matters, but tells the user (or logs) a given thing once per session. */
  private once(key: string, message: string, show = false): void {
    if (this.told.has(key)) return;
    this.told.add(key);
    this.ctx.connection.console.warn(message);
    if (show) void this.ctx.connection.sendNotification('window/showMessage', { type: MessageType.Warning, message });
  }
}

/**
 * Where a message without a location belongs: an unknown variable at its first use in the tree
 * (main file first), anything else on the main file's first line.
 */
function locate(project: Project, root: RootAnalysis, message: string): { file: FileId; line: number } {
  const name = unknownVariable(message);
  if (name) {
    const re = new RegExp(`\\$(\\{${escape(name)}\\}|${escape(name)}(?![A-Za-z0-9_]))`);
    for (const f of [root.root, ...[...root.files].filter((f) => f !== root.root).sort()]) {
      const text = project.ws.text(f) ?? '';
      const lines = text.split('\n');
      const i = lines.findIndex((l) => re.test(l.replace(/(^|\s)#.*$/, '')));
      if (i >= 0) return { file: f, line: i + 1 };
    }
  }
  return { file: root.root, line: 1 };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A diagnostic over a directive (its first line to its last). */
function spanDiagnostic(text: string, span: { start: number; end: number }, severity: DiagnosticSeverity, message: string): Diagnostic {
  return { range: new LineMap(text).range(span), severity, source: NGINX_T_SOURCE, code: NGINX_T_CODE, codeDescription: { href: docsUrl(NGINX_T_CODE) }, message };
}

function lineDiagnostic(text: string, line: number, severity: DiagnosticSeverity, message: string): Diagnostic {
  const l = text.split('\n')[line - 1] ?? '';
  const start = l.length - l.trimStart().length;
  const end = l.replace(/\r$/, '').trimEnd().length;
  return {
    range: { start: { line: line - 1, character: start }, end: { line: line - 1, character: Math.max(end, start) } },
    severity,
    source: NGINX_T_SOURCE,
    code: NGINX_T_CODE,
    codeDescription: { href: docsUrl(NGINX_T_CODE) },
    message,
  };
}
