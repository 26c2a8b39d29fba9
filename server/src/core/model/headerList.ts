// The exact request head nginx writes upstream for a proxying block, as
// ngx_http_proxy_init_headers and ngx_http_proxy_create_request build it (nginx 1.22):
// - the proxy_set_header lines of ONE level are in effect: the innermost level that has any
//   (headers_source is inherited as one pointer, so a level with its own lines inherits none);
// - nginx's defaults (Host $proxy_host, Connection close, the framing headers and the hop-by-hop
//   ones set to "") are appended after them, each unless a configured line has the same name
//   (compared without case);
// - every configured line is written, in order, duplicates included, under the name as written;
//   a line whose value is empty for this request is left out (a literal "" is never sent, a
//   variable that is empty drops only its own line);
// - a client header is passed on (unless proxy_pass_request_headers is off) only when no
//   configured or default line has its name, empty ones included: that is how `Upgrade ""`,
//   `Accept-Encoding ""` or the defaults' TE/Keep-Alive/Upgrade remove what the client sent.
// Pure, and independent of effective.ts so that the model can build on it.
import type { ENode, Level } from './tree';

/** One line nginx evaluates for every request, in the order it writes them. */
export interface HeaderEntry {
  /** The name as written: nginx sends it with this spelling. */
  name: string;
  /** The value template, variables not expanded. */
  value: string;
  /** The proxy_set_header (or the stock include) that sets it; undefined for nginx's defaults. */
  node?: ENode;
  /** Index in `levels` of the level it comes from; -1 for nginx's built-in defaults. */
  at: number;
}

export interface UpstreamRequest {
  /** '1.0' or '1.1' (or what proxy_http_version says). */
  httpVersion: string;
  /** The proxy_http_version in force, undefined for the default. */
  httpVersionNode?: ENode;
  /** Index in `levels` of its level, -1 for the default. */
  httpVersionAt: number;
  /** Index in `levels` of the level whose proxy_set_header lines are in effect, -1 for none. */
  headerAt: number;
  /**
   * The lines nginx may write, in its order. A literal empty value is never sent, so such lines
   * are not here; a line with variables is sent when its value is not empty for the request.
   */
  headers: HeaderEntry[];
  /** Lines whose literal value is empty: they send nothing, but they stop the client's header of that name. */
  silenced: HeaderEntry[];
  /** Lower-cased names whose client headers are never passed on (every configured and default name). */
  blocked: Set<string>;
  /**
   * With proxy_cache on, a request whose method may be cached (GET and HEAD, and what
   * proxy_cache_methods adds) is built from another list: the same lines, with the cache's
   * defaults (conditional headers from the cached copy, the client's Range and preconditions
   * removed) appended instead.
   */
  cache?: { node: ENode; methods: string[]; headers: HeaderEntry[]; silenced: HeaderEntry[]; blocked: Set<string> };
  /** Whether the client's other headers are passed on (proxy_pass_request_headers). */
  passRequestHeaders: boolean;
  passRequestHeadersNode?: ENode;
  passRequestHeadersAt: number;
  /** proxy_set_header lines of the levels above the one in effect: nginx ignores them for this block. */
  dropped: ENode[];
}

export interface StockEntry {
  name: string;
  value: string;
  /** The include that brings them in. */
  node: ENode;
}

export interface UpstreamRequestOptions {
  /** nginx ≥ 1.29.7: HTTP/1.1 by default, and no Connection: close by default. */
  http11ByDefault: boolean;
  /**
   * The proxy_set_header lines of a level that the tree does not hold because they come from an
   * include that was not read (Debian's stock proxy_params): they count as the level's own.
   */
  stock?: (level: Level) => StockEntry[] | undefined;
}

/** ngx_http_proxy_headers (1.22), in nginx's order. */
const DEFAULTS_1_22: [string, string][] = [
  ['Host', '$proxy_host'],
  ['Connection', 'close'],
  ['Content-Length', '$proxy_internal_body_length'],
  ['Transfer-Encoding', '$proxy_internal_chunked'],
  ['TE', ''],
  ['Keep-Alive', ''],
  ['Expect', ''],
  ['Upgrade', ''],
];
/** nginx ≥ 1.29.7 no longer sends Connection by default (changes, 1.29.7); the client's is still not passed. */
const DEFAULTS_1_29_7: [string, string][] = DEFAULTS_1_22.map(([n, v]) => [n, n === 'Connection' ? '' : v]);

/** ngx_http_proxy_cache_headers (1.22): appended after the others for a request that may be cached. */
const CACHE_DEFAULTS: [string, string][] = [
  ['If-Modified-Since', '$upstream_cache_last_modified'],
  ['If-Unmodified-Since', ''],
  ['If-None-Match', '$upstream_cache_etag'],
  ['If-Match', ''],
  ['Range', ''],
  ['If-Range', ''],
];

/**
 * Debian's stock proxy_params, which a level including it sets as its own. Its Host line depends
 * on the package: `$http_host` for years, `$host` in the security updates of stable releases.
 */
export const PROXY_PARAMS_LINES: [string, string][] = [
  ['Host', '$host'],
  ['X-Real-IP', '$remote_addr'],
  ['X-Forwarded-For', '$proxy_add_x_forwarded_for'],
  ['X-Forwarded-Proto', '$scheme'],
];

// A level's directives by name, made once per level (many blocks share a server's and http's).
/**
 * The directives named `name` a level holds directly (includes spliced in), in order; a
 * proxy_set_header without its two arguments is nginx's error, not a header, and is left out.
 * Indexed once per level (kept on the level: the tree is built once and never changes).
 */
