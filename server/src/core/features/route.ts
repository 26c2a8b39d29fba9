// "Which location serves this URL?": nginx's request routing, replayed on the configuration.
// Pure: reads only the Workspace. What it follows, from nginx 1.22's sources:
// - the connection's address and port pick the listen socket (ngx_http_add_listen): a server
//   without `listen` listens on *:80 (8000 when nginx does not run as root); an address listened on
//   exactly keeps its own servers, any other address of the port goes to the wildcard one;
// - the Host header (ngx_http_validate_host: lower-cased, port and a final dot removed; `..`, `/`,
//   controls → 400) picks a server of that socket (ngx_http_find_virtual_server): exact name,
//   then the longest leading wildcard (`*.a.b`, `.a.b` also matching `a.b`), then the longest
//   trailing wildcard (`www.a.*`), then the first matching regex in order of appearance, then
//   the socket's default server (`default_server`, else the first server listening there);
//   names are registered as nginx hashes them: the first to claim a key keeps it ("conflicting
//   server name … ignored"), and `.a.b` claims the exact key a.b as well;
// - the request line is read before the Host: a bad URI is the default server's 400, and
//   merge_slashes is the default server's;
// - the URI is decoded and normalised (ngx_http_parse_complex_uri: %XX, merged slashes, `.` and
//   `..`), then ngx_http_core_find_location runs on the server's locations: the static ones
//   (`=` and prefixes) in nginx's own location tree (same sort, where '/' is the lowest byte,
//   same nesting, same search, so its corner cases too), the regexes in order of appearance
//   unless the longest prefix is `^~`, nested locations looked up inside the one found, and the
//   301 nginx sends for a prefix ending in `/` whose location proxies (`auto_redirect`).
// URIs and names are compared as bytes (each UTF-8 byte one char), as nginx compares them.
import type { Workspace } from '../analysis';
import type { ENode, RootAnalysis } from '../model/tree';
import { own, versionAtLeast, type ProxyBlock } from '../model/effective';
import { upstreamRequest } from '../model/headerList';
import { modelOf } from '../rules/run';
import type { FileId, Span } from '../types';

export interface RouteQuery {
  /** `http://host[:port]/path?args` (also https, ws, wss), or a path alone (`/chat`). */
  url: string;
  /** The Host header sent; default: the URL's host and port. */
  host?: string;
  /** Prefer the configuration that reaches this file (the editor's active file). */
  active?: FileId;
}

export interface RoutePlace {
  file: FileId;
  /** The block directive (from its name to its `}`). */
  span: Span;
  /** `server_name a b` or `location ^~ /static/`. */
  label: string;
}

export interface RouteHeader {
  name: string;
  value: string;
  /** Where it is written; undefined for nginx's built-in default. */
  file?: FileId;
  span?: Span;
  /** The level it comes from: location, server, http… or 'default'. */
  from: string;
}

export interface RouteSetting {
  value: string;
  file?: FileId;
  span?: Span;
  /** The level it comes from, or 'default'. */
  from: string;
}

export interface RouteProxy {
  proxyPass: string;
  file: FileId;
  span: Span;
  /** The headers nginx sends upstream that matter for WebSocket (Upgrade, Connection, Host), plus the rest set. */
  headers: RouteHeader[];
  httpVersion: RouteSetting;
  readTimeout: RouteSetting;
  /** Why the product counts it as a WebSocket endpoint, when it does. */
  intent?: string;
}

export interface RouteResult {
  /** Set when no answer could be given (a URL that does not parse, no configuration). */
  error?: string;
  request: {
    scheme: string;
    /** The address connected to, when the URL names one (an IP, or localhost). */
    address?: string;
    port: number;
    /** The Host header as nginx keeps it (lower case, no port). */
    host: string;
    /** The URI as nginx matches it (decoded, normalised), as text. */
    uri: string;
  };
  /** The configuration used. */
  root?: FileId;
  /** The listen socket: `127.0.0.1:8080`, `*:80`. */
  listen?: string;
  server?: RoutePlace;
  /** How the server was chosen. */
  serverBy?: ServerBy | 'invalid-request';
  location?: RoutePlace;
  /** How the location was chosen: its kind, 'redirect' (auto 301) or 'none' (the server's own settings). */
  locationBy?: '=' | '^~' | 'prefix' | '~' | '~*' | 'redirect' | 'none';
  /** The location chosen is nested inside another. */
  nested?: boolean;
  /** A status nginx answers before any location content runs: 400 (bad Host or URI), 301 (auto redirect). */
  status?: number;
  /** The 301's Location. */
  redirect?: string;
  /** Why this server, then why this location, one step a line. */
  why: string[];
  /** What may still change the outcome (server-level rewrites, `internal`, …). */
  notes: string[];
  /** The effective proxy configuration of the location, when it proxies. */
  proxy?: RouteProxy;
}

// ---------- the request ----------

interface ParsedUrl {
  scheme: string;
  hostPart: string;
  port: number;
  path: string;
}

