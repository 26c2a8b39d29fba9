// The formatter's promise, checked on every real configuration the tests hold and on generated
// mutants of them, against the real nginx:
//   - a file that parses is formatted (never refused), its token stream (words with their
//     quotes, `;` `{` `}`, comments; read independently of the formatter) is unchanged, and a
//     second pass changes nothing;
//   - a file with a syntax error is left exactly as it is;
//   - `nginx -t` gives the same verdict (and the same message) before and after;
//   - range formatting of any statement leaves everything outside it byte for byte.
// Inputs: test/fixtures/** (the nginx-tests corpus, the WebSocket corpus as whole trees, the CLI
// layouts), the language server's fixtures, the docs' examples, and mutants from
// test/oracle/mutate.ts with a fixed PRNG seed and a fresh one every run (printed; replay with
// NGINX_WS_SEED=N). nginx missing is a failure, never a skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatRange, formatText, type FormatOptions } from '../server/src/core/index';
import { parse } from '../server/src/core/syntax/parser';
import type { Directive } from '../server/src/core/syntax/ast';
import { nginxTokens, reblank } from './util/tokens';
import { makeCerts, requireNginx, withLocalPaths, type NginxVerdict } from './util/nginx';
import { nginxTestTree, readTree } from './util/sandbox-nginx';
import { pool, runNginx } from './oracle/nginx';
import { loadSeeds, TESTDIR } from './oracle/campaign';
import { generateIncludeMutants, generateMutants, prng } from './oracle/mutate';

const REPO = join(__dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures');
const STYLES: FormatOptions[] = [
  { tabSize: 4, insertSpaces: true },
  { tabSize: 2, insertSpaces: false, align: true, insertFinalNewline: true },
];

const fresh = Number(process.env.NGINX_WS_SEED || Math.floor(Math.random() * 2 ** 31));
const RNG_SEEDS = [1, fresh];
console.log(`format seed: ${fresh} (replay with NGINX_WS_SEED=${fresh})`);

/** Files that are not nginx configuration. */
const notConfig = (rel: string) => /(^|\/)(SOURCE|LICENSE|README[^/]*)$|\.(tsv|md|json|txt|pem|key|crt)$/.test(rel);

function walkFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...walkFiles(p));
    else if (st.isFile() && !notConfig(relative(dir, p))) out.push(p);
  }
  return out;
}

/** The ```nginx blocks of the docs' rule pages. */
function docsExamples(): { name: string; text: string }[] {
  const dir = join(REPO, 'docs', 'rules');
  const out: { name: string; text: string }[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.md')).sort()) {
    const re = /^```nginx[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
    let m: RegExpExecArray | null;
    for (let i = 0; (m = re.exec(readFileSync(join(dir, f), 'utf8'))); i++) out.push({ name: `docs/rules/${f}#${i}`, text: m[1] });
  }
  return out;
}

/** The token and idempotency promises for one text in every style; the first style's result. */
function checkText(name: string, text: string, problems: string[]): string {
  let first = text;
  STYLES.forEach((opts, k) => {
    const r = formatText(text, opts);
    const broken = parse(text).errors.length > 0;
    if (broken) {
      if (r.text !== text || r.edits.length) problems.push(`${name}: a file with a syntax error was changed`);
      return;
    }
    if (r.refused) { problems.push(`${name} (style ${k}): refused: ${r.refused.reason}`); return; }
    const a = nginxTokens(text);
    const b = nginxTokens(r.text);
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      const i = a.findIndex((x, j) => x !== b[j]);
      problems.push(`${name} (style ${k}): tokens differ at ${i}: ${JSON.stringify(a[i])} became ${JSON.stringify(b[i])}`);
    }
    const again = formatText(r.text, opts).text;
    if (again !== r.text) problems.push(`${name} (style ${k}): a second pass changed the text`);
    if (k === 0) first = r.text;
  });
  return first;
}

/**
 * Range formatting at statements that have their lines to themselves (at most `limit` of a
 * file): the tokens stay, and the text before the statement (up to the token before it) and
 * after it is byte for byte what it was.
 */
