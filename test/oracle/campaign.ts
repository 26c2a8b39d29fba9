// One differential campaign against the real nginx: mutants from every generator for each PRNG
// seed, nginx -t on each (in a pool), and our first error compared with nginx's for the classes
// of error we model. Used by differential.test.ts (a fixed seed and a fresh one every run) and
// by explore.ts (many seeds, by hand).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateDiamondMutants, generateIncludeMutants, generateLinkMutants, generateMutants, prng, type Mutant, type Seed } from './mutate';
import { generateValueMutants, isValueClass } from './values-mutate';
import { withLocalPaths, type NginxVerdict } from '../util/nginx';
import { isSyntaxClass, pool, runNginx } from './nginx';
import { context, DIR, lineOf, ourErrors, ourFirstError, realFile } from './ours';

export interface Generator {
  name: string;
  /** Mutants per seed config, for each PRNG seed. */
  perSeed: number;
  make: (seeds: Seed[], perSeed: number, rngSeed: number) => Mutant[];
  /**
   * The classes of nginx's first error compared for this generator's mutants (default COMPARED).
   * The value classes are compared where the mutation changed a typed value: a structural
   * mutant can also end on a value nginx refuses that the offline checks do not model (a
   * `*_temp_path` level), which is counted, not compared.
   */
  compared?: Array<(message: string) => boolean>;
}

/** Every generator of a campaign. */
export const GENERATORS: Generator[] = [
  { name: 'single file', perSeed: 4, make: (s, n, r) => generateMutants(s, n, r) },
  { name: 'include', perSeed: 1, make: generateIncludeMutants },
  { name: 'include diamond', perSeed: 1, make: generateDiamondMutants },
  { name: 'symbolic links', perSeed: 1, make: generateLinkMutants },
  { name: 'values', perSeed: 1, make: (s, n, r) => generateValueMutants(s, n, prng(r)), compared: [isSyntaxClass, isValueClass] },
];

/** The classes of nginx's first error that are compared (the others are counted only). */
// (`open() "…" failed` is not one: set() handlers of file directives print it too, not only include)
export const COMPARED: Array<(message: string) => boolean> = [isSyntaxClass];

const FIXTURES = join(__dirname, '../../..', 'test/fixtures');
/** nginx-tests' %%TESTDIR%% as the corpus extraction wrote it; runs map it into their prefix. */
export const TESTDIR = '/tmp/ngxcorpus/testdir';

