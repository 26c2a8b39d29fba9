// RFC 6455 framing, as pure code: an encoder (client frames are masked) and an incremental
// decoder that reassembles fragmented messages and validates what a peer may send.
import { randomBytes } from 'node:crypto';

export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;
export type OpcodeValue = (typeof Opcode)[keyof typeof Opcode];

export interface FrameSpec {
  opcode: number;
  payload?: Uint8Array | string;
  /** FIN bit; true unless this is a non-final fragment. */
  fin?: boolean;
  /** true: random mask (what a client sends); a 4-byte buffer: that mask; false/omitted: unmasked. */
  mask?: boolean | Uint8Array;
  /** RSV1..3 as a 3-bit number (only for tests of the decoder's checks). */
  rsv?: number;
}

function toBytes(p: Uint8Array | string | undefined): Buffer {
  if (p === undefined) return Buffer.alloc(0);
  return typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
}

/** Encodes one frame: 7-bit, 16-bit or 64-bit length as needed; masks the payload when asked. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = toBytes(spec.payload);
  const len = payload.length;
  const mask = spec.mask === true ? randomBytes(4) : spec.mask instanceof Uint8Array ? Buffer.from(spec.mask) : undefined;
  if (mask && mask.length !== 4) throw new Error('a mask is 4 bytes');
  const extLen = len < 126 ? 0 : len <= 0xffff ? 2 : 8;
  const head = Buffer.alloc(2 + extLen + (mask ? 4 : 0));
  head[0] = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f);
  const maskBit = mask ? 0x80 : 0;
  if (extLen === 0) head[1] = maskBit | len;
  else if (extLen === 2) {
    head[1] = maskBit | 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = maskBit | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!mask) return Buffer.concat([head, payload]);
  mask.copy(head, 2 + extLen);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, body]);
}

/** Payload of a close frame: 2-byte code + UTF-8 reason (at most 123 bytes), or empty when no code. */
export function closePayload(code?: number, reason = ''): Buffer {
  if (code === undefined) return Buffer.alloc(0);
  const r = Buffer.from(reason, 'utf8');
  if (r.length > 123) throw new Error('a close reason is at most 123 bytes');
  const out = Buffer.alloc(2 + r.length);
  out.writeUInt16BE(code, 0);
  r.copy(out, 2);
  return out;
}

/** The frames a client sends (always masked). */
export const clientFrame = {
  text: (s: string): Buffer => encodeFrame({ opcode: Opcode.Text, payload: s, mask: true }),
  binary: (b: Uint8Array): Buffer => encodeFrame({ opcode: Opcode.Binary, payload: b, mask: true }),
  ping: (data: Uint8Array | string = ''): Buffer => encodeFrame({ opcode: Opcode.Ping, payload: data, mask: true }),
  pong: (data: Uint8Array | string = ''): Buffer => encodeFrame({ opcode: Opcode.Pong, payload: data, mask: true }),
  close: (code?: number, reason?: string): Buffer =>
    encodeFrame({ opcode: Opcode.Close, payload: closePayload(code, reason), mask: true }),
};

// ---------------------------------------------------------------------------------------
// Decoding

/** A raw frame as it came off the wire (payload already unmasked). */
export interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

export type FrameEvent =
  | { type: 'text'; data: string }
  | { type: 'binary'; data: Buffer }
  | { type: 'ping'; data: Buffer }
  | { type: 'pong'; data: Buffer }
  /** code undefined when the close frame had no payload (reported as 1005 by browsers). */
  | { type: 'close'; code?: number; reason: string };

/** A violation of RFC 6455 by the peer; `closeCode` is what the receiver should close with. */
export class FrameError extends Error {
  constructor(
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
    this.name = 'FrameError';
  }
}

export interface DecoderOptions {
  /**
   * Whose frames are decoded. 'server': frames a client receives, which must not be masked;
   * 'client': frames a server receives, which must be masked; 'any': accept both.
   */
  from: 'server' | 'client' | 'any';
  /** Largest message (after reassembly) accepted; 16 MiB by default. */
  maxMessageBytes?: number;
}

