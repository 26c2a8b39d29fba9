// Completion, signature help and hover on a 5,000-line file, in process, warm (the median of
// 50 requests after 20): what one request costs the language server. Each request re-reads the
// text before the cursor (the cursor is near the end, the worst case). Run alone with
// `npm run build && tsc -p . && node out/test/bench/completion.js`, or as part of `npm run bench`.
import { Workspace, DEFAULT_OPTIONS, argumentCompletions, directiveCompletions, hoverAt, signatureHelp } from '../../server/src/core/index';
import { MemoryHost } from '../util/fixture';
import { bigConfig } from './gen';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function completionFigures(): void {
  // about 5,000 lines of the benchmark config, cut after a whole server, the http block closed
  const lines = bigConfig(1024 * 1024).split('\n');
  let end = 5000;
  while (lines[end - 1] !== '    }') end--;
  const base = `${lines.slice(0, end).join('\n')}\n}\n`;
  // an upstream and a map to be found, then the line being typed, inside the last location
  const head = base.replace('http {', 'http {\n    map $http_upgrade $connection_upgrade { default upgrade; "" close; }\n    upstream chat { server 127.0.0.1:9000; }');
  const cut = head.lastIndexOf('location /ws/ {') + 'location /ws/ {'.length;
  const cases: [string, string, (ws: Workspace, f: string, o: number) => unknown][] = [
    ['directive names in a location', '        proxy_‸', (ws, f, o) => directiveCompletions(ws, f, o)?.length],
    ['enum values (proxy_buffering ‸)', '        proxy_buffering ‸', (ws, f, o) => argumentCompletions(ws, f, o)?.length],
    ['variables after $', '        add_header X-A $‸', (ws, f, o) => argumentCompletions(ws, f, o)?.length],
    ['proxy_set_header Connection ‸', '        proxy_set_header Connection ‸', (ws, f, o) => argumentCompletions(ws, f, o)?.length],
    ['upstreams after proxy_pass http://', '        proxy_pass http://‸', (ws, f, o) => argumentCompletions(ws, f, o)?.length],
    ['signature help (listen-like)', '        proxy_set_header Upgrade ‸', (ws, f, o) => signatureHelp(ws, f, o)?.signatures.length],
    ['hover on a directive', '        proxy_read_tim‸eout 60s;', (ws, f, o) => hoverAt(ws, f, o, () => '')?.markdown.length],
  ];
  console.log(`completion, signature help, hover on a ${base.split('\n').length}-line file (warm median of 50; items):`);
  for (const [what, line, run] of cases) {
    const text = `${head.slice(0, cut)}\n    ${line}${head.slice(cut)}`;
    const offset = text.indexOf('‸');
    const clean = text.replace('‸', '');
    const ws = new Workspace(new MemoryHost(new Map([['/b/nginx.conf', clean]])), DEFAULT_OPTIONS);
    ws.setFiles(['/b/nginx.conf']);
    ws.findings('/b/nginx.conf');
    let n: unknown;
    for (let i = 0; i < 20; i++) n = run(ws, '/b/nginx.conf', offset);
    const t: number[] = [];
    for (let i = 0; i < 50; i++) {
      const s = process.hrtime.bigint();
      run(ws, '/b/nginx.conf', offset);
      t.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    console.log(`  ${what.padEnd(36)} ${median(t).toFixed(2).padStart(7)} ms   (${String(n)})`);
  }
}

if (require.main === module) completionFigures();
