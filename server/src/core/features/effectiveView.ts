// "Effective configuration, shown": for every proxy_pass of a file, what nginx really sends
// upstream (the request line's HTTP version, each header line with the level it comes from,
// which client headers are passed on), the timeouts and buffering in force; and, for every
// proxy_set_header line that inheritance drops for some proxy below it, where and why. The
// header list is model/headerList.ts (proven line for line against nginx). Pure: offsets and
// FileIds in and out; the editor turns them into inlay hints and hovers.
import type { Workspace } from '../analysis';
import { modelOf } from '../rules/run';
import { stockProxyParams, type ProxyBlock, type WsModel } from '../model/effective';
import { PROXY_PARAMS_LINES, directivesOf, nearestDirective, upstreamRequest, variablesOf, type HeaderEntry, type UpstreamRequest } from '../model/headerList';
import type { ENode, Level, RootAnalysis } from '../model/tree';
import type { FileId, Span } from '../types';

/** A line of the configuration (a directive), for links. */
export interface ViewPlace {
  file: FileId;
  span: Span;
}

export interface ViewHeader {
  name: string;
  /** The value as nginx stores it, variables not expanded. */
  value: string;
  /** Its line; undefined for nginx's built-in defaults. */
  from?: ViewPlace;
  /** 'location /ws/', 'server example.com', 'http', or 'nginx default'. */
  level: string;
  /** The value has variables: the line is sent only when it is not empty for the request. */
  conditional: boolean;
  /** It comes from a stock file the workspace does not hold (Debian's proxy_params): its usual lines. */
  stock?: boolean;
}

export interface ViewSetting {
  name: string;
  value: string;
  /** Its line; undefined when it is nginx's default. */
  from?: ViewPlace;
  level?: string;
}

export interface ProxyView {
  file: FileId;
  /** The proxy_pass directive. */
  span: Span;
  /** Where the summary goes: the end of the proxy_pass statement. */
  hintAt: number;
  /** 'location /ws/' (or 'if (…) in location /ws/'). */
  block: string;
  httpVersion: ViewSetting;
  /** Lines nginx writes, in its order (conditional ones when not empty). */
  headers: ViewHeader[];
  /** Lines that send nothing (an empty literal) but stop the client's header of that name. */
  silenced: ViewHeader[];
  /** Client headers never passed on (the names of every line above, empty ones included). */
  blocked: string[];
  passRequestHeaders: ViewSetting;
  /** Timeouts and buffering in force. */
  settings: ViewSetting[];
  /** proxy_set_header lines above the level in effect, which nginx ignores here. */
  dropped: ViewPlace[];
  /** The level whose proxy_set_header lines are in effect ('nginx defaults only' when none). */
  headerLevel: string;
  /** An include that could not be read, at or below the level in effect: the list may miss its lines. */
  unread?: ViewPlace;
  /** The nginx version the view is for ('1.22'). */
  version: string;
  /** The version changed the defaults (1.29.7: HTTP/1.1, no Connection: close); the list follows its changes file. */
  newDefaults?: boolean;
  /** proxy_cache in force: requests of these methods are built with the cache's extra defaults. */
  cache?: { from: ViewPlace; methods: string[] };
}

export interface DroppedLine {
  file: FileId;
  /** The proxy_set_header directive. */
  span: Span;
  /** Where a note goes: the end of the statement. */
  hintAt: number;
  /** The proxy blocks that do not inherit it, each with the first line of the level that replaces it. */
  droppedFor: { block: string; at: ViewPlace; replacedBy: ViewPlace }[];
  /** How many proxy blocks below do use it. */
  usedBy: number;
}

export interface EffectiveViews {
  proxies: ProxyView[];
  dropped: DroppedLine[];
}

/** Timeouts and buffering: nginx's defaults (1.22), inherited level by level like any merge_value. */
const SETTINGS: [string, string][] = [
  ['proxy_connect_timeout', '60s'],
  ['proxy_send_timeout', '60s'],
  ['proxy_read_timeout', '60s'],
  ['proxy_buffering', 'on'],
  ['proxy_request_buffering', 'on'],
];

const place = (n: ENode): ViewPlace => ({ file: n.file, span: n.d.span });

const names = new WeakMap<Level, string>();

function levelName(l: Level | undefined): string {
  if (!l) return 'the top of the file';
  let s = names.get(l);
  if (s === undefined) names.set(l, (s = nameOf(l)));
  return s;
}

