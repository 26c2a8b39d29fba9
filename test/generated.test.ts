// The generated files are not stale: package.json's settings schema and restrictedConfigurations,
// docs/rules/README.md's tables and README.md's tables are what `npm run gen:tables` renders
// from the code registry (server/src/core/registry.ts) and the options table (core/options.ts).
// Plus the registry's own consistency: every code the product emits is registered and documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../server/src/core/registry';
import { DOCS_BASE } from '../server/src/core/docs';
import { OPTIONS } from '../server/src/core/options';
import { GEN_COMMAND, GENERATED, REPO, readRepo, replaceBlocks } from './tools/tables';
import { Workspace, DEFAULT_OPTIONS } from '../server/src/core/index';
import type { Finding } from '../server/src/core/types';
import { DEFAULT_SETTINGS, normalizeSettings } from '../server/src/lsp/settings';
import { allFindings, MemoryHost, parseFixture, ROOT, workspaceOf } from './util/fixture';

/** The first line where two texts differ, for a message that says where. */
function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  on disk:   ${x[i] ?? '(end of file)'}\n  generated: ${y[i] ?? '(end of file)'}`;
  }
  return '(no difference)';
}

for (const { file, render } of GENERATED) {
  test(`${file} is what ${GEN_COMMAND} generates`, () => {
    const current = readRepo(file);
    const expected = render(current);
    assert.ok(current === expected, `${file} is stale: run \`${GEN_COMMAND}\` (edit the registry or options table, not the file). First difference at ${firstDifference(current, expected)}`);
  });
}

test('the staleness check catches an edited generated line', () => {
  // a row changed by hand inside a generated block is rewritten (so the check above would fail)
  const current = readRepo('docs/rules/README.md');
  const edited = current.replace(/^(\| \[ws-read-timeout\]\(ws-read-timeout\.md\) \| )hint/m, '$1error');
  assert.notEqual(edited, current, 'the ws-read-timeout row exists');
  assert.equal(GENERATED[1].render(edited), current);
  assert.throws(() => replaceBlocks('no markers here', { codes: 'x' }), /generated:codes/);
});

test('every code the product emits is registered, with a docs page', () => {
  // scan the sources for nginx-level code literals, so a new one cannot ship unregistered
  const found = new Set<string>();
  (function walk(d: string) {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.ts') && !n.endsWith('.test.ts') && n !== 'registry.ts') {
        for (const m of readFileSync(p, 'utf8').matchAll(/'(nginx-[a-z]+)'/g)) found.add(m[1]);
      }
    }
  })(join(REPO, 'server', 'src'));
  found.delete('nginx-websocket'); // the product's own name (diagnostic source, server name)
  found.delete('nginx-ws'); // the CLI's name (the tool of the SARIF, JUnit and Checkstyle reports)
  assert.deepEqual([...found].sort(), CODES.filter((c) => c.kind === 'nginx').map((c) => c.id).sort(), 'nginx-level codes in the sources differ from the registry');
  const documented = readdirSync(join(REPO, 'docs', 'rules')).filter((n) => n.endsWith('.md') && n !== 'README.md').map((n) => n.slice(0, -3));
  assert.deepEqual(CODES.map((c) => c.id).sort(), documented.sort(), 'registered codes and docs pages differ');
  for (const c of CODES) {
    assert.ok(existsSync(join(REPO, 'docs', 'rules', `${c.id}.md`)), `docs/rules/${c.id}.md`);
    assert.equal(c.docs, `${DOCS_BASE}${c.id}.md`, `${c.id}: docs link`);
  }
});

test('options: unique keys, defaults of the declared type, CLI flags unique per command', () => {
  const keys = OPTIONS.map((o) => o.key);
  assert.equal(new Set(keys).size, keys.length, 'option keys are unique');
  for (const o of OPTIONS) {
    const t = o.schema.type === 'array' ? (Array.isArray(o.default) ? 'array' : typeof o.default) : o.schema.type === 'object' ? (o.default && typeof o.default === 'object' && !Array.isArray(o.default) ? 'object' : typeof o.default) : typeof o.default;
    assert.equal(t, o.schema.type, `${o.key}: default ${JSON.stringify(o.default)} is a ${o.schema.type}`);
    if (o.schema.enum) assert.ok(o.schema.enum.includes(o.default as string), `${o.key}: default is one of its values`);
    if (o.schema.pattern && typeof o.default === 'string') assert.match(o.default, new RegExp(o.schema.pattern), `${o.key}: default matches its pattern`);
    if (o.reader !== 'cli') assert.ok(o.scope, `${o.key}: a setting has a scope`);
  }
  const flags = OPTIONS.filter((o) => o.cli).map((o) => `${o.cli!.command} ${o.cli!.flag}`);
  assert.equal(new Set(flags).size, flags.length, 'CLI flags are unique per command');
});

