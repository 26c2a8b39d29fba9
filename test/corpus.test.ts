// The nginx-tests corpus (test/fixtures/nginx-tests: the configs of nginx's own test suite,
// with what nginx 1.22.1 said of each in nginx-1.22-verdicts.tsv). Needs no nginx binary.
//   - every config parses with zero syntax errors;
//   - with the directive set of nginx-light 1.22.1, configs nginx accepts get no error of ours;
//   - where nginx's first error is lexical, a context or an argument count, ours is the same
//     message on the same line;
//   - where nginx's first error is anything else (a missing certificate, an invalid value),
//     we report nothing before that line: nginx read everything up to there without complaint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../server/src/core/syntax/parser';
import { validateRoot, type ValidateOptions } from '../server/src/core/model/validate';
import { Workspace } from '../server/src/core/index';
import type { Finding } from '../server/src/core/types';
import { MemoryHost } from './util/fixture';
import { isSyntaxClass } from './oracle/nginx';
import { asPrinted, context, lineOf } from './oracle/ours';

const DIR = join(__dirname, '../..', 'test/fixtures/nginx-tests');
/** Where the verdicts were taken: each file was nginx's -c there, so includes resolve from it. */
const CONF_DIR = '/tmp/ngxcorpus/conf';
const OPTIONS: ValidateOptions = { extraDirectives: [], directiveSet: 'light-1.22' };

interface Verdict {
  file: string;
  ok: boolean;
  message?: string;
  /** The file nginx names, relative to CONF_DIR, and the line. */
  at?: { file: string; line: number };
}

function verdicts(): Verdict[] {
  return readFileSync(join(DIR, 'nginx-1.22-verdicts.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const [file, v] = l.split('\t');
      if (v === 'OK') return { file, ok: true };
      const msg = v.replace(/^nginx: \[emerg\] /, '');
      const m = new RegExp(` in ${CONF_DIR}/(\\S+):(\\d+)$`).exec(msg);
      return m ? { file, ok: false, message: msg.slice(0, m.index), at: { file: m[1], line: Number(m[2]) } } : { file, ok: false, message: msg };
    });
}

const ALL = verdicts();
const texts = new Map(ALL.map((v) => [v.file, readFileSync(join(DIR, v.file), 'utf8')]));

/** Where nginx meets a finding of a one-file config: its line, or just after the point a late one names. */
const orderAt = (f: Finding) => (f.after ? f.after.offset + 0.5 : (f.span.start));

/** Our error-severity nginx-syntax/nginx-directive findings, as nginx -c would meet them. */
function ourErrors(file: string): Finding[] {
  const id = `${CONF_DIR}/${file}`;
  const ws = new Workspace(new MemoryHost(new Map([[id, texts.get(file)!]])), { ...OPTIONS });
  ws.setFiles([id]);
  return validateRoot(ws, id, 'main', 'main', OPTIONS)
    .nginxFindings.filter((f) => f.severity === 'error' && (f.code === 'nginx-syntax' || f.code === 'nginx-directive'))
    .sort((a, b) => orderAt(a) - orderAt(b));
}

const where = (f: Finding) => `${f.file.slice(CONF_DIR.length + 1)}:${lineOf(texts.get(f.file.slice(CONF_DIR.length + 1)) ?? '', f.span.start)}`;

test(`corpus: all ${ALL.length} nginx-tests configs parse with zero syntax errors`, () => {
  const bad = ALL.filter((v) => parse(texts.get(v.file)!).errors.length > 0).map((v) => `${v.file}: ${parse(texts.get(v.file)!).errors.map((e) => e.message).join('; ')}`);
  assert.deepEqual(bad, []);
});

const accepted = ALL.filter((v) => v.ok);
test(`corpus: the ${accepted.length} configs nginx 1.22.1 accepts get no error of ours`, () => {
  const bad = accepted.flatMap((v) => ourErrors(v.file).map((f) => `${v.file}: ${f.message} at ${where(f)}`));
  assert.deepEqual(bad, []);
});

const syntaxClass = ALL.filter((v) => !v.ok && v.at && isSyntaxClass(v.message!));
test(`corpus: the ${syntaxClass.length} configs nginx rejects for syntax/context/args get nginx's first error`, () => {
  const bad: string[] = [];
  for (const v of syntaxClass) {
    const f = ourErrors(v.file)[0];
    const got = f && { message: asPrinted(f.message), file: f.file.slice(CONF_DIR.length + 1), line: lineOf(texts.get(f.file.slice(CONF_DIR.length + 1)) ?? '', f.span.start) };
    if (!got || got.message !== v.message || got.file !== v.at!.file || got.line !== v.at!.line) {
      bad.push(`${v.file}\n  nginx: ${v.message} at ${v.at!.file}:${v.at!.line}\n  ours:  ${got ? `${got.message} at ${got.file}:${got.line}` : 'no error'}\n${context(texts.get(v.file)!, v.at!.line)}`);
    }
  }
  assert.equal(bad.length, 0, bad.join('\n\n'));
});

const otherErrors = ALL.filter((v) => !v.ok && !(v.at && isSyntaxClass(v.message!)));
test(`corpus: the ${otherErrors.length} configs nginx rejects otherwise get no error of ours before nginx's`, () => {
  const bad: string[] = [];
  for (const v of otherErrors) {
    for (const f of ourErrors(v.file)) {
      // nginx read the whole file (a post-parse error) or everything before its error line
      const rel = f.file.slice(CONF_DIR.length + 1);
      const line = lineOf(texts.get(rel) ?? '', f.span.start);
      const before = !v.at || (rel === v.file && v.at.file === v.file && line < v.at.line);
      if (before) bad.push(`${v.file}: ours ${f.message} at ${rel}:${line}; nginx: ${v.message}${v.at ? ` at ${v.at.file}:${v.at.line}` : ''}`);
    }
  }
  assert.deepEqual(bad, []);
});