function nameOf(l: Level): string {
  const n = l.node;
  if (!n) return 'the top of the file';
  const args = n.d.args.map((a) => a.raw).join(' ');
  if (n.d.name === 'server') {
    const name = directivesOf(l, 'server_name')[0]?.d.arg(0);
    return name ? `server ${name}` : 'server';
  }
  return args ? `${n.d.name} ${args}` : n.d.name;
}

function blockName(b: ProxyBlock): string {
  if (b.node.d.name === 'location') return levelName(b.levels[0]);
  let loc: ENode | undefined = b.node.parent;
  while (loc && loc.d.name !== 'location') loc = loc.parent;
  return `${levelName(b.levels[0])}${loc ? ` in location ${loc.d.args.map((a) => a.raw).join(' ')}` : ''}`;
}

/** The request head of one proxy block, with stock proxy_params counted where it is included. */
export function requestOf(b: ProxyBlock, model: WsModel, root: RootAnalysis): UpstreamRequest {
  return upstreamRequest(b.levels, {
    http11ByDefault: model.http11ByDefault,
    stock: (l) => {
      const inc = stockProxyParams(l, root);
      return inc && PROXY_PARAMS_LINES.map(([name, value]) => ({ name, value, node: inc }));
    },
  });
}

function viewOf(b: ProxyBlock, req: UpstreamRequest, model: WsModel, root: RootAnalysis): ProxyView {
  const header = (h: HeaderEntry): ViewHeader => ({
    name: h.name,
    value: h.value,
    from: h.node && place(h.node),
    level: h.at < 0 ? 'nginx default' : levelName(b.levels[h.at]),
    conditional: h.at >= 0 && variablesOf(h.value).length > 0,
    stock: h.node?.d.name === 'include' || undefined,
  });
  const setting = (name: string, def: string): ViewSetting => {
    const [n, at] = nearestDirective(b.levels, name);
    return n ? { name, value: n.d.args.slice(0, n.d.wordCount - 1).map((a) => a.value).join(' '), from: place(n), level: levelName(b.levels[at]) } : { name, value: def };
  };
  const version = model.version.slice(0, model.version[2] ? 3 : 2).join('.');
  const pp = b.proxyPass;
  const unreadAt = b.unseen !== undefined && (req.headerAt < 0 || b.unseen <= req.headerAt) ? b.unseen : undefined;
  const unread = unreadAt === undefined ? undefined : b.levels[unreadAt].children.find((c) => c.d.name === 'include' && root.unfollowed.has(c));
  return {
    file: pp.file,
    span: pp.d.span,
    hintAt: pp.d.span.end,
    block: blockName(b),
    httpVersion: req.httpVersionNode
      ? { name: 'proxy_http_version', value: req.httpVersion, from: place(req.httpVersionNode), level: levelName(b.levels[req.httpVersionAt]) }
      : { name: 'proxy_http_version', value: req.httpVersion },
    headers: req.headers.map(header),
    silenced: req.silenced.map(header),
    blocked: [...new Set([...req.headers, ...req.silenced].map((h) => h.name.toLowerCase()))],
    passRequestHeaders: req.passRequestHeadersNode
      ? { name: 'proxy_pass_request_headers', value: req.passRequestHeaders ? 'on' : 'off', from: place(req.passRequestHeadersNode), level: levelName(b.levels[req.passRequestHeadersAt]) }
      : { name: 'proxy_pass_request_headers', value: 'on' },
    settings: SETTINGS.map(([n, d]) => setting(n, d)),
    dropped: req.dropped.map(place),
    headerLevel: req.headerAt < 0 ? 'nginx defaults only' : levelName(b.levels[req.headerAt]),
    unread: unread && place(unread),
    version,
    cache: req.cache && { from: place(req.cache.node), methods: req.cache.methods },
    newDefaults: model.http11ByDefault || undefined,
  };
}

// One answer per file and analysis: the editor asks again for every scroll and hover.
const cache = new WeakMap<Workspace, Map<FileId, { models: WsModel[]; views: EffectiveViews }>>();

/** Every proxy_pass of `file` and every dropped proxy_set_header line in it, over the roots that read it. */
export function effectiveViews(ws: Workspace, file: FileId): EffectiveViews {
  const roots = ws.rootsOf(file);
  const models = roots.map((r) => modelOf(ws, r, ws.options));
  let byFile = cache.get(ws);
  if (!byFile) cache.set(ws, (byFile = new Map()));
  const hit = byFile.get(file);
  if (hit && hit.models.length === models.length && hit.models.every((m, i) => m === models[i])) return hit.views;
  const views = compute(roots, models, file);
  if (byFile.size > 64) byFile.clear();
  byFile.set(file, { models, views });
  return views;
}

