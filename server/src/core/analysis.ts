// One analysis of the workspace: every root found, checked as nginx does (model/validate.ts)
// and judged by the rules (rules/run.ts), then looked up by file. Above the rules: the store
// below it (model/files.ts) reads and resolves, and knows nothing of the rules.
import type { Ctx } from './data/directives';
import { FileStore, hasInclude, isMainFile } from './model/files';
import { DEFAULT_OPTIONS, type AnalyzeOptions, type RootAnalysis } from './model/tree';
import { inferContext, validateRoot } from './model/validate';
import { judge, modelOf, type Asked } from './rules/run';
import type { FileId, Finding, Fix, Host, Severity, Span } from './types';
import { basename } from './model/paths';

/** One root judged: validate's tree, the rules' findings on it, and what it asked of the rest of the workspace. */
export interface Judged {
  readonly root: RootAnalysis;
  /** Everything reported in the root's files: nginx's checks and the rules', after settings. */
  readonly findings: readonly Finding[];
  /** See Asked: empty unless the root is a fragment whose rules looked elsewhere. */
  readonly asked: Asked;
}

/**
 * One revision of the workspace's analysis, as a value: nothing in it changes once built. The
 * next revision is built from this one, sharing every Judged it cannot affect. The lookups by
 * file are made on first use and belong to the snapshot.
 */
export class Snapshot {
  /** Each root's tree, by root file (what `Workspace.analysis()` returns). */
  readonly roots: ReadonlyMap<FileId, RootAnalysis>;
  private byFile: Map<FileId, Judged[]> | undefined;
  private byFinding = new WeakMap<Judged, Map<FileId, Finding[]>>();

  constructor(
    /** Counts the workspace's revisions: a higher one is a later state. */
    readonly revision: number,
    readonly options: AnalyzeOptions,
    readonly judged: ReadonlyMap<FileId, Judged>,
    /** Files of the fragments judged again because what the rest of the workspace defines changed. */
    readonly rejudged: ReadonlySet<FileId>,
  ) {
    const roots = new Map<FileId, RootAnalysis>();
    for (const [f, j] of judged) roots.set(f, j.root);
    this.roots = roots;
  }

  /** The judged roots whose include graph reaches the path (as the analysis saw it). */
  reaching(path: FileId): readonly Judged[] {
    if (!this.byFile) {
      const m = new Map<FileId, Judged[]>();
      for (const j of this.judged.values()) {
        for (const f of j.root.files) {
          const l = m.get(f);
          if (l) l.push(j); else m.set(f, [j]);
        }
      }
      this.byFile = m;
    }
    return this.byFile.get(path) ?? [];
  }

  /** A judged root's findings located in one path. */
  findingsOn(j: Judged, path: FileId): readonly Finding[] {
    let m = this.byFinding.get(j);
    if (!m) {
      m = new Map();
      for (const f of j.findings) {
        const l = m.get(f.file);
        if (l) l.push(f); else m.set(f.file, [f]);
      }
      this.byFinding.set(j, m);
    }
    return m.get(path) ?? [];
  }
}

const NO_ASKED: Asked = new Map();

/**
 * The workspace: the store (files, overlays, aliases, parses, include resolution) and the
 * snapshots of its analysis, each built from the previous one.
 */
export class Workspace extends FileStore {
  private current: Snapshot | undefined;
  private revision = 0;
  /** Judged roots of the last snapshot that may still be reused: those no change since has touched. */
  private previous = new Map<FileId, Judged>();
  /** Files changed since the last snapshot. */
  private dirty = new Set<FileId>();

  constructor(host: Host, public options: AnalyzeOptions = DEFAULT_OPTIONS) {
    super(host);
  }

  setOptions(options: AnalyzeOptions): void {
    this.options = options;
    this.invalidateAll();
  }

  /** Forget what is known of a file (changed on disk or in an editor), under every path it has. */
  override invalidate(file: FileId): void {
    const paths = this.samePaths(file);
    for (const p of paths) this.dirty.add(p);
    super.invalidate(file);
    this.current = undefined;
    // a root that read the file cannot be reused: let it go now, not after the next one is built
    for (const [f, j] of this.previous) if (paths.some((p) => reads(j.root, p))) this.previous.delete(f);
  }

  override invalidateAll(): void {
    super.invalidateAll();
    this.previous.clear();
    this.dirty.clear();
    this.current = undefined;
  }