function parseUrl(url: string): ParsedUrl | string {
  const u = url.trim();
  if (u.startsWith('/')) return { scheme: 'http', hostPart: 'localhost', port: 80, path: u };
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(u);
  if (!m) return `"${url}" is not a URL (http://host[:port]/path) or a path`;
  const scheme = m[1].toLowerCase();
  const defaults: Record<string, number> = { http: 80, ws: 80, https: 443, wss: 443 };
  if (!(scheme in defaults)) return `"${scheme}:" is not http, https, ws or wss`;
  let authority = m[2].replace(/^[^@]*@/, '');
  let port = defaults[scheme];
  const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!pm) return `"${m[2]}" is not a host[:port]`;
  authority = pm[1];
  if (pm[2]) {
    port = Number(pm[2]);
    if (!(port > 0 && port < 65536)) return `port "${pm[2]}" is out of range`;
  }
  if (!authority) return `"${url}" has no host`;
  let path = m[3].replace(/#.*$/s, '');
  if (!path.startsWith('/')) path = '/' + path; // "http://h?x" asks for "/?x"
  return { scheme, hostPart: authority, port, path };
}

/** The bytes of a UTF-8 text, one char each (what nginx compares). */
function bytesOf(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
  return out;
}

/** Bytes back to text for display (invalid UTF-8 shown as %XX). */
function textOf(bytes: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(bytes)) return bytes;
  const arr = Uint8Array.from(bytes, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(arr).replace(/[\x00-\x1f\x7f]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  } catch {
    return [...bytes].map((c) => (c.charCodeAt(0) > 0x7e || c.charCodeAt(0) < 0x21 ? '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0') : c)).join('');
  }
}

/**
 * ngx_http_parse_complex_uri on the request target (path and args, as sent): the URI nginx
 * matches, in bytes, and its args; undefined when nginx answers 400.
 */
export function normalizeUri(target: string, mergeSlashes = true): { uri: string; args?: string } | undefined {
  const raw = bytesOf(target);
  type State = 'usual' | 'slash' | 'dot' | 'dotdot' | 'quoted' | 'quoted2';
  let state: State = 'usual';
  let quotedState: State = 'usual';
  let decoded = 0;
  const u: string[] = [];
  let i = 0;
  let ch = raw[i++];
  const end = raw.length;
  const back = (): boolean => {
    // u -= 4 (the slash before "..", then back to the previous slash)
    let k = u.length - 4;
    for (;;) {
      if (k < 0) return false;
      if (u[k] === '/') { k++; break; }
      k--;
    }
    u.length = k;
    return true;
  };
  const hex = (c: string) => /[0-9a-f]/i.test(c ?? '') ? parseInt(c, 16) : -1;
  const argsFrom = (at: number) => raw.slice(at).replace(/#.*$/s, '');
  while (i <= end) {
    switch (state) {
      case 'usual':
        if (ch === '/') { state = 'slash'; u.push(ch); }
        else if (ch === '%') { quotedState = state; state = 'quoted'; }
        else if (ch === '?') return { uri: u.join(''), args: argsFrom(i) };
        else if (ch === '#') return { uri: u.join('') };
        else u.push(ch);
        ch = raw[i++];
        break;
      case 'slash':
        if (ch === '/') { if (!mergeSlashes) u.push(ch); }
        else if (ch === '.') { state = 'dot'; u.push(ch); }
        else if (ch === '%') { quotedState = state; state = 'quoted'; }
        else if (ch === '?') return { uri: u.join(''), args: argsFrom(i) };
        else if (ch === '#') return { uri: u.join('') };
        else { state = 'usual'; u.push(ch); }
        ch = raw[i++];
        break;
      case 'dot':
        if (ch === '/') { state = 'slash'; u.pop(); }
        else if (ch === '.') { state = 'dotdot'; u.push(ch); }
        else if (ch === '%') { quotedState = state; state = 'quoted'; }
        else if (ch === '?') { u.pop(); return { uri: u.join(''), args: argsFrom(i) }; }
        else if (ch === '#') { u.pop(); return { uri: u.join('') }; }
        else { state = 'usual'; u.push(ch); }
        ch = raw[i++];
        break;
      case 'dotdot':
        if (ch === '/' || ch === '?' || ch === '#') {
          if (!back()) return undefined;
          if (ch === '?') return { uri: u.join(''), args: argsFrom(i) };
          if (ch === '#') return { uri: u.join('') };
          state = 'slash';
        } else if (ch === '%') { quotedState = state; state = 'quoted'; }
        else { state = 'usual'; u.push(ch); }
        ch = raw[i++];
        break;
      case 'quoted': {
        const d = hex(ch);
        if (d < 0) return undefined;
        decoded = d;
        state = 'quoted2';
        ch = raw[i++];
        break;
      }
      case 'quoted2': {
        const d = hex(ch);
        if (d < 0) return undefined;
        const isDigit = ch >= '0' && ch <= '9';
        ch = String.fromCharCode((decoded << 4) + d);
        if (isDigit) {
          if (ch === '%' || ch === '#') { state = 'usual'; u.push(ch); ch = raw[i++]; break; }
          if (ch === '\0') return undefined;
        } else if (ch === '?') { state = 'usual'; u.push(ch); ch = raw[i++]; break; }
        state = quotedState; // the decoded byte goes through the state it interrupted
        break;
      }
    }
  }
  if (state === 'quoted' || state === 'quoted2') return undefined;
  if (state === 'dot') u.pop();
  else if (state === 'dotdot' && !back()) return undefined;
  return { uri: u.join('') };
}

/** ngx_http_validate_host: the host nginx keeps, or undefined for a 400. */
export function normalizeHost(h: string): string | undefined {
  const b = bytesOf(h);
  let dot = b.length;
  let len = b.length;
  let state: 'usual' | 'literal' | 'rest' = 'usual';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    const code = c.charCodeAt(0);
    if (c === '.') { if (dot === i - 1) return undefined; dot = i; }
    else if (c === ':') { if (state === 'usual') { len = i; state = 'rest'; } }
    else if (c === '[') { if (i === 0) state = 'literal'; }
    else if (c === ']') { if (state === 'literal') { len = i + 1; state = 'rest'; } }
    else if (c === '/' || code <= 0x20 || code === 0x7f) return undefined;
  }
  if (dot === len - 1) len--;
  if (len <= 0) return undefined;
  return b.slice(0, len).replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

// ---------- the configuration ----------

interface Listen {
  /** '*' (IPv4 any), '[::]' (IPv6 any), an IPv4 address, '[v6]', or a name. */
  addr: string;
  port: number;
  defaultServer: boolean;
  ssl: boolean;
  node?: ENode;
}

interface Server {
  node: ENode;
  root: RootAnalysis;
  listens: Listen[];
  /** The names as nginx keeps them (lower-cased unless a regex), "" when server_name is absent. */
  names: string[];
  label: string;
}

interface Socket {
  addr: string;
  port: number;
  servers: Server[];
  def: Server;
  /** The default server was named by `default_server` (not just the first). */
  explicitDefault: boolean;
  ssl: boolean;
}

const isV6 = (a: string) => a.startsWith('[');
const isWildcard = (a: string) => a === '*' || a === '[::]';

function normalizeAddr(a: string): string {
  if (a === '' || a === '*' || a === '0.0.0.0') return '*';
  if (a.startsWith('[')) {
    const inner = a.slice(1, -1).toLowerCase();
    return /^[0:]*$/.test(inner) ? '[::]' : `[${inner}]`;
  }
  if (a.toLowerCase() === 'localhost') return '127.0.0.1';
  return a.toLowerCase();
}

/** ngx_http_core_listen's address forms: port, addr, addr:port, *:port, [v6]:port; unix: has none. */
function parseListen(n: ENode): Listen | undefined {
  const a = n.d.arg(0);
  if (!a || a.startsWith('unix:')) return undefined;
  const args = n.d.args.map((w) => w.value);
  const m = /^(\[[^\]]*\]|[^:]*?)(?::(\d+))?$/.exec(a);
  if (!m) return undefined;
  let host = m[1];
  let port = m[2] ? Number(m[2]) : 80;
  if (/^\d+$/.test(host) && !m[2]) { port = Number(host); host = '*'; }
  return { addr: normalizeAddr(host), port, defaultServer: args.includes('default_server') || args.includes('default'), ssl: args.includes('ssl'), node: n };
}

