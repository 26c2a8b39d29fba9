// Maps what went wrong on the wire to what a browser console shows for it (the three
// symptoms of a WebSocket endpoint that is not proxied as WebSocket), with likely causes in
// plain words and the product's rules that explain the nginx side.
import { describeCloseCode } from './closeCodes';

export type RuleId =
  | 'ws-upgrade-header-missing'
  | 'ws-connection-header-missing'
  | 'ws-http-version'
  | 'ws-headers-not-inherited'
  | 'ws-map-missing'
  | 'ws-read-timeout'
  | 'ws-proxy-pass-scheme'
  | 'ws-host-missing'
  | 'ws-sticky-session';

/** One line per rule, for reports. */
export const RULE_TITLES: Readonly<Record<RuleId, string>> = {
  'ws-upgrade-header-missing': 'the location does not pass "proxy_set_header Upgrade $http_upgrade;"',
  'ws-connection-header-missing': 'the location does not pass "proxy_set_header Connection" with "upgrade"',
  'ws-http-version': 'nginx talks HTTP/1.0 to the backend unless "proxy_http_version 1.1;" is set',
  'ws-headers-not-inherited':
    'a proxy_set_header in the location drops all proxy_set_header lines inherited from server/http',
  'ws-map-missing': '"$connection_upgrade" is used without the "map $http_upgrade $connection_upgrade" block',
  'ws-read-timeout': 'proxy_read_timeout (60 s by default) closes WebSocket connections that stay idle',
  'ws-proxy-pass-scheme': 'proxy_pass uses the wrong scheme or port for the backend (http:// vs https://)',
  'ws-host-missing': 'without "proxy_set_header Host $http_host;" the backend sees nginx\'s own address as Host, not the Origin\'s host',
  'ws-sticky-session': 'an upstream of several servers without ip_hash/hash sends a session\'s next request to another server',
};

export const RULE_DOCS_BASE = 'https://github.com/nginx-websocket/nginx-websocket/blob/main/docs/rules/';
export function ruleDocUrl(id: RuleId): string {
  return `${RULE_DOCS_BASE}${id}.md`;
}

/** What went wrong, as the probe observed it. */
export type Failure =
  /** No HTTP answer: DNS, refused, reset, TLS failure, or the peer closed before answering. */
  | {
      kind: 'connect-error';
      stage: 'dns' | 'connect' | 'tls' | 'handshake';
      /** Node's error code when there is one (ECONNREFUSED, ENOTFOUND, ECONNRESET, CERT_HAS_EXPIRED…). */
      code?: string;
      message: string;
      /** wss:// (changes the advice for a connection closed without an answer). */
      secure?: boolean;
    }
  /** Something answered, but not with HTTP. */
  | { kind: 'not-http'; firstLine: string; secure: boolean }
  /** An HTTP answer that is not a valid 101. */
  | {
      kind: 'response';
      status: number;
      /** The failed handshake checks ('upgrade', 'connection', 'accept', …) when status is 101. */
      failedChecks?: string[];
      location?: string;
      /** The start of the response body, used to recognise nginx's own error pages. */
      body?: string;
      server?: string;
      secure: boolean;
    }
  /** The probe's own timeout ran out (or the OS reported ETIMEDOUT). */
  | { kind: 'timeout'; stage: 'connect' | 'tls' | 'handshake' | 'idle' | 'echo' | 'ping' | 'close'; afterMs: number }
  /** After a successful handshake the connection ended with this code (1006: without a close frame). */
  | { kind: 'closed'; code: number; reason?: string; idleMs?: number }
  /** The handshake worked but the message did not come back. */
  | { kind: 'no-echo'; received: number };

export type SymptomId = 'connection-failed' | 'unexpected-response-code' | 'timed-out' | 'closed' | 'no-echo';

