// Which directive arguments nginx reads as a typed value (a flag, a number, a size, a time…):
// sample values put in one argument position of a directive, under the real nginx (nginx-light
// 1.22). Used by the generator of server/src/core/data/valueTypes.json (test/tools/
// probe-values.ts) and by its oracle test (test/values.test.ts), which replays a seeded sample.
import { allowsArgCount, directiveNames, lookup, type Ctx, type DirectiveSpec } from '../../server/src/core/data/directives';
import { nginxTest, withLocalPaths } from './nginx';

/** Where a probe line goes, in this order of preference. */
export const PROBE_CONTEXTS: readonly Ctx[] = ['location', 'server', 'http', 'upstream', 'main', 'events'];

/** The values every typed position is tried with: each tells two types apart. */
export const SAMPLES = ['on', 'off', 'maybe', '10', '0', '3', '100', '-1', '10k', '10mb', '10g', '75q', '1h30m', '500ms', '1y', '2M'];

/** Names that are never probed: the harness passes `pid` with -g; `include` reads files. */
const SKIP = new Set(['pid', 'include']);

export interface Slot {
  name: string;
  module: string;
  ctx: Ctx;
  /** How many arguments the probe line has. */
  count: number;
  /** The argument under test (0-based). */
  position: number;
  /** The other arguments (the documented default's), undefined at `position`. */
  fillers: string[];
}

/** The 1-based line the probe line's `;` is on in configFor's text, with `split` false. */
export const PROBE_LINE = 7;

/**
 * The whole nginx.conf around one directive line in `ctx`. `split` puts the `;` on a line of
 * its own (nginx reports a value error at its terminator's line).
 */
export function configFor(ctx: Ctx, line: string, split = false): string {
  const l = split ? line.replace(/;$/, '\n;') : line;
  const lines: Record<string, string[]> = {
    main: [l, 'events {', '}', 'http {', '}', '', ''],
    events: ['events {', l, '}', 'http {', '}', '', ''],
    http: ['events {', '}', 'http {', l, '}', '', ''],
    upstream: ['events {', '}', 'http {', 'upstream u0 {', 'server 127.0.0.1:1;', l, '}', '}'],
    server: ['events {', '}', 'http {', 'server {', 'listen 127.0.0.1:8080;', l, '}', '}'],
    location: ['events {', '}', 'http {', 'server {', 'listen 127.0.0.1:8080;', 'location / {', l, '}', '}', '}'],
  };
  const L = lines[ctx];
  if (!L) throw new Error(`no probe context ${ctx}`);
  // every probe line sits on PROBE_LINE: pad the front
  const at = L.indexOf(l);
  const pad = Array.from({ length: PROBE_LINE - 1 - at }, () => '');
  return withLocalPaths([...pad, ...L].join('\n') + '\n');
}

export const lineOf = (s: Slot, value: string): string => {
  const args = s.fillers.slice();
  args[s.position] = value;
  return `${s.name} ${args.map(quoted).join(' ')};`;
};

/** A value as a config word: quoted when it holds a character that would split or end it. */
export function quoted(v: string): string {
  return /^[^\s;{}"'#\\]+$/.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`;
}

/** The specs nginx-light 1.22 has for a name (one per module, not blocks), each with the context it is probed in. */
export function probeSpecs(name: string): { spec: DirectiveSpec; ctx: Ctx }[] {
  if (SKIP.has(name)) return [];
  const out: { spec: DirectiveSpec; ctx: Ctx }[] = [];
  for (const spec of (lookup(name) ?? []).filter((s) => s.inLight122 && !s.block)) {
    const ctx = PROBE_CONTEXTS.find((c) => spec.contexts.includes(c));
    if (ctx) out.push({ spec, ctx });
  }
  return out;
}

/**
 * Every typed-value candidate position: the one argument of each directive that takes one,
 * and each argument of a two-argument form whose documented default has two plain words
 * (the other word is the default's, so only the position under test can be wrong).
 */
export function slots(): Slot[] {
  const out: Slot[] = [];
  for (const name of directiveNames()) {
    for (const { spec, ctx } of probeSpecs(name)) {
      if (allowsArgCount(spec, 1, 'light122')) out.push({ name, module: spec.module, ctx, count: 1, position: 0, fillers: [''] });
      // a one-word default fills both places of a two-word form (keepalive_timeout 75s 75s)
      // (a default that differs per platform, `8 4k|8k`, gives its first)
      let def = spec.default.trim().split(/\s+/).map((w) => w.split('|')[0]);
      if (def.length === 1) def = [def[0], def[0]];
      if (allowsArgCount(spec, 2, 'light122') && def.length === 2 && def.every((w) => /^[A-Za-z0-9._:-]+$/.test(w))) {
        for (const position of [0, 1]) out.push({ name, module: spec.module, ctx, count: 2, position, fillers: def.slice() });
      }
    }
  }
  return out;
}

export const slotKey = (s: Slot): string => `${s.module}:${s.name}/${s.count}/${s.position}`;

export interface Outcome {
  ok: boolean;
  message?: string;
  line?: number;
}

/** nginx's verdict on one value in one slot. */
export async function outcomeOf(s: Slot, value: string, split = false): Promise<Outcome> {
  const v = await nginxTest({ 'nginx.conf': configFor(s.ctx, lineOf(s, value), split) });
  if (v.ok) return { ok: true };
  return { ok: false, message: v.error?.message, line: v.error?.line };
}

export { pool } from './variable-sweep';