/** The findings of one code in a docs page's first bad example, under the given rule levels. */
function badExampleFindings(code: string, rules: Record<string, 'off' | Finding['severity']>): Finding[] {
  const md = readFileSync(join(REPO, 'docs', 'rules', `${code}.md`), 'utf8');
  const m = /^```nginx[ \t]+bad[^\n]*\n([\s\S]*?)^```[ \t]*$/m.exec(md);
  assert.ok(m, `${code}.md has a bad example`);
  const { files } = parseFixture(m[1]);
  return allFindings(workspaceOf(files, { rules }), files).filter((f) => f.code === code);
}

test("the registry's 'level setting' column is what the analysis does", () => {
  // every code the analysis emits (nginx-t is the language server's: test/lsp covers it)
  for (const c of CODES.filter((x) => x.id !== 'nginx-t' && x.id !== 'nginx-file')) {
    const found = badExampleFindings(c.id, {});
    assert.ok(found.length > 0, `${c.id}: its bad example raises it`);
    if (c.fix === 'none') assert.ok(found.every((f) => !f.fixes?.length), `${c.id}: registered with no fix, but its bad example gets one`);
    const off = badExampleFindings(c.id, { [c.id]: 'off' });
    const hint = badExampleFindings(c.id, { [c.id]: 'hint' });
    if (c.configurable) {
      assert.equal(off.length, 0, `${c.id}: "off" silences it`);
      assert.ok(hint.length > 0 && hint.every((f) => f.severity === 'hint'), `${c.id}: "hint" sets its severity`);
    } else assert.ok(off.length > 0, `${c.id}: registered as not configurable, but "off" silences it`);
  }
  // nginx-file: an unreadable file, skipped with a message
  const file = `${ROOT}/nginx.conf`;
  const filesOf = (rules: Record<string, 'off'>) => {
    const ws = new Workspace(new MemoryHost(new Map([[file, 'events {}\n']]), new Set([file])), { ...DEFAULT_OPTIONS, rules });
    ws.setFiles([file]);
    return ws.findings(file).filter((f) => f.code === 'nginx-file');
  };
  assert.equal(filesOf({}).length, 1, 'an unreadable file raises nginx-file');
  assert.equal(filesOf({ 'nginx-file': 'off' }).length === 0, CODES.find((c) => c.id === 'nginx-file')!.configurable, 'nginx-file: the registry says whether "off" silences it');
});

test("the language server's settings are the declared ones, with the declared defaults", () => {
  const flat = (o: Record<string, unknown>, prefix = ''): Map<string, unknown> => {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(o)) {
      // nested groups (nginx.*) are objects of settings; `rules` is one setting whose value is an object
      if (v && typeof v === 'object' && !Array.isArray(v) && k !== 'rules') for (const [kk, vv] of flat(v as Record<string, unknown>, `${prefix}${k}.`)) out.set(kk, vv);
      else out.set(`${prefix}${k}`, v);
    }
    return out;
  };
  const declared = OPTIONS.filter((o) => o.reader === 'server');
  const read = flat(DEFAULT_SETTINGS as unknown as Record<string, unknown>);
  assert.deepEqual([...read.keys()].sort(), declared.map((o) => o.key).sort(), 'lsp/settings.ts reads exactly the settings declared for the server');
  for (const o of declared) assert.deepEqual(read.get(o.key), o.default, `${o.key}: default`);
  // what a client sends when nothing is set, or sends garbage: the declared defaults
  assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
  const garbage = Object.fromEntries(declared.filter((o) => !o.key.includes('.')).map((o) => [o.key, Symbol.for('x')]));
  assert.deepEqual(normalizeSettings({ ...garbage, nginx: { path: 1, testOnSave: 'no', timeoutMs: 'x' } }), DEFAULT_SETTINGS);
});