export function directivesOf(l: Level, name: string): ENode[] {
  let m = l.index;
  if (!m) {
    m = new Map();
    for (const c of l.children) {
      if (c.d.name === 'proxy_set_header' && c.d.wordCount !== 3) continue;
      const list = m.get(c.d.name);
      if (list) list.push(c); else m.set(c.d.name, [c]);
    }
    l.index = m;
  }
  return m.get(name) ?? NONE;
}

const NONE: ENode[] = [];

/** The nearest level's (last) directive of a name with an argument, and that level's index; -1 for none. */
export function nearestDirective(levels: Level[], name: string): [ENode | undefined, number] {
  for (let i = 0; i < levels.length; i++) {
    const o = directivesOf(levels[i], name);
    for (let k = o.length - 1; k >= 0; k--) if (o[k].d.wordCount >= 2) return [o[k], i];
  }
  return [undefined, -1];
}

/** The request head nginx builds for a block, from its levels (innermost first, as ProxyBlock.levels). */
export function upstreamRequest(levels: Level[], options: UpstreamRequestOptions): UpstreamRequest {
  let headerAt = -1;
  let own: HeaderEntry[] = [];
  for (let i = 0; i < levels.length && headerAt < 0; i++) {
    const lines = directivesOf(levels[i], 'proxy_set_header');
    const stock = options.stock?.(levels[i]);
    if (!lines.length && !stock?.length) continue;
    headerAt = i;
    if (!stock?.length) {
      own = lines.map((c) => ({ name: c.d.arg(0)!, value: c.d.arg(1)!, node: c, at: i }));
      break;
    }
    // in order: the level's own lines and a stock include's, where each stands
    const stockAt = new Map<ENode, StockEntry[]>();
    for (const s of stock) stockAt.set(s.node, [...(stockAt.get(s.node) ?? []), s]);
    for (const c of levels[i].children) {
      if (c.d.name === 'proxy_set_header' && c.d.wordCount === 3) own.push({ name: c.d.arg(0)!, value: c.d.arg(1)!, node: c, at: i });
      for (const s of stockAt.get(c) ?? []) own.push({ name: s.name, value: s.value, node: s.node, at: i });
    }
  }
  const dropped: ENode[] = [];
  if (headerAt >= 0) for (let i = headerAt + 1; i < levels.length; i++) dropped.push(...directivesOf(levels[i], 'proxy_set_header'));

  const merge = (defaults: [string, string][]) => {
    const all = [...own];
    const names = new Set(own.map((h) => h.name.toLowerCase()));
    for (const [name, value] of defaults) if (!names.has(name.toLowerCase())) all.push({ name, value, at: -1 });
    return { headers: all.filter((h) => h.value !== ''), silenced: all.filter((h) => h.value === ''), blocked: new Set(all.map((h) => h.name.toLowerCase())) };
  };
  const defaults = options.http11ByDefault ? DEFAULTS_1_29_7 : DEFAULTS_1_22;
  const plain = merge(defaults);
  const [cacheNode] = nearestDirective(levels, 'proxy_cache');
  let cache: UpstreamRequest['cache'];
  if (cacheNode && cacheNode.d.arg(0) !== 'off') {
    const [methodsNode] = nearestDirective(levels, 'proxy_cache_methods');
    const methods = new Set(['GET', 'HEAD', ...(methodsNode?.d.args.slice(0, methodsNode.d.wordCount - 1).map((a) => a.value.toUpperCase()) ?? [])]);
    cache = { node: cacheNode, methods: [...methods], ...merge([...defaults, ...CACHE_DEFAULTS]) };
  }
  const [versionNode, versionAt] = nearestDirective(levels, 'proxy_http_version');
  const [passNode, passAt] = nearestDirective(levels, 'proxy_pass_request_headers');
  return {
    httpVersion: versionNode?.d.arg(0) ?? (options.http11ByDefault ? '1.1' : '1.0'),
    httpVersionNode: versionNode,
    httpVersionAt: versionAt,
    headerAt,
    ...plain,
    cache,
    passRequestHeaders: passNode?.d.arg(0) !== 'off',
    passRequestHeadersNode: passNode,
    passRequestHeadersAt: passAt,
    dropped,
  };
}

/** A client request as nginx has parsed it: headers in the order received. */
export interface ClientRequest {
  /** GET unless said. */
  method?: string;
  headers: [string, string][];
}

/**
 * The header lines nginx writes for one request, given how the request's variables evaluate
 * (`expand` turns a value template into its value). Client headers nginx itself rejected before
 * proxying (invalid names) are the caller's to leave out.
 */
export function headLines(req: UpstreamRequest, client: ClientRequest, expand: (template: string) => string): [string, string][] {
  const list = req.cache && req.cache.methods.includes((client.method ?? 'GET').toUpperCase()) ? req.cache : req;
  const out: [string, string][] = [];
  for (const h of list.headers) {
    const v = expand(h.value);
    if (v !== '') out.push([h.name, v]);
  }
  if (req.passRequestHeaders) {
    for (const [n, v] of client.headers) if (!list.blocked.has(n.toLowerCase())) out.push([n, v]);
  }
  return out;
}

/** The variables a value template reads ($name or ${name}), lower-cased, in order. */
export function variablesOf(template: string): string[] {
  const out: string[] = [];
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g;
  for (let m; (m = re.exec(template)); ) out.push((m[1] ?? m[2]).toLowerCase());
  return out;
}
