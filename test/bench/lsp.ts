// Keystroke → publishDiagnostics through the real server over stdio: each edit types one
// character (an incremental didChange) and waits for the diagnostics of that version. The
// server's resident memory is read from /proc at the checkpoints asked for.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspSession, uriOf } from '../lsp/harness';
import { bigConfig } from './gen';

export interface LspFigures {
  lines: number;
  mb: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** ms until the first diagnostics after didOpen. */
  first: number;
  /** Server RSS in MB after the edit counts asked for (0: after opening). */
  rss: { edits: number; mb: number }[];
}

/** A valid config of about `lines` lines (0: the whole 3.1 MB benchmark config). */
export function lspText(lines: number): string {
  if (!lines) return bigConfig(3.1 * 1024 * 1024);
  let text = bigConfig(1024 * 1024);
  text = text.split('\n').slice(0, lines - 1).join('\n');
  // close the blocks the cut left open, so the file is a valid config
  return text.replace(/\n[^\n]*$/, '') + '\n    }\n}\n';
}

function rssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export async function lspLatency(text: string, samples: number, rssAt: number[] = []): Promise<LspFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngx-bench-lsp-'));
  const s = LspSession.start();
  try {
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(file, text);
    const uri = uriOf(file);
    await s.initialize(dir);
    await s.rpc.sendNotification('initialized', {});
    const opened = process.hrtime.bigint();
    await s.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nginx', version: 1, text } });
    await s.diagnostics(uri, () => true, 120_000);
    const first = Number(process.hrtime.bigint() - opened) / 1e6;
    const rss: LspFigures['rss'] = [];
    if (rssAt.includes(0)) rss.push({ edits: 0, mb: rssMb(s.child.pid) });
    // type, one key at a time, alternately into the comment on line 1 and into a server_name in
    // the middle of the file (the config stays valid; a name that grows is still a name)
    const lines = text.split('\n');
    let mid = Math.floor(lines.length / 2);
    while (mid < lines.length && !/^\s*server_name \S+/.test(lines[mid])) mid++;
    const midAt = mid < lines.length ? /^\s*server_name \S+/.exec(lines[mid])![0].length : -1;
    const at = (v: number) => (v % 2 === 0 || midAt < 0 ? { line: 0, character: 1 } : { line: mid, character: midAt });
    const times: number[] = [];
    for (let v = 2; v < samples + 2; v++) {
      const started = process.hrtime.bigint();
      const p = s.diagnostics(uri, (_d, pub) => pub.version === v || (pub.version === undefined && Number(process.hrtime.bigint() - started) > 0), 120_000);
      await s.rpc.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: at(v), end: at(v) }, text: 'x' }],
      });
      await p;
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (rssAt.includes(v - 1)) rss.push({ edits: v - 1, mb: rssMb(s.child.pid) });
    }
    const sorted = [...times].sort((a, b) => a - b);
    const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
    return { lines: text.split('\n').length, mb: Buffer.byteLength(text) / 1048576, samples, p50: q(0.5), p99: q(0.99), max: sorted[sorted.length - 1], first, rss };
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
