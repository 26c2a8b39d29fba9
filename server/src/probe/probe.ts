// The endpoint check: opens a real WebSocket connection (plain TCP or TLS, no WebSocket
// library), records every step and classifies whatever goes wrong.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { buildUpgradeRequest, findHeadEnd, headerValue, parseResponseHead, validateResponse } from './handshake';
import type { HandshakeCheck } from './handshake';
import { FrameDecoder, FrameError, clientFrame } from './frames';
import type { FrameEvent } from './frames';
import { describeCloseCode } from './closeCodes';
import { classify } from './symptoms';
import type { Diagnosis, Failure } from './symptoms';

export interface ProbeOptions {
  /** Limit for each step (connect, TLS, handshake, echo, ping, close), in milliseconds. */
  timeoutMs: number;
  /** Origin header to send (browsers always send one; some backends check it). */
  origin?: string;
  /** Accept any certificate for wss:// (self-signed test servers). Off by default; the report says so. */
  insecure?: boolean;
  /** Send this text message after the handshake and expect it back. */
  message?: string;
  /** Send a ping after the handshake and expect the pong. */
  ping?: boolean;
  /**
   * Stay silent this long after the handshake (the server's pings are still answered), then go
   * on with the echo and ping: does an idle connection survive nginx's proxy_read_timeout and
   * whatever stands in front? Not limited by timeoutMs.
   */
  idleMs?: number;
  /** Extra request headers (e.g. Cookie, Authorization). */
  headers?: ReadonlyArray<readonly [string, string]>;
  signal?: AbortSignal;
  onProgress?: (step: string) => void;
}

export type ProbeStep = 'connect' | 'tls' | 'handshake' | 'idle' | 'echo' | 'ping' | 'close';

export interface StepTiming {
  step: ProbeStep;
  ms: number;
  ok: boolean;
}

export type ProbeVerdict =
  | 'ok'
  | 'invalid-url'
  | 'connect-failed'
  | 'handshake-failed'
  | 'timeout'
  | 'echo-failed'
  | 'closed'
  | 'protocol-error'
  | 'aborted';

export interface ProbeTarget {
  scheme: 'ws' | 'wss';
  host: string;
  port: number;
  /** Path and query as sent in the request line. */
  path: string;
}

export interface TlsInfo {
  /** Whether the certificate chain and host name were verified (false with `insecure`). */
  verification: boolean;
  /** Whether the certificate would pass verification (also computed when verification is off). */
  authorized: boolean;
  authorizationError?: string;
  protocol?: string;
  servername?: string;
  subject?: string;
  issuer?: string;
  validTo?: string;
}

export interface ProbeResponse {
  statusLine: string;
  httpVersion: string;
  statusCode: number;
  reason: string;
  headers: Array<[string, string]>;
  /** Start of the body of a non-101 answer (nginx error pages say who answered). */
  body?: string;
}

export interface ProbeClose {
  code: number;
  reason: string;
  name: string;
  meaning: string;
  /** Who sent the first close frame; 'network' when the connection ended without one (1006). */
  initiatedBy: 'client' | 'server' | 'network';
}

export interface ProbeReport {
  url: string;
  ok: boolean;
  verdict: ProbeVerdict;
  /** One line: what happened. */
  summary: string;
  startedAt: string;
  target?: ProbeTarget;
  /** True when wss:// certificate verification was switched off (`insecure`). */
  tlsVerificationRelaxed: boolean;
  tls?: TlsInfo;
  /** The upgrade request as sent. */
  request?: string;
  response?: ProbeResponse;
  /** The RFC 6455 checks made on the response. */
  checks: HandshakeCheck[];
  /**
   * `otherMessages`: the first messages that were not the echo (MAX_KEPT_MESSAGES of them, each
   * cut at MAX_KEPT_MESSAGE_CHARS); `otherCount`/`otherBytes`: all of them.
   */
  echo?: { sent: string; received?: string; ok: boolean; otherMessages: string[]; otherCount: number; otherBytes: number; ms?: number };
  /** What a flood of frames made the probe drop instead of keeping (events nobody waited for). */
  dropped?: { messages: number; bytes: number };
  ping?: { ok: boolean; ms?: number };
  /** The idle period (idleMs): whether the connection outlived it, or when it was closed. */
  idle?: { ms: number; survived: boolean; closedAfterMs?: number; serverMessages: number };
  close?: ProbeClose;
  error?: { stage: ProbeStep | 'url'; code?: string; message: string };
  diagnosis?: Diagnosis;
  timings: StepTiming[];
  totalMs: number;
}

