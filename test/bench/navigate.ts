// `node out/test/bench/navigate.js`: figures for navigation and refactoring (prints, asserts
// nothing): on a ~5,000-line and a ~3.1 MB generated config, the first Find All References
// (which builds the root's index), a warm one, a rename of an upstream, Document Highlight,
// folding ranges, selection ranges, document links and semantic tokens.
import { Workspace, DEFAULT_OPTIONS, semanticTokens, documentLinks, foldingRanges, highlightsAt, referencesAt, renameAt, selectionRanges } from '../../server/src/core/index';
import { MemoryHost } from '../util/fixture';
import { bigConfig } from './gen';

function ms(f: () => unknown): number {
  const s = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - s) / 1e6;
}

function median(f: () => unknown, runs = 9): number {
  const t = Array.from({ length: runs }, () => ms(f)).sort((a, b) => a - b);
  return t[Math.floor(runs / 2)];
}

for (const bytes of [190 * 1024, 3.1 * 1024 * 1024]) {
  const text = bigConfig(bytes);
  const file = '/w/nginx.conf';
  const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
  ws.setFiles([file]);
  const analysis = ms(() => ws.analysis());
  const at = text.indexOf('proxy_pass http://app1;') + 'proxy_pass http://'.length + 1;
  const first = ms(() => referencesAt(ws, file, at));
  const n = referencesAt(ws, file, at).length;
  const warm = median(() => referencesAt(ws, file, at));
  const variable = text.indexOf('$connection_upgrade', text.length / 2) + 2;
  const vars = referencesAt(ws, file, variable).length;
  const varWarm = median(() => referencesAt(ws, file, variable));
  const rename = median(() => renameAt(ws, file, at, 'renamed_app'), 5);
  const highlight = median(() => highlightsAt(ws, file, variable));
  const folds = median(() => foldingRanges(ws, file), 5);
  const offsets = [text.length >> 2, text.length >> 1];
  const selection = median(() => selectionRanges(ws, file, offsets));
  const links = median(() => documentLinks(ws, file), 5);
  const semantic = median(() => semanticTokens(ws, file), 5);
  const lines = text.split('\n').length;
  console.log(`${lines} lines, ${(Buffer.byteLength(text) / 1048576).toFixed(2)} MB (analysis ${analysis.toFixed(0)} ms):`);
  console.log(`  references of an upstream (${n}): first ${first.toFixed(1)} ms (builds the index), warm ${warm.toFixed(2)} ms`);
  console.log(`  references of $connection_upgrade (${vars}): warm ${varWarm.toFixed(2)} ms; highlight ${highlight.toFixed(2)} ms`);
  console.log(`  rename of the upstream: ${rename.toFixed(2)} ms`);
  console.log(`  folding ranges: ${folds.toFixed(1)} ms; selection ranges (2 positions): ${selection.toFixed(2)} ms; document links: ${links.toFixed(1)} ms; semantic tokens: ${semantic.toFixed(1)} ms`);
}