function compute(roots: RootAnalysis[], models: WsModel[], file: FileId): EffectiveViews {
  const proxies = new Map<string, ProxyView>();
  const dropped = new Map<ENode['d'], { node: ENode; droppedFor: DroppedLine['droppedFor']; levelKey: unknown }>();
  /** The blocks whose lines in effect are a level's (by the level's directive, or the root for a file's top). */
  const usedBy = new Map<unknown, Set<string>>();
  const seenBlocks = new Set<string>();
  roots.forEach((root, r) => {
    const model = models[r];
    for (const b of model.proxies) {
      const key = `${b.proxyPass.file}\0${b.proxyPass.d.span.start}`;
      if (seenBlocks.has(key)) continue;
      seenBlocks.add(key);
      const req = requestOf(b, model, root);
      if (b.proxyPass.file === file) proxies.set(key, viewOf(b, req, model, root));
      // what an unread include at or below the level in effect holds is unknown: say nothing
      if (req.headerAt < 0 || (b.unseen !== undefined && b.unseen <= req.headerAt)) continue;
      const level = b.levels[req.headerAt];
      const levelKey = level.node?.d ?? root.root;
      let users = usedBy.get(levelKey);
      if (!users) usedBy.set(levelKey, (users = new Set()));
      users.add(key);
      let first: ENode | undefined;
      for (const n of req.dropped) {
        if (n.file !== file) continue;
        if (!first) {
          // the level's first line: its first proxy_set_header, or the stock include before it
          const lines = directivesOf(level, 'proxy_set_header');
          const stock = stockProxyParams(level, root);
          first = !stock || (lines.length && (stock.file !== lines[0].file || lines[0].d.span.start < stock.d.span.start)) ? lines[0] : stock;
        }
        let e = dropped.get(n.d);
        if (!e) dropped.set(n.d, (e = { node: n, droppedFor: [], levelKey: n.parent?.d ?? root.root }));
        e.droppedFor.push({ block: blockName(b), at: place(b.proxyPass), replacedBy: place(first) });
      }
    }
  });
  const lines: DroppedLine[] = [];
  for (const e of dropped.values()) {
    lines.push({ file, span: e.node.d.span, hintAt: e.node.d.span.end, droppedFor: e.droppedFor, usedBy: usedBy.get(e.levelKey)?.size ?? 0 });
  }
  lines.sort((a, b) => a.span.start - b.span.start);
  return { proxies: [...proxies.values()].sort((a, b) => a.span.start - b.span.start), dropped: lines };
}

/**
 * The short summary beside a proxy_pass, most telling first (editors may cut a long hint):
 * `→ HTTP/1.1 · Upgrade, Connection, Host · read 600s`; a literal Connection or Upgrade value is
 * shown (`Connection: close`), a variable one is in the full view.
 */
export function summaryParts(v: ProxyView): { text: string; from?: ViewPlace }[] {
  const parts: { text: string; from?: ViewPlace }[] = [{ text: '→ ' }, { text: `HTTP/${v.httpVersion.value}`, from: v.httpVersion.from }, { text: ' · ' }];
  // the framing headers are there only for a request body: left to the full view
  const shown = v.headers.filter((h) => !(h.level === 'nginx default' && (h.name === 'Content-Length' || h.name === 'Transfer-Encoding')));
  const MAX = 5;
  shown.slice(0, MAX).forEach((h, i) => {
    if (i) parts.push({ text: ', ' });
    const lower = h.name.toLowerCase();
    parts.push({ text: (lower === 'connection' || lower === 'upgrade') && !variablesOf(h.value).length ? `${h.name}: ${h.value}` : h.name, from: h.from });
  });
  if (!shown.length) parts.push({ text: 'no headers' });
  if (shown.length > MAX) parts.push({ text: ` +${shown.length - MAX}` });
  if (v.passRequestHeaders.value === 'off') parts.push({ text: ' · no client headers', from: v.passRequestHeaders.from });
  const read = v.settings.find((s) => s.name === 'proxy_read_timeout')!;
  parts.push({ text: ' · ' }, { text: `read ${read.value}`, from: read.from });
  return parts;
}

