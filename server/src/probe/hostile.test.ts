// A hostile endpoint: escape sequences in what it sends, and a flood of frames. The report
// shows the text with visible escapes and keeps a bounded amount of what arrived.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { probe } from './probe';
import { acceptFor } from './handshake';
import { encodeFrame, Opcode } from './frames';
import { formatReport, reportJson, sanitize } from './report';
import { MAX_KEPT_MESSAGES, MAX_KEPT_MESSAGE_CHARS } from './probe';
import { prng as rng } from '../../../test/util/prng';


/** Text with terminal control sequences spliced in at random places. */
function nasty(rand: () => number, n: number): string {
  const seqs = ['\x1b[2J', '\x1b]0;owned\x07', '\x1b[31m', '\x9b6n', '\r', '\x08\x08', '\u202e', '\x00', '\x7f'];
  let s = '';
  for (let i = 0; i < n; i++) s += rand() < 0.2 ? seqs[Math.floor(rand() * seqs.length)] : String.fromCharCode(97 + Math.floor(rand() * 26));
  return s;
}

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const fresh = process.env.HOSTILE_PROBE_SEED ? Number(process.env.HOSTILE_PROBE_SEED) : Math.floor(Math.random() * 2 ** 31);

describe('a hostile endpoint', () => {
  let server: net.Server;
  let port = 0;
  const sockets = new Set<net.Socket>();
  /** Bytes of frames the server managed to write, per connection. */
  const sent: number[] = [];
  let mode: { seed: number; close: string } = { seed: 1, close: '' };

  before(async () => {
    server = net.createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => {});
      let head = '';
      let flooding = false;
      sock.on('data', (c) => {
        if (flooding) return;
        head += c.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
        const rand = rng(mode.seed);
        sock.write(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            `Sec-WebSocket-Accept: ${acceptFor(key)}\r\nServer: ${nasty(rand, 40).replace(/[\r\n]/g, '')}\r\n\r\n`,
        );
        flooding = true;
        let total = 0;
        sent.push(0);
        const slot = sent.length - 1;
        const pump = () => {
          while (!sock.destroyed) {
            const text = nasty(rand, 500 + Math.floor(rand() * 60_000));
            const frame = encodeFrame({ opcode: Opcode.Text, payload: Buffer.from(text, 'utf8') });
            total += frame.length;
            sent[slot] = total;
            if (!sock.write(frame)) { sock.once('drain', pump); return; }
          }
        };
        pump();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  for (const seed of [7, fresh]) {
    it(`a flood while the echo is awaited: a bounded report, no raw control characters (seed ${seed})`, async () => {
      mode = { seed, close: '' };
      const before = sent.length;
      const r = await probe(`ws://127.0.0.1:${port}/flood`, { timeoutMs: 1500, message: 'hello' });
      const bytes = sent[before] ?? 0;
      assert.equal(r.echo?.ok, false);
      assert.ok(r.echo!.otherCount > MAX_KEPT_MESSAGES, `only ${r.echo!.otherCount} messages arrived (seed ${seed})`);
      assert.ok(r.echo!.otherMessages.length <= MAX_KEPT_MESSAGES);
      assert.ok(r.echo!.otherMessages.every((m) => m.length <= MAX_KEPT_MESSAGE_CHARS + 1));
      const json = reportJson(r);
      // what the report keeps is a small, fixed amount, however much the server sent
      assert.ok(json.length < 200_000, `report of ${json.length} characters for ${bytes} bytes sent`);
      assert.ok(bytes > 4 * json.length, `the server sent only ${bytes} bytes`);
      const text = formatReport(r);
      assert.doesNotMatch(text, UNSAFE, `seed ${seed}: ${JSON.stringify(text.slice(0, 400))}`);
      assert.match(text, /\\x1b|\\u001b/, 'the escape is shown, not dropped');
      assert.match(text, new RegExp(`in all, ${r.echo!.otherBytes} bytes`));
      assert.doesNotMatch(json, /[\u007f-\u009f\u202a-\u202e]/);
      assert.deepEqual(Object.keys(JSON.parse(json)).includes('echo'), true);
    });
  }

  it('a flood while closing is counted, not kept', async () => {
    mode = { seed: 11, close: '' };
    const r = await probe(`ws://127.0.0.1:${port}/flood`, { timeoutMs: 1500 });
    assert.ok(r.dropped && r.dropped.messages > 0, JSON.stringify(r.dropped));
    assert.ok(reportJson(r).length < 200_000);
    assert.match(formatReport(r), new RegExp(`${r.dropped!.messages} more messages \\(${r.dropped!.bytes} bytes\\) arrived while no step waited for them`));
  });

  it('sanitize writes every control character visibly and keeps line feeds and tabs', () => {
    for (let c = 0; c < 0x2070; c++) {
      const ch = String.fromCharCode(c);
      const out = sanitize(`a${ch}b`);
      if (ch === '\n' || ch === '\t') assert.equal(out, `a${ch}b`);
      else if (UNSAFE.test(ch)) assert.match(out, /^a\\(x[0-9a-f]{2}|u[0-9a-f]{4})b$/, `U+${c.toString(16)}`);
    }
  });
});
