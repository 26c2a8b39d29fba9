import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FrameDecoder,
  FrameError,
  Opcode,
  clientFrame,
  closePayload,
  encodeFrame,
  isWireCloseCode,
  parseClosePayload,
} from './frames';
import type { FrameEvent } from './frames';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const MASK = hex('37fa213d');

/** Feeds the bytes one at a time, to exercise every partial-header path. */
function dribble(dec: FrameDecoder, bytes: Buffer): FrameEvent[] {
  const out: FrameEvent[] = [];
  for (let i = 0; i < bytes.length; i++) out.push(...dec.push(bytes.subarray(i, i + 1)));
  return out;
}

describe('encodeFrame (RFC 6455 section 5.7 examples)', () => {
  it('unmasked single-frame text', () => {
    assert.deepEqual(encodeFrame({ opcode: Opcode.Text, payload: 'Hello' }), hex('810548656c6c6f'));
  });
  it('masked single-frame text', () => {
    assert.deepEqual(encodeFrame({ opcode: Opcode.Text, payload: 'Hello', mask: MASK }), hex('818537fa213d7f9f4d5158'));
  });
  it('fragmented unmasked text', () => {
    assert.deepEqual(encodeFrame({ opcode: Opcode.Text, payload: 'Hel', fin: false }), hex('010348656c'));
    assert.deepEqual(encodeFrame({ opcode: Opcode.Continuation, payload: 'lo' }), hex('80026c6f'));
  });
  it('ping and masked pong', () => {
    assert.deepEqual(encodeFrame({ opcode: Opcode.Ping, payload: 'Hello' }), hex('890548656c6c6f'));
    assert.deepEqual(encodeFrame({ opcode: Opcode.Pong, payload: 'Hello', mask: MASK }), hex('8a8537fa213d7f9f4d5158'));
  });
  it('16-bit length (256 bytes) and 64-bit length (65536 bytes)', () => {
    const f16 = encodeFrame({ opcode: Opcode.Binary, payload: Buffer.alloc(256, 7) });
    assert.deepEqual(f16.subarray(0, 4), hex('827e0100'));
    assert.equal(f16.length, 4 + 256);
    const f64 = encodeFrame({ opcode: Opcode.Binary, payload: Buffer.alloc(65536, 7) });
    assert.deepEqual(f64.subarray(0, 10), hex('827f0000000000010000'));
    assert.equal(f64.length, 10 + 65536);
    // boundaries: 125 fits 7 bits, 126 and 65535 need 16, 65536 needs 64
    assert.equal(encodeFrame({ opcode: 2, payload: Buffer.alloc(125) })[1], 125);
    assert.equal(encodeFrame({ opcode: 2, payload: Buffer.alloc(126) })[1], 126);
    assert.equal(encodeFrame({ opcode: 2, payload: Buffer.alloc(65535) })[1], 126);
    assert.equal(encodeFrame({ opcode: 2, payload: Buffer.alloc(65536) })[1], 127);
  });
  it('client frames are always masked with a fresh mask', () => {
    const a = clientFrame.text('x');
    const b = clientFrame.text('x');
    assert.equal(a[1]! & 0x80, 0x80);
    assert.equal(a.length, 2 + 4 + 1);
    assert.notDeepEqual(a.subarray(2, 6), b.subarray(2, 6)); // 1 in 2^32 chance of a false failure
    const close = clientFrame.close(1000, 'bye');
    assert.equal(close[0], 0x88);
    assert.equal(close[1], 0x80 | 5);
  });
  it('close payload is code + UTF-8 reason', () => {
    assert.deepEqual(closePayload(1000, 'ok'), hex('03e86f6b'));
    assert.deepEqual(closePayload(), Buffer.alloc(0));
    assert.throws(() => closePayload(1000, 'x'.repeat(124)), /123 bytes/);
  });
});