function serverLabel(names: string[], raw: string[]): string {
  return raw.length ? `server_name ${raw.join(' ')}` : names.length && names[0] !== '' ? `server_name ${names.join(' ')}` : 'server (no server_name)';
}

function locationLabel(n: ENode): string {
  return `location ${n.d.args.map((w) => w.raw).join(' ')}`;
}

/** The http-level servers of a root, in order. */
function serversOf(root: RootAnalysis): ENode[] {
  const out: ENode[] = [];
  const walk = (list: ENode[]) => {
    for (const n of list) {
      if (n.d.name === 'server' && n.ctx === 'http' && n.d.block) out.push(n);
      else if (n.d.name === 'http' && n.d.block) walk(n.children);
    }
  };
  walk(root.top);
  return out;
}

/** The configuration to route with: a main one (the one reaching `active` first), else the fragments together. */
function rootsFor(ws: Workspace, active?: FileId): RootAnalysis[] {
  const all = [...ws.analysis().values()];
  const mains = all.filter((r) => r.kind === 'main' && serversOf(r).length);
  const reaching = (list: RootAnalysis[]) => (active === undefined ? [] : list.filter((r) => r.files.has(active) || r.files.has(ws.canonical(active))));
  if (mains.length) return [reaching(mains)[0] ?? mains[0]];
  const frags = all.filter((r) => r.kind === 'fragment' && r.ctx === 'http' && serversOf(r).length);
  return frags;
}

function buildServers(roots: RootAnalysis[]): Server[] {
  const out: Server[] = [];
  for (const root of roots) {
    for (const node of serversOf(root)) {
      const raw: string[] = [];
      const names: string[] = [];
      for (const sn of node.children) {
        if (sn.d.name !== 'server_name') continue;
        for (const w of sn.d.args) {
          raw.push(w.raw);
          names.push(w.value.startsWith('~') ? w.value : w.value.toLowerCase());
        }
      }
      if (!names.length) names.push('');
      const listens = node.children.filter((c) => c.d.name === 'listen').map(parseListen).filter((l): l is Listen => !!l);
      out.push({ node, root, listens, names, label: serverLabel(names, raw) });
    }
  }
  return out;
}

function buildSockets(servers: Server[]): Socket[] {
  const sockets: Socket[] = [];
  const add = (s: Server, l: Listen) => {
    let sock = sockets.find((x) => x.addr === l.addr && x.port === l.port);
    if (!sock) sockets.push((sock = { addr: l.addr, port: l.port, servers: [], def: s, explicitDefault: false, ssl: l.ssl }));
    if (!sock.servers.includes(s)) sock.servers.push(s);
    if (l.defaultServer && !sock.explicitDefault) { sock.def = s; sock.explicitDefault = true; }
    if (l.ssl) sock.ssl = true;
  };
  // listens as the servers are read; a server with none gets *:80 at its closing brace (ngx_http_core_server)
  for (const s of servers) {
    for (const l of s.listens) add(s, l);
    if (!s.node.children.some((c) => c.d.name === 'listen')) add(s, { addr: '*', port: 80, defaultServer: false, ssl: false });
  }
  return sockets;
}