/** Close codes that may appear in a close frame on the wire (RFC 6455 §7.4, IANA registry). */
export function isWireCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** Parses a close frame's payload. Throws FrameError on a 1-byte payload, a bad code or bad UTF-8. */
export function parseClosePayload(payload: Uint8Array): { code?: number; reason: string } {
  if (payload.length === 0) return { reason: '' };
  if (payload.length === 1) throw new FrameError('close frame with a 1-byte payload', 1002);
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const code = b.readUInt16BE(0);
  if (!isWireCloseCode(code)) throw new FrameError(`close frame with invalid code ${code}`, 1002);
  return { code, reason: strictUtf8(b.subarray(2), 'close reason') };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function strictUtf8(b: Uint8Array, what: string): string {
  try {
    return utf8.decode(b);
  } catch {
    throw new FrameError(`${what} is not valid UTF-8`, 1007);
  }
}

/** At most this many raw frames, and this many payload bytes in all, are kept by a decoder. */
export const MAX_RECORDED_FRAMES = 256;
export const MAX_RECORDED_BYTES = 1024 * 1024;

/**
 * Incremental decoder: feed it bytes as they arrive with push(); it returns the complete
 * events (messages reassembled from fragments, control frames as they come). After a
 * FrameError the decoder is unusable (the connection must be failed).
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = -1;
  private fragmentBytes = 0;
  private failed = false;
  private readonly maxMessageBytes: number;
  /**
   * Raw frames seen, for diagnostics and tests: the first MAX_RECORDED_FRAMES, while their
   * payloads add up to at most MAX_RECORDED_BYTES (a server flooding frames must not grow this).
   */
  readonly frames: Frame[] = [];
  /** Frames decoded but not kept in `frames`, and their payload bytes. */
  readonly unrecorded = { frames: 0, bytes: 0 };
  private recordedBytes = 0;

  constructor(private readonly opts: DecoderOptions = { from: 'server' }) {
    this.maxMessageBytes = opts.maxMessageBytes ?? 16 * 1024 * 1024;
  }

  /** True while a fragmented message has started and not finished. */
  get inMessage(): boolean {
    return this.fragmentOpcode !== -1;
  }

  /** Bytes received but not yet forming a complete frame. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    if (this.failed) throw new FrameError('decoder already failed', 1002);
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const events: FrameEvent[] = [];
    try {
      for (;;) {
        const frame = this.nextFrame();
        if (!frame) break;
        if (this.frames.length < MAX_RECORDED_FRAMES && this.recordedBytes + frame.payload.length <= MAX_RECORDED_BYTES) {
          this.frames.push(frame);
          this.recordedBytes += frame.payload.length;
        } else {
          this.unrecorded.frames++;
          this.unrecorded.bytes += frame.payload.length;
        }
        const ev = this.handle(frame);
        if (ev) events.push(ev);
      }
    } catch (e) {
      this.failed = true;
      throw e;
    }
    return events;
  }

  private nextFrame(): Frame | undefined {
    const b = this.buf;
    if (b.length < 2) return undefined;
    const fin = (b[0]! & 0x80) !== 0;
    const rsv = (b[0]! >> 4) & 7;
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    let len = b[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = b.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      if (big >> 63n) throw new FrameError('64-bit frame length with the high bit set', 1002);
      if (big > BigInt(this.maxMessageBytes)) throw new FrameError(`frame of ${big} bytes is too big`, 1009);
      len = Number(big);
      off = 10;
    }
    // Checks that need only the header, made before waiting for a payload that may never fit.
    if (rsv !== 0) throw new FrameError('reserved bits set without a negotiated extension', 1002);
    if (opcode >= 8) {
      if (!fin) throw new FrameError('fragmented control frame', 1002);
      if (len > 125) throw new FrameError('control frame payload over 125 bytes', 1002);
    }
    if (![0, 1, 2, 8, 9, 10].includes(opcode)) throw new FrameError(`reserved opcode 0x${opcode.toString(16)}`, 1002);
    if (this.opts.from === 'server' && masked) throw new FrameError('server sent a masked frame', 1002);
    if (this.opts.from === 'client' && !masked) throw new FrameError('client sent an unmasked frame', 1002);
    if (len > this.maxMessageBytes) throw new FrameError(`frame of ${len} bytes is too big`, 1009);
    const maskLen = masked ? 4 : 0;
    if (b.length < off + maskLen + len) return undefined;
    let payload: Buffer;
    if (masked) {
      const mask = b.subarray(off, off + 4);
      payload = Buffer.alloc(len);
      for (let i = 0; i < len; i++) payload[i] = b[off + 4 + i]! ^ mask[i & 3]!;
    } else {
      payload = Buffer.from(b.subarray(off, off + len));
    }
    this.buf = b.subarray(off + maskLen + len);
    return { fin, rsv, opcode, masked, payload };
  }

  private handle(f: Frame): FrameEvent | undefined {
    switch (f.opcode) {
      case Opcode.Ping:
        return { type: 'ping', data: f.payload };
      case Opcode.Pong:
        return { type: 'pong', data: f.payload };
      case Opcode.Close:
        return { type: 'close', ...parseClosePayload(f.payload) };
      case Opcode.Continuation:
        if (!this.inMessage) throw new FrameError('continuation frame without a message to continue', 1002);
        return this.addFragment(f);
      default:
        if (this.inMessage) throw new FrameError('new data frame inside a fragmented message', 1002);
        this.fragmentOpcode = f.opcode;
        return this.addFragment(f);
    }
  }

  private addFragment(f: Frame): FrameEvent | undefined {
    this.fragmentBytes += f.payload.length;
    if (this.fragmentBytes > this.maxMessageBytes) {
      throw new FrameError(`message over ${this.maxMessageBytes} bytes`, 1009);
    }
    this.fragments.push(f.payload);
    if (!f.fin) return undefined;
    const data = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
    const opcode = this.fragmentOpcode;
    this.fragments = [];
    this.fragmentOpcode = -1;
    this.fragmentBytes = 0;
    return opcode === Opcode.Text ? { type: 'text', data: strictUtf8(data, 'text message') } : { type: 'binary', data };
  }
}
