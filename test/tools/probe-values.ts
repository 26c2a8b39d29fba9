// `npm run gen:value-types`: asks the real nginx (nginx-light 1.22) how it reads the value of
// every directive argument it can, and writes server/src/core/data/valueTypes.json for the
// offline value checks (server/src/core/model/values.ts).
//
// Every candidate position (test/util/value-sweep.ts) is tried with the sample values, plus
// the literal alternatives of its syntax in @nginx/reference-lib (the enum candidates) and
// `$args`. A position gets a type only when that type's parser (valueSyntax.ts) predicts
// nginx's verdict on every sample: the same message where nginx refuses a value for that
// reason, and no message of that kind where nginx accepts it or refuses it for another one.
// The test test/values.test.ts replays a seeded sample of the sweep with other values.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxTest, nginxVersion } from '../util/nginx';
import { directiveNames, lookup } from '../../server/src/core/data/directives';
import { PROBE_LINE, SAMPLES, outcomeOf, pool, slotKey, slots, type Outcome, type Slot } from '../util/value-sweep';
import { encodeType, isValueMessage, valueError, type ValueKind, type ValueType } from '../../server/src/core/model/valueSyntax';

const KINDS: ValueKind[] = ['flag', 'positive', 'number', 'count', 'quotedNumber', 'size', 'nonzeroSize', 'offset', 'sec', 'msec'];
const VAR_SAMPLE = '$args';

interface RefDirective { name: string; module: string; syntax: string[]; description: string }

