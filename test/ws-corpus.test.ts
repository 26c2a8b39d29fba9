// The zero-false-positive promise, checked on real-world configurations.
//
// test/fixtures/ws-corpus/<project>/ holds WebSocket proxy setups written after the documented
// nginx configuration of public projects (SOURCE names the page). For each one:
//   (a) the real `nginx -t` accepts the tree (copied into a sandbox prefix, see util/sandbox-nginx);
//   (b) the product reports no error and no warning anywhere in it (infos and hints are allowed:
//       `Connection "upgrade"` literals and short read timeouts are advice, not mistakes), and the
//       analysis of nginx.conf followed every include and reached every file of the folder;
//   (c) the model recognises at least one of its proxy blocks as a WebSocket endpoint.
// A configuration that is broken as documented (users report the failed handshake, the
// maintainers gave the fix) has an EXPECT file instead of the promise of silence:
//   # why it breaks, and the thread where the fix was given (comment lines)
//   sites-available/app:12 warning ws-http-version      one line per error/warning we must report
//   nginx -t: unknown "connection_upgrade" variable     nginx -t must refuse it with this message
// Its errors and warnings must be exactly those lines (file, line, severity, code); (c) holds too.
// nginx missing is a failure, never a skip.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildModel } from '../server/src/core/model/effective';
import { lineStarts, positionAt } from '../server/src/core/text';
import type { Finding } from '../server/src/core/types';
import { allFindings, MemoryHost, ROOT, type FixtureFile } from './util/fixture';
import { DEFAULT_OPTIONS, Workspace } from '../server/src/core/index';
import { makeCerts, NGINX, requireNginx, type Certs } from './util/nginx';
import { nginxTestTree, readTree } from './util/sandbox-nginx';

const REPO = resolve(__dirname, '..', '..');
const CORPUS = join(REPO, 'test', 'fixtures', 'ws-corpus');
const MIN_CONFIGS = 92;

const configs = existsSync(CORPUS) ? readdirSync(CORPUS).filter((n) => statSync(join(CORPUS, n)).isDirectory()).sort() : [];
const skipMeta = (rel: string) => rel === 'SOURCE' || rel === 'EXPECT';

interface Expectation {
  /** `file:line severity code`, one per error or warning we must report. */
  findings: string[];
  /** nginx -t must refuse the tree with this message; undefined: it must accept it. */
  nginx?: string;
}

/** The EXPECT file of a broken configuration; undefined for a working one. */
function expectationOf(name: string): Expectation | undefined {
  const p = join(CORPUS, name, 'EXPECT');
  if (!existsSync(p)) return undefined;
  const e: Expectation = { findings: [] };
  for (const raw of readTree(join(CORPUS, name)).get('EXPECT')!.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const n = /^nginx -t:\s*(.+)$/.exec(line);
    if (n) e.nginx = n[1];
    else if (/^\S+:\d+ (error|warning) [\w-]+$/.test(line)) e.findings.push(line);
    else throw new Error(`${name}/EXPECT: unreadable line "${line}"`);
  }
  assert.ok(e.findings.length || e.nginx, `${name}/EXPECT names no finding`);
  return e;
}

/** Files nginx reads as data, not configuration (certbot's ssl-dhparams.pem). */
const notConfig = (rel: string) => skipMeta(rel) || rel.endsWith('.pem');

/** The files of a configuration; symbolic links (sites-enabled/x → ../sites-available/x) apart. */
function filesOf(name: string): FixtureFile[] {
  const dir = join(CORPUS, name);
  return [...readTree(dir, notConfig)].filter(([rel]) => !lstatSync(join(dir, rel)).isSymbolicLink()).map(([rel, text]) => ({ path: `${ROOT}/${rel}`, text }));
}

function linksOf(name: string): Map<string, string> {
  const dir = join(CORPUS, name);
  const links = new Map<string, string>();
  for (const [rel] of readTree(dir, notConfig)) {
    const p = join(dir, rel);
    if (lstatSync(p).isSymbolicLink()) links.set(`${ROOT}/${rel}`, `${ROOT}/${relative(dir, realpathSync(p)).split('\\').join('/')}`);
  }
  return links;
}

/** The configuration as the workspace sees it, links included. */
function workspaceOfConfig(name: string): { files: FixtureFile[]; ws: Workspace } {
  const files = filesOf(name);
  const ws = new Workspace(new MemoryHost(new Map(files.map((f) => [f.path, f.text])), new Set(), linksOf(name)), DEFAULT_OPTIONS);
  ws.setFiles(files.map((f) => f.path));
  return { files, ws };
}

