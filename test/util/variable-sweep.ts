// Which arguments nginx compiles as variables: `"$zzq"` (a name nothing defines) put in one
// argument position of a directive, under the real nginx. nginx's verdict says it all:
//   unknown "zzq" variable  the argument is compiled (a script or complex value);
//   accepted                the argument is literal text, `$` included;
//   an error quoting "$zzq" nginx judged the text as a value (a port, a size…): literal too;
//   another error           the filler arguments were not valid: nothing learnt.
// Used by the generator of server/src/core/data/literalArgs.json and by its oracle test.
import { allowsArgCount, directiveNames, lookup, type Ctx } from '../../server/src/core/data/directives';
import { nginxTest, withLocalPaths } from './nginx';

export const PROBE_VAR = 'zzq';
/** Argument positions probed (0-based): enough for every fixed-arity directive of nginx 1.22. */
export const MAX_POSITION = 4;

export interface Probe {
  name: string;
  ctx: Ctx;
  position: number;
  /** How many arguments the line has. */
  count: number;
  /** The directive line under test. */
  line: string;
  /** The whole nginx.conf. */
  text: string;
}

/**
 * accepted: nginx took the line, `$zzq` as text; quoted: nginx judged `"$zzq"` itself as a
 * value (`host not found in "$zzq"`), so it never compiled it; compiled: `unknown "zzq"
 * variable`; unclear: the filler arguments were not valid.
 */
export type Verdict = 'accepted' | 'quoted' | 'compiled' | 'unclear';

/**
 * Every (directive, position, argument count) of nginx-light 1.22 outside blocks, in location,
 * server or http: a position is probed with each count it can have (a directive's forms differ:
 * `proxy_redirect x;` takes only default/off, `proxy_redirect x y;` compiles x).
 */
export function probes(): Probe[] {
  const out: Probe[] = [];
  for (const name of directiveNames()) {
    const specs = (lookup(name) ?? []).filter((s) => s.inLight122 && !s.block);
    const ctx = (['location', 'server', 'http'] as const).find((c) => specs.some((s) => s.contexts.includes(c)));
    if (!ctx) continue;
    const spec = specs.find((s) => s.contexts.includes(ctx))!;
    for (let position = 0; position < MAX_POSITION; position++) {
      for (let count = Math.max(position + 1, spec.minArgs); count <= MAX_POSITION; count++) {
        if (!allowsArgCount(spec, count, 'light122')) continue;
        const args = Array.from({ length: count }, (_, i) => (i === position ? `"$${PROBE_VAR}"` : 'on'));
        const line = `${name} ${args.join(' ')};`;
        const body = ctx === 'location' ? `server { listen 127.0.0.1:8080; location / { ${line} } }` : ctx === 'server' ? `server { listen 127.0.0.1:8080; ${line} }` : line;
        out.push({ name, ctx, position, count, line, text: `events {}\nhttp {\n${body}\n}\n` });
      }
    }
  }
  return out;
}

/** nginx's verdict on one probe. */
export async function verdictOf(p: Probe): Promise<Verdict> {
  const v = await nginxTest({ 'nginx.conf': withLocalPaths(p.text) });
  if (v.ok) return 'accepted';
  const message = v.error?.message ?? '';
  if (message === `unknown "${PROBE_VAR}" variable`) return 'compiled';
  if (message.includes(`$${PROBE_VAR}`)) return 'quoted';
  return 'unclear';
}

/**
 * One verdict per (directive, position) over its argument counts: compiled when any form
 * compiles it, literal when some form takes it as text and none compiles it.
 */
export function positionVerdicts(all: Probe[], verdicts: Verdict[]): Map<string, Map<number, 'compiled' | 'literal' | 'unclear'>> {
  const out = new Map<string, Map<number, 'compiled' | 'literal' | 'unclear'>>();
  all.forEach((p, i) => {
    const byPos = out.get(p.name) ?? new Map();
    out.set(p.name, byPos);
    const was = byPos.get(p.position) ?? 'unclear';
    const v = verdicts[i];
    const now = was === 'compiled' || v === 'compiled' ? 'compiled' : was === 'literal' || v === 'accepted' || v === 'quoted' ? 'literal' : 'unclear';
    byPos.set(p.position, now);
  });
  return out;
}

/** Runs `f` over `items` with a few at a time. */
export async function pool<T, R>(items: T[], width: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  }));
  return out;
}
