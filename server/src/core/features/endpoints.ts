// ws:// and wss:// URLs a configuration serves, for the "Check endpoint…" quick pick: one per
// WebSocket proxy block (the core's intent) and listen socket of its server, from server_name,
// listen (port, `ssl` → wss) and the location path. Pure: reads only the Workspace.
import type { ENode } from '../model/tree';
import type { Workspace } from '../analysis';
import type { FileId } from '../types';
import { modelOf } from '../rules/run';

export interface EndpointSuggestion {
  url: string;
  /** Why it is a WebSocket endpoint (the core's reason). */
  reason: string;
  file: FileId;
  /** Offset of the proxying block in `file`. */
  offset: number;
}

export function endpointSuggestions(ws: Workspace, active: FileId | undefined): EndpointSuggestion[] {
  const all = [...ws.analysis().values()];
  const reaching = all.filter((r) => active !== undefined && r.files.has(active));
  const out = new Map<string, EndpointSuggestion>();
  for (const root of reaching.length ? reaching : all) {
    for (const b of modelOf(ws, root, ws.options).proxies) {
      if (!b.intent) continue;
      let server: ENode | undefined = b.node;
      while (server && !(server.d.name === 'server' && server.ctx === 'http')) server = server.parent;
      let loc: ENode | undefined = b.node;
      while (loc && loc.d.name !== 'location') loc = loc.parent;
      const path = loc ? locationPath(loc.d.args.map((a) => a.value)) : '/';
      if (path === undefined) continue;
      for (const url of urlsOf(server, path)) {
        if (!out.has(url)) out.set(url, { url, reason: b.intent, file: b.node.file, offset: b.node.d.span.start });
      }
    }
  }
  return [...out.values()];
}

/** A path a request can use for a location: the literal one, or the literal start of a regex. */
export function locationPath(args: string[]): string | undefined {
  if (args.length === 1) return args[0].startsWith('/') ? args[0] : undefined; // @named: no URL
  const [mod, p] = args;
  if (mod === '=' || mod === '^~') return p;
  if (mod !== '~' && mod !== '~*') return undefined;
  const lit = p.replace(/^\^/, '').replace(/\$$/, '');
  const m = /^((?:\\.|[^\\.*+?()[\]{}|])*)/.exec(lit)![1].replace(/\\(.)/g, '$1');
  return m.startsWith('/') ? m : undefined;
}

function urlsOf(server: ENode | undefined, path: string): string[] {
  const own = (name: string) => server?.children.filter((c) => c.d.name === name) ?? [];
  const names = own('server_name').flatMap((n) => n.d.args.map((a) => a.value)).filter((n) => n && n !== '_' && !n.startsWith('~') && !n.includes('*'));
  const sslOn = own('ssl').some((n) => n.d.arg(0) === 'on');
  const listens = own('listen').map((n) => listenOf(n.d.args.map((a) => a.value), sslOn)).filter((l): l is Listen => !!l);
  if (!listens.length) listens.push({ port: 80, secure: sslOn });
  const urls: string[] = [];
  for (const l of listens) {
    const hosts = names.length ? [names[0]] : [];
    if (l.host) hosts.push(l.host);
    if (!names.some((n) => n === 'localhost') && !l.host) hosts.push('localhost');
    for (const host of hosts) {
      const scheme = l.secure ? 'wss' : 'ws';
      const port = l.port === (l.secure ? 443 : 80) ? '' : `:${l.port}`;
      urls.push(`${scheme}://${host}${port}${path}`);
    }
  }
  return urls;
}

interface Listen { host?: string; port: number; secure: boolean }

/** ngx_http_core_listen's address forms: port, addr, addr:port, [v6]:port; unix: has no URL. */
function listenOf(args: string[], sslOn: boolean): Listen | undefined {
  const a = args[0];
  if (!a || a.startsWith('unix:')) return undefined;
  const secure = sslOn || args.includes('ssl');
  const m = /^(\[[^\]]*\]|[^:]*?)(?::(\d+))?$/.exec(a);
  if (!m) return undefined;
  let host: string | undefined = m[1];
  let port = m[2] ? Number(m[2]) : secure ? 443 : 80;
  if (/^\d+$/.test(host) && !m[2]) { port = Number(host); host = undefined; }
  if (host === '*' || host === '0.0.0.0' || host === '[::]' || host === '') host = undefined;
  return { host, port, secure };
}