/** `file:line severity code` of a finding, as EXPECT writes it. */
function keyOf(files: FixtureFile[], f: Finding): string {
  const text = files.find((x) => x.path === f.file)?.text ?? '';
  return `${f.file.slice(ROOT.length + 1)}:${positionAt(lineStarts(text), f.span.start).line + 1} ${f.severity} ${f.code}`;
}

function describeFindings(files: FixtureFile[], findings: Finding[]): string {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  return findings
    .map((f) => {
      const p = positionAt(lineStarts(texts.get(f.file) ?? ''), f.span.start);
      return `  ${f.file.slice(ROOT.length + 1)}:${p.line + 1}:${p.character + 1} ${f.severity} ${f.code}: ${f.message}`;
    })
    .join('\n');
}

describe('WebSocket corpus of real-world configurations', () => {
  let certs: Certs | undefined;

  before(() => {
    if (existsSync(NGINX)) certs = makeCerts();
  });

  it(`holds at least ${MIN_CONFIGS} configurations, each naming its source`, () => {
    assert.ok(configs.length >= MIN_CONFIGS, `only ${configs.length} configurations in ${CORPUS}`);
    for (const name of configs) {
      const dir = join(CORPUS, name);
      assert.ok(existsSync(join(dir, 'nginx.conf')), `${name}: no nginx.conf`);
      assert.ok(existsSync(join(dir, 'SOURCE')), `${name}: no SOURCE file`);
      const src = readTree(dir).get('SOURCE')!.trim();
      assert.match(src, /^https?:\/\/\S+$/, `${name}: SOURCE must be one URL`);
    }
  });

  it('has the real nginx to test against', () => {
    requireNginx();
  });

  for (const name of configs) {
    describe(name, () => {
      const expected = expectationOf(name);
      it(expected?.nginx ? 'is refused by nginx -t as documented' : 'is accepted by nginx -t', async () => {
        requireNginx();
        assert.ok(certs, 'no test certificate (openssl failed in before())');
        const r = await nginxTestTree(readTree(join(CORPUS, name), skipMeta), certs);
        if (expected?.nginx) {
          assert.ok(!r.ok, `nginx -t accepted ${name}, EXPECT says it refuses it with: ${expected.nginx}`);
          assert.ok(r.output.includes(expected.nginx), `nginx -t refused ${name} otherwise than EXPECT says (${expected.nginx}):\n${r.output}`);
        } else assert.ok(r.ok, `nginx -t rejected ${name}:\n${r.output}`);
      });

      it(expected ? 'gives exactly the documented errors and warnings, with every include followed' : 'gives no error or warning, with every include followed', () => {
        const { files, ws } = workspaceOfConfig(name);
        const findings = allFindings(ws, files);
        const bad = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
        if (expected) {
          const got = bad.map((f) => keyOf(files, f)).sort();
          assert.deepEqual(got, [...expected.findings].sort(), `${name}: findings differ from EXPECT:\n${describeFindings(files, bad)}`);
        } else assert.equal(bad.length, 0, `${name}: false positives:\n${describeFindings(files, bad)}\n(all findings:\n${describeFindings(files, findings)})`);
        const root = ws.analysis().get(`${ROOT}/nginx.conf`);
        assert.ok(root, `${name}: nginx.conf is not analysed as a root`);
        assert.equal(root.kind, 'main');
        // every include is followed (an absolute glob that matches nothing here, such as an
        // optional custom hook, may leave the analysis incomplete without a finding)
        const includeFindings = ws.judgedOf(root)!.findings.filter((f) => f.code === 'nginx-include');
        assert.equal(includeFindings.length, 0, `${name}: an include was not followed:\n${describeFindings(files, includeFindings)}`);
        // every config file of the folder is reached from nginx.conf (directly or through a link)
        for (const f of files) assert.ok(ws.rootsOf(f.path).includes(root), `${name}: ${f.path.slice(ROOT.length + 1)} is not reached from nginx.conf`);
      });

      it('has a proxy block the model counts as a WebSocket endpoint', () => {
        const { ws } = workspaceOfConfig(name);
        const root = ws.analysis().get(`${ROOT}/nginx.conf`)!;
        const model = buildModel(root, ws.options, { text: (f) => ws.text(f) ?? '', comments: (f) => ws.parsed(f)?.comments ?? [] });
        const endpoints = model.proxies.filter((p) => p.intent);
        assert.ok(endpoints.length >= 1, `${name}: no WebSocket endpoint among ${model.proxies.length} proxy blocks`);
      });
    });
  }
});