// ---------- regexes ----------

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  xdigit: '0-9A-Fa-f', word: '\\w', punct: '!-\\/:-@\\[-`{-~', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

/** A PCRE pattern as a JS RegExp over byte strings (PCRE's `$` also matches before a final newline). */
export function pcreToRegExp(pattern: string, caseless: boolean): RegExp | undefined {
  let src = bytesOf(pattern);
  let flags = caseless ? 'i' : '';
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes('i')) flags += flags.includes('i') ? '' : 'i';
    if (lead[1].includes('s')) flags += 's';
    if (lead[1].includes('x') || lead[1].includes('m')) return undefined;
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const nx = src[i + 1] ?? '';
      if (!inClass && nx === 'A') out += '^';
      else if (!inClass && nx === 'z') out += '$';
      else if (!inClass && nx === 'Z') out += '(?=\\n?$)';
      else out += c + nx;
      i++;
      continue;
    }
    if (inClass) {
      const px = /^\[:(\w+):\]/.exec(src.slice(i));
      if (px && POSIX[px[1]]) { out += POSIX[px[1]]; i += px[0].length - 1; continue; }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') { out += '^'; i++; }
      if (src[i + 1] === ']') { out += '\\]'; i++; } // a leading ] is literal in PCRE
      continue;
    }
    if (c === '$') { out += '(?=\\n?$)'; continue; }
    if (c === '(' && src.startsWith('(?P<', i)) { out += '(?<'; i += 3; continue; }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch {
    return undefined;
  }
}

// ---------- server selection ----------

export type ServerBy = 'only' | 'exact' | 'leading-wildcard' | 'trailing-wildcard' | 'regex' | 'default';

interface Pick { server: Server; why: string; by: ServerBy }

function pickServer(sock: Socket, host: string): Pick {
  const list = sock.servers;
  const def = (): Pick => ({ server: sock.def, why: `no server_name of ${sockName(sock)} matches "${host}": its default server takes it (${sock.explicitDefault ? 'listen … default_server' : 'the first server listening there'})`, by: 'default' });
  if (list.length === 1) {
    const s = list[0];
    return { server: s, why: `it is the only server listening on ${sockName(sock)}, so it serves every Host there`, by: 'only' };
  }
  // The names go into nginx's hashes in order (ngx_http_server_names, ngx_hash_add_key): a name
  // whose key is taken is "conflicting … ignored". `.a.b` takes the exact key a.b too (even when
  // its wildcard key then turns out to be taken), and shares its wildcard key with `*.a.b`.
  const exact = new Map<string, { s: Server; n: string }>();
  const exactKeys = new Set<string>();
  const head = new Map<string, { s: Server; n: string }>();
  const tail = new Map<string, { s: Server; n: string }>();
  for (const s of list) for (const n of s.names) {
    if (n.startsWith('~')) continue;
    if (n.length > 1 && n.startsWith('.')) {
      const key = n.slice(1);
      if (exactKeys.has(key)) continue;
      exactKeys.add(key);
      if (!head.has(key)) head.set(key, { s, n });
    } else if (n.length > 2 && n.startsWith('*.')) {
      const key = n.slice(2);
      if (!head.has(key)) head.set(key, { s, n });
    } else if (n.length > 2 && n.endsWith('.*')) {
      const key = n.slice(0, -1);
      if (!tail.has(key)) tail.set(key, { s, n });
    } else if (!exactKeys.has(n)) {
      exactKeys.add(n);
      exact.set(n, { s, n });
    }
  }
  const ex = exact.get(host);
  if (ex) return { server: ex.s, why: `server_name ${ex.n} is an exact match for "${host}" (exact names come first)`, by: 'exact' };
  // leading wildcards: the longest matching one (label by label from the end)
  let best: { s: Server; n: string; len: number } | undefined;
  for (const [key, v] of head) {
    const matches = host.endsWith('.' + key) || (v.n.startsWith('.') && host === key);
    if (matches && (!best || key.length > best.len)) best = { ...v, len: key.length };
  }
  if (best) return { server: best.s, why: `no exact server_name; the longest leading wildcard matching "${host}" is ${best.n}`, by: 'leading-wildcard' };
  // trailing wildcards: the longest matching one (label by label from the start)
  best = undefined;
  for (const [key, v] of tail) {
    if (host.startsWith(key) && host.length > key.length && (!best || key.length > best.len)) best = { ...v, len: key.length };
  }
  if (best) return { server: best.s, why: `no exact or leading-wildcard server_name; the longest trailing wildcard matching "${host}" is ${best.n}`, by: 'trailing-wildcard' };
  // 4. regexes, in order of appearance
  for (const s of list) for (const n of s.names) {
    if (!n.startsWith('~') || n.length < 2) continue;
    const pat = n.slice(1);
    const re = pcreToRegExp(pat, /[A-Z]/.test(pat));
    if (re?.test(host)) return { server: s, why: `no exact or wildcard server_name; the first regex matching "${host}" (in order of appearance) is ${n}`, by: 'regex' };
  }
  return def();
}

const sockName = (s: Socket) => `${s.addr}:${s.port}`;

// ---------- location matching ----------

type LocKind = '=' | '^~' | 'prefix' | '~' | '~*' | '@';

