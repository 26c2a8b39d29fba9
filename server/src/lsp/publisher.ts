// Decides when diagnostics are computed and sent. Every change bumps `epoch`; work started
// under an older epoch stops at the next file boundary and leaves the rest pending, so the
// newest text always wins and the event loop is given back between files.
import type { Diagnostic } from 'vscode-languageserver';
import type { FileId } from '../core/types';
import { uriOf, docOf, type ServerContext } from './context';
import { LineMap } from './convert';
import { toDiagnostic } from './diagnostics';
import type { Project } from './projects';
import { analyzeOptions, settingsOf, type Settings } from './settings';

/** Pause after a file changes on disk before analysing (a checkout writes many files at once). */
export const DEBOUNCE_MS = 150;
/**
 * Pause after a keystroke in an open document: long enough for the messages already sent
 * together (a paste, a burst) to arrive, so they make one pass. Keystrokes that arrive while
 * a pass runs are coalesced into the next one (the newest text wins): a small file is
 * re-checked within a frame, a huge one at most one pass behind.
 */
export const KEYSTROKE_MS = 1;
/** Files published between two yields to the event loop. */
const CHUNK = 8;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Publisher {
  private epoch = 0;
  private running = false;
  private rerun = false;
  private readonly timers = new Map<FileId, NodeJS.Timeout>();
  private readonly pending = new Set<FileId>();
  /** Projects whose every known file is to be published. */
  private readonly full = new Set<Project>();
  /** Files that changed: their dependents are recomputed once the new analysis exists. */
  private readonly sources = new Set<FileId>();
  /** Dependents as of the last analysis, for files that may change next (open, or about to). */
  private readonly lastDependents = new Map<FileId, FileId[]>();
  /** Files the client currently shows diagnostics for. */
  private readonly shown = new Set<FileId>();
  private readonly logged = new Set<string>();
  /** Diagnostics from other producers (nginx -t), by producer and file; published with the analysis'. */
  private readonly external = new Map<string, Map<FileId, Diagnostic[]>>();
  /** Settings of the projects' scopes as last fetched, kept until the client says they changed (when it will). */
  private settings: { scopes: string; settings: Settings[] } | undefined;

  constructor(private readonly ctx: ServerContext) {}

  /** Replaces one producer's diagnostics for these files (an empty list clears) and republishes them. */
  setExternal(producer: string, files: Map<FileId, Diagnostic[]>): void {
    let m = this.external.get(producer);
    if (!m) this.external.set(producer, (m = new Map()));
    for (const [f, d] of files) if (d.length) m.set(f, d); else m.delete(f);
    this.refresh(files.keys());
  }

  /** Files that currently carry a producer's diagnostics. */
  externalFiles(producer: string): FileId[] {
    return [...(this.external.get(producer)?.keys() ?? [])];
  }

  private externalFor(file: FileId): Diagnostic[] {
    return [...this.external.values()].flatMap((m) => m.get(file) ?? []);
  }

  /** Call before a file changes on disk: remembers who depends on it under the old include graph. */
  rememberDependents(file: FileId): void {
    this.lastDependents.set(file, this.ctx.projects.owner(file).ws.dependents(file));
  }

  /** A file's text or presence changed: supersede running work; publish it and its dependents after a pause. */
  changed(file: FileId, delay = DEBOUNCE_MS): void {
    this.epoch++;
    clearTimeout(this.timers.get(file));
    const go = () => {
      this.timers.delete(file);
      this.pending.add(file);
      this.sources.add(file);
      for (const d of this.lastDependents.get(file) ?? []) this.pending.add(d);
      void this.run();
    };
    if (delay <= 0) go();
    else this.timers.set(file, setTimeout(go, delay));
  }


  /** Publish every file of these projects (after a scan or a settings change). */
  refreshProjects(projects: Iterable<Project>): void {
    this.epoch++;
    this.settings = undefined; // what changed may be a setting: a project file, trust, the client's
    for (const p of projects) this.full.add(p);
    setImmediate(() => void this.run());
  }

  /** Publish these files again soon. */
  refresh(files: Iterable<FileId>): void {
    this.epoch++;
    for (const f of files) this.pending.add(f);
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    if (this.running) { this.rerun = true; return; }
    this.running = true;
    try {
      while (this.pending.size || this.full.size) {
        this.rerun = false;
        if (!(await this.pass()) && !this.rerun) break; // superseded: the newer change schedules a run
      }
    } catch (e) {
      this.ctx.connection.console.error(`diagnostics failed: ${(e as Error).stack ?? e}`);
      this.pending.clear();
      this.full.clear();
    } finally {
      this.running = false;
    }
  }

  /** One round over the pending files; false when a newer change superseded it. */
  private async pass(): Promise<boolean> {
    const epoch = this.epoch;
    await tick();
    if (epoch !== this.epoch) return false;
    // settings of every project in one request: a change may reach files of another folder
    const projects = this.ctx.projects.all();
    const scopes = projects.map((p) => p.scopeUri);
    const scopesKey = JSON.stringify(scopes);
    let settings = this.settings?.scopes === scopesKey ? this.settings.settings : undefined;
    if (!settings) {
      settings = await settingsOf(this.ctx, projects);
      if (this.ctx.caps.configurationChanges) this.settings = { scopes: scopesKey, settings };
      if (epoch !== this.epoch) return false;
    }
    for (const [i, p] of projects.entries()) {
      const options = analyzeOptions(settings[i]);
      const key = JSON.stringify(options);
      if (p.optionsKey !== key) {
        if (p.optionsKey) this.full.add(p);
        p.optionsKey = key;
        p.ws.setOptions(options);
      }
    }
    for (const p of this.full) for (const f of p.knownFiles()) this.pending.add(f);
    this.full.clear();
    for (const s of this.sources) for (const d of this.ctx.projects.owner(s).ws.dependents(s)) this.pending.add(d);
    this.sources.clear();

    const open = (f: FileId) => this.ctx.openUris.has(f);
    // one publication per real file, under the path it is shown at (several paths of a file are one file)
    const asked = new Map<FileId, FileId[]>();
    for (const f of this.pending) {
      const shownAt = this.ctx.projects.owner(f).pathFor(f);
      const l = asked.get(shownAt);
      if (l) l.push(f); else asked.set(shownAt, [f]);
    }
    const queue = [...asked.keys()].sort((a, b) => Number(open(b)) - Number(open(a)));
    for (let i = 0; i < queue.length; i++) {
      if (epoch !== this.epoch) return false;
      try {
        this.publish(this.ctx.projects.owner(queue[i]), queue[i]);
      } catch (e) {
        this.ctx.connection.console.error(`diagnostics for ${queue[i]} failed: ${(e as Error).stack ?? e}`);
      }
      for (const f of asked.get(queue[i])!) this.pending.delete(f);
      if ((i + 1) % CHUNK === 0) await tick();
    }
    return true;
  }

  private publish(project: Project, file: FileId): void {
    const { connection, caps } = this.ctx;
    const doc = docOf(this.ctx, file);
    const findings = project.ws.findings(file);
    const paths = project.ws.samePaths(file);
    const extra = paths.flatMap((p) => this.externalFor(p));
    // the file's other paths show nothing (they showed it before it was opened under this one)
    for (const p of paths) {
      if (p === file || !this.shown.has(p)) continue;
      void connection.sendDiagnostics({ uri: uriOf(this.ctx, p), diagnostics: [] });
      this.shown.delete(p);
    }
    if (!findings.length && !extra.length && !doc && !this.shown.has(file)) return;
    const maps = new Map<FileId, LineMap>();
    const env = {
      lines: (f: FileId) => maps.get(f) ?? maps.set(f, new LineMap(project.ws.text(f) ?? '')).get(f)!,
      uri: (f: FileId) => uriOf(this.ctx, f),
      relatedInformation: caps.relatedInformation,
    };
    const version = doc?.version ?? null;
    const own = findings.map((f) => toDiagnostic(f, version, env));
    const diagnostics = [...own, ...extra.filter((e) => !alreadyReported(e, own))];
    for (const f of findings) this.logSkipped(f.file, f.code, f.message);
    void connection.sendDiagnostics({ uri: uriOf(this.ctx, file), version: doc?.version, diagnostics });
    if (diagnostics.length) this.shown.add(file); else this.shown.delete(file);
    if (doc) this.lastDependents.set(file, project.ws.dependents(file));
    else this.lastDependents.delete(file);
  }

  private logSkipped(file: FileId, code: string, message: string): void {
    if (code !== 'nginx-file' || this.logged.has(file + message)) return;
    this.logged.add(file + message);
    this.ctx.connection.console.warn(`${file}: ${message}`);
  }
}

/**
 * An external diagnostic (nginx -t) saying what one of ours already says: same file, on a line
 * ours covers, and one message starts with the other (ours begin with nginx's own words).
 */
export function alreadyReported(e: Diagnostic, own: Diagnostic[]): boolean {
  const said = (e.data as { nginx?: unknown } | undefined)?.nginx;
  const plain = (m: Diagnostic['message']) => (typeof m === 'string' ? m : m.value);
  const text = typeof said === 'string' ? said : plain(e.message);
  const line = e.range.start.line;
  return own.some((o) => {
    const m = plain(o.message);
    return o.range.start.line <= line && line <= o.range.end.line && (m.startsWith(text) || (m.length >= 12 && text.startsWith(m)));
  });
}
