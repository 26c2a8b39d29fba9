// The zero-false-positive promise, checked on real-world configurations.
//
// test/fixtures/ws-corpus/<project>/ holds correct WebSocket proxy setups written after the
// documented nginx configuration of public projects (SOURCE names the page). For each one:
//   (a) the real `nginx -t` accepts the tree (copied into a sandbox prefix, see util/sandbox-nginx);
//   (b) the product reports no error and no warning anywhere in it (infos and hints are allowed:
//       `Connection "upgrade"` literals and short read timeouts are advice, not mistakes), and the
//       analysis of nginx.conf followed every include and reached every file of the folder;
//   (c) the model recognises at least one of its proxy blocks as a WebSocket endpoint.
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
const MIN_CONFIGS = 67;

const configs = existsSync(CORPUS) ? readdirSync(CORPUS).filter((n) => statSync(join(CORPUS, n)).isDirectory()).sort() : [];
const skipMeta = (rel: string) => rel === 'SOURCE';

/** The files of a configuration; symbolic links (sites-enabled/x → ../sites-available/x) apart. */
function filesOf(name: string): FixtureFile[] {
  const dir = join(CORPUS, name);
  return [...readTree(dir, skipMeta)].filter(([rel]) => !lstatSync(join(dir, rel)).isSymbolicLink()).map(([rel, text]) => ({ path: `${ROOT}/${rel}`, text }));
}

function linksOf(name: string): Map<string, string> {
  const dir = join(CORPUS, name);
  const links = new Map<string, string>();
  for (const [rel] of readTree(dir, skipMeta)) {
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
      it('is accepted by nginx -t', async () => {
        requireNginx();
        assert.ok(certs, 'no test certificate (openssl failed in before())');
        const r = await nginxTestTree(readTree(join(CORPUS, name), skipMeta), certs);
        assert.ok(r.ok, `nginx -t rejected ${name}:\n${r.output}`);
      });

      it('gives no error or warning, with every include followed', () => {
        const { files, ws } = workspaceOfConfig(name);
        const findings = allFindings(ws, files);
        const bad = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
        assert.equal(bad.length, 0, `${name}: false positives:\n${describeFindings(files, bad)}\n(all findings:\n${describeFindings(files, findings)})`);
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
