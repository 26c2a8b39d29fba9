// Fixtures are nginx configs that annotate themselves (annotation lines are nginx comments,
// so `nginx -t` reads the very text the test reads):
//   #- conf.d/app.conf            starts a file (multi-file fixtures); default file: nginx.conf
//   #    ^^^^ error code +fix      carets under the nearest preceding non-annotation line
//   #<--- warning code             a finding starting at column 0 of that line
//   ‸                               the cursor (for fix tests); removed from the text
import assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS, type AnalyzeOptions, globToRegExp } from '../../server/src/core/index';
import { lineStarts, positionAt } from '../../server/src/core/text';
import { HostError, type FileId, type Finding, type Host } from '../../server/src/core/types';
import { applyEdits } from '../../server/src/core/fix/apply';
import { nginxTestSync } from './nginx';

export const ROOT = '/ws';
export const CURSOR = '‸';

export interface FixtureFile {
  path: FileId;
  text: string;
}

export interface Expected {
  file: FileId;
  line: number;
  start: number;
  end: number;
  severity: string;
  code: string;
  fix: boolean;
}

/** In-memory Host over a set of files; `unreadable` files throw like a permission error. */
export class MemoryHost implements Host {
  /** `links`: symbolic links, link path → target path (a file of `files`). */
  constructor(public files: Map<FileId, string>, public unreadable = new Set<FileId>(), public links = new Map<FileId, FileId>()) {}
  read(file: FileId): string | undefined {
    const real = this.realpath(file);
    if (this.unreadable.has(real)) throw new HostError('skipped: permission denied');
    return this.files.get(real);
  }
  glob(pattern: string): FileId[] {
    const re = globToRegExp(pattern);
    return [...this.files.keys(), ...this.links.keys()].filter((f) => re.test(f)).sort();
  }
  realpath(file: FileId): FileId {
    return this.links.get(file) ?? file;
  }
}

const ANNOTATION = /^(\s*)#(\s*)(\^+|<-+)\s+(error|warning|info|hint)\s+([\w-]+)(\s+\+fix)?\s*$/;

/** Splits a fixture into files and expected findings (annotations stay in the text). */
export function parseFixture(src: string): { files: FixtureFile[]; expected: Expected[]; cursor?: { file: FileId; offset: number } } {
  const text = src.replace(/^\n/, '');
  const files: FixtureFile[] = [];
  const expected: Expected[] = [];
  let cursor: { file: FileId; offset: number } | undefined;
  let current: { path: FileId; lines: string[] } = { path: `${ROOT}/nginx.conf`, lines: [] };
  const flush = () => {
    if (current.lines.length || files.length === 0) {
      let t = current.lines.join('\n') + '\n';
      const c = t.indexOf(CURSOR);
      if (c >= 0) { cursor = { file: current.path, offset: c }; t = t.replace(CURSOR, ''); }
      files.push({ path: current.path, text: t });
    }
  };
  let started = false;
  for (const line of text.split('\n')) {
    const header = /^#- (\S+)\s*$/.exec(line);
    if (header) {
      if (started) flush();
      current = { path: `${ROOT}/${header[1]}`, lines: [] };
      started = true;
      continue;
    }
    started = true;
    const m = ANNOTATION.exec(line);
    if (m) {
      // find nearest preceding non-annotation line
      let target = current.lines.length - 1;
      while (target >= 0 && ANNOTATION.test(current.lines[target])) target--;
      assert.ok(target >= 0, `annotation with no line above it: ${line}`);
      const caretCol = m[1].length + 1 + m[2].length;
      const isArrow = m[3].startsWith('<');
      expected.push({
        file: current.path,
        line: target,
        start: isArrow ? 0 : caretCol,
        end: isArrow ? -1 : caretCol + m[3].length,
        severity: m[4],
        code: m[5],
        fix: !!m[6],
      });
    }
    current.lines.push(line);
  }
  // drop a trailing empty line produced by a template literal's last newline
  if (current.lines.length && current.lines[current.lines.length - 1].trim() === '') current.lines.pop();
  flush();
  return { files, expected, cursor };
}

export function workspaceOf(files: FixtureFile[], options: Partial<AnalyzeOptions> = {}): Workspace {
  const host = new MemoryHost(new Map(files.map((f) => [f.path, f.text])));
  const ws = new Workspace(host, { ...DEFAULT_OPTIONS, ...options });
  ws.setFiles(files.map((f) => f.path));
  return ws;
}

/** Every finding of every fixture file. */
export function allFindings(ws: Workspace, files: FixtureFile[]): Finding[] {
  return files.flatMap((f) => ws.findings(f.path));
}

/**
 * Analyses a fixture and compares findings with its annotations (all codes). On mismatch the
 * message lists false negatives and false positives with positions.
 */