/** Parses and checks a ws:// or wss:// URL. Throws with a user-facing message otherwise. */
export function parseTarget(url: string): ProbeTarget & { auth?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(url)} (expected ws://host[:port]/path or wss://…)`);
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    const suggestion = (scheme === 'http' ? 'ws' : 'wss') + url.slice(url.indexOf(':'));
    throw new Error(`${scheme}:// is not a WebSocket URL; use ${suggestion}`);
  }
  if (scheme !== 'ws' && scheme !== 'wss') {
    throw new Error(`unsupported scheme "${scheme}:" — a WebSocket URL starts with ws:// or wss://`);
  }
  if (!u.hostname) throw new Error(`no host in ${JSON.stringify(url)}`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port ? Number(u.port) : scheme === 'wss' ? 443 : 80;
  const target: ProbeTarget & { auth?: string } = {
    scheme,
    host,
    port,
    path: (u.pathname || '/') + u.search,
  };
  if (u.username || u.password) {
    const creds = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    target.auth = 'Basic ' + Buffer.from(creds, 'utf8').toString('base64');
  }
  return target;
}

/** Node's default CAs, plus the operating system's store where this Node can read it. */
function trustStore(): string[] | undefined {
  const get = (tls as unknown as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') return undefined; // Node's default store (bundled + NODE_EXTRA_CA_CERTS)
  try {
    return [...new Set([...get('default'), ...get('system')])];
  } catch {
    return [...tls.rootCertificates];
  }
}

const MAX_HEAD = 64 * 1024;
/** Received bytes not yet decoded past which the socket is paused (a frame may be 16 MiB). */
const MAX_PENDING_BYTES = 32 * 1024 * 1024;
/** Frames decoded while no step waits for them: at most this many are queued, the rest counted. */
const MAX_QUEUED_EVENTS = 1000;
/** Messages other than the echo kept for the report, and how much of each. */
export const MAX_KEPT_MESSAGES = 20;
export const MAX_KEPT_MESSAGE_CHARS = 200;
const OK_CLOSE = new Set([1000, 1001]);

export async function probe(url: string, opts: ProbeOptions): Promise<ProbeReport> {
  return new ProbeRun(url, opts).run();
}

class Timeout {
  constructor(readonly step: ProbeStep) {}
}
class Aborted {}

class ProbeRun {
  private readonly report: ProbeReport;
  private readonly t0 = performance.now();
  private sock?: net.Socket;
  private chunks: Buffer[] = [];
  /** Bytes in `chunks`. */
  private pending = 0;
  private ended = false;
  private sockError?: NodeJS.ErrnoException;
  private readonly listeners = new Set<() => void>();
  private decoder?: FrameDecoder;
  private events: FrameEvent[] = [];
  private serverClose?: { code?: number; reason: string };
  private sentClose = false;

  constructor(
    url: string,
    private readonly opts: ProbeOptions,
  ) {
    this.report = {
      url,
      ok: false,
      verdict: 'aborted',
      summary: '',
      startedAt: new Date().toISOString(),
      tlsVerificationRelaxed: false,
      checks: [],
      timings: [],
      totalMs: 0,
    };
  }

  private progress(s: string): void {
    this.opts.onProgress?.(s);
  }

  private finish(verdict: ProbeVerdict, summary: string, failure?: Failure): ProbeReport {
    this.report.verdict = verdict;
    this.report.ok = verdict === 'ok';
    this.report.summary = summary;
    if (failure) this.report.diagnosis = classify(failure);
    this.report.totalMs = Math.round(performance.now() - this.t0);
    this.sock?.destroy();
    return this.report;
  }

  private time(step: ProbeStep, start: number, ok: boolean): void {
    this.report.timings.push({ step, ms: Math.round((performance.now() - start) * 10) / 10, ok });
  }

  private wake(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves when cond() holds; rejects with Timeout or Aborted. cond is rechecked on every socket event. */
  private waitFor(cond: () => boolean, ms: number, step: ProbeStep): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const signal = this.opts.signal;
      const done = (err?: unknown): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        signal?.removeEventListener('abort', check);
        if (err) reject(err);
        else resolve();
      };
      const check = (): void => {
        if (signal?.aborted) return done(new Aborted());
        let met: boolean;
        try {
          met = cond();
        } catch (e) {
          return done(e); // e.g. a FrameError from the decoder
        }
        if (met) done();
      };
      const timer = setTimeout(() => done(new Timeout(step)), ms);
      this.listeners.add(check);
      signal?.addEventListener('abort', check);
      check();
    });
  }

  private buffered(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    this.pending = this.chunks[0]?.length ?? 0;
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  async run(): Promise<ProbeReport> {
    try {
      return await this.steps();
    } catch (e) {
      if (e instanceof Aborted) return this.finish('aborted', 'Cancelled.');
      throw e;
    }
  }

  private async steps(): Promise<ProbeReport> {
    const { opts, report } = this;
    const timeoutMs = Math.max(1, opts.timeoutMs);
    let target: ProbeTarget & { auth?: string };
    try {
      target = parseTarget(report.url);
    } catch (e) {
      report.error = { stage: 'url', message: (e as Error).message };
      return this.finish('invalid-url', (e as Error).message);
    }
    const { auth, ...shown } = target;
    report.target = shown;
    const secure = target.scheme === 'wss';
    report.tlsVerificationRelaxed = secure && opts.insecure === true;
    if (opts.signal?.aborted) throw new Aborted();

    // Build the request first: bad headers are the caller's error, before any I/O.
    let request;
    try {
      const headers: Array<readonly [string, string]> = [...(opts.headers ?? [])];
      if (auth) headers.push(['Authorization', auth]);
      request = buildUpgradeRequest({
        host: target.host,
        port: target.port,
        path: target.path,
        secure,
        origin: opts.origin,
        headers,
      });
    } catch (e) {
      report.error = { stage: 'url', message: (e as Error).message };
      return this.finish('invalid-url', (e as Error).message);
    }

    // --- connect (and TLS)
    const where = `${net.isIPv6(target.host) ? `[${target.host}]` : target.host}:${target.port}`;
    this.progress(`Connecting to ${where}…`);
    let stage: 'connect' | 'tls' | 'handshake' = 'connect';
    let connected = false;
    let secured = false;
    const servername = net.isIP(target.host) ? undefined : target.host;
    const sock: net.Socket = secure
      ? tls.connect({
          host: target.host,
          port: target.port,
          servername,
          rejectUnauthorized: !opts.insecure,
          ca: trustStore(),
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host: target.host, port: target.port });
    this.sock = sock;
    sock.on('connect', () => {
      connected = true;
      this.wake();
    });
    sock.on('secureConnect', () => {
      secured = true;
      this.wake();
    });
    sock.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.pending += c.length;
      // a flood nobody reads yet: stop reading until the frames are taken (see pump)
      if (this.pending > MAX_PENDING_BYTES) sock.pause();
      this.wake();
    });
    sock.on('end', () => {
      this.ended = true;
      this.wake();
    });
    sock.on('close', () => {
      this.ended = true;
      this.wake();
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      this.sockError ??= e;
      this.ended = true;
      this.wake();
    });

    const connectFailure = (): ProbeReport => {
      const e = this.sockError;
      const code = e?.code;
      const dns = code === 'ENOTFOUND' || code === 'EAI_AGAIN' || (e as { syscall?: string } | undefined)?.syscall === 'getaddrinfo';
      const st = dns ? 'dns' : stage;
      const message = e?.message ?? 'the connection closed';
      report.error = { stage: stage, code, message };
      if (code === 'ETIMEDOUT') {
        return this.finish('timeout', `Timed out connecting to ${where}.`, { kind: 'timeout', stage: 'connect', afterMs: Math.round(performance.now() - this.t0) });
      }
      const summary =
        st === 'tls'
          ? `TLS handshake with ${where} failed: ${message}`
          : st === 'handshake'
            ? code
              ? `The connection to ${where} failed after sending the upgrade request: ${message}`
              : `${where} closed the connection without answering the upgrade request.`
            : `Could not connect to ${where}: ${message}`;
      return this.finish('connect-failed', summary, { kind: 'connect-error', stage: st, code, message, secure });
    };

    let t = performance.now();
    try {
      await this.waitFor(() => connected || this.ended, timeoutMs, 'connect');
    } catch (e) {
      if (e instanceof Timeout) return this.timedOut('connect', t, timeoutMs, `No TCP connection to ${where} within ${timeoutMs} ms.`);
      throw e;
    }
    if (!connected) {
      this.time('connect', t, false);
      return connectFailure();
    }
    this.time('connect', t, true);
    sock.setNoDelay(true);

    if (secure) {
      stage = 'tls';
      this.progress(`TLS handshake${servername ? ` (SNI ${servername})` : ''}…`);
      t = performance.now();
      try {
        await this.waitFor(() => secured || this.ended, timeoutMs, 'tls');
      } catch (e) {
        if (e instanceof Timeout) return this.timedOut('tls', t, timeoutMs, `TLS handshake with ${where} did not finish within ${timeoutMs} ms.`);
        throw e;
      }
      const ts = sock as tls.TLSSocket;
      const cert = secured ? ts.getPeerCertificate() : undefined;
      report.tls = {
        verification: !opts.insecure,
        authorized: secured ? ts.authorized : false,
        authorizationError: secured
          ? ts.authorizationError
            ? String(ts.authorizationError)
            : undefined
          : (this.sockError?.code ?? this.sockError?.message),
        protocol: secured ? (ts.getProtocol() ?? undefined) : undefined,
        servername,
        subject: cert?.subject ? formatDn(cert.subject) : undefined,
        issuer: cert?.issuer ? formatDn(cert.issuer) : undefined,
        validTo: cert?.valid_to,
      };
      this.time('tls', t, secured);
      if (!secured) return connectFailure();
    }

    // --- handshake
    stage = 'handshake';
    this.progress(`Sending upgrade request for ${target.path}…`);
    // The report shows the request as sent, minus credentials.
    report.request = request.text.replace(/^((?:authorization|proxy-authorization|cookie):).*$/gim, '$1 <hidden>');
    t = performance.now();
    sock.write(request.text);
    try {
      await this.waitFor(
        () => this.ended || findHeadEnd(this.buffered()) >= 0 || this.buffered().length > MAX_HEAD,
        timeoutMs,
        'handshake',
      );
    } catch (e) {
      if (e instanceof Timeout) {
        return this.timedOut('handshake', t, timeoutMs, `No answer to the upgrade request within ${timeoutMs} ms.`);
      }
      throw e;
    }
    const buf = this.buffered();
    const headEnd = findHeadEnd(buf);
    if (headEnd < 0) {
      this.time('handshake', t, false);
      const text = buf.toString('latin1');
      if (buf.length > 0 && !text.startsWith('HTTP/')) return this.notHttp(text, secure);
      if (buf.length > MAX_HEAD) return this.notHttp(text, secure);
      return connectFailure();
    }
    let head;
    try {
      head = parseResponseHead(buf.subarray(0, headEnd).toString('latin1'));
    } catch {
      this.time('handshake', t, false);
      return this.notHttp(buf.toString('latin1'), secure);
    }
    this.chunks = [buf.subarray(headEnd)];
    report.response = {
      statusLine: head.statusLine,
      httpVersion: head.httpVersion,
      statusCode: head.statusCode,
      reason: head.reason,
      headers: head.headers,
    };
    const validation = validateResponse(head, request.expectedAccept);
    report.checks = validation.checks;
    this.time('handshake', t, validation.ok);
    if (!validation.ok) {
      if (head.statusCode !== 101) report.response.body = await this.readBody(head, timeoutMs);
      const failed = validation.checks.filter((c) => !c.ok).map((c) => c.id);
      const summary =
        head.statusCode === 101
          ? `The server answered 101 but the handshake is invalid: ${validation.checks.filter((c) => !c.ok).map((c) => c.message).join('; ')}.`
          : `The server answered ${head.statusCode}${head.reason ? ' ' + head.reason : ''} instead of 101 Switching Protocols.`;
      return this.finish('handshake-failed', summary, {
        kind: 'response',
        status: head.statusCode,
        failedChecks: head.statusCode === 101 ? failed : undefined,
        location: headerValue(head, 'Location'),
        body: report.response.body,
        server: headerValue(head, 'Server'),
        secure,
      });
    }
    this.progress('Handshake accepted (101).');

    // --- after the upgrade: frames
    this.decoder = new FrameDecoder({ from: 'server' });
    try {
      this.pump();
      if (opts.idleMs !== undefined && opts.idleMs > 0) {
        const r = await this.idle(opts.idleMs);
        if (r) return r;
      }
      if (opts.message !== undefined) {
        const r = await this.echo(opts.message, timeoutMs);
        if (r) return r;
      }
      if (opts.ping) {
        const r = await this.pingPong(timeoutMs);
        if (r) return r;
      }
      return await this.close(timeoutMs);
    } catch (e) {
      if (e instanceof FrameError) return this.protocolError(e);
      throw e;
    }
  }

  private timedOut(step: ProbeStep, start: number, afterMs: number, summary: string): ProbeReport {
    this.time(step, start, false);
    this.report.error = { stage: step, code: 'TIMEOUT', message: summary };
    return this.finish('timeout', summary, { kind: 'timeout', stage: step, afterMs });
  }

  private notHttp(text: string, secure: boolean): ProbeReport {
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    this.report.error = { stage: 'handshake', message: 'the answer is not HTTP' };
    return this.finish('handshake-failed', 'The server answered, but not with an HTTP response.', {
      kind: 'not-http',
      firstLine,
      secure,
    });
  }

  /** Reads (briefly) the body of a refusal, for the report. */
  private async readBody(head: { headers: Array<[string, string]> }, timeoutMs: number): Promise<string | undefined> {
    const lenHeader = headerValue(head, 'Content-Length');
    const len = lenHeader !== undefined ? Number(lenHeader) : undefined;
    const want = len !== undefined && Number.isFinite(len) ? Math.min(len, 2048) : 2048;
    if (want > 0) {
      try {
        await this.waitFor(() => this.ended || this.buffered().length >= want, Math.min(timeoutMs, 300), 'handshake');
      } catch (e) {
        if (!(e instanceof Timeout)) throw e;
      }
    }
    const body = this.buffered().subarray(0, want).toString('utf8');
    return body === '' ? undefined : body;
  }

  /** Moves received bytes into the decoder and answers pings / close frames as they come. */
  private pump(): void {
    const dec = this.decoder!;
    if (this.chunks.length) {
      const data = this.buffered();
      this.chunks = [];
      this.pending = 0;
      if (this.sock?.isPaused()) this.sock.resume();
      if (data.length) {
        for (const ev of dec.push(data)) {
          if (ev.type === 'ping') this.send(clientFrame.pong(ev.data));
          else if (ev.type === 'close') {
            if (!this.serverClose) {
              this.serverClose = { code: ev.code, reason: ev.reason };
              if (!this.sentClose) {
                this.sentClose = true;
                this.send(clientFrame.close(ev.code));
              }
            }
          } else if (this.events.length < MAX_QUEUED_EVENTS) this.events.push(ev);
          else this.discard(ev);
        }
      }
    }
  }

  /** A message nobody waits for (a flood while closing, say): counted, not kept. */
  private discard(ev: FrameEvent): void {
    if (ev.type !== 'text' && ev.type !== 'binary') return;
    const d = (this.report.dropped ??= { messages: 0, bytes: 0 });
    d.messages++;
    d.bytes += ev.data.length;
  }

  private send(b: Buffer): void {
    if (!this.ended && !this.sock!.destroyed) this.sock!.write(b);
  }

  /** waitFor with the frame pump in front of the condition. */
  private waitFrames(cond: () => boolean, ms: number, step: ProbeStep): Promise<void> {
    return this.waitFor(
      () => {
        this.pump();
        return cond() || this.serverClose !== undefined || this.ended;
      },
      ms,
      step,
    );
  }

  private async echo(message: string, timeoutMs: number): Promise<ProbeReport | undefined> {
    const report = this.report;
    this.progress('Sending a text message and waiting for the echo…');
    const echo: NonNullable<ProbeReport['echo']> = { sent: message, ok: false, otherMessages: [], otherCount: 0, otherBytes: 0 };
    report.echo = echo;
    const t = performance.now();
    if (this.serverClose || this.ended) {
      this.time('echo', t, false);
      return this.closedEarly('echo');
    }
    this.send(clientFrame.text(message));
    const seen = (): boolean => {
      while (this.events.length) {
        const ev = this.events.shift()!;
        if (ev.type === 'text' && ev.data === message) {
          echo.received = ev.data;
          echo.ok = true;
          return true;
        }
        if (ev.type !== 'text' && ev.type !== 'binary') continue;
        echo.otherCount++;
        echo.otherBytes += ev.data.length;
        if (echo.otherMessages.length >= MAX_KEPT_MESSAGES) continue;
        if (ev.type === 'text') echo.otherMessages.push(ev.data.length > MAX_KEPT_MESSAGE_CHARS ? ev.data.slice(0, MAX_KEPT_MESSAGE_CHARS) + '…' : ev.data);
        else echo.otherMessages.push(`<binary, ${ev.data.length} bytes>`);
      }
      return false;
    };
    try {
      await this.waitFrames(seen, timeoutMs, 'echo');
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
      this.time('echo', t, false);
      const summary = `Handshake OK, but the message did not come back within ${timeoutMs} ms.`;
      report.error = { stage: 'echo', code: 'TIMEOUT', message: summary };
      return this.finish('echo-failed', summary, { kind: 'no-echo', received: echo.otherCount });
    }
    echo.ms = Math.round((performance.now() - t) * 10) / 10;
    this.time('echo', t, echo.ok);
    if (echo.ok) {
      this.progress('Echo received.');
      return undefined;
    }
    return this.closedEarly('echo');
  }

  /** Sends nothing for `ms`; the connection must still be open at the end. */
  private async idle(ms: number): Promise<ProbeReport | undefined> {
    const idle: NonNullable<ProbeReport['idle']> = { ms, survived: false, serverMessages: 0 };
    this.report.idle = idle;
    this.progress(`Staying idle for ${seconds(ms)} s…`);
    const t = performance.now();
    const count = (): false => {
      // what the server sends meanwhile is traffic too (an application heartbeat): counted, not kept
      for (const ev of this.events) if (ev.type === 'text' || ev.type === 'binary') idle.serverMessages++;
      this.events = [];
      return false;
    };
    try {
      await this.waitFrames(count, ms, 'idle');
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
    }
    count();
    if (!this.serverClose && !this.ended) {
      idle.survived = true;
      this.time('idle', t, true);
      this.progress(`Still open after ${seconds(ms)} s idle.`);
      return undefined;
    }
    const after = Math.round(performance.now() - t);
    idle.closedAfterMs = after;
    this.time('idle', t, false);
    const close = await this.settleClose(1000);
    const summary = `Handshake OK, but the connection was closed after ${seconds(after)} s without traffic (${close.code} ${close.name}), before the ${seconds(ms)} s idle period ended.`;
    this.report.error = { stage: 'idle', message: `the connection was closed (${close.code} ${close.name}) after ${seconds(after)} s idle` };
    return this.finish('closed', summary, { kind: 'closed', code: close.code, reason: close.reason, idleMs: after });
  }

  private async pingPong(timeoutMs: number): Promise<ProbeReport | undefined> {
    this.progress('Sending a ping…');
    const payload = randomBytes(8);
    const t = performance.now();
    const ping: NonNullable<ProbeReport['ping']> = { ok: false };
    this.report.ping = ping;
    if (this.serverClose || this.ended) {
      this.time('ping', t, false);
      return this.closedEarly('ping');
    }
    this.send(clientFrame.ping(payload));
    const seen = (): boolean => {
      while (this.events.length) {
        const ev = this.events.shift()!;
        if (ev.type === 'pong' && ev.data.equals(payload)) ping.ok = true;
      }
      return ping.ok;
    };
    try {
      await this.waitFrames(seen, timeoutMs, 'ping');
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
      return this.timedOut('ping', t, timeoutMs, `Handshake OK, but no pong within ${timeoutMs} ms.`);
    }
    ping.ms = Math.round((performance.now() - t) * 10) / 10;
    this.time('ping', t, ping.ok);
    return ping.ok ? undefined : this.closedEarly('ping');
  }

  /** The server closed (or the connection ended) while we waited for an echo or pong. */
  private async closedEarly(step: 'echo' | 'ping'): Promise<ProbeReport> {
    const close = await this.settleClose(1000);
    this.report.error = {
      stage: step,
      message: `the connection was closed (${close.code} ${close.name}) before the ${step === 'echo' ? 'echo' : 'pong'} arrived`,
    };
    return this.finish(
      step === 'echo' ? 'echo-failed' : 'closed',
      `Handshake OK, but the server closed the connection with ${close.code} ${close.name} before the ${step === 'echo' ? 'echo' : 'pong'} arrived.`,
      { kind: 'closed', code: close.code, reason: close.reason },
    );
  }

  /** Records the close; waits a little for the TCP connection to end once close frames crossed. */
  private async settleClose(waitMs: number): Promise<ProbeClose> {
    if (this.serverClose && !this.ended) {
      try {
        await this.waitFor(() => this.ended, Math.min(waitMs, 1000), 'close');
      } catch (e) {
        if (!(e instanceof Timeout)) throw e;
      }
    }
    const sc = this.serverClose;
    const code = sc ? (sc.code ?? 1005) : 1006;
    const info = describeCloseCode(code);
    const close: ProbeClose = {
      code,
      reason: sc?.reason ?? '',
      name: info.name,
      meaning: info.meaning,
      initiatedBy: !sc ? 'network' : this.clientInitiatedClose ? 'client' : 'server',
    };
    this.report.close = close;
    return close;
  }

  private clientInitiatedClose = false;

  private async close(timeoutMs: number): Promise<ProbeReport> {
    const t = performance.now();
    if (!this.serverClose && !this.ended) {
      this.progress('Closing with 1000…');
      this.clientInitiatedClose = true;
      this.sentClose = true;
      this.send(clientFrame.close(1000, 'probe done'));
      try {
        await this.waitFrames(() => {
          for (const ev of this.events) this.discard(ev);
          this.events = [];
          return false;
        }, timeoutMs, 'close');
      } catch (e) {
        if (!(e instanceof Timeout)) throw e;
        this.time('close', t, false);
        const summary = `Handshake OK, but the server did not answer the close frame within ${timeoutMs} ms.`;
        this.report.error = { stage: 'close', code: 'TIMEOUT', message: summary };
        return this.finish('timeout', summary, { kind: 'timeout', stage: 'close', afterMs: timeoutMs });
      }
    }
    const close = await this.settleClose(timeoutMs);
    this.time('close', t, OK_CLOSE.has(close.code));
    const extras = [
      this.report.idle?.survived ? `open after ${seconds(this.report.idle.ms)} s idle` : undefined,
      this.report.echo?.ok ? 'echo received' : undefined,
      this.report.ping?.ok ? 'pong received' : undefined,
    ].filter(Boolean);
    const what = `Handshake OK (101)${extras.length ? ', ' + extras.join(', ') : ''}`;
    if (OK_CLOSE.has(close.code)) {
      return this.finish('ok', `${what}; closed with ${close.code} ${close.name}.`);
    }
    this.report.error = {
      stage: 'close',
      message:
        close.code === 1006
          ? 'the connection ended without a close frame'
          : `the server closed with ${close.code} ${close.name}`,
    };
    return this.finish(
      'closed',
      close.code === 1006
        ? `${what}, but the connection ended without a close frame (1006 Abnormal Closure).`
        : `${what}, but the server closed with ${close.code} ${close.name}${close.reason ? ` ("${close.reason}")` : ''}.`,
      { kind: 'closed', code: close.code, reason: close.reason },
    );
  }

  private protocolError(e: FrameError): ProbeReport {
    this.sentClose = true;
    this.send(clientFrame.close(e.closeCode));
    const info = describeCloseCode(e.closeCode);
    this.report.close = { code: e.closeCode, reason: e.message, name: info.name, meaning: info.meaning, initiatedBy: 'client' };
    this.report.error = { stage: 'close', code: 'PROTOCOL', message: e.message };
    return this.finish('protocol-error', `The server broke the WebSocket protocol: ${e.message}.`, {
      kind: 'closed',
      code: e.closeCode,
      reason: e.message,
    });
  }
}

/** Milliseconds as seconds for messages: 1500 → "1.5", 60000 → "60". */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

function formatDn(dn: object): string {
  return Object.entries(dn)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}
