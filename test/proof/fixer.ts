// Runs the product on a config folder and applies its own code actions for one rule — every fix
// of that rule's findings, cross-file edits included — re-analysing until none is left.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Workspace, DEFAULT_OPTIONS, workingLocation, type AnalyzeOptions } from '../../server/src/core/index';
import { NodeHost } from '../../server/src/host/node-host';
import { applyEdits, collectFixEdits, MAX_FIX_PASSES } from '../../server/src/core/fix/apply';
import type { Finding } from '../../server/src/core/types';

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.conf') || e.name.endsWith('_params')) out.push(p); // *.conf, and proxy_params and the like
    }
  };
  walk(dir);
  return out.sort();
}

export function analyse(files: string[], options: AnalyzeOptions = DEFAULT_OPTIONS): Finding[] {
  const ws = new Workspace(new NodeHost(), options);
  ws.setFiles(files);
  return files.flatMap((f) => ws.findings(f));
}

export interface FixRun {
  /** The rule's findings before any fix. */
  before: Finding[];
  /** Passes that changed something. */
  passes: number;
  /** Files the fixes wrote, with their final text. */
  changed: Map<string, string>;
  /** The rule's findings left after the last pass (none, when the rule is satisfied). */
  after: Finding[];
  /** Findings of the rule that offered no fix. */
  fixless: Finding[];
}

/** Applies the rule's fixes on disk, in place. */
export function applyRuleFixes(files: string[], rule: string, options: AnalyzeOptions = DEFAULT_OPTIONS): FixRun {
  const ws = new Workspace(new NodeHost(), options);
  ws.setFiles(files);
  const ofRule = () => files.flatMap((f) => ws.findings(f)).filter((f) => f.code === rule);
  const before = ofRule();
  const changed = new Map<string, string>();
  const fixless: Finding[] = [];
  let passes = 0;
  let left = before;
  for (let pass = 0; pass < MAX_FIX_PASSES && left.length; pass++) {
    for (const f of left) if (!f.fixes?.length) fixless.push(f);
    const fixes = left.flatMap((f) => f.fixes ?? []);
    if (!fixes.length) break;
    let any = false;
    for (const [file, edits] of collectFixEdits(fixes)) {
      const text = ws.text(file);
      if (text === undefined) throw new Error(`a fix edits ${file}, which the workspace cannot read`);
      const next = applyEdits(text, edits).text;
      if (next === text) continue;
      fs.writeFileSync(file, next);
      ws.invalidate(file);
      changed.set(file, next);
      any = true;
    }
    if (!any) break;
    passes++;
    left = ofRule();
  }
  return { before, passes, changed, after: left, fixless };
}

/**
 * The one-shot quick fix, "Make this a working WebSocket location", for the location whose path
 * argument is `locationPath`: one action (the editor's), written to disk. The files it changed.
 */
export function applyLocationFix(files: string[], locationPath: string, options: AnalyzeOptions = DEFAULT_OPTIONS): Map<string, string> {
  const ws = new Workspace(new NodeHost(), options);
  ws.setFiles(files);
  for (const f of files) ws.findings(f);
  const at = files.flatMap((file) => {
    const m = new RegExp(`location\\s+(?:[=^~*]+\\s*)?${locationPath.replace(/[/.]/g, '\\$&')}\\s*\\{`).exec(fs.readFileSync(file, 'utf8'));
    return m ? [{ file, offset: m.index + m[0].length }] : [];
  });
  if (at.length !== 1) throw new Error(`expected one location ${locationPath} in the case, found ${at.length}`);
  const r = workingLocation(ws, files, at[0].file, at[0].offset);
  const changed = new Map<string, string>();
  for (const [file, text] of r?.texts ?? []) {
    fs.writeFileSync(file, text);
    changed.set(file, text);
  }
  return changed;
}

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface CliFixRun {
  /** The CLI's exit code: 0 clean, 1 findings left, 2 usage or I/O error. */
  code: number | null;
  stderr: string;
  /** Files whose text the run changed, with their final text. */
  changed: Map<string, string>;
}

/**
 * Fix-all as CI and a user at a terminal meet it: `nginx-ws check --fix DIR` run as a process
 * (dist/cli.js, the same core loop as the editor's source.fixAll), once. The files it changed.
 */
export function applyCliFix(dir: string, options: AnalyzeOptions = DEFAULT_OPTIONS): CliFixRun {
  const files = listFiles(dir);
  const before = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  const args = [CLI, 'check', '--fix', ...(options.nginxVersion ? ['--nginx-version', options.nginxVersion] : []), dir];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 20000 });
  const changed = new Map<string, string>();
  for (const f of listFiles(dir)) {
    const text = fs.readFileSync(f, 'utf8');
    if (before.get(f) !== text) changed.set(f, text);
  }
  return { code: r.status, stderr: r.stderr, changed };
}