  /** The previous judgement of a root, if nothing it read (or looked for) has changed since. */
  private reusable(root: FileId, kind: RootAnalysis['kind'], ctx: Ctx): Judged | undefined {
    const p = this.previous.get(root);
    if (!p || p.root.kind !== kind || p.root.ctx !== ctx) return undefined;
    for (const f of this.dirty) if (reads(p.root, f)) return undefined;
    return p;
  }

  /** The analysis of the workspace as it is now: built from the previous snapshot on first use after a change. */
  snapshot(): Snapshot {
    if (this.current) return this.current;
    const trees = new Map<FileId, RootAnalysis>();
    const kept = new Map<FileId, Judged>();
    const known = [...this.files].sort();
    const reached = new Set<FileId>();
    const mains = known.filter((f) => isMainFile(this.parsed(f)));
    const analyse = (root: FileId, kind: RootAnalysis['kind'], ctx: Ctx) => {
      const j = this.reusable(root, kind, ctx);
      const r = j?.root ?? validateRoot(this, root, kind, ctx, this.options);
      if (j) kept.set(root, j);
      trees.set(root, r);
      // a file reached through a link (sites-enabled/app) is reached under its real path too
      for (const f of r.files) reached.add(f).add(this.canonical(f));
    };
    for (const m of mains) analyse(m, 'main', 'main');
    // Files nobody includes: fragments (conf.d/*.conf, sites-enabled/*, snippets). Those that
    // include others go first, so a snippet they pull in is judged in its real context.
    const orphans = known.filter((f) => !reached.has(f) && !reached.has(this.canonical(f)));
    const includesSomething = (f: FileId) => (this.parsed(f)?.directives ?? []).some(hasInclude);
    orphans.sort((a, b) => Number(includesSomething(b)) - Number(includesSomething(a)) || (a < b ? -1 : 1));
    for (const f of orphans) {
      if (reached.has(f) || reached.has(this.canonical(f))) continue;
      const p = this.parsed(f);
      analyse(f, 'fragment', p ? inferContext(p.directives, this.options) : 'http');
    }
    // Variables defined anywhere in the workspace: a fragment (conf.d/app.conf with the map in
    // conf.d/00-map.conf, or in nginx.conf) is judged as part of a config that has them. Its
    // judgement records the answers it got; it is judged again when one of them changes.
    let vars: Set<string> | undefined;
    const workspaceHas = (name: string) => {
      if (!vars) {
        vars = new Set();
        for (const r of trees.values()) for (const v of modelOf(this, r, this.options).definitions.keys()) vars.add(v);
      }
      return vars.has(name);
    };
    const judged = new Map<FileId, Judged>();
    const rejudged = new Set<FileId>();
    for (const [file, r] of trees) {
      const old = kept.get(file);
      if (old && ![...old.asked].some(([name, answer]) => workspaceHas(name) !== answer)) {
        judged.set(file, old);
        continue;
      }
      if (old) for (const f of r.files) rejudged.add(f);
      const { findings, asked } = judge(this, r, this.options, workspaceHas);
      judged.set(file, { root: r, findings: hideOutside(r, findings), asked: asked.size ? asked : NO_ASKED });
    }
    const snap = new Snapshot(++this.revision, this.options, judged, rejudged);
    this.current = snap;
    this.previous = new Map(judged);
    this.dirty.clear();
    return snap;
  }

  /** Each root's include-expanded tree (the current snapshot's). */
  analysis(): ReadonlyMap<FileId, RootAnalysis> {
    return this.snapshot().roots;
  }

  /** A root's judgement in the current snapshot (its findings, what it asked elsewhere). */
  judgedOf(root: RootAnalysis): Judged | undefined {
    const j = this.snapshot().judged.get(root.root);
    return j?.root === root ? j : undefined;
  }

  /** Roots whose include graph reaches the file (under any of its paths). */
  rootsOf(file: FileId): RootAnalysis[] {
    return this.judgedReaching(file).map((j) => j.root);
  }

  private judgedReaching(file: FileId): readonly Judged[] {
    // the snapshot first: analysing is what makes the paths of a file known (see samePaths)
    const snap = this.snapshot();
    const paths = this.samePaths(file);
    if (paths.length === 1) return snap.reaching(file);
    const out = new Set<Judged>();
    for (const p of paths) for (const j of snap.reaching(p)) out.add(j);
    return [...out];
  }

