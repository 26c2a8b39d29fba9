// The effective proxy configuration of every proxying block, computed with nginx's real
// inheritance (ngx_http_proxy_merge_loc_conf):
// - proxy_set_header is all-or-nothing: a level with any proxy_set_header of its own inherits
//   none from the levels above (headers_source is merged as one pointer);
// - proxy_http_version / proxy_read_timeout inherit normally;
// - directives brought in by `include` belong to the level of the include.
import type { Directive } from '../syntax/ast';
import { lineStartOf } from '../text';
import { DEFINES_FIRST } from './validate';
import { DEFAULT_NGINX_VERSION } from '../options';
import type { ENode, Level, RootAnalysis, AnalyzeOptions } from './tree';
import { directivesOf } from './headerList';

export type { Level } from './tree';

export interface ProxyBlock {
  /** The location / if / limit_except holding proxy_pass. */
  node: ENode;
  proxyPass: ENode;
  /** This block's level first, then every enclosing level up to the top. */
  levels: Level[];
  /** The level whose proxy_set_header lines are in effect, undefined when none exists anywhere. */
  headerLevel?: Level;
  /**
   * Effective proxy_set_header by lower-cased header name. nginx sends every non-empty line of
   * a name, in order: the one kept is the last non-empty one, except that a Connection line that
   * may carry the upgrade is kept over a later one that does not (the backend reads both).
   */
  headers: Map<string, ENode>;
  /** Effective proxy_http_version: the directive, or undefined for nginx's default. */
  httpVersion?: ENode;
  /** Effective proxy_read_timeout directive, or undefined for the 60 s default. */
  readTimeout?: ENode;
  /** Why this block counts as a WebSocket endpoint, or undefined when it doesn't. */
  intent?: string;
  /** Which signal that was: the weakest, an upstream's name, yields to the others (buildModel). */
  intentBy?: 'headers' | 'pattern' | 'path' | 'target' | 'upstream' | 'comment';
  /** The nearest enclosing level that sets Upgrade/Connection but is not in effect here. */
  lostUpgradeLevel?: Level;
  /** Index in `levels` of the level holding headers (-1: none), proxy_http_version, proxy_read_timeout. */
  at: { headers: number; httpVersion: number; readTimeout: number };
  /**
   * Index in `levels` of the nearest level with an include whose file could not be read
   * (undefined: none). What such a file holds (a proxy_set_header, a proxy_http_version…) is
   * unknown, so nothing is said to be missing from that level up.
   */
  unseen?: number;
}

/** Can the block's `what` (a level index, -1 for "nowhere") be hidden in an include not read? */
export function mayBeHidden(b: ProxyBlock, what: keyof ProxyBlock['at']): boolean {
  const at = b.at[what];
  return b.unseen !== undefined && (at < 0 || b.unseen <= at);
}

/** The headers Debian's stock proxy_params sets (Host and the X-Forwarded family), lower case. */
export const PROXY_PARAMS_HEADERS = ['host', 'x-real-ip', 'x-forwarded-for', 'x-forwarded-proto'];

/**
 * A level's `include proxy_params` whose file is not in the workspace (the distribution's own):
 * its proxy_set_header lines belong to this level, and stop inheritance like any others.
 */
export function stockProxyParams(l: Level, root: RootAnalysis): ENode | undefined {
  if (!root.unfollowed.size) return undefined;
  return own(l, 'include').find((n) => root.unfollowed.has(n) && /(^|\/)proxy_params$/.test(n.d.arg(0) ?? ''));
}

/**
 * Stock files of nginx packages, often included from outside the workspace: known to hold no
 * WebSocket-related proxy directive (Debian's proxy_params sets Host and X-Forwarded-* only).
 */
const STOCK_INCLUDES = /(^|\/)(proxy_params|fastcgi_params|fastcgi\.conf|uwsgi_params|scgi_params|mime\.types|koi-utf|koi-win|win-utf|fastcgi-php\.conf|snakeoil\.conf|ssl-params\.conf|options-ssl-nginx\.conf)$/;

/** Whether an include argument names one of those stock files (certbot's options-ssl-nginx.conf…). */
export function isStockInclude(arg: string | undefined): boolean {
  return STOCK_INCLUDES.test(arg ?? '');
}

/**
 * Whether an include the analysis could not read may hold something unknown: any but the stock
 * files, whose contents are known (they define no variable and set no WebSocket header).
 */
export function hidesSomething(root: RootAnalysis): boolean {
  for (const n of root.unfollowed) if (!isStockInclude(n.d.arg(0))) return true;
  return false;
}