interface Loc {
  node: ENode;
  kind: LocKind;
  /** The name as nginx compares it (bytes). */
  name: string;
  regex?: RegExp;
  /** A regex that could not be evaluated here. */
  badRegex?: boolean;
  auto: boolean;
}

interface LevelLocs {
  tree?: TreeNode;
  regexes: Loc[];
}

interface TreeNode {
  /** The name's part after the enclosing nodes' (bytes). */
  name: string;
  exact?: Loc;
  inclusive?: Loc;
  auto: boolean;
  left?: TreeNode;
  right?: TreeNode;
  tree?: TreeNode;
}

const PASSES = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass', 'grpc_pass']);

function locOf(n: ENode): Loc | undefined {
  const a = n.d.args.map((w) => w.value);
  let kind: LocKind;
  let name: string;
  if (a.length === 2) {
    const mod = a[0];
    name = a[1];
    if (mod === '=') kind = '=';
    else if (mod === '^~') kind = '^~';
    else if (mod === '~') kind = '~';
    else if (mod === '~*') kind = '~*';
    else return undefined;
  } else if (a.length === 1) {
    const v = a[0];
    if (v.startsWith('=')) { kind = '='; name = v.slice(1); }
    else if (v.startsWith('^~')) { kind = '^~'; name = v.slice(2); }
    else if (v.startsWith('~*')) { kind = '~*'; name = v.slice(2); }
    else if (v.startsWith('~')) { kind = '~'; name = v.slice(1); }
    else if (v.startsWith('@')) { kind = '@'; name = v; }
    else { kind = 'prefix'; name = v; }
  } else return undefined;
  const bytes = bytesOf(name);
  const auto = bytes.endsWith('/') && n.children.some((c) => PASSES.has(c.d.name));
  if (kind === '~' || kind === '~*') {
    const regex = pcreToRegExp(name, kind === '~*');
    return { node: n, kind, name: bytes, regex, badRegex: !regex, auto };
  }
  return { node: n, kind, name: bytes, auto };
}

const levelCache = new WeakMap<ENode, LevelLocs>();

/** The locations directly inside a server or location, as ngx_http_init_locations arranges them. */
function levelLocs(block: ENode): LevelLocs {
  let l = levelCache.get(block);
  if (l) return l;
  const locs = block.children.filter((c) => c.d.name === 'location' && c.d.block).map(locOf).filter((x): x is Loc => !!x);
  const regexes = locs.filter((x) => x.kind === '~' || x.kind === '~*');
  const statics = locs.filter((x) => x.kind === '=' || x.kind === '^~' || x.kind === 'prefix');
  // ngx_http_cmp_locations: by name (a shorter name first when it prefixes the other), an exact
  // one before the inclusive one of the same name; the queue sort is stable
  const sorted = statics.map((x, i) => ({ x, i })).sort((p, q) => cmpNames(p.x.name, q.x.name) || (p.x.kind === '=' ? 0 : 1) - (q.x.kind === '=' ? 0 : 1) || p.i - q.i).map((p) => p.x);
  // ngx_http_join_exact_locations
  interface Q { name: string; exact?: Loc; inclusive?: Loc; list: Q[] }
  const queue: Q[] = [];
  for (const x of sorted) {
    const last = queue[queue.length - 1];
    if (last && last.name === x.name) {
      if (x.kind === '=' ? !last.exact : !last.inclusive) { if (x.kind === '=') last.exact = x; else last.inclusive = x; }
      continue; // a duplicate location is nginx -t's error; the first is kept
    }
    queue.push({ name: x.name, exact: x.kind === '=' ? x : undefined, inclusive: x.kind === '=' ? undefined : x, list: [] });
  }
  // ngx_http_create_locations_list: the locations an inclusive one prefixes go into its list
  const nest = (items: Q[]): Q[] => {
    const out: Q[] = [];
    for (let i = 0; i < items.length; i++) {
      const q = items[i];
      out.push(q);
      if (!q.inclusive) continue;
      let j = i + 1;
      while (j < items.length && items[j].name.length >= q.name.length && items[j].name.startsWith(q.name)) j++;
      if (j > i + 1) {
        q.list = nest(items.slice(i + 1, j));
        i = j - 1;
      }
    }
    return out;
  };
  // ngx_http_create_locations_tree: the middle element is the node
  const treeOf = (items: Q[], prefix: number): TreeNode | undefined => {
    if (!items.length) return undefined;
    const mid = Math.floor(items.length / 2);
    const q = items[mid];
    return {
      name: q.name.slice(prefix), exact: q.exact, inclusive: q.inclusive,
      auto: !!(q.exact?.auto || q.inclusive?.auto),
      left: treeOf(items.slice(0, mid), prefix),
      right: treeOf(items.slice(mid + 1), prefix),
      tree: treeOf(q.list, q.name.length),
    };
  };
  l = { tree: treeOf(nest(queue), 0), regexes };
  levelCache.set(block, l);
  return l;
}

/** ngx_filename_cmp's order of two bytes: plain, except that '/' is the lowest character. */
function byteOrder(x: number, y: number): number {
  return (x === 0x2f ? 0 : x) - (y === 0x2f ? 0 : y);
}

/** ngx_filename_cmp(a, b, min + 1) on byte strings: a name that prefixes another sorts first. */
function cmpNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(k);
    const y = b.charCodeAt(k);
    if (x !== y) return byteOrder(x, y);
  }
  return a.length - b.length;
}