describe('FrameDecoder', () => {
  it('decodes unmasked server frames, in one chunk or byte by byte', () => {
    const bytes = Buffer.concat([hex('810548656c6c6f'), hex('890548656c6c6f'), hex('8a00')]);
    const expected: FrameEvent[] = [
      { type: 'text', data: 'Hello' },
      { type: 'ping', data: Buffer.from('Hello') },
      { type: 'pong', data: Buffer.alloc(0) },
    ];
    assert.deepEqual(new FrameDecoder({ from: 'server' }).push(bytes), expected);
    assert.deepEqual(dribble(new FrameDecoder({ from: 'server' }), bytes), expected);
  });
  it('unmasks client frames', () => {
    const dec = new FrameDecoder({ from: 'client' });
    assert.deepEqual(dec.push(hex('818537fa213d7f9f4d5158')), [{ type: 'text', data: 'Hello' }]);
    assert.equal(dec.frames[0]!.masked, true);
    const round = clientFrame.binary(Buffer.from([1, 2, 3]));
    assert.deepEqual(new FrameDecoder({ from: 'any' }).push(round), [{ type: 'binary', data: Buffer.from([1, 2, 3]) }]);
  });
  it('decodes 16-bit and 64-bit lengths, masked and unmasked', () => {
    for (const size of [126, 256, 65535, 65536, 70000]) {
      const payload = Buffer.alloc(size);
      for (let i = 0; i < size; i++) payload[i] = i % 251;
      for (const mask of [false, true]) {
        const frame = encodeFrame({ opcode: Opcode.Binary, payload, mask });
        const ev = new FrameDecoder({ from: 'any' }).push(frame);
        assert.equal(ev.length, 1);
        assert.equal(ev[0]!.type, 'binary');
        assert.ok((ev[0] as { data: Buffer }).data.equals(payload), `size ${size} mask ${mask}`);
      }
    }
  });
  it('waits for the whole payload', () => {
    const frame = encodeFrame({ opcode: Opcode.Text, payload: 'x'.repeat(300) });
    const dec = new FrameDecoder();
    assert.deepEqual(dec.push(frame.subarray(0, 100)), []);
    assert.equal(dec.pendingBytes, 100);
    assert.deepEqual(dec.push(frame.subarray(100)), [{ type: 'text', data: 'x'.repeat(300) }]);
    assert.equal(dec.pendingBytes, 0);
  });
  it('reassembles fragmented messages with control frames in between', () => {
    const bytes = Buffer.concat([
      encodeFrame({ opcode: Opcode.Text, payload: 'Hel', fin: false }),
      encodeFrame({ opcode: Opcode.Ping, payload: 'p' }),
      encodeFrame({ opcode: Opcode.Continuation, payload: 'lo, ', fin: false }),
      encodeFrame({ opcode: Opcode.Continuation, payload: 'wörld' }),
      encodeFrame({ opcode: Opcode.Binary, payload: Buffer.from([9]), fin: false }),
      encodeFrame({ opcode: Opcode.Continuation, payload: Buffer.from([8]) }),
    ]);
    const dec = new FrameDecoder();
    const ev = dribble(dec, bytes);
    assert.deepEqual(ev, [
      { type: 'ping', data: Buffer.from('p') },
      { type: 'text', data: 'Hello, wörld' },
      { type: 'binary', data: Buffer.from([9, 8]) },
    ]);
    assert.equal(dec.inMessage, false);
  });
  it('a multi-byte character split across fragments is fine', () => {
    const euro = Buffer.from('€');
    const ev = new FrameDecoder().push(
      Buffer.concat([
        encodeFrame({ opcode: Opcode.Text, payload: euro.subarray(0, 1), fin: false }),
        encodeFrame({ opcode: Opcode.Continuation, payload: euro.subarray(1) }),
      ]),
    );
    assert.deepEqual(ev, [{ type: 'text', data: '€' }]);
  });
  it('decodes close frames: code + reason, no payload', () => {
    assert.deepEqual(new FrameDecoder().push(encodeFrame({ opcode: Opcode.Close, payload: closePayload(1011, 'boom') })), [
      { type: 'close', code: 1011, reason: 'boom' },
    ]);
    assert.deepEqual(new FrameDecoder().push(hex('8800')), [{ type: 'close', reason: '' }]);
    assert.deepEqual(parseClosePayload(closePayload(4001, 'é')), { code: 4001, reason: 'é' });
  });

  const rejects = (bytes: Buffer, code: number, re: RegExp, from: 'server' | 'client' | 'any' = 'server') => {
    assert.throws(
      () => new FrameDecoder({ from }).push(bytes),
      (e: unknown) => e instanceof FrameError && e.closeCode === code && re.test(e.message),
    );
  };
  it('rejects protocol violations with the right close code', () => {
    rejects(encodeFrame({ opcode: Opcode.Text, payload: 'x', mask: true }), 1002, /masked/);
    rejects(encodeFrame({ opcode: Opcode.Text, payload: 'x' }), 1002, /unmasked/, 'client');
    rejects(encodeFrame({ opcode: Opcode.Ping, payload: 'x', fin: false }), 1002, /fragmented control/);
    rejects(encodeFrame({ opcode: Opcode.Ping, payload: Buffer.alloc(126) }), 1002, /125/);
    rejects(encodeFrame({ opcode: Opcode.Continuation, payload: 'x' }), 1002, /continuation/);
    rejects(
      Buffer.concat([
        encodeFrame({ opcode: Opcode.Text, payload: 'a', fin: false }),
        encodeFrame({ opcode: Opcode.Text, payload: 'b' }),
      ]),
      1002,
      /inside a fragmented/,
    );
    rejects(encodeFrame({ opcode: 0x3, payload: '' }), 1002, /reserved opcode/);
    rejects(encodeFrame({ opcode: Opcode.Text, payload: 'x', rsv: 4 }), 1002, /reserved bits/);
    rejects(encodeFrame({ opcode: Opcode.Text, payload: Buffer.from([0xff, 0xfe]) }), 1007, /UTF-8/);
    rejects(hex('880103'), 1002, /1-byte/);
    rejects(encodeFrame({ opcode: Opcode.Close, payload: closePayload(1005) }), 1002, /invalid code 1005/);
    rejects(encodeFrame({ opcode: Opcode.Close, payload: closePayload(999) }), 1002, /invalid code/);
    rejects(hex('827f8000000000000000'), 1002, /high bit/);
  });
  it('enforces the message size limit, also across fragments', () => {
    const dec = () => new FrameDecoder({ from: 'server', maxMessageBytes: 100 });
    assert.throws(() => dec().push(hex('827f0000000100000000')), (e: unknown) => (e as FrameError).closeCode === 1009);
    assert.throws(
      () =>
        dec().push(
          Buffer.concat([
            encodeFrame({ opcode: Opcode.Binary, payload: Buffer.alloc(60), fin: false }),
            encodeFrame({ opcode: Opcode.Continuation, payload: Buffer.alloc(60) }),
          ]),
        ),
      (e: unknown) => (e as FrameError).closeCode === 1009,
    );
  });
  it('knows which close codes may travel in a frame', () => {
    for (const c of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999]) {
      assert.equal(isWireCloseCode(c), true, String(c));
    }
    for (const c of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000]) assert.equal(isWireCloseCode(c), false, String(c));
  });
});