export interface WsModel {
  proxies: ProxyBlock[];
  /** Every `map` in the root's graph, wherever it stands. */
  maps: ENode[];
  /** Variable name (no $, lower case) → the directives that define it (map, set, geo, split_clients…). */
  definitions: Map<string, ENode[]>;
  /** http{} blocks (for inserting a map); empty for a fragment root in http context. */
  httpBlocks: ENode[];
  /** Upstream name → its block. */
  upstreams: Map<string, ENode>;
  /** nginx ≥ 1.29.7 proxies with HTTP/1.1 and no Connection: close by default. */
  http11ByDefault: boolean;
  /** The target version, as numbers. */
  version: number[];
  /** Every directive of a name in the root's tree (includes expanded), in document order. */
  named(name: string): ENode[];
}

export function parseVersion(v: string | undefined): number[] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v ?? '') ?? /^(\d+)\.(\d+)/.exec(DEFAULT_NGINX_VERSION)!;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function versionAtLeast(v: number[], want: number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if ((v[i] ?? 0) !== (want[i] ?? 0)) return (v[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

/** ngx_parse_time in seconds ("600", "600s", "10m", "1h30m", "500ms"); NaN when invalid. */
export function parseSeconds(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  let total = 0;
  let rest = s;
  if (!rest) return NaN;
  while (rest) {
    const m = /^(\d+)(ms|s|m|h|d|w|M|y)?/.exec(rest);
    if (!m || m[0].length === 0) return NaN;
    total += Number(m[1]) * units[m[2] ?? 's'];
    rest = rest.slice(m[0].length).replace(/^ +/, '');
  }
  return total;
}

const WS_PATH = /(^|[/^])([\w.-]*websockets?[\w.-]*|[\w.]+-ws|ws|wss|socket\.io|engine\.io|sockjs(-node)?|cable|signalr|hubs|graphql-ws|_next\/webpack-hmr|notifications?\/ws)(?=$|[/$?)\\]|\.\*)/i;
const WS_UPSTREAM = /(^|[-_.])(ws|wss|websockets?|socketio|sockjs)([-_.]|$)/i;
const WS_COMMENT = /\bweb[\s-]?sockets?\b/i;
/** A comment that says what is *not* done ("no websocket here", "do not forward Upgrade", "strip the headers"). */
const NEGATED_COMMENT = /\b(no|not|non|don'?t|doesn'?t|never|without|disabled?|strip\w*|block\w*|deny|denied|refuse\w*)\b/i;
/** Whether a comment says the block serves WebSocket, in a way that means it. */
const saysWebSocket = (c: string) => WS_COMMENT.test(c) && !NEGATED_COMMENT.test(c);

export function isWsPath(path: string): boolean {
  return WS_PATH.test(path);
}

/** Does a Connection header value show upgrade intent? ($http_connection alone does not: plain proxies forward it too.) */
export function isUpgradeConnection(value: string): boolean {
  return /upgrade/i.test(value);
}

// header names repeat endlessly (Host, Upgrade, Connection…): lower-case each spelling once
const lowered = new Map<string, string>();

export function headerName(n: ENode): string {
  if (n.header !== undefined) return n.header;
  const v = n.d.arg(0) ?? '';
  let l = lowered.get(v);
  if (l === undefined) {
    l = v.toLowerCase();
    if (lowered.size < 10_000) lowered.set(v, l);
  }
  return (n.header = l);
}

// Levels are made once per block (and once for a root's top) and carry their own caches:
// many proxies share the same server and http levels.
const topLevels = new WeakMap<RootAnalysis, Level>();

export function levelOf(node: ENode | undefined, root: RootAnalysis): Level {
  if (node) return (node.level ??= { node, children: node.children, ctx: node.ctx });
  let l = topLevels.get(root);
  if (!l) topLevels.set(root, (l = { children: root.top, ctx: root.ctx }));
  return l;
}

/** This level and every enclosing one, up to the top of the root. */
export function levelsOf(node: ENode, root: RootAnalysis): Level[] {
  const out: Level[] = [];
  for (let n: ENode | undefined = node; n; n = n.parent) out.push(levelOf(n, root));
  out.push(levelOf(undefined, root));
  return out;
}

/** The directives named `name` a level holds directly (includes spliced in), in order. */
export function own(l: Level, name: string): ENode[] {
  return directivesOf(l, name);
}

/** A Connection line whose value asks for the upgrade, or may (a variable such as $connection_upgrade). */
function mayCarryUpgrade(h: ENode): boolean {
  const v = h.d.arg(1) ?? '';
  return v.includes('$') || /upgrade/i.test(v);
}

export function setsUpgrade(l: Level): boolean {
  let r = l.upgrade;
  if (r === undefined) {
    r = false;
    for (const h of own(l, 'proxy_set_header')) {
      const name = headerName(h);
      if (name === 'upgrade' || (name === 'connection' && isUpgradeConnection(h.d.arg(1) ?? ''))) { r = true; break; }
    }
    l.upgrade = r;
  }
  return r;
}

/** Comments inside a directive's block, or on the line right above it, in its own file (sorted input). */
function commentsNear(n: ENode, inputs: ModelInputs): string[] {
  const cs = inputs.comments(n.file);
  if (!cs.length) return [];
  const d: Directive = n.d;
  const text = inputs.text(n.file);
  const lineStart = lineStartOf(text, d.span.start) - 1; // its `\n`, or -1 on the first line
  const from = lineStart > 0 ? lineStartOf(text, lineStart) : d.span.start;
  const to = d.span.end;
  let lo = 0;
  let hi = cs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cs[mid].span.start < from) lo = mid + 1; else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < cs.length && cs[i].span.start < to; i++) out.push(cs[i].text);
  return out;
}