/** ngx_filename_cmp(a + aFrom, b, n) on byte strings. */
function cmpN(a: string, aFrom: number, b: string, n: number): number {
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(aFrom + k);
    const y = b.charCodeAt(k);
    if (x !== y) return Number.isNaN(x) ? -1 : byteOrder(x, y);
  }
  return 0;
}

type Rc = 'ok' | 'again' | 'declined' | 'done';

/** ngx_http_core_find_static_location. */
function findStatic(uri: string, root: TreeNode | undefined): { rc: Rc; loc?: Loc } {
  let node = root;
  let from = 0;
  let len = uri.length;
  let rv: Rc = 'declined';
  let found: Loc | undefined;
  for (;;) {
    if (!node) return { rc: rv, loc: found };
    const n = Math.min(len, node.name.length);
    const rc = cmpN(uri, from, node.name, n);
    if (rc !== 0) { node = rc < 0 ? node.left : node.right; continue; }
    if (len > node.name.length) {
      if (node.inclusive) {
        found = node.inclusive;
        rv = 'again';
        from += n;
        len -= n;
        node = node.tree;
        continue;
      }
      node = node.right; // exact only
      continue;
    }
    if (len === node.name.length) {
      if (node.exact) return { rc: 'ok', loc: node.exact };
      return { rc: 'again', loc: node.inclusive };
    }
    // len < node's length
    if (len + 1 === node.name.length && node.auto) {
      found = node.exact ?? node.inclusive;
      rv = 'done';
    }
    node = node.left;
  }
}

const nameText = (l: Loc) => textOf(l.name);

/** ngx_http_core_find_location, from the locations of `block`, with its steps in `why`. */
function findLocation(block: ENode, uri: string, why: string[], notes: string[], depth: number): { rc: Rc; loc?: Loc } {
  const inside = depth ? ` inside ${locationLabel(block)}` : '';
  const lv = levelLocs(block);
  let st = findStatic(uri, lv.tree);
  let noregex = false;
  let current = st.loc;
  if (st.rc === 'ok') {
    why.push(`location = ${nameText(st.loc!)}${inside} is an exact match: the search stops there`);
    return st;
  }
  if (st.rc === 'done') {
    why.push(`the URI is ${nameText(st.loc!)} without its final "/", and that location passes requests upstream (${PASSES_TEXT}): nginx answers 301 to add the slash`);
    return st;
  }
  if (st.rc === 'again') {
    const l = st.loc!;
    noregex = l.kind === '^~';
    why.push(`the longest matching prefix${inside} is ${l.kind === '^~' ? '^~ ' : ''}${nameText(l)}${noregex ? ' (^~: the regex locations beside it are not tried)' : ''}`);
    const nested = findLocation(l.node, uri, why, notes, depth + 1);
    if (nested.rc === 'ok' || nested.rc === 'done') return nested;
    if (nested.rc === 'again') current = nested.loc;
    st = { rc: 'again', loc: current };
  }
  if (!noregex && lv.regexes.length) {
    const tried: string[] = [];
    for (const r of lv.regexes) {
      if (r.badRegex) { notes.push(`the regex of ${locationLabel(r.node)} could not be evaluated here; it was taken as not matching`); continue; }
      if (r.regex!.test(uri)) {
        why.push(`${tried.length ? `regex locations${inside} are tried in order (${tried.join(', ')} did not match); ` : `the regex locations${inside} are tried in order; `}${r.kind} ${nameText(r)} matches${current ? ` and wins over the prefix ${nameText(current)}` : ''}`);
        // nested locations of the regex one; whatever they find (even an auto redirect) is served as is
        const nested = findLocation(r.node, uri, why, notes, depth + 1);
        return { rc: 'ok', loc: nested.loc ?? r };
      }
      tried.push(`${r.kind} ${nameText(r)}`);
    }
    if (current) why.push(`no regex location${inside} matches (${tried.join(', ')}): the prefix ${nameText(current)} stays`);
    else why.push(`no prefix and no regex location${inside} matches (tried ${tried.join(', ')})`);
  } else if (!current && depth === 0) {
    why.push('no location matches the URI');
  }
  return st;
}

const PASSES_TEXT = 'proxy_pass and the like';

// ---------- effective proxy configuration ----------

function levelName(n: ENode | undefined): string {
  return n ? n.d.name : 'main';
}

function proxyOf(ws: Workspace, root: RootAnalysis, loc: ENode, notes: string[]): RouteProxy | undefined {
  const model = modelOf(ws, root, ws.options);
  const b: ProxyBlock | undefined = model.proxies.find((p) => p.node === loc);
  if (!b) return undefined;
  const headers: RouteHeader[] = [];
  const from = (i: number) => levelName(b.levels[i]?.node);
  // every line nginx writes, in its order, duplicates included (model/headerList.ts, proven
  // against a real nginx); of nginx's own defaults, the two that matter here (Host, Connection)
  const req = upstreamRequest(b.levels, { http11ByDefault: model.http11ByDefault });
  for (const h of req.headers) {
    if (!h.node) {
      if (h.name === 'Host' || h.name === 'Connection') headers.push({ name: h.name, value: h.value, from: 'default' });
      continue;
    }
    headers.push({ name: h.name, value: h.value, file: h.node.file, span: h.node.d.span, from: from(h.at) });
  }
  const lost = b.levels.slice((b.at.headers < 0 ? b.levels.length : b.at.headers) + 1).filter((l) => own(l, 'proxy_set_header').length);
  for (const l of lost) {
    notes.push(`the proxy_set_header lines of the ${levelName(l.node)} level (${headerList(own(l, 'proxy_set_header'))}) are not sent here: a level with proxy_set_header of its own inherits none`);
  }
  const setting = (n: ENode | undefined, at: number, def: string): RouteSetting => (n ? { value: n.d.arg(0) ?? '', file: n.file, span: n.d.span, from: from(at) } : { value: def, from: 'default' });
  return {
    proxyPass: b.proxyPass.d.arg(0) ?? '',
    file: b.proxyPass.file,
    span: b.proxyPass.d.span,
    headers,
    httpVersion: setting(b.httpVersion, b.at.httpVersion, versionAtLeast(model.version, [1, 29, 7]) ? '1.1' : '1.0'),
    readTimeout: setting(b.readTimeout, b.at.readTimeout, '60s'),
    intent: b.intent,
  };
}