/** The valid configs mutants are made from: the WebSocket seeds and the nginx-tests configs 1.22 accepts. */
export function loadSeeds(): Seed[] {
  const dir = join(FIXTURES, 'nginx-tests');
  const ok = readFileSync(join(dir, 'nginx-1.22-verdicts.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .filter(([, v]) => v === 'OK')
    .map(([f]) => f);
  const ws = join(FIXTURES, 'websocket-seeds');
  return [
    ...readdirSync(ws).filter((f) => f.endsWith('.conf')).sort().map((f) => ({ name: `websocket/${f}`, text: withLocalPaths(readFileSync(join(ws, f), 'utf8')) })),
    ...ok.map((f) => ({ name: f, text: withLocalPaths(readFileSync(join(dir, f), 'utf8')) })),
  ];
}

/** A message with its quoted parts blanked: the class it counts under. */
export function classOf(message: string): string {
  return message
    .replace(/^unknown directive ".*/s, 'unknown directive "x"')
    .replace(/^too long parameter.*/s, 'too long parameter…')
    .replace(/^unexpected ".*"$/s, 'unexpected "x"')
    .replace(/"[^"]*"/g, '"x"');
}

interface Tally { generated: number; rejected: number; compared: number; agreed: number }
const tally = (): Tally => ({ generated: 0, rejected: 0, compared: 0, agreed: 0 });

export interface CampaignResult {
  mutants: number;
  accepted: number;
  /** nginx accepted and we report no nginx-level error. */
  acceptedClean: number;
  rejected: number;
  compared: number;
  agreed: number;
  /** Compared mutants with a statement split over lines or a moved terminator. */
  split: { compared: number; agreed: number };
  /** Compared mutants whose first error is in another file than nginx.conf. */
  inIncluded: number;
  byGenerator: Map<string, Tally>;
  byClass: Map<string, Tally>;
  /** Rejections outside the compared classes, by class. */
  others: Map<string, number>;
  disagreements: string[];
}

const verdictText = (v: NginxVerdict) => (v.ok ? 'accepted' : `${v.error!.message}${v.error!.line !== undefined ? ` (${v.error!.file}:${v.error!.line})` : ''}`);
const short = (m: string) => (m.length > 200 ? `${m.slice(0, 80)}…[${m.length} chars]…${m.slice(-40)}` : m);

function describe(m: Mutant, v: NginxVerdict, ours: string, line?: number, file = 'nginx.conf'): string {
  const real = realFile(file, m.links);
  const body = real === 'nginx.conf' ? m.text : m.files?.[real] ?? '';
  const layout = m.files ? `\n  files: ${Object.keys(m.files).join(', ')}${m.links ? `; links: ${Object.entries(m.links).map(([l, t]) => `${l} → ${t}`).join(', ')}` : ''}` : '';
  return `${m.id} — ${short(m.mutation)}${layout}\n  nginx: ${short(verdictText(v))}\n  ours:  ${short(ours)}\n${file}:\n${context(body, line)}`;
}

/** Runs the generators for each PRNG seed, nginx on every mutant, and compares. */
export async function runCampaign(seeds: Seed[], rngSeeds: number[], generators = GENERATORS, compared = COMPARED, parallel = 4): Promise<CampaignResult> {
  const jobs: { m: Mutant; gen: string; compared: Array<(message: string) => boolean> }[] = [];
  const seen = new Set<string>();
  for (const r of rngSeeds) {
    for (const g of generators) {
      for (const m of g.make(seeds, g.perSeed, r)) {
        const key = JSON.stringify([m.text, m.files, m.links]);
        if (seen.has(key)) continue;
        seen.add(key);
        jobs.push({ m, gen: g.name, compared: g.compared ?? compared });
      }
    }
  }
  const verdicts = await pool(jobs.map(({ m }) => () => runNginx(m.text, { testdir: TESTDIR, extra: m.files, links: m.links })), parallel);
  const res: CampaignResult = {
    mutants: jobs.length, accepted: 0, acceptedClean: 0, rejected: 0, compared: 0, agreed: 0, split: { compared: 0, agreed: 0 }, inIncluded: 0,
    byGenerator: new Map(), byClass: new Map(), others: new Map(), disagreements: [],
  };
  const count = <K>(map: Map<K, Tally>, k: K) => { let t = map.get(k); if (!t) map.set(k, (t = tally())); return t; };
  jobs.forEach(({ m, gen, compared }, i) => {
    const v = verdicts[i];
    const g = count(res.byGenerator, gen);
    g.generated++;
    if (v.ok) {
      res.accepted++;
      const errs = ourErrors(m.text, m.files, m.links);
      if (errs.length === 0) res.acceptedClean++;
      else {
        const f = errs[0];
        const rel = f.file.slice('/oracle/'.length);
        const body = rel === 'nginx.conf' ? m.text : m.files?.[realFile(rel, m.links)] ?? '';
        const l = lineOf(body, f.span.start);
        res.disagreements.push(describe(m, v, `${f.message} (${rel}:${l}) — a false positive`, l, rel));
      }
      return;
    }
    res.rejected++;
    g.rejected++;
    const e = v.error!;
    if (e.file === undefined || !compared.some((c) => c(e.message))) {
      const cls = classOf(e.message).replace(/\/tmp\/\S+/g, 'PATH').slice(0, 90);
      res.others.set(cls, (res.others.get(cls) ?? 0) + 1);
      return;
    }
    const c = count(res.byClass, classOf(e.message));
    res.compared++;
    g.compared++;
    c.compared++;
    c.generated++;
    const split = /split over lines|: move ";"|: move "\{"/.test(m.mutation);
    if (split) res.split.compared++;
    if (realFile(e.file, m.links) !== 'nginx.conf') res.inIncluded++;
    const ours = ourFirstError(m.text, m.files, m.links);
    // a path in a message: nginx's run prefix is shown as TESTDIR, ours is DIR
    if (ours) ours.message = ours.message.split(DIR + '/').join(TESTDIR + '/');
    // nginx names a file by the path it opened (a link); compare the files themselves
    if (ours && ours.message === e.message && ours.line === e.line && realFile(ours.file, m.links) === realFile(e.file, m.links)) {
      res.agreed++;
      g.agreed++;
      c.agreed++;
      if (split) res.split.agreed++;
    } else res.disagreements.push(describe(m, v, ours ? `${ours.message} (${ours.file}:${ours.line})` : 'no error', e.line, e.file));
  });
  return res;
}

/** The figures of a campaign, one per line. */
export function summary(r: CampaignResult): string[] {
  return [
    `mutants generated: ${r.mutants}; nginx rejected ${r.rejected}, accepted ${r.accepted} (of which we report no error: ${r.acceptedClean})`,
    `compared (nginx's first error in a modelled class): ${r.compared}, agreed on message, file and line: ${r.agreed}`,
    `  of them split over lines or with a moved terminator: ${r.split.agreed}/${r.split.compared}; first error in an included file: ${r.inIncluded}`,
    ...[...r.byGenerator].map(([k, t]) => `  generator ${k}: ${t.generated} generated, ${t.rejected} rejected, ${t.agreed}/${t.compared} agreed`),
    `by class: ${[...r.byClass].sort((a, b) => b[1].compared - a[1].compared).map(([k, t]) => `${short(k)} ${t.agreed}/${t.compared}`).join(', ')}`,
    `not compared: ${[...r.others].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`).join(', ') || 'none'}`,
  ];
}