  /**
   * Findings located in one file, from every root that reaches it, without duplicates. A file
   * reached through a link gets them under the path asked for (the one open in the editor).
   * `from` keeps only the findings of some roots.
   */
  findings(file: FileId, from?: (root: RootAnalysis, judged: Judged) => boolean): Finding[] {
    const out: Finding[] = [];
    const seen = new Set<string>();
    const snap = this.snapshot();
    const reaching = this.judgedReaching(file);
    const paths = this.samePaths(file);
    for (const j of reaching) {
      if (from && !from(j.root, j)) continue;
      for (const p of paths) {
        for (const f of snap.findingsOn(j, p)) {
          const k = `${f.span.start}:${f.span.end}:${f.code}:${f.message}`;
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(f.file === file ? f : underPath(f, f.file, file));
        }
      }
    }
    if (!out.length && !paths.some((p) => this.files.has(p) || this.overlays.has(p))) return out;
    const err = this.readError(file);
    if (err) out.push({ file, span: { start: 0, end: 0 }, severity: 'warning', code: 'nginx-file', message: `${basename(file)}: ${err}` });
    return out.sort((a, b) => a.span.start - b.span.start);
  }

  /**
   * Files whose findings may change when `file` changes: everything sharing a root with it, under
   * every path, and the fragments the latest analysis judged again.
   */
  dependents(file: FileId): FileId[] {
    const out = new Set<FileId>();
    for (const r of this.rootsOf(file)) for (const f of r.files) for (const p of this.samePaths(f)) out.add(p);
    for (const p of this.samePaths(file)) out.add(p);
    // and the fragments this change re-judged (the workspace's variables changed; see snapshot())
    for (const f of this.snapshot().rejudged) for (const p of this.samePaths(f)) out.add(p);
    return [...out];
  }
}

/** Whether a root read a path, or looked for it (a missing include, a glob it would match). */
function reads(r: RootAnalysis, f: FileId): boolean {
  return r.files.has(f) || r.lookups.paths.has(f) || r.lookups.globs.some((re) => re.test(f));
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * Findings in files outside the workspace are not shown: their messages quote those files
 * (an unknown directive's name, a variable, a header), and CI logs are often public. Each
 * include that leads outside gets one finding instead, as severe as the worst it stands for,
 * that names the file and counts what was found there.
 */
function hideOutside(r: RootAnalysis, findings: Finding[]): Finding[] {
  if (!r.outside.size) return findings;
  const kept: Finding[] = [];
  const hidden = new Map<string, { at: { file: FileId; span: Span }; files: Set<FileId>; count: number; severity: Severity; fixes: Fix[] }>();
  for (const f of findings) {
    const at = r.outside.get(f.file);
    if (!at) { kept.push(f); continue; }
    const key = `${at.file}\0${at.span.start}`;
    let h = hidden.get(key);
    if (!h) hidden.set(key, (h = { at, files: new Set(), count: 0, severity: f.severity, fixes: [] }));
    h.files.add(f.file);
    // what would fix them stays: --fix writes there only when told to (--fix-includes)
    const fix = f.fixes?.find((x) => x.kind === 'safe');
    if (fix) h.fixes.push(fix);
    h.count++;
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[h.severity]) h.severity = f.severity;
  }
  for (const h of hidden.values()) {
    const names = [...h.files].map((f) => `"${f}"`);
    const where = names.length === 1 ? names[0] : `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more files` : ''}`;
    kept.push({
      file: h.at.file,
      span: h.at.span,
      severity: h.severity,
      code: 'nginx-include',
      message: `${h.count} problem${h.count === 1 ? '' : 's'} in ${where}, outside the workspace: not shown here, so that the file's text stays out of this report (check that file itself to see them)`,
      ...(h.fixes.length ? { fixes: h.fixes } : {}),
    });
  }
  return kept;
}

/** A finding of one path of a file, restated for another path of the same file. */
function underPath(f: Finding, from: FileId, to: FileId): Finding {
  const move = <T extends { file: FileId }>(x: T): T => (x.file === from ? { ...x, file: to } : x);
  return {
    ...f,
    file: to,
    related: f.related?.map(move),
    fixes: f.fixes?.map((x) => ({ ...x, edits: x.edits.map(move) })),
  };
}
