// The web server's pieces without a browser: the URIs of a virtual workspace as FileIds, the
// host that reads through the client (its globs against the Node host's glob(3) on the same tree
// on disk), and the hold on diagnostics computed while reads are outstanding.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acceptOtherSchemes, fileToUri, uriToFile } from '../../server/src/lsp/convert';
import { NodeHost } from '../../server/src/host/node-host';
import { ClientFsHost, type Ask } from '../../server/src/web/clientFsHost';
import { HeldPublications } from '../../server/src/web/hold';
import { READ_DIRECTORY_REQUEST, READ_FILE_REQUEST, type ReadFileParams } from '../../server/src/protocol';
import { HostError } from '../../server/src/core/types';

describe('URIs of other schemes', () => {
  it('are analysed only when accepted (the web server), and map back to the same URI', () => {
    const uris = ['vscode-vfs://github/owner/repo/nginx/nginx.conf', 'vscode-test-web://mount/conf.d/a%20b.conf', 'memfs:/x/nginx.conf', 'vscode-vfs://github%2Bx/o/r/sites-enabled/app'];
    acceptOtherSchemes(false);
    for (const u of uris) assert.equal(uriToFile(u), undefined, u);
    acceptOtherSchemes(true);
    try {
      assert.equal(uriToFile(uris[0]), '/.vfs/vscode-vfs/@github/owner/repo/nginx/nginx.conf');
      assert.equal(uriToFile(uris[1]), '/.vfs/vscode-test-web/@mount/conf.d/a b.conf');
      for (const u of uris) {
        const f = uriToFile(u)!;
        assert.ok(f.startsWith('/.vfs/'), u);
        assert.equal(uriToFile(fileToUri(f)), f, u);
      }
      assert.equal(fileToUri(uriToFile(uris[0])!), uris[0]);
      // file: and untitled: keep their own ids; a query is not analysed
      assert.equal(uriToFile('file:///etc/nginx/nginx.conf'), '/etc/nginx/nginx.conf');
      assert.equal(uriToFile('vscode-vfs://github/o/r/x.conf?ref=main'), undefined);
      assert.equal(uriToFile('vscode-vfs://github/o/r/bad%zz.conf'), undefined);
    } finally {
      acceptOtherSchemes(false);
    }
  });
});

/** A client that answers from the disk (what workspace.fs would), counting the requests. */
function diskClient(): { ask: Ask; asked: string[] } {
  const asked: string[] = [];
  const ask: Ask = async (method, params) => {
    const p = params as ReadFileParams;
    const file = decodeURIComponent(new URL(p.uri).pathname);
    asked.push(`${method} ${file}`);
    await new Promise((r) => setTimeout(r, 1));
    if (method === READ_FILE_REQUEST) {
      if (!fs.existsSync(file)) return { missing: true };
      if (fs.statSync(file).isDirectory()) return { error: 'is a directory, not a file' };
      return { text: fs.readFileSync(file, 'utf8') };
    }
    if (method === READ_DIRECTORY_REQUEST) {
      try {
        return fs.readdirSync(file, { withFileTypes: true }).map((e) => [e.name, e.isDirectory() ? 'dir' : 'file']);
      } catch {
        return null;
      }
    }
    throw new Error(`unexpected ${method}`);
  };
  return { ask, asked };
}

/** Asks until the host has every listing and text it needs (each answer can reveal another level). */
async function settle(host: ClientFsHost, f: () => unknown): Promise<void> {
  for (let i = 0; i < 20; i++) {
    f();
    if (!host.busy) return;
    while (host.busy) await new Promise((r) => setTimeout(r, 2));
  }
  assert.fail('the host kept asking');
}

