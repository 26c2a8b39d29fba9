// The LSP base protocol's framing (`Content-Length: N\r\n\r\n` + N bytes) checked before the
// JSON-RPC reader sees it. vscode-jsonrpc's reader loses its place for good after one bad
// header (a length that is not a number, a negative one, a length past what was sent): every
// later request is then read as part of a body and never answered. This guard forwards
// well-formed frames (their body byte for byte, under a plain Content-Length header) and drops
// a malformed one up to the next header.
import { Transform, type TransformCallback } from 'node:stream';

/** Bodies larger than this are refused (a 16 MB file opened in the editor is ~35 MB of JSON). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** Header blocks longer than this without their blank line are garbage. */
const MAX_HEADER_BYTES = 8192;

const HEADER_END = Buffer.from('\r\n\r\n');
/** A header line: its raw CR LF never occurs inside a JSON text (nor in its strings). */
const NEXT_HEADER = /content-length[ \t]*:[ \t]*\d+[ \t]*\r\n/i;

export interface Dropped {
  /** Why the bytes were dropped. */
  reason: string;
  bytes: number;
}

export class FrameGuard extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  /** The current frame's body length once its header was read, and where its body starts. */
  private frame: { length: number; bodyStart: number } | undefined;
  /** How far the current body was already searched for a header that cuts it short. */
  private scanned = 0;

  constructor(private readonly onDrop: (d: Dropped) => void = () => {}) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.pump();
    done();
  }

  private discard(n: number, reason: string): void {
    this.onDrop({ reason, bytes: n });
    this.buf = this.buf.subarray(n);
    this.frame = undefined;
    this.scanned = 0;
  }

  /** Drops everything before the next header block (all but a possible partial header at the end). */
  private resync(from: number, reason: string): void {
    const rest = this.buf.subarray(from).toString('latin1');
    const m = NEXT_HEADER.exec(rest);
    if (m) this.discard(from + m.index, reason);
    else this.discard(Math.max(from, this.buf.length - LOOKBACK), reason); // keep what may be a header's start
  }

  private pump(): void {
    for (;;) {
      if (!this.frame) {
        const end = this.buf.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buf.length > MAX_HEADER_BYTES) this.resync(1, 'a header block without its blank line');
          return;
        }
        const header = this.buf.subarray(0, end).toString('latin1');
        // bytes left over from a dropped frame, right before the next header
        const key = header.toLowerCase().lastIndexOf('content-length');
        if (key > 0 && !HEADER_LINES.test(header.slice(0, key))) {
          this.discard(key, 'bytes outside any message');
          continue;
        }
        let length: number | undefined;
        let bad: string | undefined;
        for (const line of header.split('\r\n')) {
          const colon = line.indexOf(':');
          const name = (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase();
          if (name !== 'content-length') continue;
          const v = line.slice(colon + 1).trim();
          if (!/^\d{1,12}$/.test(v)) bad = `Content-Length "${v.slice(0, 40)}" is not a number`;
          else if (Number(v) > MAX_FRAME_BYTES) bad = `Content-Length ${v} is larger than ${MAX_FRAME_BYTES} bytes`;
          else length = Number(v);
        }
        if (length === undefined) {
          this.resync(end + HEADER_END.length, bad ?? 'a header block without Content-Length');
          continue;
        }
        this.frame = { length, bodyStart: end + HEADER_END.length };
        this.scanned = this.frame.bodyStart;
      }
      const { length, bodyStart } = this.frame;
      // a header inside the body: the length said more than was sent before the next message
      const upTo = Math.min(this.buf.length, bodyStart + length);
      const cut = this.findHeader(upTo);
      if (cut >= 0) {
        this.discard(cut, `a body shorter than its Content-Length ${length}`);
        continue;
      }
      if (this.buf.length < bodyStart + length) return; // wait for the rest
      // the frame again with only its length header: what else the header held, nothing reads
      this.push(Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'latin1'));
      this.push(this.buf.subarray(bodyStart, bodyStart + length));
      this.buf = this.buf.subarray(bodyStart + length);
      this.frame = undefined;
      this.scanned = 0;
    }
  }

  /**
   * Offset of a header that starts inside the current body (before `upTo`), or -1. A header
   * line ends in a raw CR LF, which a JSON text never holds inside a string, and no JSON text
   * has `Content-Length: 12` outside one: a `"Content-Length"` of a configuration is not it.
   */
  private findHeader(upTo: number): number {
    const from = Math.max(this.frame!.bodyStart, this.scanned - 2);
    let i = this.buf.indexOf(CRLF, from);
    while (i >= 0 && i + 2 <= upTo + LOOKBACK) {
      const lo = Math.max(this.frame!.bodyStart, i - LOOKBACK);
      const m = HEADER_LINE.exec(this.buf.subarray(lo, i).toString('latin1'));
      if (m && lo + m.index < upTo) return lo + m.index; // (at upTo it is the next frame's own header)
      i = this.buf.indexOf(CRLF, i + 1);
    }
    this.scanned = Math.min(this.buf.length, upTo + LOOKBACK);
    return -1;
  }
}

const CRLF = Buffer.from('\r\n');
/** Header lines before a Content-Length (Content-Type, say). */
const HEADER_LINES = /^([A-Za-z0-9-]+[ \t]*:[^\r\n]*\r\n)+$/;
/** How far before a CR LF a `Content-Length: N` is looked for. */
const LOOKBACK = 48;
const HEADER_LINE = /content-length[ \t]*:[ \t]*\d+[ \t]*$/i;
