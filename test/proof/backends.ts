// The two WebSocket echo backends the proof puts behind nginx, both on 127.0.0.1 only.
//
// - lenient: the `ws` library's WebSocketServer. It accepts an upgrade sent over HTTP/1.0,
//   so it hides a missing `proxy_http_version 1.1`.
// - strict: node:http plus a hand-written RFC 6455 handshake and echo. It refuses what the
//   RFC says a server must refuse (§4.2.1: an HTTP/1.1 GET with `Upgrade: websocket`, a
//   `Connection` header carrying the `upgrade` token, version 13 and a 16-byte key), and
//   answers plain requests with 426 Upgrade Required. It logs what it saw, for the report.
//   With `checkOrigin` it also refuses, with 403, a handshake whose Origin names another host
//   (host and port) than Host, as Tornado (Jupyter), gorilla/websocket or ActionCable do.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createHash } from 'node:crypto';
import { WebSocketServer } from 'ws';

export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptOf(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** What the backend saw of one request. */
export interface Seen {
  httpVersion: string;
  upgrade?: string;
  connection?: string;
  host?: string;
  origin?: string;
  /** X-Forwarded-Proto as received. */
  forwardedProto?: string;
  /** 101, 400, 403 or 426. */
  answered: number;
  reason?: string;
}

export interface Backend {
  kind: 'strict' | 'lenient';
  /** host:port */
  address: string;
  seen: Seen[];
  close(): Promise<void>;
}

function tokens(v: string | undefined): string[] {
  return (v ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
}

export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Closes the server and destroys every socket it still holds (upgraded ones included). */
export function closer(server: http.Server, sockets: Set<Duplex>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

export function track(server: http.Server, sockets: Set<Duplex>): void {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
}

function refuse(socket: Duplex, status: 400 | 403 | 426, reason: string): void {
  const body = reason + '\n';
  const text = status === 400 ? 'Bad Request' : status === 403 ? 'Forbidden' : 'Upgrade Required';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\n` +
      (status === 426 ? 'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' : '') +
      `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Why the strict backend refuses this upgrade request, or undefined when it is a valid one. */
function strictCheck(req: http.IncomingMessage): string | undefined {
  if (req.httpVersion !== '1.1') return `HTTP/${req.httpVersion} request: RFC 6455 requires HTTP/1.1`;
  if (req.method !== 'GET') return `method ${req.method}: the handshake is a GET`;
  if ((req.headers.upgrade ?? '').trim().toLowerCase() !== 'websocket') return `Upgrade is ${JSON.stringify(req.headers.upgrade)}, not websocket`;
  if (!tokens(req.headers.connection).includes('upgrade')) return `Connection is ${JSON.stringify(req.headers.connection)}: no upgrade token`;
  if (req.headers['sec-websocket-version'] !== '13') return `Sec-WebSocket-Version is ${JSON.stringify(req.headers['sec-websocket-version'])}, not 13`;
  const key = req.headers['sec-websocket-key'] ?? '';
  if (!/^[A-Za-z0-9+/]{22}==$/.test(key) || Buffer.from(key, 'base64').length !== 16) return 'Sec-WebSocket-Key is not 16 bytes of base64';
  return undefined;
}

/**
 * Echoes every data frame back unmasked with its opcode and FIN bit (fragmented messages
 * come back fragmented the same way), answers ping with pong and close with close.
 */
export function echoFrames(socket: Duplex, head: Buffer): void {
  let buf = head;
  const onData = (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (buf.length < 2) return;
      const b0 = buf[0];
      const b1 = buf[1];
      const masked = (b1 & 0x80) !== 0;
      let len = b1 & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        const big = buf.readBigUInt64BE(2);
        if (big > 16n * 1024n * 1024n) return void socket.destroy();
        len = Number(big);
        at = 10;
      }
      if (!masked) return void socket.destroy(); // clients must mask (§5.1)
      if (buf.length < at + 4 + len) return;
      const mask = buf.subarray(at, at + 4);
      const payload = Buffer.from(buf.subarray(at + 4, at + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      buf = buf.subarray(at + 4 + len);
      const opcode = b0 & 0x0f;
      if (opcode === 0x8) {
        socket.end(frame(0x80 | 0x8, payload.subarray(0, 125)));
        return;
      }
      socket.write(frame(opcode === 0x9 ? 0x80 | 0xa : b0 & 0x8f, payload));
    }
  };
  socket.on('data', onData);
  if (head.length) onData(Buffer.alloc(0));
}

function frame(b0: number, payload: Buffer): Buffer {
  const n = payload.length;
  const hdr = n < 126 ? Buffer.from([b0, n]) : n < 65536 ? Buffer.from([b0, 126, n >> 8, n & 0xff]) : Buffer.concat([Buffer.from([b0, 127]), u64(n)]);
  return Buffer.concat([hdr, payload]);
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** Why a cross-origin check refuses the handshake: Origin's host[:port] is not Host. */
function originCheck(req: http.IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  if (!origin) return undefined; // not a browser
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `Origin ${JSON.stringify(origin)} is not a URL`;
  }
  if (host.toLowerCase() !== (req.headers.host ?? '').toLowerCase()) return `Origin ${origin} does not match Host ${JSON.stringify(req.headers.host)}: cross-origin WebSocket refused`;
  return undefined;
}

/**
 * The whole-origin check of frameworks that compare Origin with the URL they think they serve
 * (ActionCable's allow_same_origin_as_host: "#{request.protocol}#{request.host_with_port}"),
 * the scheme taken from X-Forwarded-Proto, http when a proxy says nothing.
 */
function schemeOriginCheck(req: http.IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  if (!origin) return undefined;
  const scheme = String(req.headers['x-forwarded-proto'] ?? 'http').split(',')[0].trim().toLowerCase();
  const own = `${scheme}://${(req.headers.host ?? '').toLowerCase()}`;
  if (origin.toLowerCase() !== own) return `Origin ${origin} is not this server's own origin ${own}: cross-origin WebSocket refused`;
  return undefined;
}

export async function startStrictBackend(opts: { checkOrigin?: boolean | 'with-scheme' } = {}): Promise<Backend> {
  const seen: Seen[] = [];
  const sockets = new Set<Duplex>();
  const server = http.createServer((req, res) => {
    // not an upgrade as far as HTTP is concerned (no Upgrade, or Connection without the token)
    seen.push({ httpVersion: req.httpVersion, upgrade: req.headers.upgrade, connection: req.headers.connection, answered: 426, reason: 'not an upgrade request' });
    res.writeHead(426, { Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('WebSocket only: send an upgrade request\n');
  });
  track(server, sockets);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const entry: Seen = { httpVersion: req.httpVersion, upgrade: req.headers.upgrade, connection: req.headers.connection, host: req.headers.host, origin: req.headers.origin, forwardedProto: req.headers['x-forwarded-proto'] as string | undefined, answered: 0 };
    seen.push(entry);
    const why = strictCheck(req);
    if (why) {
      entry.answered = 400;
      entry.reason = why;
      refuse(socket, 400, why);
      return;
    }
    const cross = opts.checkOrigin === 'with-scheme' ? schemeOriginCheck(req) : opts.checkOrigin ? originCheck(req) : undefined;
    if (cross) {
      entry.answered = 403;
      entry.reason = cross;
      refuse(socket, 403, cross);
      return;
    }
    entry.answered = 101;
    const key = req.headers['sec-websocket-key'] as string;
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptOf(key)}\r\n\r\n`);
    echoFrames(socket, head);
  });
  const port = await listen(server);
  return { kind: 'strict', address: `127.0.0.1:${port}`, seen, close: closer(server, sockets) };
}

export async function startLenientBackend(): Promise<Backend> {
  const seen: Seen[] = [];
  const sockets = new Set<Duplex>();
  const server = http.createServer((req, res) => {
    seen.push({ httpVersion: req.httpVersion, upgrade: req.headers.upgrade, connection: req.headers.connection, answered: 426 });
    res.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('WebSocket only\n');
  });
  track(server, sockets);
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => ws.terminate());
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const entry: Seen = { httpVersion: req.httpVersion, upgrade: req.headers.upgrade, connection: req.headers.connection, answered: 0 };
    seen.push(entry);
    // ws answers 400 itself when the request is not a valid upgrade; it never checks the HTTP
    // version. Without verifyClient it decides synchronously.
    wss.handleUpgrade(req, socket, head, (ws) => {
      entry.answered = 101;
      wss.emit('connection', ws, req);
    });
    if (!entry.answered) entry.answered = 400;
  });
  const port = await listen(server);
  const closeServer = closer(server, sockets);
  return {
    kind: 'lenient',
    address: `127.0.0.1:${port}`,
    seen,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await closeServer();
    },
  };
}
