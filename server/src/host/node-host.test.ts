import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findNginxFiles, isNginxFileName, scanNginxFiles, toFileId } from './node-host';

/** A tree of `dirs` folders, each with plain files and one nginx file, plus ignored folders. */
function tree(dirs: number): string {
  const root = toFileId(fs.mkdtempSync(path.join(os.tmpdir(), 'ngx-scan-')));
  for (let i = 0; i < dirs; i++) {
    const d = path.join(root, `app${i}`, 'nginx');
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, `site${i}.conf`), 'server { listen 80; }\n');
    fs.writeFileSync(path.join(root, `app${i}`, 'index.js'), '');
    fs.writeFileSync(path.join(root, `app${i}`, 'other.conf'), 'key = value\n'); // not nginx
  }
  for (const skipped of ['node_modules/x/nginx', '.git/nginx']) {
    fs.mkdirSync(path.join(root, skipped), { recursive: true });
    fs.writeFileSync(path.join(root, skipped, 'a.conf'), 'server {}\n');
  }
  fs.writeFileSync(path.join(root, 'nginx.conf'), 'events {}\nhttp {}\n');
  fs.writeFileSync(path.join(root, 'bare.conf'), 'upstream u { server 127.0.0.1; }\n'); // looks like nginx
  return root;
}

test('the time-sliced scan finds what the synchronous one finds, and lets other work run meanwhile', async () => {
  const root = tree(400);
  try {
    const sync = findNginxFiles(root);
    assert.equal(sync.length, 402);
    assert.ok(sync.includes(`${root}/bare.conf`) && !sync.some((f) => f.includes('node_modules') || f.includes('/.git/') || f.endsWith('other.conf')));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    let progress = 0;
    const r = await scanNginxFiles(root, { sliceMs: 1, onProgress: () => progress++ });
    clearInterval(timer);
    assert.deepEqual(r.files, sync);
    assert.equal(r.truncated, undefined);
    assert.ok(r.dirs > 800, `${r.dirs} folders read`);
    assert.ok(ticks > 0 && progress > 0, `the event loop ran ${ticks} times during the scan, ${progress} progress reports`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the scan stops at its file limit or when cancelled, and says so', async () => {
  const root = tree(50);
  try {
    const limited = await scanNginxFiles(root, { limit: 10 });
    assert.equal(limited.files.length, 10);
    assert.equal(limited.truncated, 'stopped after 10 nginx files');
    const cancelled = await scanNginxFiles(root, { sliceMs: 0, cancelled: () => true });
    assert.equal(cancelled.truncated, 'cancelled');
    assert.ok(cancelled.files.length < 52);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('every file the client gives the nginx language is one the server scans', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8'));
  const lang = manifest.contributes.languages.find((l: { id: string }) => l.id === 'nginx');
  // VS Code globs: ** any folders, * within one name
  const toRe = (g: string) => new RegExp('(^|/)' + g.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*') + '$');
  const patterns: RegExp[] = [...(lang.filenamePatterns ?? []), ...(lang.filenames ?? [])].map(toRe);
  const samples = [
    '/r/nginx.conf', '/r/site.nginx', '/r/etc/nginx/nginx.conf', '/r/etc/nginx/conf.d/app.conf', '/r/deploy/conf.d/x/app.conf',
    '/r/sites-available/app', '/r/sites-enabled/default', '/r/nginx/templates/default.conf.template',
    '/r/conf.d/app.conf.template', '/r/docker/templates/default.conf.template', '/r/src/app.conf', '/r/templates/page.html',
  ];
  const claimed = samples.filter((f) => patterns.some((re) => re.test(f)));
  assert.ok(claimed.length >= 9, `the manifest's patterns match the nginx samples: ${claimed.join(', ')}`);
  assert.deepEqual(claimed.filter((f) => !isNginxFileName(f)), []);
});