export interface Diagnosis {
  symptom: SymptomId;
  /** 1, 2 or 3 for the three browser-console symptoms; undefined for problems after the handshake. */
  number?: 1 | 2 | 3;
  title: string;
  /** What a Chromium console prints for it. */
  browserMessage: string;
  causes: string[];
  rules: RuleId[];
  /** Further things to try. */
  advice: string[];
}

const LAYER7_CAUSE =
  'A proxy, load balancer, CDN or firewall in front of nginx forwards only plain HTTP (layer 7) ' +
  'and drops or rewrites the Upgrade request.';
const LAYER4_ADVICE =
  'To confirm a layer-7 proxy or firewall is at fault, forward the port at layer 4 (plain TCP) ' +
  'instead, or probe nginx (and then the backend) directly from a machine behind it.';

const HEADER_RULES: RuleId[] = [
  'ws-upgrade-header-missing',
  'ws-connection-header-missing',
  'ws-http-version',
  'ws-headers-not-inherited',
  'ws-map-missing',
];
const NGINX_HEADERS_CAUSE =
  'nginx does not forward the upgrade: "Upgrade" and "Connection" are hop-by-hop headers that nginx drops ' +
  'unless the location sets "proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;" and ' +
  '"proxy_set_header Connection "upgrade";" (or $connection_upgrade with its map). The backend then sees a ' +
  'plain HTTP request and refuses it.';

export function classify(f: Failure): Diagnosis {
  switch (f.kind) {
    case 'connect-error':
      return connectionFailed(f);
    case 'not-http':
      return {
        symptom: 'connection-failed',
        number: 1,
        title: 'The server answered, but not with HTTP',
        browserMessage: "WebSocket connection to '…' failed:",
        causes: f.secure
          ? ['The port speaks something other than HTTPS behind TLS.']
          : [
              `The first line back was ${JSON.stringify(f.firstLine.slice(0, 60))}, which is not an HTTP status line.`,
              'The port may expect TLS (use wss://) or belong to a service that is not a web server.',
            ],
        rules: [],
        advice: [LAYER4_ADVICE],
      };
    case 'response':
      return unexpectedResponse(f);
    case 'timeout':
      return timedOut(f);
    case 'closed':
      return closed(f);
    case 'no-echo':
      return {
        symptom: 'no-echo',
        title: 'The handshake worked, but the test message did not come back',
        browserMessage: 'No console error: the socket is open but onmessage never fires for the reply.',
        causes: [
          f.received > 0
            ? `The server sent ${f.received} other message(s) but not the echo: it is not an echo service, which is normal for most applications.`
            : 'The backend is not an echo service (normal for most applications) or ignores this message.',
          'A proxy in between buffers or holds frames instead of streaming them.',
        ],
        rules: [],
        advice: ['Probe without --message to check only the handshake, or send a message your application answers.'],
      };
  }
}

function connectionFailed(f: Extract<Failure, { kind: 'connect-error' }>): Diagnosis {
  const causes: string[] = [];
  const advice: string[] = [];
  const code = f.code ?? '';
  let title = 'The connection failed before any HTTP answer';
  if (f.stage === 'dns' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    title = 'The host name did not resolve';
    causes.push('The host name is misspelt, or DNS has no record for it from this machine.');
  } else if (code === 'ECONNREFUSED') {
    title = 'The connection was refused';
    causes.push(
      'Nothing listens on that host and port: nginx is not running, has no "listen" for this port, or a firewall rejects it.',
      'The URL uses the default port (80 for ws://, 443 for wss://) but the server listens elsewhere.',
    );
  } else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    title = 'The host is unreachable';
    causes.push('There is no network route to the host, or a firewall rejects the traffic.');
  } else if (f.stage === 'tls') {
    title = 'The TLS handshake failed';
    causes.push(...tlsCauses(code, f.message));
  } else if (code === 'ECONNRESET' || code === 'EPIPE') {
    title = 'The connection was reset';
    causes.push(
      f.stage === 'handshake'
        ? 'The server (or something in between) reset the connection after receiving the upgrade request.'
        : 'The connection was reset while it was being opened.',
    );
  } else if (f.stage === 'handshake') {
    title = 'The server closed the connection without answering the upgrade request';
    causes.push('The server accepted the connection, read the upgrade request and closed it without an HTTP answer.');
    if (!f.secure) causes.push('The port may expect TLS (an HTTPS port closes on plain bytes): try wss://.');
  } else {
    causes.push(`The connection failed: ${f.message}`);
  }
  const certProblem = f.stage === 'tls' && /CERT|SELF_SIGNED|UNABLE_TO/.test(code);
  if (f.stage !== 'dns' && code !== 'ENOTFOUND' && code !== 'EAI_AGAIN' && !certProblem) {
    causes.push(LAYER7_CAUSE);
    advice.push(LAYER4_ADVICE);
  }
  return {
    symptom: 'connection-failed',
    number: 1,
    title,
    browserMessage: "WebSocket connection to '…' failed: (with no further message)",
    causes,
    rules: [],
    advice,
  };
}

