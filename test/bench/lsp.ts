// Keystroke → publishDiagnostics through the real server over stdio: each edit types one
// character (an incremental didChange) and waits for the diagnostics of that version.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspSession, uriOf } from '../lsp/harness';
import { bigConfig } from './gen';

export async function lspLatency(lines: number, samples: number): Promise<{ lines: number; samples: number; p50: number; p99: number; max: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngx-bench-lsp-'));
  const s = LspSession.start();
  try {
    let text = bigConfig(1024 * 1024);
    text = text.split('\n').slice(0, lines - 1).join('\n');
    // close the blocks the cut left open, so the file is a valid config
    text = text.replace(/\n[^\n]*$/, '') + '\n    }\n}\n';
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(file, text);
    const uri = uriOf(file);
    await s.initialize(dir);
    await s.rpc.sendNotification('initialized', {});
    await s.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nginx', version: 1, text } });
    await s.diagnostics(uri, () => true, 30_000);
    // type into a comment on line 1 so the config stays valid
    const times: number[] = [];
    for (let v = 2; v < samples + 2; v++) {
      const started = process.hrtime.bigint();
      const p = s.diagnostics(uri, (_d, pub) => pub.version === v || (pub.version === undefined && Number(process.hrtime.bigint() - started) > 0), 30_000);
      await s.rpc.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: 'x' }],
      });
      await p;
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
    return { lines: text.split('\n').length, samples, p50: q(0.5), p99: q(0.99), max: sorted[sorted.length - 1] };
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
