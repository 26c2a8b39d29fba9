import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { WebSocketServer } from 'ws';
import { PROBE_USAGE, UsageError, parseProbeArgs, probeCommand } from './cli';
import type { ProbeReport } from './probe';

describe('parseProbeArgs', () => {
  it('reads every option, in both --opt value and --opt=value forms', () => {
    assert.deepEqual(
      parseProbeArgs([
        'wss://h/ws',
        '--timeout',
        '250',
        '--origin=https://h',
        '--insecure',
        '--message',
        'hi there',
        '--ping',
        '--idle',
        '65',
        '--json',
        '--header',
        'Cookie: a=b',
      ]),
      {
        url: 'wss://h/ws',
        timeoutMs: 250,
        origin: 'https://h',
        insecure: true,
        message: 'hi there',
        ping: true,
        idleMs: 65000,
        json: true,
        headers: [['Cookie', 'a=b']],
      },
    );
    assert.deepEqual(parseProbeArgs(['ws://h']), {
      url: 'ws://h',
      timeoutMs: 5000,
      insecure: false,
      ping: false,
      json: false,
      headers: [],
    });
    assert.equal(parseProbeArgs(['ws://h', '--help']), 'help');
  });
  it('rejects bad usage', () => {
    const bad = (argv: string[], re: RegExp) =>
      assert.throws(() => parseProbeArgs(argv), (e: unknown) => e instanceof UsageError && re.test(e.message));
    bad([], /missing URL/);
    bad(['ws://a', 'ws://b'], /one URL only/);
    bad(['ws://a', '--timeout'], /needs a value/);
    bad(['ws://a', '--timeout', 'soon'], /milliseconds/);
    bad(['ws://a', '--timeout', '0'], /milliseconds/);
    bad(['ws://a', '--insecure=yes'], /takes no value/);
    bad(['ws://a', '--frobnicate'], /unknown option/);
    bad(['ws://a', '--header', 'nocolon'], /Name: value/);
    bad(['ws://a', '--idle', '0'], /--idle wants seconds/);
    bad(['ws://a', '--idle', 'long'], /--idle wants seconds/);
    bad(['ws://a', '--idle', '3601'], /--idle wants seconds/);
    bad(['http://a/'], /use ws:\/\/a\//);
    bad(['https://a/'], /use wss:\/\/a\//);
    bad(['gopher://a/'], /ws:\/\/ or wss:\/\//);
  });
});

describe('probeCommand', () => {
  let wss: WebSocketServer;
  let port = 0;
  before(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    port = (wss.address() as net.AddressInfo).port;
    wss.on('connection', (ws) => ws.on('message', (d, b) => ws.send(d, { binary: b })));
  });
  after(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  });

  const run = async (argv: string[]) => {
    let text = '';
    const code = await probeCommand(argv, (s) => (text += s));
    return { code, text };
  };

  it('usage errors exit 2 with the message and the usage', async () => {
    const { code, text } = await run(['http://127.0.0.1/']);
    assert.equal(code, 2);
    assert.match(text, /^nginx-ws probe: http:\/\/ is not a WebSocket URL; use ws:\/\/127\.0\.0\.1\//);
    assert.ok(text.includes(PROBE_USAGE));
  });
  it('--help exits 0', async () => {
    assert.deepEqual(await run(['--help']), { code: 0, text: PROBE_USAGE });
  });
  it('prints the text report and exits 0 on success', async () => {
    const { code, text } = await run([`ws://127.0.0.1:${port}/`, '--message', 'ping me', '--timeout', '2000']);
    assert.equal(code, 0, text);
    assert.match(text, /^WebSocket probe of ws:\/\/127\.0\.0\.1:\d+\/\nVerdict: OK/);
    assert.match(text, /echo: "ping me" came back/);
  });
  it('--json prints the report as JSON; credentials are hidden', async () => {
    const { code, text } = await run([
      `ws://127.0.0.1:${port}/x?y=1`,
      '--json',
      '--ping',
      '--header',
      'Authorization: Bearer s3cret',
    ]);
    assert.equal(code, 0);
    const r = JSON.parse(text) as ProbeReport;
    assert.equal(r.verdict, 'ok');
    assert.equal(r.target?.path, '/x?y=1');
    assert.equal(r.ping?.ok, true);
    assert.ok(!text.includes('s3cret'));
    assert.match(r.request!, /^Authorization: <hidden>\r$/m);
  });
  it('exits 1 when the check fails', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const free = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const { code, text } = await run([`ws://127.0.0.1:${free}/`]);
    assert.equal(code, 1);
    assert.match(text, /Symptom 1 of 3/);
  });
});