function tlsCauses(code: string, message: string): string[] {
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF|SELF_SIGNED_CERT_IN_CHAIN/.test(code)) {
    return [
      `The certificate is not trusted (${code}): it is self-signed, or nginx's ssl_certificate lacks the intermediate ` +
        'certificates (use the full chain file).',
      'For a test server, retry with --insecure to check the rest of the path.',
    ];
  }
  if (code === 'CERT_HAS_EXPIRED') return ['The certificate has expired.'];
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return ['The certificate is for a different host name than the one in the URL (check server_name and ssl_certificate).'];
  }
  if (/wrong version number|packet length too long|unknown protocol/i.test(message)) {
    return ['The port does not speak TLS: use ws:// for it, or add "ssl" to nginx\'s "listen" for this port.'];
  }
  return [`The TLS handshake failed: ${message}`];
}

function unexpectedResponse(f: Extract<Failure, { kind: 'response' }>): Diagnosis {
  const s = f.status;
  const causes: string[] = [];
  let rules: RuleId[] = [];
  const advice: string[] = [];
  let browserMessage = `Error during WebSocket handshake: Unexpected response code: ${s}`;
  let title = `The server answered ${s} instead of 101 Switching Protocols`;
  const body = f.body ?? '';
  const fromNginx = /nginx/i.test(f.server ?? '') || /<center>nginx/i.test(body);

  if (s === 101) {
    const failed = f.failedChecks ?? [];
    title = `The server answered 101 but the handshake is invalid (${failed.join(', ') || 'headers'})`;
    browserMessage = failed.includes('accept')
      ? "Error during WebSocket handshake: Incorrect 'Sec-WebSocket-Accept' header value"
      : `Error during WebSocket handshake: invalid ${failed[0] ?? 'response'} header`;
    causes.push(
      'Something between the browser and the backend rewrote or replaced the handshake answer ' +
        '(a proxy that strips or changes Upgrade, Connection or Sec-WebSocket-Accept headers).',
      'The backend computes Sec-WebSocket-Accept wrongly, or nginx uses "proxy_set_header Sec-WebSocket-Key" or ' +
        '"proxy_hide_header" on WebSocket headers.',
      LAYER7_CAUSE,
    );
    rules = ['ws-connection-header-missing', 'ws-upgrade-header-missing'];
    advice.push(LAYER4_ADVICE);
  } else if (s === 400 && /session id unknown/i.test(body)) {
    causes.push(
      'The server does not know the session this request names (Engine.IO/Socket.IO "Session ID unknown"): the request ' +
        'reached another server than the one that opened the session. An upstream of several servers needs ip_hash, hash or sticky.',
    );
    rules = ['ws-sticky-session'];
  } else if (s === 400 || s === 426) {
    if (/plain HTTP request was sent to HTTPS port/i.test(body)) {
      causes.push('A plain-HTTP request reached a TLS port: use wss:// for this endpoint, or fix the port.');
      if (!f.secure) causes.push('If the 400 comes from the backend, nginx\'s proxy_pass should use https:// for it.');
      rules.push('ws-proxy-pass-scheme');
    }
    causes.push(NGINX_HEADERS_CAUSE);
    if (s === 426) {
      causes.push('426 Upgrade Required is what WebSocket servers answer to a plain HTTP request on a WebSocket path.');
    } else {
      causes.push('400 Bad Request is what many WebSocket backends answer when Upgrade/Connection did not arrive.');
    }
    causes.push(
      'A "proxy_set_header" inside the location (for example Host) stops the Upgrade/Connection lines set in server/http from being inherited.',
      LAYER7_CAUSE,
    );
    rules = [...rules, ...HEADER_RULES];
    advice.push(LAYER4_ADVICE);
  } else if (s === 301 || s === 302 || s === 303 || s === 307 || s === 308) {
    const loc = f.location ? ` to ${f.location}` : '';
    causes.push(
      `The server redirects${loc}; browsers do not follow redirects for WebSocket.`,
      /^https:|^wss:/i.test(f.location ?? '') && !f.secure
        ? 'It is the usual http→https redirect: use the wss:// URL directly.'
        : 'Point the client at the final URL (often a missing or extra trailing slash, or http→https).',
    );
  } else if (s === 404) {
    causes.push(
      'No nginx location (or backend route) matches this path: check the location prefix and the path the client uses.',
      'proxy_pass with a URI part (e.g. "proxy_pass http://backend/ws/;") rewrites the path the backend sees.',
    );
  } else if (s === 401 || s === 403) {
    causes.push(
      'The server refused the client: authentication is required, or the backend checks the Origin header ' +
        '(retry with --origin set to the page\'s origin).',
      'nginx access rules (allow/deny, auth_basic) apply to this location.',
      'With an Origin, a 403 from the backend often means it compares Origin with Host: nginx sends its proxy_pass address as Host ' +
        'unless the location sets "proxy_set_header Host $http_host;".',
    );
    rules = ['ws-host-missing'];
  } else if (s === 405) {
    causes.push('The server does not accept GET on this path: it is not the WebSocket endpoint.');
  } else if (s === 502) {
    causes.push(
      'nginx could not get a valid answer from the backend: it is down, listens on another port, or crashed on the request.',
      'proxy_pass uses the wrong scheme for the backend (https:// to a plain ws backend, or http:// to a TLS one).',
      'nginx\'s error_log names the exact upstream error.',
    );
    rules = ['ws-proxy-pass-scheme'];
  } else if (s === 503) {
    causes.push('nginx has no available backend (all upstream servers are marked down) or a rate/connection limit applied.');
  } else if (s === 504) {
    causes.push(
      'nginx reached the backend but it did not answer the upgrade request in time (proxy_connect_timeout / proxy_read_timeout).',
      'The backend is overloaded or blocked.',
    );
    rules = ['ws-read-timeout', 'ws-proxy-pass-scheme'];
  } else if (s === 200) {
    causes.push(
      'The upgrade request was answered as an ordinary page: nginx did not forward it as WebSocket, or the path serves ' +
        'static files / a web app rather than the WebSocket endpoint.',
      NGINX_HEADERS_CAUSE,
      LAYER7_CAUSE,
    );
    rules = [...HEADER_RULES];
    advice.push(LAYER4_ADVICE);
  } else if (s >= 500) {
    causes.push(`The server failed with ${s}; the backend's log or nginx's error_log has the details.`);
  } else {
    causes.push(`The server answered ${s}; it does not treat this URL as a WebSocket endpoint.`);
    causes.push(LAYER7_CAUSE);
    advice.push(LAYER4_ADVICE);
  }
  if (fromNginx && (s === 502 || s === 503 || s === 504)) {
    causes.unshift('The error page comes from nginx itself, so the problem is between nginx and the backend.');
  }
  return { symptom: 'unexpected-response-code', number: 2, title, browserMessage, causes, rules, advice };
}

