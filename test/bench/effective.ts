// `node out/test/bench/effective.js`: figures for "Effective configuration, shown" (what an
// inlay hint request costs once the analysis is done), on the generated ~3 MB config and on a
// 5,000-line one. Prints figures, passes or fails nothing.
import { Workspace, DEFAULT_OPTIONS, effectiveViews } from '../../server/src/core/index';
import { MemoryHost } from '../util/fixture';
import { bigConfig } from './gen';

function ms(f: () => void): number {
  const s = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - s) / 1e6;
}

for (const [name, bytes] of [['5,000-line', 5000 * 40], ['3.1 MB', 3.1 * 1024 * 1024]] as const) {
  const text = bigConfig(bytes);
  const ws = new Workspace(new MemoryHost(new Map([['/b/nginx.conf', text]])), DEFAULT_OPTIONS);
  ws.setFiles(['/b/nginx.conf']);
  const analysis = ms(() => ws.analysis());
  let n = 0;
  let d = 0;
  const first = ms(() => { const v = effectiveViews(ws, '/b/nginx.conf'); n = v.proxies.length; d = v.dropped.length; });
  const runs = [0, 1, 2, 3, 4].map(() => ms(() => effectiveViews(ws, '/b/nginx.conf'))).sort((a, b) => a - b);
  console.log(`${name} (${text.split('\n').length} lines, ${n} proxy_pass, ${d} dropped lines): analysis ${analysis.toFixed(0)} ms; effectiveViews first ${first.toFixed(1)} ms, median ${runs[2].toFixed(1)} ms`);
}
