// Pieces several WebSocket rules share: where a header line goes, and the upgrade map.
import { headerName, type ProxyBlock, type WsModel } from '../model/effective';
import type { ENode, RootAnalysis } from '../model/tree';
import { insertAfter, insertAtBlockEnd, upgradeMapInsertion } from '../fix/edits';
import type { Fix, TextEdit } from '../types';
import type { RuleContext } from './types';

/** The directive's text as written (for copying inherited lines). */
export function sourceOf(ctx: RuleContext, n: ENode): string {
  return ctx.text(n.file).slice(n.d.span.start, n.d.span.end);
}

/**
 * An edit that adds `lines` to the proxying block so that they take effect, respecting the
 * all-or-nothing inheritance of proxy_set_header: if the block has its own headers the lines join
 * them; if its headers are inherited, adding one would drop the rest, so the inherited lines are
 * copied along; otherwise the lines go after proxy_pass.
 */
export function addToProxyBlock(ctx: RuleContext, b: ProxyBlock, lines: string[], kind: 'header' | 'directive'): { edit: TextEdit; copied: number } | undefined {
  const node = b.node;
  if (!node.d.block || !node.d.block.close) return undefined;
  const text = ctx.text(node.file);
  const ownIn = (name: string) => node.children.filter((c) => c.d.name === name && c.file === node.file);
  let toAdd = lines;
  let copied = 0;
  if (kind === 'header' && b.headerLevel && b.headerLevel.node !== node) {
    // inherited headers would be lost: copy them (except ones being redefined)
    const redefined = new Set(lines.map((l) => /^proxy_set_header\s+(\S+)/.exec(l)?.[1]?.toLowerCase()));
    const inherited = [...b.headers.values()].filter((h) => !redefined.has(headerName(h)));
    copied = inherited.length;
    toAdd = [...inherited.map((h) => sourceOf(ctx, h)), ...lines];
  }
  const ownHeaders = ownIn('proxy_set_header');
  const anchor = kind === 'header' && ownHeaders.length ? ownHeaders[ownHeaders.length - 1] : ownIn('proxy_http_version')[0] ?? ownIn('proxy_pass')[0];
  if (kind === 'header' && b.headerLevel?.node === node && ownHeaders.length === 0) {
    // all of this level's headers come from an include: add beside that include
    const inc = node.children.find((c) => c.d.name === 'include' && c.file === node.file);
    if (inc) return { edit: insertAfter(text, inc, node, toAdd), copied };
  }
  const edit = anchor ? insertAfter(text, anchor, node, toAdd) : insertAtBlockEnd(text, node, toAdd);
  return { edit, copied };
}

/** Where the canonical upgrade map goes (fix/edits.ts upgradeMapInsertion), for a rule. */
export function mapInsertion(ctx: RuleContext, model: WsModel, root: RootAnalysis, empty: 'close' | "''" = 'close', variable = 'connection_upgrade'): TextEdit | undefined {
  return upgradeMapInsertion(ctx.text, model, root, empty, variable);
}

/** The file name part of a FileId, for fix titles. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

export function fix(title: string, edits: (TextEdit | undefined)[], kind: Fix['kind'] = 'safe'): Fix[] {
  const ok = edits.filter((e): e is TextEdit => !!e);
  return ok.length === edits.length && ok.length ? [{ title, kind, edits: ok }] : [];
}

/** The server block around a node, if any. */
export function serverOf(n: ENode): ENode | undefined {
  let s: ENode | undefined = n.parent;
  while (s && s.d.name !== 'server') s = s.parent;
  return s;
}

/** The location block around (or at) a node, if any. */
export function locationOf(n: ENode): ENode | undefined {
  let l: ENode | undefined = n;
  while (l && l.d.name !== 'location') l = l.parent;
  return l;
}

/** What a proxy_pass argument names (ngx_http_proxy_pass / ngx_parse_url). */
export interface ProxyTarget {
  scheme: string;
  /** The host as written (an upstream name, an address, `unix:…`), lower case. */
  host: string;
  /** The port as written, or undefined. */
  port?: string;
  /** The URI part (from the first `/` after the host), undefined when there is none. */
  uri?: string;
  /** The argument holds a variable: nginx resolves it per request, so nothing is known. */
  variable: boolean;
}

/**
 * proxy_pass values read before, with their reading: the rules ask for the same few values once
 * per proxy block each. Bounded: forgotten wholesale past MAX_TARGETS.
 */
const targets = new Map<string, ProxyTarget | undefined>();
const MAX_TARGETS = 8192;

/** A proxy_pass URL read into scheme, host, port and URI (undefined when it is no URL). The result is shared: never change it. */
export function proxyTarget(arg: string | undefined): ProxyTarget | undefined {
  if (arg === undefined) return undefined;
  let t = targets.get(arg);
  if (t === undefined && !targets.has(arg)) {
    if (targets.size >= MAX_TARGETS) targets.clear();
    t = readTarget(arg);
    if (t) Object.freeze(t);
    targets.set(arg, t);
  }
  return t;
}

function readTarget(arg: string): ProxyTarget | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(arg);
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  const rest = m[2];
  const variable = /\$/.test(rest);
  if (/^unix:/i.test(rest)) {
    // unix:/path/to.sock:/uri — the URI follows the second colon
    const c = rest.indexOf(':', 5);
    return { scheme, host: 'unix:', uri: c >= 0 ? rest.slice(c + 1) || undefined : undefined, variable };
  }
  const slash = rest.indexOf('/');
  const authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const uri = slash >= 0 ? rest.slice(slash) : undefined;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)!;
  return { scheme, host: hp[1].toLowerCase(), port: hp[2], uri, variable };
}

/** Whether a proxy_pass host is a literal address: IPv4, [IPv6], localhost, a unix socket. */
export function isAddressHost(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[') || host === 'localhost' || host === 'unix:';
}

/**
 * Frameworks whose client first talks over HTTP long-polling (Engine.IO, SockJS) or negotiates
 * a connection id (SignalR), then comes back for the same session: each request must reach the
 * backend that holds that session. Matched on a location path or a proxy_pass URI.
 */
const SESSION_FRAMEWORKS: [RegExp, string][] = [
  [/(^|[/^])socket\.io(?=$|[/$?)\\])/i, 'Socket.IO'],
  [/(^|[/^])engine\.io(?=$|[/$?)\\])/i, 'Engine.IO'],
  [/(^|[/^])sockjs(-node)?(?=$|[/$?)\\])/i, 'SockJS'],
  [/(^|[/^])(signalr|hubs)(?=$|[/$?)\\])/i, 'SignalR'],
];

/** The session framework a path names (`/socket.io/` → Socket.IO), or undefined. */
export function sessionFramework(path: string): string | undefined {
  for (const [re, name] of SESSION_FRAMEWORKS) if (re.test(path)) return name;
  return undefined;
}

/** The upstream block a proxy_pass host names (upstream names are case-insensitive), if any. */
export function upstreamNamed(model: WsModel, host: string): ENode | undefined {
  const exact = model.upstreams.get(host);
  if (exact) return exact;
  for (const [name, n] of model.upstreams) if (name.toLowerCase() === host) return n;
  return undefined;
}