function timedOut(f: Extract<Failure, { kind: 'timeout' }>): Diagnosis {
  const causes: string[] = [];
  const rules: RuleId[] = [];
  let title = `Timed out after ${f.afterMs} ms`;
  if (f.stage === 'connect' || f.stage === 'tls') {
    title = `Timed out ${f.stage === 'tls' ? 'in the TLS handshake' : 'connecting'} after ${f.afterMs} ms`;
    causes.push('A firewall silently drops the packets, or the host is down or unreachable.');
  } else if (f.stage === 'handshake') {
    title = `No answer to the upgrade request within ${f.afterMs} ms`;
    causes.push(
      'The connection opened but nothing answered the upgrade request: nginx is waiting on a backend that does not answer ' +
        '(nginx gives up after proxy_read_timeout, 60 s by default, with 504).',
      'The port belongs to a service that waits for the client to speak another protocol, or expects TLS (try wss://).',
    );
    rules.push('ws-read-timeout');
  } else if (f.stage === 'close') {
    title = `The server did not answer the close frame within ${f.afterMs} ms`;
    causes.push('The server or a proxy in between does not complete the closing handshake.');
  } else {
    title = `No ${f.stage === 'ping' ? 'pong' : 'echo'} within ${f.afterMs} ms`;
    causes.push('A proxy in between holds frames, or the backend does not answer this kind of frame.');
  }
  causes.push(LAYER7_CAUSE);
  return {
    symptom: 'timed-out',
    number: 3,
    title,
    browserMessage: 'The request timed out',
    causes,
    rules,
    advice: [LAYER4_ADVICE],
  };
}