/** The full view, in Markdown; `where` writes a place (a link in the editor). */
export function viewMarkdown(v: ProxyView, where: (p: ViewPlace) => string): string {
  const src = (s: { from?: ViewPlace; level?: string }) => (s.from ? `${s.level ?? ''} (${where(s.from)})` : 'nginx default');
  const code = (s: string) => (s === '' ? '`""`' : '`' + s.replace(/`/g, "'") + '`');
  const out: string[] = [];
  out.push(`**What nginx sends upstream** for ${v.block} (nginx ${v.version})`, '');
  out.push(`Request line: \`… HTTP/${v.httpVersion.value}\` — ${v.httpVersion.from ? `proxy_http_version, ${src(v.httpVersion)}` : `the default of nginx ${v.version}`}`, '');
  out.push(`Header lines in effect: ${v.headerLevel === 'nginx defaults only' ? 'no level sets proxy_set_header, nginx\'s defaults only' : `those of ${v.headerLevel} (a level with its own proxy_set_header lines inherits none)`}.`, '');
  out.push('| header | value | from |', '|---|---|---|');
  for (const h of v.headers) {
    const framing = h.level !== 'nginx default' ? undefined : h.name === 'Content-Length' ? 'the body\'s length, when the request has one' : h.name === 'Transfer-Encoding' ? '`chunked` for a chunked body not buffered (proxy_request_buffering off, HTTP/1.1)' : undefined;
    const stock = h.stock ? (h.name === 'Host' ? ' (Debian\'s proxy_params; older packages: `$http_host`)' : ' (Debian\'s proxy_params)') : '';
    out.push(`| ${h.name} | ${framing ?? code(h.value)}${h.conditional ? ' (not sent when empty)' : ''}${stock} | ${h.from ? `${h.level} (${where(h.from)})` : 'nginx default'} |`);
  }
  out.push('');
  if (v.passRequestHeaders.value === 'off') out.push(`The client's headers are not passed on (proxy_pass_request_headers off, ${src(v.passRequestHeaders)}).`);
  else out.push(`Then the client's own headers, in its order, except ${v.blocked.map((n) => '`' + n + '`').join(', ')} (the names above and the empty lines${v.silenced.length ? ': ' + v.silenced.map((h) => h.name).join(', ') : ''}).`);
  out.push('');
  if (v.newDefaults) out.push(`nginx 1.29.7 changed the defaults (HTTP/1.1, no \`Connection: close\`): this list follows nginx's changes for that version; the line-by-line proof ran on 1.22.`, '');
  if (v.cache) out.push(`proxy_cache is on (${where(v.cache.from)}): for ${v.cache.methods.join(' and ')} requests nginx also writes If-Modified-Since and If-None-Match from the cached copy (when there is one) and does not pass the client's If-Unmodified-Since, If-Match, Range and If-Range.`, '');
  if (v.dropped.length) out.push(`Not used here: ${v.dropped.length} proxy_set_header line${v.dropped.length > 1 ? 's' : ''} of the levels above (${v.dropped.slice(0, 4).map(where).join(', ')}${v.dropped.length > 4 ? ', …' : ''}).`, '');
  if (v.unread) out.push(`An include that could not be read (${where(v.unread)}) may set more headers: the list may be incomplete.`, '');
  out.push(v.settings.map((s) => `${s.name} ${s.value} — ${src(s)}`).join('  \n'));
  return out.join('\n');
}

/** The short note beside a dropped line (the why is in droppedMarkdown). */
export function droppedSummary(d: DroppedLine): string {
  const n = d.droppedFor.length;
  if (!d.usedBy && n > 1) return `not inherited by any of the ${n} proxies below`;
  return `not inherited by ${d.droppedFor[0].block}${n > 1 ? ` +${n - 1}` : ''}`;
}

/** Why a line is dropped, in Markdown. */
export function droppedMarkdown(d: DroppedLine, where: (p: ViewPlace) => string): string {
  const out = [
    d.usedBy
      ? `nginx sends this line for ${d.usedBy} proxy block${d.usedBy > 1 ? 's' : ''} below, but not for these, which have proxy_set_header lines of their own (a level with any inherits none from above):`
      : 'nginx never sends this line: every proxy block below has proxy_set_header lines of its own, and a level with any inherits none from above:',
    '',
  ];
  for (const x of d.droppedFor.slice(0, 10)) out.push(`- ${x.block} (${where(x.at)}), its lines start at ${where(x.replacedBy)}`);
  if (d.droppedFor.length > 10) out.push(`- and ${d.droppedFor.length - 10} more`);
  out.push('', 'Repeat the line in those blocks if they need it.');
  return out.join('\n');
}
