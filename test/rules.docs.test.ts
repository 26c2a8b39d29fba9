// The docs pages are executed (cf. ESLint's check-rule-examples, nginx-lint's examples/*.conf):
// every ```nginx bad block must raise its rule, every ```nginx good block must be clean, and the
// real `nginx -t` must agree with what the page says about each block:
//   ```nginx good                 nginx -t accepts it
//   ```nginx bad                  nginx -t accepts it too: the fault shows only at runtime
//   ```nginx bad nginx-t-fails    nginx -t refuses it, with a message one of our findings predicts
// Plus the rules' meta-test (cf. stylelint's lib/rules/__tests__/index.test.mjs): folder == id,
// sorted registry, fix metadata against the examples (the registry and the generated tables:
// test/generated.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/core/rules/index';
import { CODES } from '../server/src/core/registry';
import type { Finding } from '../server/src/core/types';
import { allFindings, parseFixture, ROOT, workspaceOf } from './util/fixture';
import { nginxTest as nginxT, requireNginx, withLocalPaths } from './util/nginx';

const REPO = join(__dirname, '..', '..');
const DOCS = join(REPO, 'docs', 'rules');

/**
 * The analysis's nginx-level codes, from the registry (test/generated.test.ts checks that it
 * holds every code the sources emit); nginx-t's page has no runnable examples: the language
 * server runs it, on save.
 */
const NGINX_CODES = CODES.filter((c) => c.kind === 'nginx' && c.id !== 'nginx-t').map((c) => c.id);