describe('ClientFsHost', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-webhost-'));
  const tree = ['nginx.conf', 'mime.types', 'conf.d/a.conf', 'conf.d/b.conf', 'conf.d/.hidden.conf', 'conf.d/c.conf.bak', 'conf.d/sub/d.conf', 'sites-enabled/app', 'sites-available/app', 'sites-available/zeta', 'snippets/ws.conf', 'é/ü.conf', 'Z.conf', 'a.conf'];
  for (const rel of tree) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), `# ${rel}\n`);
  }
  fs.mkdirSync(path.join(root, 'empty.conf')); // a directory whose name a glob matches

  it('globs as glob(3) does on disk (the Node host), once the listings have arrived', async () => {
    const { ask } = diskClient();
    const host = new ClientFsHost({ ask, toUri: (f) => `file://${f}`, onArrived: () => {}, onUnavailable: (r) => assert.fail(r) });
    const node = new NodeHost();
    const patterns = ['*.conf', 'conf.d/*.conf', 'conf.d/*', '*/*.conf', '*/*/*.conf', 'sites-*/*', 'conf.d/.h*', '*', '[a-m]*.conf', '[!a]*.conf', 'nope/*.conf', 'conf.d/a.conf', 'conf.d', 'é/*', '?.conf', 'conf.d/sub/*.conf'];
    for (const pat of patterns) {
      const abs = `${root}/${pat}`;
      await settle(host, () => host.glob(abs));
      assert.deepEqual(host.glob(abs), node.glob(abs), pat);
    }
  });

  it('reads as the Node host does (missing, directory, text) and says when a late answer arrives', async () => {
    const { ask, asked } = diskClient();
    const arrived: string[][] = [];
    const host = new ClientFsHost({ ask, toUri: (f) => `file://${f}`, onArrived: (a) => arrived.push(a.files), onUnavailable: (r) => assert.fail(r) });
    const node = new NodeHost();
    const file = `${root}/conf.d/a.conf`;
    assert.equal(host.read(file), undefined, 'not known yet: not there for now');
    await settle(host, () => host.read(file));
    assert.equal(host.read(file), node.read(file));
    assert.deepEqual(arrived, [[file]]);
    await settle(host, () => host.read(`${root}/none.conf`));
    assert.equal(host.read(`${root}/none.conf`), node.read(`${root}/none.conf`));
    assert.equal(arrived.length, 1, 'a file still missing changes nothing: nobody is told');
    await settle(host, () => { try { host.read(`${root}/conf.d`); } catch { /* once known */ } });
    assert.throws(() => host.read(`${root}/conf.d`), (e: unknown) => e instanceof HostError && e.message === 'is a directory, not a file');
    assert.throws(() => node.read(`${root}/conf.d`), /is a directory, not a file/);
    // each file is asked for once, however often the analysis reads it
    const n = asked.length;
    host.read(file); host.read(file);
    assert.equal(asked.length, n);
    // until the file watcher says it changed
    host.forget(file);
    host.read(file);
    assert.equal(asked.length, n + 1);
  });

  it('prefetch reads the files and their folders before any analysis asks', async () => {
    const { ask, asked } = diskClient();
    const arrived: unknown[] = [];
    const host = new ClientFsHost({ ask, toUri: (f) => `file://${f}`, onArrived: (a) => arrived.push(a), onUnavailable: (r) => assert.fail(r) });
    await host.prefetch([`${root}/nginx.conf`, `${root}/conf.d/a.conf`, `${root}/conf.d/b.conf`], 2);
    assert.equal(host.busy, false);
    assert.equal(host.read(`${root}/conf.d/b.conf`), '# conf.d/b.conf\n');
    assert.deepEqual(host.glob(`${root}/conf.d/*.conf`), [`${root}/conf.d/a.conf`, `${root}/conf.d/b.conf`]);
    assert.equal(host.busy, false, 'nothing left to ask');
    assert.deepEqual(arrived, [], 'prefetched answers are not news');
    assert.equal(asked.length, 5);
  });

  it('a client that cannot read: asked once, told once, then only what is open counts', async () => {
    let asks = 0;
    const told: string[] = [];
    const host = new ClientFsHost({ ask: async () => { asks++; throw new Error('unhandled method'); }, toUri: (f) => `file://${f}`, onArrived: () => assert.fail('nothing arrives'), onUnavailable: (r) => told.push(r) });
    assert.equal(host.read('/x/nginx.conf'), undefined);
    assert.deepEqual(host.glob('/x/*.conf'), []);
    while (host.busy) await new Promise((r) => setTimeout(r, 2));
    host.read('/x/other.conf');
    assert.deepEqual(host.glob('/x/*.conf'), []);
    assert.equal(asks, 2);
    assert.deepEqual(told, ['unhandled method']);
  });
});

describe('HeldPublications', () => {
  it('holds what is published while reads are outstanding; a newer publication replaces it; the rest goes out after the reads', async () => {
    let busy = true;
    const sent: string[] = [];
    const hold = new HeldPublications<{ uri: string; n: number }>({ send: (p) => sent.push(`${p.uri}#${p.n}`), busy: () => busy, settleMs: 20, maxHoldMs: 5000 });
    hold.publish({ uri: 'a', n: 1 });
    hold.publish({ uri: 'b', n: 1 });
    assert.deepEqual(sent, []);
    assert.deepEqual(hold.pending, ['a', 'b']);
    busy = false;
    hold.idle();
    hold.publish({ uri: 'a', n: 2 }); // the analysis the answers started
    assert.deepEqual(sent, ['a#2']);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(sent, ['a#2', 'b#1'], 'a#1 was superseded and never sent');
    hold.publish({ uri: 'c', n: 1 });
    assert.deepEqual(sent, ['a#2', 'b#1', 'c#1'], 'nothing outstanding: sent at once');
  });

  it('never holds longer than maxHoldMs', async () => {
    const sent: string[] = [];
    const hold = new HeldPublications<{ uri: string }>({ send: (p) => sent.push(p.uri), busy: () => true, maxHoldMs: 30 });
    hold.publish({ uri: 'a' });
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(sent, ['a']);
  });
});