function closed(f: Extract<Failure, { kind: 'closed' }>): Diagnosis {
  const info = describeCloseCode(f.code);
  const causes = [info.meaning];
  const rules: RuleId[] = [];
  if (f.code === 1006) {
    if (f.idleMs !== undefined && f.idleMs >= 55_000 && f.idleMs <= 65_000) {
      causes.unshift(
        `The connection dropped after about ${Math.round(f.idleMs / 1000)} s without traffic: that is nginx's ` +
          'default proxy_read_timeout (60 s). Raise it for this location, or send pings more often.',
      );
    } else if (f.idleMs !== undefined && f.idleMs >= 95_000 && f.idleMs <= 105_000) {
      causes.unshift(
        `The connection dropped after about ${Math.round(f.idleMs / 1000)} s without traffic: that is Cloudflare's idle limit ` +
          'for proxied WebSockets (100 s), which no nginx setting raises. Send pings more often than that.',
      );
    } else if (f.idleMs !== undefined) {
      causes.unshift(
        `The connection dropped after ${Math.round(f.idleMs / 100) / 10} s without traffic: something on the way closes idle ` +
          "connections: nginx's proxy_read_timeout for this location, or the idle limit of a CDN or load balancer in front " +
          '(an AWS load balancer: 60 s by default). Raise the limit, or send pings more often than that.',
      );
    } else {
      causes.push(
        'nginx closes an idle WebSocket connection when proxy_read_timeout (60 s by default) passes without data; ' +
          'a reload or restart of nginx or of the backend also drops connections.',
      );
    }
    rules.push('ws-read-timeout');
    causes.push(LAYER7_CAUSE);
  } else if (f.code === 1011 || f.code === 1014) {
    causes.push("The backend's log shows the error that made it close the connection.");
  }
  return {
    symptom: 'closed',
    title: `The connection was closed with ${f.code} ${info.name}${f.reason ? ` ("${f.reason}")` : ''}`,
    browserMessage: `No handshake error: the socket opens, then onclose fires with code ${f.code}`,
    causes,
    rules,
    advice: f.code === 1006 ? [LAYER4_ADVICE] : [],
  };
}