/** The literal alternatives of a one-word syntax ("`on` | `off`"); undefined when it has a placeholder. */
function literals(syntax: string): string[] | undefined {
  const s = syntax.trim();
  if (!/^`[^`\s]+`( \| `[^`\s]+`)*$/.test(s)) return undefined;
  return [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** The literals of a list of them ("`error` | `timeout` ...", "[`TLSv1.2`] [`TLSv1.3`]"): a bitmask's words. */
function listLiterals(syntax: string): string[] | undefined {
  const s = syntax.trim();
  if (!/^`[^`\s]+`( \| `[^`\s]+`)* \.\.\.$/.test(s) && !/^\[`[^`\s]+`\]( \[`[^`\s]+`\])*$/.test(s)) return undefined;
  return [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** Whether `t` predicts every outcome; `evidence`: it also explains at least one refusal and one acceptance. */
function explains(t: ValueType, s: Slot, values: string[], outcomes: Outcome[]): boolean {
  let refused = 0;
  let accepted = 0;
  for (let i = 0; i < values.length; i++) {
    const o = outcomes[i];
    if (values[i] === VAR_SAMPLE) continue;
    const want = valueError(t, s.name, values[i]);
    if (want !== undefined) {
      if (o.ok || o.message !== want || o.line !== PROBE_LINE) return false;
      refused++;
    } else {
      if (!o.ok && isValueMessage(s.name, o.message ?? '')) return false;
      if (o.ok) accepted++;
    }
  }
  return refused > 0 && accepted > 0;
}

async function main() {
  const ref = (await import('@nginx/reference-lib')) as unknown as { getDirectives(f?: string): RefDirective[]; Format: { Markdown: string } };
  const refDirs = ref.getDirectives(ref.Format.Markdown);
  // reference-lib names the core module by its title
  const syntaxOf = (s: Slot) => refDirs.find((d) => d.name === s.name && (d.module === s.module || (s.module === 'ngx_core_module' && d.module === 'Core functionality')))?.syntax ?? [];
  // VALUE_PROBE_ONLY=name,name: probe those and print their outcomes (nothing is written)
  const only = process.env.VALUE_PROBE_ONLY?.split(',');
  const all = slots().filter((s) => !only || only.includes(s.name));
  const jobs: { slot: number; value: string }[] = [];
  const valuesOf: string[][] = all.map((s, i) => {
    const lits = s.count === 1 ? syntaxOf(s).map((x) => literals(x) ?? listLiterals(x)).find((l) => l) ?? [] : [];
    const values = [...new Set([...SAMPLES, ...lits, VAR_SAMPLE])];
    for (const value of values) jobs.push({ slot: i, value });
    return values;
  });
  const started = Date.now();
  const results = await pool(jobs, 4, (j) => outcomeOf(all[j.slot], j.value));
  const outcomes: Outcome[][] = all.map(() => []);
  jobs.forEach((j, k) => outcomes[j.slot].push(results[k]));

  // a list of words (a bitmask: proxy_next_upstream error timeout): the same values in every
  // position of every count, verified on the second word of a two-word line
  const lists = all.map((s, i) => ({ s, i })).filter(({ s }) => s.count === 1 && syntaxOf(s).some((x) => listLiterals(x)));
  const listJobs: { slot: Slot; value: string; of: string }[] = [];
  const listValues = new Map<string, string[]>();
  for (const { s, i } of lists) {
    const accepted = valuesOf[i].filter((v, k) => v !== VAR_SAMPLE && outcomes[i][k].ok);
    if (!accepted.length) continue;
    const second: Slot = { ...s, count: 2, position: 1, fillers: [accepted[0], ''] };
    listValues.set(slotKey(s), valuesOf[i]);
    for (const value of valuesOf[i]) listJobs.push({ slot: second, value, of: slotKey(s) });
  }
  const listResults = await pool(listJobs, 4, (j) => outcomeOf(j.slot, j.value));
  const listOutcomes = new Map<string, { slot: Slot; values: string[]; outcomes: Outcome[] }>();
  listJobs.forEach((j, k) => {
    const e = listOutcomes.get(j.of) ?? { slot: j.slot, values: [], outcomes: [] };
    e.values.push(j.value);
    e.outcomes.push(listResults[k]);
    listOutcomes.set(j.of, e);
  });
  if (process.env.VALUE_PROBE_DUMP) writeFileSync(process.env.VALUE_PROBE_DUMP, JSON.stringify(all.map((s, i) => ({ key: slotKey(s), values: valuesOf[i], outcomes: outcomes[i] }))));
  const table: Record<string, { t: string; v?: 1; x?: string[] | 0; m?: 1 }> = {};
  const byKind = new Map<string, number>();
  all.forEach((s, i) => {
    const values = valuesOf[i];
    const o = outcomes[i];
    let type: ValueType | undefined = KINDS.map((kind) => ({ kind })).find((t) => explains(t, s, values, o));
    if (!type && s.count === 1) {
      const lits = syntaxOf(s).map((x) => literals(x) ?? listLiterals(x)).find((l) => l);
      const accepted = lits?.filter((l) => o[values.indexOf(l)].ok);
      if (accepted?.length) {
        const t: ValueType = { kind: 'enum', values: accepted };
        if (explains(t, s, values, o)) type = t;
      }
    }
    if (!type) return;
    const entry: { t: string; v?: 1; x?: string[] | 0; m?: 1 } = { t: encodeType(type) };
    // `$args`: judged as a value (nginx quotes it in the same message) or compiled for run time
    const vo = o[values.indexOf(VAR_SAMPLE)];
    if (vo.ok || vo.message !== valueError(type, s.name, VAR_SAMPLE)) entry.v = 1;
    // later nginx versions: what the current reference adds to a flag or an enum
    if (s.count === 1 && (type.kind === 'flag' || type.kind === 'enum')) {
      const syn = syntaxOf(s);
      const lits = syn.map((x) => literals(x) ?? listLiterals(x));
      if (!syn.length || lits.some((l) => !l)) entry.x = 0;
      else {
        const known = new Set((type.values ?? ['on', 'off']).map((v) => v.toLowerCase()));
        const extra = [...new Set(lits.flat() as string[])].filter((v) => !known.has(v.toLowerCase()));
        if (extra.length) entry.x = extra;
      }
    }
    const list = listOutcomes.get(slotKey(s));
    if (list && type.kind === 'enum' && explains(type, list.slot, list.values, list.outcomes)) entry.m = 1;
    table[slotKey(s)] = entry;
    byKind.set(type.kind, (byKind.get(type.kind) ?? 0) + 1);
  });

  if (only) {
    all.forEach((s, i) => console.log(slotKey(s), table[slotKey(s)] ?? 'untyped', valuesOf[i].map((v, k) => `${v}: ${outcomes[i][k].ok ? 'ok' : `${outcomes[i][k].message} @${outcomes[i][k].line}`}`)));
    return;
  }
  // Directives the current reference has that nginx 1.22 lacks: every other directive of their
  // module is known to the probed binary (scripts/probe-arity.mjs), they are not commercial
  // (their description never mentions the subscription), yet nginx 1.22 calls them unknown.
  const lightModules = new Set(directiveNames().flatMap((n) => lookup(n)!.filter((sp) => sp.inLight122).map((sp) => sp.module)));
  const commercial = (name: string, module: string) => refDirs.some((d) => d.name === name && d.module === module && /commercial subscription/.test(d.description));
  const notIn122 = directiveNames().flatMap((n) => lookup(n)!.filter((sp) => !sp.inLight122 && !sp.plus && !sp.external && !sp.undocumented && lightModules.has(sp.module) && !commercial(n, sp.module)).map((sp) => `${sp.module}:${n}`));
  const unknownIn122 = (await pool(notIn122, 4, async (key) => {
    const name = key.slice(key.indexOf(':') + 1);
    const v = await nginxTest({ 'nginx.conf': `events {}\nhttp {\n${name} x;\n}\n` });
    return v.error?.message === `unknown directive "${name}"` ? key : undefined;
  })).filter((k): k is string => !!k).sort();
  const multi = Object.values(table).filter((e) => e.m).length;
  const file = join(__dirname, '../../../server/src/core/data/valueTypes.json');
  const keys = Object.keys(table).sort();
  const source = `probed with ${nginxVersion() ?? 'nginx'} (nginx-light): ${all.length} argument positions × ${SAMPLES.length}+ sample values; reference-lib syntax for enum candidates`;
  const lines = keys.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(table[k])}`);
  writeFileSync(file, `{\n "source": ${JSON.stringify(source)},\n "slots": {\n${lines.join(',\n')}\n },\n "notIn122": ${JSON.stringify(unknownIn122)}\n}\n`);
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`${jobs.length} nginx runs over ${all.length} positions in ${secs}s: ${keys.length} typed (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}); ${multi} lists of words (${listJobs.length} more runs); ${unknownIn122.length} directives unknown to 1.22 -> ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