function checkRanges(name: string, text: string, problems: string[], limit: number): number {
  const p = parse(text);
  if (p.errors.length) return 0;
  const alone: Directive[] = [];
  const walk = (l: Directive[]) => {
    for (const d of l) {
      const lineStart = text.lastIndexOf('\n', d.span.start - 1) + 1;
      const eol = text.indexOf('\n', d.span.end);
      const rest = text.slice(d.span.end, eol < 0 ? text.length : eol);
      if (/^[ \t]*$/.test(text.slice(lineStart, d.span.start)) && /^[ \t\r]*(#.*)?$/.test(rest)) alone.push(d);
      if (d.block?.kind !== 'opaque') walk(d.block?.children ?? []);
    }
  };
  walk(p.directives);
  let n = 0;
  const step = Math.max(1, Math.ceil(alone.length / limit));
  for (let i = 0; i < alone.length; i += step, n++) {
    const d = alone[i];
    const r = formatRange(text, { start: d.span.start, end: d.span.start }, STYLES[0]);
    if (r.refused) { problems.push(`${name}: range refused: ${r.refused.reason}`); continue; }
    if (JSON.stringify(nginxTokens(r.text)) !== JSON.stringify(nginxTokens(text))) problems.push(`${name}: range formatting of "${d.name}" changed the tokens`);
    // everything before the statement's line stays (its indentation may change)
    const lineStart = text.lastIndexOf('\n', d.span.start - 1) + 1;
    if (!r.text.startsWith(text.slice(0, lineStart))) problems.push(`${name}: range formatting of "${d.name}" changed text before its line`);
    if (!r.text.endsWith(text.slice(d.span.end))) problems.push(`${name}: range formatting of "${d.name}" changed text after it`);
    if (r.text.length - text.length !== r.edits.reduce((a, e) => a + e.text.length - (e.span.end - e.span.start), 0)) problems.push(`${name}: range edits do not add up`);
  }
  return n;
}

const verdictKey = (v: NginxVerdict) => (v.ok ? 'ok' : v.error!.message.split(v.prefix).join('<prefix>'));

test('formatting keeps every token of every real config and mutant, is idempotent, and nginx -t says the same', async () => {
  requireNginx();
  const problems: string[] = [];
  const started = Date.now();
  let formatted = 0;
  let changed = 0;
  let ranges = 0;
  const runs: Array<{ name: string; run: (text: string) => Promise<NginxVerdict>; before: string; after: string }> = [];
  const single = (name: string, text: string, run = (t: string) => runNginx(withLocalPaths(t), { testdir: TESTDIR })) => {
    const after = checkText(name, text, problems);
    formatted++;
    if (after !== text) { changed++; runs.push({ name, run, before: text, after }); }
  };

  // the nginx-tests corpus and every other single file the tests hold (the WebSocket corpus is
  // tested as whole trees below: its files include each other)
  const wsCorpus = join(FIXTURES, 'ws-corpus');
  const singles = [...walkFiles(FIXTURES).filter((f) => !f.startsWith(wsCorpus + '/')), ...walkFiles(join(REPO, 'test', 'lsp', 'fixtures'))];
  const certs = makeCerts();
  for (const f of singles) {
    const text = readFileSync(f, 'utf8');
    const name = relative(REPO, f);
    const corpus = f.startsWith(join(FIXTURES, 'nginx-tests') + '/');
    // paths outside nginx-tests' test directory are pointed into the run's prefix
    single(name, text, corpus ? undefined : (t) => nginxTestTree(new Map([['nginx.conf', withLocalPaths(t)]]), certs));
    if (corpus) ranges += checkRanges(name, text, problems, 4);
  }
  for (const d of docsExamples()) single(d.name, d.text, (t) => nginxTestTree(new Map([['nginx.conf', withLocalPaths(t)]]), certs));

  // the WebSocket corpus: each tree formatted file by file, nginx -t on the whole tree
  const trees = existsSync(wsCorpus) ? readdirSync(wsCorpus).filter((n) => lstatSync(join(wsCorpus, n)).isDirectory()).sort() : [];
  assert.ok(trees.length >= 60, `only ${trees.length} WebSocket corpus configurations`);
  for (const name of trees) {
    const tree = readTree(join(wsCorpus, name), (rel) => rel === 'SOURCE');
    const out = new Map<string, string>();
    for (const [rel, text] of tree) {
      if (lstatSync(join(wsCorpus, name, rel)).isSymbolicLink()) { out.set(rel, text); continue; }
      out.set(rel, checkText(`ws-corpus/${name}/${rel}`, text, problems));
      ranges += checkRanges(`ws-corpus/${name}/${rel}`, text, problems, 4);
      formatted++;
    }
    changed++;
    runs.push({ name: `ws-corpus/${name}`, run: (which) => nginxTestTree(which === 'before' ? tree : out, certs), before: 'before', after: 'after' });
  }

  // mutants: single files and include layouts, from the seeds nginx accepts
  const seeds = loadSeeds();
  let mutants = 0;
  let clean = 0;
  for (const r of RNG_SEEDS) {
    for (const m of [...generateMutants(seeds, 1, r), ...generateIncludeMutants(seeds.filter((_, i) => prng(r + i)() < 0.5), 1, r)]) {
      mutants++;
      if (!parse(m.text).errors.length) clean++;
      const files = Object.fromEntries(Object.entries(m.files ?? {}).map(([rel, t]) => [rel, checkText(`${m.id} ${rel}`, t, problems)]));
      const after = checkText(`${m.id} (${m.mutation.slice(0, 80)})`, m.text, problems);
      formatted++;
      if (after === m.text && JSON.stringify(files) === JSON.stringify(m.files ?? {})) continue;
      changed++;
      runs.push({
        name: m.id,
        run: (which) => (which === 'before' ? runNginx(m.text, { testdir: TESTDIR, extra: m.files, links: m.links }) : runNginx(after, { testdir: TESTDIR, extra: files, links: m.links })),
        before: 'before',
        after: 'after',
      });
    }
  }

  // the seeds with their blanks scrambled (every config nginx accepts, two ways per PRNG seed)
  let reblanked = 0;
  for (const r of RNG_SEEDS) {
    const rng = prng(r ^ 0x5eed);
    for (const sd of seeds) {
      for (let k = 0; k < 2; k++) {
        const text = reblank(sd.text, rng);
        if (JSON.stringify(nginxTokens(text)) !== JSON.stringify(nginxTokens(sd.text))) { problems.push(`reblank of ${sd.name} (seed ${r}) changed its tokens: the generator is wrong`); continue; }
        const after = checkText(`${sd.name} reblanked #${k} (PRNG seed ${r})`, text, problems);
        formatted++;
        reblanked++;
        // nginx -t on a sample
        if (rng() < 0.1 && after !== text) {
          changed++;
          runs.push({ name: `${sd.name} reblanked`, run: (t) => runNginx(t, { testdir: TESTDIR }), before: text, after });
        }
      }
    }
  }

  const verdicts = await pool(runs.flatMap((r) => [() => r.run(r.before), () => r.run(r.after)]), 4);
  let accepted = 0;
  runs.forEach((r, i) => {
    const [a, b] = [verdicts[2 * i], verdicts[2 * i + 1]];
    if (a.ok) accepted++;
    if (verdictKey(a) !== verdictKey(b)) problems.push(`${r.name}: nginx -t said "${verdictKey(a)}" before formatting and "${verdictKey(b)}" after`);
  });
  console.log(
    `format: ${formatted} files formatted in ${STYLES.length} styles (${changed} changed; ${mutants} mutants, ${clean} of them without a syntax error; ${reblanked} with scrambled blanks); ` +
      `${runs.length} nginx -t comparisons (${accepted} accepted before); ${ranges} range formattings; ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  assert.ok(formatted > 1200 && runs.length > 500, `the corpus is there (${formatted} files, ${runs.length} runs)`);
  assert.ok(clean > 200, `only ${clean} mutants parse: nothing to format`);
  if (problems.length) assert.fail(`${problems.length} problem(s) (seed ${fresh}):\n${problems.slice(0, 30).join('\n')}`);
});