export interface ModelInputs {
  comments(file: string): { text: string; span: { start: number } }[];
  text(file: string): string;
}

export function buildModel(root: RootAnalysis, options: AnalyzeOptions, inputs: ModelInputs): WsModel {
  const version = parseVersion(options.nginxVersion);
  const http11ByDefault = versionAtLeast(version, [1, 29, 7]);
  const maps: ENode[] = [];
  const definitions = new Map<string, ENode[]>();
  const httpBlocks: ENode[] = [];
  const upstreams = new Map<string, ENode>();
  const proxyNodes: ENode[] = [];
  const byName = new Map<string, ENode[]>();
  const define = (name: string, n: ENode) => {
    // nginx knows variables by their lower-cased names
    const k = name.replace(/^\$/, '').toLowerCase();
    const l = definitions.get(k) ?? [];
    l.push(n);
    definitions.set(k, l);
  };
  const stack: ENode[] = [];
  for (let i = root.top.length - 1; i >= 0; i--) stack.push(root.top[i]);
  while (stack.length) {
    const n = stack.pop()!;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    const d = n.d;
    const same = byName.get(d.name);
    if (same) same.push(n); else byName.set(d.name, [n]);
    switch (d.name) {
      case 'map':
        if (n.ctx === 'handler' || n.ctx === 'unknown') break;
        maps.push(n);
        if (d.wordCount >= 3) define(d.arg(1)!, n);
        break;
      case 'geo':
      case 'split_clients':
        if (d.wordCount >= 2 && n.ctx !== 'handler') define(d.arg(d.wordCount - 2)!, n);
        break;
      case 'http':
        if (n.ctx === 'main') httpBlocks.push(n);
        break;
      case 'upstream':
        if (n.ctx === 'http' && d.wordCount >= 2) upstreams.set(d.arg(0)!, n);
        break;
      case 'proxy_pass':
        if (n.parent && (n.ctx === 'location' || n.ctx === 'if-location' || n.ctx === 'limit_except')) proxyNodes.push(n);
        break;
      default:
        // set, auth_request_set, perl_set, js_set…
        if (DEFINES_FIRST.has(d.name) && d.wordCount >= 2 && n.ctx !== 'handler') define(d.arg(0)!, n);
        break;
    }
  }

  const patterns = (options.endpointPatterns ?? []).flatMap((p) => {
    try { return [new RegExp(p, 'i')]; } catch { return []; }
  });

  const proxies: ProxyBlock[] = [];
  for (const pp of proxyNodes) {
    const node = pp.parent!;
    const levels = levelsOf(node, root);
    const headerLevel = levels.find((l) => own(l, 'proxy_set_header').length > 0 || stockProxyParams(l, root));
    const headers = new Map<string, ENode>();
    if (headerLevel) {
      for (const h of own(headerLevel, 'proxy_set_header')) {
        // nginx sends every entry whose value is not empty, in order: an empty one (`Connection ""`
        // after `Connection $connection_upgrade`) drops only itself, it overrides nothing
        const name = headerName(h);
        const prev = headers.get(name);
        if (prev && h.d.arg(1) === '' && prev.d.arg(1) !== '') continue;
        // and a later `Connection close` (or keep-alive) is sent besides the line that asks for
        // the upgrade: the backend reads "upgrade, close", which upgrades (verified at runtime)
        if (prev && name === 'connection' && mayCarryUpgrade(prev) && !mayCarryUpgrade(h)) continue;
        headers.set(name, h);
      }
    }
    const nearest = (name: string): [ENode | undefined, number] => {
      for (let i = 0; i < levels.length; i++) {
        const o = own(levels[i], name);
        if (o.length) return [o[o.length - 1], i];
      }
      return [undefined, -1];
    };
    let unseen: number | undefined;
    if (root.unfollowed.size) {
      for (let i = 0; i < levels.length && unseen === undefined; i++) {
        if (own(levels[i], 'include').some((n) => root.unfollowed.has(n) && !isStockInclude(n.d.arg(0)))) unseen = i;
      }
    }
    let lostUpgradeLevel: Level | undefined;
    if (headerLevel) {
      const i = levels.indexOf(headerLevel);
      if (!setsUpgrade(headerLevel)) lostUpgradeLevel = levels.slice(i + 1).find(setsUpgrade);
    }
    const [httpVersion, versionAt] = nearest('proxy_http_version');
    const [readTimeout, timeoutAt] = nearest('proxy_read_timeout');
    const at = { headers: headerLevel ? levels.indexOf(headerLevel) : -1, httpVersion: versionAt, readTimeout: timeoutAt };
    const block: ProxyBlock = { node, proxyPass: pp, levels, headerLevel, headers, httpVersion, readTimeout, lostUpgradeLevel, at, unseen };
    [block.intentBy, block.intent] = intentOf(block, upstreams, patterns, inputs) ?? [];
    proxies.push(block);
  }
  // An upstream whose name looks like a WebSocket backend, with one location known for another
  // reason to be its WebSocket endpoint (Upgrade headers, a /ws path…): the other locations
  // proxy plain HTTP to it.
  const explicit = new Set(proxies.filter((b) => b.intentBy && b.intentBy !== 'upstream').map((b) => upstreamNameOf(b)));
  for (const b of proxies) {
    if (b.intentBy === 'upstream' && explicit.has(upstreamNameOf(b))) b.intent = b.intentBy = undefined;
  }
  // A comment is a weak signal too (a server's description above its first location, "site 0:
  // websocket and api"): it yields to a location of the same server known for a stronger reason
  // to be the WebSocket endpoint.
  const strong = new Set<ENode>();
  for (const b of proxies) if (b.intentBy && b.intentBy !== 'upstream' && b.intentBy !== 'comment') { const s = serverOf(b.node); if (s) strong.add(s); }
  for (const b of proxies) {
    if (b.intentBy !== 'comment') continue;
    const s = serverOf(b.node);
    if (s && strong.has(s)) b.intent = b.intentBy = undefined;
  }
  return { proxies, maps, definitions, httpBlocks, upstreams, http11ByDefault, version, named: (name) => byName.get(name) ?? [] };
}

