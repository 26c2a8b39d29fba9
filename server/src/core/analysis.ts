// One analysis of the workspace: every root found, checked as nginx does (model/validate.ts)
// and judged by the rules (rules/run.ts), then looked up by file. Above the rules: the store
// below it (model/files.ts) reads and resolves, and knows nothing of the rules.
import type { Ctx } from './data/directives';
import { FileStore, hasInclude, isMainFile } from './model/files';
import { DEFAULT_OPTIONS, type AnalyzeOptions, type RootAnalysis } from './model/tree';
import { inferContext, validateRoot } from './model/validate';
import { judge, modelOf } from './rules/run';
import type { FileId, Finding, Fix, Host, Severity, Span } from './types';
import { basename } from './model/paths';

/**
 * The workspace: the store (files, overlays, aliases, parses, include resolution) and the
 * analysis of each of its roots, cached until a file it read (or looked for) changes.
 */
export class Workspace extends FileStore {
  private roots: Map<FileId, RootAnalysis> | undefined;
  /** The last analysis of each root, reused when nothing it read has changed. */
  private previous = new Map<FileId, RootAnalysis>();
  /** Files changed since the last analysis. */
  private dirty = new Set<FileId>();
  /** The variables the workspace defined at the last analysis (see analysis()). */
  private varsKey = '';
  /** Files of the fragments the last analysis judged again because those variables changed. */
  private rejudged = new Set<FileId>();
  /** See index(). */
  private indexed: { of: Map<FileId, RootAnalysis>; roots: Map<FileId, RootAnalysis[]>; findings: WeakMap<Finding[], Map<FileId, Finding[]>> } | undefined;

  constructor(host: Host, public options: AnalyzeOptions = DEFAULT_OPTIONS) {
    super(host);
  }

  setOptions(options: AnalyzeOptions): void {
    this.options = options;
    this.invalidateAll();
  }

  /** Forget what is known of a file (changed on disk or in an editor), under every path it has. */
  override invalidate(file: FileId): void {
    for (const p of this.samePaths(file)) this.dirty.add(p);
    super.invalidate(file);
    this.roots = undefined;
  }

  override invalidateAll(): void {
    this.varsKey = '';
    super.invalidateAll();
    this.previous.clear();
    this.dirty.clear();
    this.roots = undefined;
  }

  /** The previous analysis of a root, if nothing it read (or looked for) has changed since. */
  private reusable(root: FileId, kind: RootAnalysis['kind'], ctx: Ctx): RootAnalysis | undefined {
    const p = this.previous.get(root);
    if (!p || p.kind !== kind || p.ctx !== ctx) return undefined;
    for (const f of this.dirty) {
      if (p.files.has(f) || p.lookups.paths.has(f) || p.lookups.globs.some((re) => re.test(f))) return undefined;
    }
    return p;
  }

  /** Resolves the include graph of every file and analyses each root once. */
  analysis(): Map<FileId, RootAnalysis> {
    if (this.roots) return this.roots;
    const roots = new Map<FileId, RootAnalysis>();
    const known = [...this.files].sort();
    const reached = new Set<FileId>();
    const mains = known.filter((f) => isMainFile(this.parsed(f)));
    const fresh = new Set<RootAnalysis>();
    const analyse = (root: FileId, kind: RootAnalysis['kind'], ctx: Ctx) => {
      let r = this.reusable(root, kind, ctx);
      if (!r) fresh.add((r = validateRoot(this, root, kind, ctx, this.options)));
      roots.set(root, r);
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
    // conf.d/00-map.conf, or in nginx.conf) is judged as part of a config that has them. A
    // fragment that asked is judged again when that set changes.
    let vars: Set<string> | undefined;
    const workspaceVars = () => (vars ??= new Set([...roots.values()].flatMap((r) => [...modelOf(this, r, this.options).definitions.keys()])));
    const hasFragments = [...roots.values()].some((r) => r.kind === 'fragment');
    const varsKey = hasFragments ? [...workspaceVars()].sort().join(' ') : '';
    const varsChanged = varsKey !== this.varsKey;
    this.varsKey = varsKey;
    this.rejudged = new Set();
    for (const r of roots.values()) {
      const again = !fresh.has(r) && r.kind === 'fragment' && !!r.readsWorkspaceVars && varsChanged;
      if (!fresh.has(r) && !again) continue;
      if (again) for (const f of r.files) this.rejudged.add(f);
      r.readsWorkspaceVars = false;
      r.findings = hideOutside(r, judge(this, r, this.options, (name) => {
        r.readsWorkspaceVars = true;
        return workspaceVars().has(name);
      }));
    }
    this.roots = roots;
    this.previous = roots;
    this.dirty.clear();
    return roots;
  }

  /** Roots whose include graph reaches the file (under any of its paths). */
  rootsOf(file: FileId): RootAnalysis[] {
    // the index first: analysing is what makes the paths of a file known (see samePaths)
    const byFile = this.index().roots;
    const paths = this.samePaths(file);
    if (paths.length === 1) return byFile.get(file) ?? [];
    const out = new Set<RootAnalysis>();
    for (const p of paths) for (const r of byFile.get(p) ?? []) out.add(r);
    return [...out];
  }

  /**
   * The latest analysis looked up by file: the roots that reach each path, and each root's
   * findings by the path they are on. Built once per analysis (and per re-judging), so that
   * asking every file for its findings is linear in files and findings.
   */
  private index(): { roots: Map<FileId, RootAnalysis[]>; findings: WeakMap<Finding[], Map<FileId, Finding[]>> } {
    const roots = this.analysis();
    if (this.indexed?.of === roots) return this.indexed;
    const byFile = new Map<FileId, RootAnalysis[]>();
    for (const r of roots.values()) {
      for (const f of r.files) {
        const l = byFile.get(f);
        if (l) l.push(r); else byFile.set(f, [r]);
      }
    }
    this.indexed = { of: roots, roots: byFile, findings: new WeakMap() };
    return this.indexed;
  }

  private findingsOn(r: RootAnalysis, file: FileId): Finding[] {
    const cache = this.index().findings;
    let m = cache.get(r.findings);
    if (!m) {
      m = new Map();
      for (const f of r.findings) {
        const l = m.get(f.file);
        if (l) l.push(f); else m.set(f.file, [f]);
      }
      cache.set(r.findings, m);
    }
    return m.get(file) ?? [];
  }

  /**
   * Findings located in one file, from every root that reaches it, without duplicates. A file
   * reached through a link gets them under the path asked for (the one open in the editor).
   * `from` keeps only the findings of some roots.
   */
  findings(file: FileId, from?: (root: RootAnalysis) => boolean): Finding[] {
    const out: Finding[] = [];
    const seen = new Set<string>();
    const roots = this.rootsOf(file);
    const paths = this.samePaths(file);
    for (const r of roots) {
      if (from && !from(r)) continue;
      for (const p of paths) {
        for (const f of this.findingsOn(r, p)) {
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
    // and the fragments this change re-judged (the workspace's variables changed; see analysis())
    for (const f of this.rejudged) for (const p of this.samePaths(f)) out.add(p);
    return [...out];
  }

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
