// The opening handshake of RFC 6455, as pure functions: the accept value, the upgrade
// request a client sends, and the checks a client makes on the server's answer.
import { createHash, randomBytes } from 'node:crypto';

/** The fixed GUID that RFC 6455 appends to the client's key before hashing. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)). */
export function acceptFor(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID, 'latin1').digest('base64');
}

/** A fresh Sec-WebSocket-Key: 16 random bytes, base64 (always 24 characters). */
export function newKey(): string {
  return randomBytes(16).toString('base64');
}

export interface UpgradeRequestOptions {
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  port: number;
  /** Request target: path plus query, starting with '/'. */
  path: string;
  /** wss:// (decides which port is the default one and can be left out of Host). */
  secure: boolean;
  /** Sec-WebSocket-Key; a random one when omitted. */
  key?: string;
  origin?: string;
  /** Extra headers, sent after the standard ones, in order. */
  headers?: ReadonlyArray<readonly [string, string]>;
}

export interface UpgradeRequest {
  /** The complete request head, CRLF line ends, ending with the empty line. */
  text: string;
  key: string;
  /** The accept value a correct server must answer with. */
  expectedAccept: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MANAGED = new Set(['host', 'upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version']);

/** The Host header value: brackets around IPv6 literals, the port only when it is not the default. */
export function hostHeader(host: string, port: number, secure: boolean): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return port === (secure ? 443 : 80) ? h : `${h}:${port}`;
}

/** Builds the client's upgrade request. Throws on header names/values that cannot be sent. */
export function buildUpgradeRequest(opts: UpgradeRequestOptions): UpgradeRequest {
  const key = opts.key ?? newKey();
  const path = opts.path === '' ? '/' : opts.path;
  if (!path.startsWith('/') || /[\s\u0000-\u001f\u007f]/.test(path)) {
    throw new Error(`invalid request path ${JSON.stringify(path)}`);
  }
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${hostHeader(opts.host, opts.port, opts.secure)}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
  ];
  if (opts.origin !== undefined) lines.push(`Origin: ${checkValue('Origin', opts.origin)}`);
  for (const [name, value] of opts.headers ?? []) {
    if (!TOKEN.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
    if (MANAGED.has(name.toLowerCase())) throw new Error(`header ${name} is set by the probe itself`);
    lines.push(`${name}: ${checkValue(name, value)}`);
  }
  return { text: lines.join('\r\n') + '\r\n\r\n', key, expectedAccept: acceptFor(key) };
}

function checkValue(name: string, value: string): string {
  if (/[\r\n\u0000]/.test(value)) throw new Error(`header ${name} must not contain line breaks`);
  return value.trim();
}

// ---------------------------------------------------------------------------------------
// The response head

export interface ResponseHead {
  /** The status line as received, e.g. "HTTP/1.1 101 Switching Protocols". */
  statusLine: string;
  httpVersion: string;
  statusCode: number;
  reason: string;
  /** Headers in the order received, names as received. */
  headers: Array<[string, string]>;
}

/** Returns the byte index just past the blank line ending the head, or -1 when not complete yet. */
export function findHeadEnd(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i + 4;
  }
  return -1;
}

/** Parses an HTTP/1.x response head (without the trailing blank line or with it). Throws on garbage. */
export function parseResponseHead(text: string): ResponseHead {
  const lines = text.replace(/\r\n\r\n$/, '').split('\r\n');
  const statusLine = lines[0] ?? '';
  const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
      // obsolete line folding: continue the previous value
      const last = headers[headers.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { statusLine, httpVersion: m[1]!, statusCode: Number(m[2]), reason: m[3] ?? '', headers };
}

/** All values of a header (case-insensitive name), joined with ", " as HTTP allows; undefined when absent. */
export function headerValue(head: Pick<ResponseHead, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = head.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length ? values.join(', ') : undefined;
}

/** Does a comma-separated header value contain this token (case-insensitive)? */
export function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  const t = token.toLowerCase();
  return value.split(',').some((part) => part.trim().toLowerCase() === t);
}

export type HandshakeCheckId = 'status' | 'upgrade' | 'connection' | 'accept' | 'extensions' | 'protocol';

export interface HandshakeCheck {
  id: HandshakeCheckId;
  ok: boolean;
  /** What was found, in words ("Upgrade: websocket", "status 400 Bad Request"). */
  message: string;
}

export interface HandshakeValidation {
  ok: boolean;
  checks: HandshakeCheck[];
}

/**
 * The client-side checks of RFC 6455 §4.1 on a response head. When the status is not 101 only
 * that check is reported: the other headers are irrelevant to a refused upgrade.
 */
export function validateResponse(
  head: ResponseHead,
  expectedAccept: string,
  offered: { extensions?: boolean; protocols?: readonly string[] } = {},
): HandshakeValidation {
  const checks: HandshakeCheck[] = [];
  const status = `${head.statusCode}${head.reason ? ' ' + head.reason : ''}`;
  if (head.statusCode !== 101) {
    checks.push({ id: 'status', ok: false, message: `status ${status}, expected 101 Switching Protocols` });
    return { ok: false, checks };
  }
  checks.push({ id: 'status', ok: true, message: `status ${status}` });

  const upgrade = headerValue(head, 'Upgrade');
  checks.push(
    upgrade === undefined
      ? { id: 'upgrade', ok: false, message: 'Upgrade header missing, expected "websocket"' }
      : upgrade.trim().toLowerCase() === 'websocket'
        ? { id: 'upgrade', ok: true, message: `Upgrade: ${upgrade}` }
        : { id: 'upgrade', ok: false, message: `Upgrade: ${upgrade}, expected "websocket"` },
  );

  const connection = headerValue(head, 'Connection');
  checks.push(
    connection === undefined
      ? { id: 'connection', ok: false, message: 'Connection header missing, expected it to contain "Upgrade"' }
      : hasToken(connection, 'upgrade')
        ? { id: 'connection', ok: true, message: `Connection: ${connection}` }
        : { id: 'connection', ok: false, message: `Connection: ${connection}, expected it to contain "Upgrade"` },
  );

  const accept = headerValue(head, 'Sec-WebSocket-Accept');
  checks.push(
    accept === undefined
      ? { id: 'accept', ok: false, message: `Sec-WebSocket-Accept missing, expected ${expectedAccept}` }
      : accept.trim() === expectedAccept
        ? { id: 'accept', ok: true, message: `Sec-WebSocket-Accept matches the key (${expectedAccept})` }
        : { id: 'accept', ok: false, message: `Sec-WebSocket-Accept is ${accept}, expected ${expectedAccept}` },
  );

  const ext = headerValue(head, 'Sec-WebSocket-Extensions');
  if (ext !== undefined && ext !== '' && !offered.extensions) {
    checks.push({ id: 'extensions', ok: false, message: `server chose extensions the client did not offer: ${ext}` });
  }
  const proto = headerValue(head, 'Sec-WebSocket-Protocol');
  if (proto !== undefined && proto !== '' && !(offered.protocols ?? []).includes(proto)) {
    checks.push({ id: 'protocol', ok: false, message: `server chose a subprotocol the client did not offer: ${proto}` });
  }
  return { ok: checks.every((c) => c.ok), checks };
}