/** The server block around a node, if any. */
function serverOf(n: ENode): ENode | undefined {
  let s: ENode | undefined = n.parent;
  while (s && s.d.name !== 'server') s = s.parent;
  return s;
}

/** The host part of a block's proxy_pass (an upstream name or a host). */
function upstreamNameOf(b: ProxyBlock): string {
  return /^[a-z]+:\/\/([^/:]+)/i.exec(b.proxyPass.d.arg(0) ?? '')?.[1] ?? '';
}

function intentOf(b: ProxyBlock, upstreams: Map<string, ENode>, patterns: RegExp[], inputs: ModelInputs): [NonNullable<ProxyBlock['intentBy']>, string] | undefined {
  if (b.levels.some(setsUpgrade)) return ['headers', 'it sets Upgrade/Connection proxy headers'];
  // the location path (for an `if`/limit_except, the enclosing location's)
  let loc: ENode | undefined = b.node;
  while (loc && loc.d.name !== 'location') loc = loc.parent;
  let path = '';
  let wsPath = false;
  if (loc) for (let i = 0; i + 1 < loc.d.wordCount; i++) {
    const v = loc.d.arg(i)!;
    path = i ? path + ' ' + v : v;
    if (isWsPath(v)) wsPath = true;
  }
  const target = b.proxyPass.d.arg(0) ?? '';
  const targetPath = target.replace(/^[a-z]+:\/\/[^/]*/i, '');
  const upstreamName = upstreamNameOf(b);
  for (const re of patterns) {
    if (re.test(path) || re.test(upstreamName)) return ['pattern', `it matches the endpoint pattern /${re.source}/`];
  }
  if (wsPath) return ['path', `its path ${path} looks like a WebSocket endpoint`];
  if (targetPath && isWsPath(targetPath)) return ['target', `its proxy_pass target ${target} looks like a WebSocket endpoint`];
  if (upstreamName && WS_UPSTREAM.test(upstreamName) && (upstreams.has(upstreamName) || !upstreamName.includes('.'))) return ['upstream', `its upstream ${upstreamName} looks like a WebSocket backend`];
  for (const n of [b.node, ...(loc && loc !== b.node ? [loc] : [])]) {
    if (commentsNear(n, inputs).some(saysWebSocket)) return ['comment', 'a comment says it serves WebSocket'];
  }
  return undefined;
}