const headerList = (ns: ENode[]) => [...new Set(ns.map((n) => n.d.arg(0) ?? ''))].join(', ');

// ---------- the whole route ----------

/** Which server and location of the workspace's configuration nginx picks for a URL (and Host). */
export function routeRequest(ws: Workspace, q: RouteQuery): RouteResult {
  const why: string[] = [];
  const notes: string[] = [];
  const parsed = parseUrl(q.url);
  if (typeof parsed === 'string') return { error: parsed, request: { scheme: '', port: 0, host: '', uri: '' }, why, notes };
  const hostHeader = q.host ?? (parsed.port === (parsed.scheme === 'https' || parsed.scheme === 'wss' ? 443 : 80) ? parsed.hostPart : `${parsed.hostPart}:${parsed.port}`);
  const hp = parsed.hostPart.toLowerCase();
  const address = /^\d+\.\d+\.\d+\.\d+$/.test(hp) ? hp : hp.startsWith('[') ? normalizeAddr(hp) : hp === 'localhost' ? '127.0.0.1' : undefined;
  const request: RouteResult['request'] = { scheme: parsed.scheme, address, port: parsed.port, host: hostHeader, uri: parsed.path };
  const roots = rootsFor(ws, q.active);
  if (!roots.length) return { error: 'no http server block found in the configuration', request, why, notes };
  const root = roots[0].root;
  const servers = buildServers(roots);
  if (roots.length > 1 || roots[0].kind === 'fragment') notes.push('no main configuration (nginx.conf) was found: the files were taken as included in one http block, in name order');
  const sockets = buildSockets(servers).filter((s) => s.port === parsed.port);
  // the listen socket: the exact address, else the wildcard of its family
  let sock: Socket | undefined;
  const v6 = address ? isV6(address) : false;
  if (address) sock = sockets.find((s) => s.addr === address) ?? sockets.find((s) => isWildcard(s.addr) && isV6(s.addr) === v6);
  else {
    sock = sockets.find((s) => s.addr === hp) ?? sockets.find((s) => s.addr === '*') ?? sockets.find((s) => s.addr === '[::]');
    if (sock && !isWildcard(sock.addr) && sock.addr !== hp) notes.push(`${parsed.hostPart} is not an address: it was taken to arrive on ${sockName(sock)}`);
    if (!sock && sockets.length) {
      sock = sockets[0];
      notes.push(`${parsed.hostPart} is not an address and no server listens on *:${parsed.port}: assuming it resolves to ${sock.addr}`);
    }
  }
  const at = address ? `${address}:${parsed.port}` : `port ${parsed.port}`;
  if (!sock) {
    const others = [...new Set(buildSockets(servers).map(sockName))].join(', ');
    return { error: `no server listens on ${at}: nginx refuses the connection (listening: ${others || 'nothing'})`, request, root, why, notes };
  }
  const listen = sockName(sock);
  why.push(sock.addr === address ? `the connection to ${at} goes to the servers listening on ${listen} (${sock.servers.length})` : `the connection to ${at} goes to the servers listening on ${listen} (${sock.servers.length})${address && sockets.some((s) => !isWildcard(s.addr)) ? `; a server listening on another address of port ${parsed.port} never sees it` : ''}`);
  if (sock.ssl && parsed.scheme !== 'https' && parsed.scheme !== 'wss') notes.push(`${listen} is an ssl listen: a plain-HTTP request there gets 400 "The plain HTTP request was sent to HTTPS port"`);
  if (!sock.ssl && (parsed.scheme === 'https' || parsed.scheme === 'wss')) notes.push(`${listen} has no ssl parameter: a TLS handshake there fails`);

  const place = (n: ENode, label: string): RoutePlace => ({ file: n.file, span: n.d.span, label });
  // the request line is read (and its URI parsed) before the Host header: merge_slashes is the
  // default server's, and a bad URI is answered by the default server
  const merge = effectiveFlag(sock.def.node, 'merge_slashes', true);
  const norm = normalizeUri(parsed.path, merge);
  if (!norm) {
    why.push(`the request target "${parsed.path}" is invalid for nginx (a bad %-escape, a %00, or ".." above the root): the default server of ${listen} answers 400 before reading the Host`);
    return { request, root, listen, server: place(sock.def.node, sock.def.label), serverBy: 'invalid-request', status: 400, why, notes };
  }
  const host = normalizeHost(hostHeader);
  if (host === undefined) {
    why.push(`the Host "${hostHeader}" is invalid: the default server of ${listen} answers 400`);
    return { request, root, listen, server: place(sock.def.node, sock.def.label), serverBy: 'invalid-request', status: 400, why, notes };
  }
  request.host = textOf(host);
  const pick = pickServer(sock, host);
  why.push(pick.why);
  if (sock.servers.some((s) => s.names.includes('$hostname'))) notes.push("a server_name $hostname is the machine's host name, which is not known here: it was taken literally");
  const server = pick.server;

  request.uri = textOf(norm.uri);
  if (norm.uri !== bytesOf(parsed.path.replace(/[?#].*$/s, ''))) why.push(`the URI nginx matches is ${request.uri} (decoded and normalised)`);
  if (server.node.children.some((c) => c.d.name === 'return' || c.d.name === 'rewrite' || c.d.name === 'if')) notes.push('the server has return/rewrite/if directives of its own: they run before any location is chosen');

  const found = findLocation(server.node, norm.uri, why, notes, 0);
  const result: RouteResult = { request, root, listen, server: place(server.node, server.label), serverBy: pick.by, locationBy: 'none', why, notes };
  if (!found.loc) {
    why.push('the server itself (its own settings, no location) serves the request');
    return result;
  }
  const loc = found.loc;
  result.location = place(loc.node, locationLabel(loc.node));
  result.locationBy = found.rc === 'done' ? 'redirect' : loc.kind === '@' ? 'none' : loc.kind;
  result.nested = loc.node.parent !== server.node;
  if (found.rc === 'done') {
    result.status = 301;
    result.redirect = `${textOf(norm.uri)}/${norm.args !== undefined ? `?${textOf(norm.args)}` : ''}`;
    return result;
  }
  if (loc.node.children.some((c) => c.d.name === 'internal')) notes.push(`${locationLabel(loc.node)} is internal: a request from outside gets 404`);
  if (loc.node.children.some((c) => c.d.name === 'rewrite' || c.d.name === 'try_files')) notes.push(`${locationLabel(loc.node)} has rewrite/try_files: the request may be matched again with another URI`);
  const rootOfLoc = server.root;
  result.proxy = proxyOf(ws, rootOfLoc, loc.node, notes);
  return result;
}

/** An on/off directive's value at a server, else at its http block, else the default. */
function effectiveFlag(server: ENode, name: string, def: boolean): boolean {
  for (let n: ENode | undefined = server; n; n = n.parent) {
    const own = n.children.filter((c) => c.d.name === name);
    if (own.length) return own[own.length - 1].d.arg(0) === 'on';
  }
  return def;
}

// ---------- the report, as people read it ----------

/**
 * The result as lines of text: the server and the location with their places (`at` names a
 * place: file:line at the edges), the answer nginx gives before any content, why, the upstream
 * WebSocket settings and the notes. The CLI prints it; the editor shows it.
 */
export function routeReport(res: RouteResult, at: (file: FileId, span: Span) => string): string[] {
  const out: string[] = [];
  const r = res.request;
  const conn = r.address ? `${r.address}:${r.port}` : `port ${r.port}`;
  out.push(`request   GET ${r.uri || '/'}  Host: ${r.host}  on ${conn} (${r.scheme})`);
  if (res.error) out.push(`no server: ${res.error}`);
  if (res.server) {
    out.push(`server    ${at(res.server.file, res.server.span)}  ${res.server.label}${res.listen ? `  (listen ${res.listen})` : ''}`);
    out.push(res.location ? `location  ${at(res.location.file, res.location.span)}  ${res.location.label}` : "location  none: the server's own settings answer");
  }
  if (res.status === 301) out.push(`answer    301 redirect to ${res.redirect}`);
  else if (res.status) out.push(`answer    ${res.status}`);
  if (res.why.length) {
    out.push('why');
    for (const w of res.why) out.push(`  - ${w}`);
  }
  if (res.proxy) {
    const x = res.proxy;
    const from = (s: { file?: FileId; span?: Span; from: string }) => (s.file && s.span ? `${at(s.file, s.span)} (${s.from})` : 'nginx default');
    out.push(`upstream  proxy_pass ${x.proxyPass}  (${at(x.file, x.span)})${x.intent ? `; a WebSocket endpoint: ${x.intent}` : ''}`);
    const first = ['upgrade', 'connection', 'host'];
    const rank = (n: string) => { const i = first.indexOf(n.toLowerCase()); return i < 0 ? first.length : i; };
    const rows: [string, string][] = [];
    if (!x.headers.some((h) => h.name.toLowerCase() === 'upgrade')) rows.push(['Upgrade', "not sent (nginx never forwards the client's Upgrade by itself)"]);
    for (const h of [...x.headers].sort((a, b) => rank(a.name) - rank(b.name))) rows.push([h.name, `${h.value}    ${from(h)}`]);
    rows.push(['HTTP version', `${x.httpVersion.value}    ${from(x.httpVersion)}`]);
    rows.push(['read timeout', `${x.readTimeout.value}    ${from(x.readTimeout)}`]);
    const w = Math.max(...rows.map(([k]) => k.length)) + 1;
    for (const [k, v] of rows) out.push(`  ${(k + ':').padEnd(w)} ${v}`);
  } else if (res.location && !res.status) out.push('upstream  none: this location does not proxy (no proxy_pass)');
  if (res.notes.length) {
    out.push('notes');
    for (const n of res.notes) out.push(`  - ${n}`);
  }
  return out;
}
