// Collects compiled unit tests (out/**/*.test.js) and hands node --test an explicit list:
// Node 20's --test does not expand quoted globs. End-to-end suites are named *.e2e.ts and
// the VS Code suite lives in test/vscode/, so neither is picked up here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'vscode' && name !== 'node_modules') walk(p);
    } else if (name.endsWith('.test.js')) files.push(p);
  }
})('out');
files.sort();
const only = process.argv.slice(2);
const list = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
if (list.length === 0) { console.error('no test files found under out/'); process.exit(1); }
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...list], { stdio: 'inherit' });
process.exit(r.status ?? 1);
