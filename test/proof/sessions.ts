// A backend that keeps sessions the way Engine.IO (Socket.IO's transport) does, for the sticky
// session proof. Minimal and strict, on 127.0.0.1 only:
//   GET  /socket.io/?EIO=4&transport=polling          → 200 `0{"sid":…}` (a new session, kept here)
//   GET  /socket.io/?EIO=4&transport=polling&sid=S    → 200 `6` (noop) when S is this backend's,
//                                                      else 400 {"code":1,"message":"Session ID unknown"}
//   GET  /socket.io/?EIO=4&transport=websocket&sid=S  → the RFC 6455 handshake and an echo when S is
//                                                      this backend's, else the same 400
//   any other path                                    → 404 (the app's own routes, not Engine.IO's)
// Every answer carries `X-Backend: <name>`, so the proof can say which backend answered.
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { acceptOf, closer, echoFrames, listen, track } from './backends';

export const SESSION_UNKNOWN = '{"code":1,"message":"Session ID unknown"}';

export interface SessionSeen {
  method: string;
  url: string;
  status: number;
}

export interface SessionBackend {
  name: string;
  address: string;
  seen: SessionSeen[];
  close(): Promise<void>;
}

export async function startSessionBackend(name: string, path = '/socket.io/'): Promise<SessionBackend> {
  const sessions = new Set<string>();
  const seen: SessionSeen[] = [];
  const sockets = new Set<Duplex>();
  const answer = (res: http.ServerResponse, req: http.IncomingMessage, status: number, body: string, type = 'text/plain; charset=UTF-8') => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', status });
    res.writeHead(status, { 'Content-Type': type, 'X-Backend': name, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://backend');
    if (u.pathname !== path) return answer(res, req, 404, `Cannot ${req.method} ${u.pathname}\n`);
    if (u.searchParams.get('EIO') !== '4') return answer(res, req, 400, '{"code":5,"message":"Unsupported protocol version"}', 'application/json');
    if (u.searchParams.get('transport') !== 'polling') return answer(res, req, 400, '{"code":0,"message":"Transport unknown"}', 'application/json');
    const sid = u.searchParams.get('sid');
    if (sid === null) {
      const id = randomBytes(15).toString('base64url');
      sessions.add(id);
      return answer(res, req, 200, '0' + JSON.stringify({ sid: id, upgrades: ['websocket'], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6 }));
    }
    if (!sessions.has(sid)) return answer(res, req, 400, SESSION_UNKNOWN, 'application/json');
    return answer(res, req, 200, '6');
  });
  track(server, sockets);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const u = new URL(req.url ?? '/', 'http://backend');
    const sid = u.searchParams.get('sid');
    const key = req.headers['sec-websocket-key'];
    const ok = u.pathname === path && u.searchParams.get('transport') === 'websocket' && (sid === null || sessions.has(sid)) && typeof key === 'string' && (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    seen.push({ method: 'UPGRADE', url: req.url ?? '', status: ok ? 101 : 400 });
    if (!ok) {
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-Backend: ${name}\r\nContent-Length: ${SESSION_UNKNOWN.length}\r\nConnection: close\r\n\r\n${SESSION_UNKNOWN}`);
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Backend: ${name}\r\nSec-WebSocket-Accept: ${acceptOf(key)}\r\n\r\n`);
    echoFrames(socket, head);
  });
  const port = await listen(server);
  return { name, address: `127.0.0.1:${port}`, seen, close: closer(server, sockets) };
}

/** One plain HTTP request through nginx (a new connection each time, as a polling client may). */
export function get(port: number, path: string): Promise<{ status: number; body: string; backend?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, backend: res.headers['x-backend'] as string | undefined }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}