export function check(src: string, opts: { rule?: string; options?: Partial<AnalyzeOptions> } = {}): Finding[] {
  const { files, expected } = parseFixture(src);
  const ws = workspaceOf(files, opts.options);
  // with `rule`, compare that rule's findings and every nginx-level one (the fixture must be a valid config)
  const actual = allFindings(ws, files).filter((f) => !opts.rule || f.code === opts.rule || f.code.startsWith('nginx-'));
  const textOf = new Map(files.map((f) => [f.path, f.text]));
  const key = (file: FileId, line: number, start: number, end: number, sev: string, code: string) => `${file.slice(ROOT.length + 1)}:${line + 1}:${start + 1}-${end < 0 ? '*' : end + 1} ${sev} ${code}`;
  const want = new Map(expected.map((e) => [key(e.file, e.line, e.start, e.end, e.severity, e.code), e]));
  const got = new Map<string, Finding>();
  for (const f of actual) {
    const ls = lineStarts(textOf.get(f.file)!);
    const s = positionAt(ls, f.span.start);
    const e = positionAt(ls, f.span.end);
    const k = key(f.file, s.line, s.character, e.line === s.line ? e.character : -1, f.severity, f.code);
    const kStar = key(f.file, s.line, s.character, -1, f.severity, f.code);
    if (want.has(k)) got.set(k, f);
    else if (s.character === 0 && want.has(kStar)) got.set(kStar, f);
    else got.set(k + ` (${f.message})`, f);
  }
  const missing = [...want.keys()].filter((k) => !got.has(k));
  const unexpected = [...got.keys()].filter((k) => !want.has(k));
  const fixMismatch = [...want.entries()].filter(([k, e]) => got.has(k) && e.fix !== !!got.get(k)!.fixes?.length).map(([k]) => k);
  if (missing.length || unexpected.length || fixMismatch.length) {
    assert.fail(
      [
        missing.length ? `missing (false negatives):\n  ${missing.join('\n  ')}` : '',
        unexpected.length ? `unexpected (false positives):\n  ${unexpected.map((k) => k + ' — ' + got.get(k)!.message).join('\n  ')}` : '',
        fixMismatch.length ? `fix marker mismatch:\n  ${fixMismatch.join('\n  ')}` : '',
      ].filter(Boolean).join('\n'),
    );
  }
  return actual;
}


/**
 * Fix test: the finding of `rule` whose span touches the cursor ‸ in `before` offers a fix
 * (the first one, or the one whose title starts with `title`); applying it yields `after`
 * (whole texts, every file of the fixture); re-analysing `after` yields no finding of `rule`;
 * and the real `nginx -t` accepts `after` (unless `nginxAccepts: false`).
 */
export function checkFix(before: string, after: string, rule: string, opts: { title?: string; nginxAccepts?: boolean; options?: Partial<AnalyzeOptions> } = {}): void {
  const { files, cursor } = parseFixture(before);
  assert.ok(cursor, 'checkFix: the before text needs a ‸ cursor');
  const ws = workspaceOf(files, opts.options);
  const findings = allFindings(ws, files).filter((f) => f.code === rule);
  const hit = findings.find((f) => f.file === cursor.file && f.span.start <= cursor.offset && cursor.offset <= f.span.end);
  assert.ok(hit, `no ${rule} finding touches the cursor; findings of the rule: ${findings.map((f) => `${f.file}@${f.span.start}-${f.span.end}`).join(', ') || 'none'}`);
  const fx = (hit.fixes ?? []).find((f) => !opts.title || f.title.startsWith(opts.title));
  assert.ok(fx, `the ${rule} finding has no fix${opts.title ? ` titled "${opts.title}…"` : ''}; fixes: ${(hit.fixes ?? []).map((f) => f.title).join(' | ')}`);
  const texts = new Map(files.map((f) => [f.path, f.text]));
  for (const [file, edits] of groupByFile(fx.edits)) {
    const t = texts.get(file);
    assert.ok(t !== undefined, `fix edits unknown file ${file}`);
    texts.set(file, applyEdits(t, edits).text);
  }
  const want = parseFixture(after).files;
  for (const w of want) assert.equal(texts.get(w.path), w.text, `fixed ${w.path.slice(ROOT.length + 1)} differs`);
  for (const [p] of texts) assert.ok(want.some((w) => w.path === p), `after is missing file ${p}`);
  const fixedFiles = [...texts].map(([path, text]) => ({ path, text }));
  const again = allFindings(workspaceOf(fixedFiles, opts.options), fixedFiles).filter((f) => f.code === rule);
  assert.equal(again.length, 0, `after the fix, ${rule} still reports: ${again.map((f) => f.message).join('; ')}`);
  if (opts.nginxAccepts !== false) {
    const v = nginxTestSync(new Map(fixedFiles.map((f) => [f.path.slice(ROOT.length + 1), f.text])));
    assert.ok(v.ok, `nginx -t rejects the fixed config: ${v.output}`);
  }
}

function groupByFile(edits: { file: FileId; span: { start: number; end: number }; text: string }[]) {
  const m = new Map<FileId, typeof edits>();
  for (const e of edits) m.set(e.file, [...(m.get(e.file) ?? []), e]);
  return m;
}