interface Block {
  kind: 'bad' | 'good';
  /** For bad blocks: nginx -t is expected to refuse the config. */
  rejected: boolean;
  text: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

function pagePath(code: string): string {
  return join(DOCS, `${code}.md`);
}

/** The ```nginx bad / ```nginx good blocks of a docs page. */
function blocksOf(markdown: string): Block[] {
  const out: Block[] = [];
  const re = /^```nginx[ \t]+(bad|good)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of markdown.matchAll(re)) {
    const flags = m[2].trim().split(/\s+/).filter(Boolean);
    for (const f of flags) assert.ok(f === 'nginx-t-fails' && m[1] === 'bad', `unknown fence flag "${f}" on a ${m[1]} block`);
    out.push({ kind: m[1] as Block['kind'], rejected: flags.includes('nginx-t-fails'), text: m[3], line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

function analyse(block: Block): Finding[] {
  const { files } = parseFixture(block.text);
  return allFindings(workspaceOf(files), files);
}

function show(findings: Finding[]): string {
  return findings.length ? findings.map((f) => `  ${f.file.slice(ROOT.length + 1)}@${f.span.start} ${f.severity} ${f.code}: ${f.message}`).join('\n') : '  (none)';
}

// ---- the real nginx ----------------------------------------------------------------------

const isRoot = process.getuid?.() === 0;

/**
 * `nginx -t` on a block: nginx.conf plus any `#- path` files, in a fresh prefix, the temp paths
 * and the access log pointed into it on the http line (so line numbers stay the block's own):
 * the run needs no root and touches no system path.
 */
async function nginxTest(block: Block): Promise<{ ok: boolean; message?: string; output: string }> {
  const files = parseFixture(block.text).files.map((f): [string, string] => {
    const rel = f.path.slice(ROOT.length + 1);
    // nginx -t binds the listen sockets (it only forgives "address in use"), and an unprivileged
    // run cannot bind ports below 1024: move those up, on the same line
    const text = isRoot ? f.text : f.text.replace(/^(\s*listen\s+(?:[\d.]+:)?)(\d{1,3})(?=[\s;])/gm, (_m, head: string, port: string) => `${head}${Number(port) + 10000}`);
    return [rel, rel === 'nginx.conf' ? withLocalPaths(text) : text];
  });
  const v = await nginxT(new Map(files));
  // nginx names files under its temp prefix; the fixture names them under ROOT
  return { ok: v.ok, message: v.error?.message.split(v.prefix).join(ROOT), output: v.output };
}

/**
 * Does one of our findings say what nginx said? (Rules that replace nginx's finding lead with its
 * text.) A missing include is only a warning: the server may hold files the workspace lacks.
 */
function predicted(findings: Finding[], message: string): boolean {
  return findings.some((f) => (f.severity === 'error' || f.severity === 'warning') && f.message.includes(message));
}

// ---- per code: the examples ----------------------------------------------------------------

describe('docs examples', () => {
  it('has the real nginx to check the examples with', () => {
    requireNginx();
  });

  const codes = [...RULES.map((r) => r.meta.id), ...NGINX_CODES];
  for (const code of codes) {
    const isRule = !code.startsWith('nginx-');
    describe(code, () => {
      it('has a docs page with the common outline', () => {
        assert.ok(existsSync(pagePath(code)), `missing docs page docs/rules/${code}.md`);
        const md = readFileSync(pagePath(code), 'utf8');
        assert.match(md, new RegExp(`^# ${code}\\n\\n\\S`), `${code}.md must start with "# ${code}" and a one-sentence summary`);
        const sections = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
        assert.deepEqual(sections, ['Why', 'Flags', "Doesn't flag", 'Fix', 'Options', 'nginx versions'], `${code}.md sections`);
        assert.match(md, /https:\/\/nginx\.org\/en\/docs\//, `${code}.md links to nginx.org`);
      });

      const md = existsSync(pagePath(code)) ? readFileSync(pagePath(code), 'utf8') : '';
      const blocks = blocksOf(md);
      const bad = blocks.filter((b) => b.kind === 'bad');
      const good = blocks.filter((b) => b.kind === 'good');

      it('has bad and good examples', () => {
        // nginx-file is about unreadable, binary or huge files: no text block can be one
        if (code !== 'nginx-file') assert.ok(bad.length >= 1, `${code}.md needs a \`\`\`nginx bad block`);
        assert.ok(good.length >= 1, `${code}.md needs a \`\`\`nginx good block`);
        if (isRule) {
          const plain = good.filter((b) => !/upgrade/i.test(b.text));
          assert.ok(plain.length >= 1, `${code}.md needs a good block that is a plain HTTP proxy (nothing about upgrades): that is where false positives hide`);
        }
      });

      for (const b of bad) {
        it(`bad example (line ${b.line}) is flagged${b.rejected ? ' and refused by nginx -t' : ', and passes nginx -t (a runtime fault)'}`, async () => {
          const findings = analyse(b);
          assert.ok(findings.some((f) => f.code === code), `no ${code} finding in the bad example at ${code}.md:${b.line}; found:\n${show(findings)}`);
          const v = await nginxTest(b);
          if (b.rejected) {
            assert.equal(v.ok, false, `${code}.md:${b.line} says nginx -t refuses this example, but it passed`);
            assert.ok(predicted(findings, v.message!), `nginx -t said "${v.message}", which none of our error findings predicts:\n${show(findings)}`);
          } else {
            assert.ok(v.ok, `${code}.md:${b.line}: nginx -t refused the example (mark the fence "nginx-t-fails" if that is the point):\n${v.output}`);
            const nginxLevel = findings.filter((f) => f.code.startsWith('nginx-') && f.severity === 'error');
            assert.deepEqual(nginxLevel, [], `nginx -t accepts ${code}.md:${b.line}, yet we predict it fails:\n${show(nginxLevel)}`);
          }
        });
      }

      for (const b of good) {
        it(`good example (line ${b.line}) is clean and passes nginx -t`, async () => {
          const findings = analyse(b);
          const wrong = findings.filter((f) => f.code === code || f.severity === 'error' || f.severity === 'warning');
          assert.deepEqual(wrong.map((f) => `${f.severity} ${f.code}: ${f.message}`), [], `false positives in the good example at ${code}.md:${b.line}`);
          const v = await nginxTest(b);
          assert.ok(v.ok, `${code}.md:${b.line}: nginx -t refused a good example:\n${v.output}`);
        });
      }
    });
  }
});

// ---- the rules' meta-test ------------------------------------------------------------------

describe('rules.meta', () => {
  it('each rule folder is named after its rule id', () => {
    const dir = join(REPO, 'server', 'src', 'core', 'rules');
    const folders = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort();
    assert.deepEqual(folders, RULES.map((r) => r.meta.id).slice().sort(), 'rule folders and RULES differ');
    for (const r of RULES) {
      const src = readFileSync(join(dir, r.meta.id, 'rule.ts'), 'utf8');
      assert.match(src, new RegExp(`id: '${r.meta.id}'`), `${r.meta.id}/rule.ts declares another id`);
      assert.match(src, /^\/\/ Flags:[\s\S]*^\/\/ Because:[\s\S]*^\/\/ Never flags:/m, `${r.meta.id}/rule.ts lacks its Flags/Because/Never flags comment`);
    }
  });

  it('ids are kebab-case and unique, RULES is sorted by id', () => {
    const ids = RULES.map((r) => r.meta.id);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `rule id "${id}" is not kebab-case`);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
    assert.deepEqual(ids, ids.slice().sort(), 'RULES must be sorted by id');
    for (const id of ids) assert.ok(!id.startsWith('nginx-'), `rule id "${id}" collides with the nginx-level codes`);
  });

  it('meta is complete: severity, fix, a one-line summary, camelCase message ids', () => {
    for (const { meta } of RULES) {
      assert.ok(['error', 'warning', 'info', 'hint'].includes(meta.severity), `${meta.id}: severity`);
      assert.ok(['none', 'safe', 'suggestion'].includes(meta.fix), `${meta.id}: fix`);
      assert.ok(meta.summary && !meta.summary.includes('\n'), `${meta.id}: summary must be one line`);
      assert.ok(Object.keys(meta.messages).length > 0, `${meta.id}: no messages`);
      for (const k of Object.keys(meta.messages)) assert.match(k, /^[a-z][a-zA-Z0-9]*$/, `${meta.id}: message id "${k}" is not camelCase`);
    }
  });

  it("meta.fix === 'none' exactly when no finding in the bad examples carries a fix", () => {
    for (const { meta } of RULES) {
      if (!existsSync(pagePath(meta.id))) continue; // reported by the docs suite
      const findings = blocksOf(readFileSync(pagePath(meta.id), 'utf8')).filter((b) => b.kind === 'bad').flatMap(analyse).filter((f) => f.code === meta.id);
      const withFix = findings.filter((f) => f.fixes?.length);
      if (meta.fix === 'none') assert.equal(withFix.length, 0, `${meta.id} declares fix: 'none' but its bad examples get fixes`);
      else {
        assert.ok(withFix.length > 0, `${meta.id} declares fix: '${meta.fix}' but none of its bad examples is offered a fix`);
        if (meta.fix === 'suggestion') assert.ok(withFix.every((f) => f.fixes!.every((x) => x.kind === 'suggestion')), `${meta.id}: suggestion rules offer only suggestions`);
      }
    }
  });
});
