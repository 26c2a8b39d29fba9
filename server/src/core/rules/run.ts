import { buildModel, isStockInclude, type WsModel } from '../model/effective';
import type { AnalyzeOptions, RootAnalysis } from '../model/tree';
import type { FileStore } from '../model/files';
import { STATEMENT_START_NOTE } from '../model/validate';
import type { FileId, Finding } from '../types';
import { lineStarts, positionAt } from '../text';
import { RULES } from './index';
import type { Report, Rule } from './types';

function format(template: string, data: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? data[k] : m));
}

const models = new WeakMap<RootAnalysis, WsModel>();

/** The WebSocket model of a root: a function of the root (a value), built once per root. */
export function modelOf(ws: FileStore, root: RootAnalysis, options: AnalyzeOptions): WsModel {
  let m = models.get(root);
  if (!m) {
    m = buildModel(root, options, { text: (f) => ws.text(f) ?? '', comments: (f) => ws.parsed(f)?.comments ?? [] });
    models.set(root, m);
  }
  return m;
}

/**
 * What a root's judgement read of the rest of the workspace: for a fragment (a file nobody
 * includes), each variable its rules asked about that its own graph does not define, with the
 * answer (does another file define it: nginx.conf, or a sibling such as conf.d/00-map.conf).
 * The judgement is a function of the root, the options and these answers.
 */
export type Asked = ReadonlyMap<string, boolean>;

/**
 * Runs every enabled rule over one root: their findings, after per-rule severity settings and
 * suppression comments, and the nginx-level findings (validate's) that rules which
 * `replacesNginx` say better, as "file:offset" keys. `workspaceHas` answers, for a fragment,
 * whether the rest of the workspace defines a variable; the questions asked come back in `asked`.
 */
export function runRules(
  ws: FileStore,
  root: RootAnalysis,
  options: AnalyzeOptions,
  rules: readonly Rule[] = RULES,
  workspaceHas?: (name: string) => boolean,
): { findings: Finding[]; replaced: Map<string, Finding>; asked: Asked } {
  const text = (file: FileId) => ws.text(file) ?? '';
  const model = modelOf(ws, root, options);
  const asked = new Map<string, boolean>();
  const defined = (variable: string): boolean => {
    const name = (variable.charCodeAt(0) === 36 ? variable.slice(1) : variable).toLowerCase();
    if (model.definitions.has(name)) return true;
    if (root.kind !== 'fragment' || !workspaceHas) return false;
    let a = asked.get(name);
    if (a === undefined) asked.set(name, (a = workspaceHas(name)));
    return a;
  };
  const out: Finding[] = [];
  const replaced = new Map<string, Finding>();
  for (const rule of rules) {
    const setting = options.rules?.[rule.meta.id];
    if (setting === 'off') continue;
    const report = (r: Report) => {
      let file = r.file ?? r.node.file;
      let span = r.span ?? r.node.d.words[0]?.span ?? r.node.d.span;
      let related = r.related;
      // about a line of a stock file (proxy_params, fastcgi_params…): said at the include in the
      // user's file that brings it in, the stock line as related information
      if (file === r.node.file && isStockInclude(file)) {
        let inc = r.node.includedFrom;
        while (inc && isStockInclude(inc.file)) inc = inc.includedFrom;
        if (inc?.d.wordCount === 2) {
          related = [{ file, span, note: `in ${file.slice(file.lastIndexOf('/') + 1)}, included here` }, ...(related ?? [])];
          file = inc.file;
          span = inc.d.args[0].span;
        }
      }
      const template = rule.meta.messages[r.messageId];
      if (template === undefined) throw new Error(`rule ${rule.meta.id}: unknown messageId ${r.messageId}`);
      if (r.fixes?.length && rule.meta.fix === 'none') throw new Error(`rule ${rule.meta.id} reports a fix but declares fix: 'none'`);
      const fixes = r.fixes?.map((f) => ({ ...f, kind: rule.meta.fix === 'safe' ? f.kind : 'suggestion' as const }));
      const f: Finding = { file, span, severity: setting ?? r.severity ?? rule.meta.severity, code: rule.meta.id, message: format(template, r.data), related, fixes };
      out.push(f);
      if (r.replacesNginx) replaced.set(`${file}:${span.start}`, f);
    };
    try {
      rule.check({ root, model, options, text, report, defined });
    } catch (e) {
      // a crashing rule must not take the others (or the server) down: say so where it is seen
      out.push({ file: root.root, span: { start: 0, end: 0 }, severity: 'info', code: rule.meta.id, message: `internal error in rule ${rule.meta.id}: ${(e as Error).message}. Please report it.` });
    }
  }
  return { findings: out.filter((f) => !suppressed(ws, f)), replaced, asked };
}

/**
 * A root's findings: validate's (minus those a rule replaced, after settings) and the rules';
 * with what the rules asked of the rest of the workspace (see Asked).
 */
export function judge(ws: FileStore, root: RootAnalysis, options: AnalyzeOptions, workspaceHas?: (name: string) => boolean): { findings: Finding[]; asked: Asked } {
  const { findings, replaced, asked } = runRules(ws, root, options, RULES, workspaceHas);
  let nginx = root.nginxFindings;
  if (replaced.size) {
    // a finding nginx reports where its statement ends (validate's atNginxLines) keeps the
    // statement's start in its first related location: the rule's finding takes nginx's place
    const by = (f: Finding) => {
      const own = replaced.get(`${f.file}:${f.span.start}`);
      if (own || f.related?.[0]?.note !== STATEMENT_START_NOTE) return own;
      const r = replaced.get(`${f.file}:${f.related[0].span.start}`);
      if (r) { r.span = f.span; r.related = [f.related[0], ...(r.related ?? [])]; }
      return r;
    };
    nginx = nginx.filter((f) => !(f.code.startsWith('nginx-') && by(f)));
  }
  return { findings: [...applyNginxSettings(ws, nginx, options), ...findings], asked };
}

/**
 * nginx-level findings (nginx-syntax, nginx-directive…) follow the same settings as rules: a
 * severity override or 'off', and the suppression comments.
 */
export function applyNginxSettings(ws: FileStore, findings: Finding[], options: AnalyzeOptions): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const setting = options.rules?.[f.code];
    if (setting === 'off' || suppressed(ws, f)) continue;
    out.push(setting ? { ...f, severity: setting } : f);
  }
  return out;
}

const DISABLE_RE = /^\s*nginx-ws-disable(-next-line)?(?:\s+([\w-]+(?:[\s,]+[\w-]+)*))?\s*$/;

/** `# nginx-ws-disable-next-line id…` and `# nginx-ws-disable id…` (whole file); no ids = every rule. */
function suppressed(ws: FileStore, f: Finding): boolean {
  const p = ws.parsed(f.file);
  if (!p) return false;
  let starts: number[] | undefined;
  for (const c of p.comments) {
    const m = DISABLE_RE.exec(c.text);
    if (!m) continue;
    const ids = m[2] ? m[2].split(/[\s,]+/) : undefined;
    if (ids && !ids.includes(f.code)) continue;
    if (!m[1]) return true;
    starts ??= lineStarts(p.text);
    if (positionAt(starts, c.span.start).line + 1 === positionAt(starts, f.span.start).line) return true;
  }
  return false;
}
