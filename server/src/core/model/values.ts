// nginx's value checks, offline: what the set() handlers of nginx 1.22 refuse in a directive's
// arguments, with nginx's message, found at the directive's terminator (nginx's line).
//   - typed arguments (flag, number, size, offset, time, enum): the type of each argument is
//     data probed from the real binary (data/valueTypes.json), the reading is valueSyntax.ts;
//   - `proxy_pass` without http:// or https://, a port out of range in `*_pass`, `listen` and
//     upstream `server`; unknown `listen` and upstream `server` parameters; `return` codes;
//   - upstream names: `duplicate upstream`, and a `*_pass` to an upstream name with a port;
//   - after the whole configuration: no `events` section.
// Where nginx's verdict depends on something not modelled (DNS, a variable at run time, a
// third-party module), nothing is said. Pure.
import type { DirectiveSpec } from '../data/directives';
import { directiveTypes, type DirectiveTypes } from '../data/valueTypes';
import type { Directive } from '../syntax/ast';
import type { FileId, Finding, Span } from '../types';
import { atoi, sizeOk, timeOk, valueError } from './valueSyntax';

export interface ValueOptions {
  /** The nginx version the configuration is for ('1.22', '1.29.7'); empty: 1.22. */
  nginxVersion?: string;
  directiveSet: 'reference' | 'light-1.22';
}

/** Whether the configured version is nginx 1.22 or older (the probed binary's rules apply as they are). */
let lastVersion: string | undefined = '';
let lastUpTo122 = true;

export function isUpTo122(version: string | undefined): boolean {
  // asked once per directive: the same version string every time
  if (version === lastVersion) return lastUpTo122;
  lastVersion = version;
  return (lastUpTo122 = upTo122(version));
}

function upTo122(version: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return true;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major < 1 || (major === 1 && minor <= 22);
}

/** A directive as validate sees it: its node's parent block, for per-block state. */
export interface ValueSite {
  d: Directive;
  file: FileId;
  /** The enclosing block's identity (any object), undefined at the top. */
  parent: object | undefined;
  ctx: string;
  /** Offset of the directive's terminator (nginx's line). */
  at: number;
}

/** ngx_http_upstream_add's list: explicit upstream{} blocks and the implicit ones *_pass makes. */
interface UpstreamEntry {
  host: string;
  port: number | undefined;
  create: boolean;
  file: FileId;
  at: number;
  /** The directive naming it (its first argument is the span reported). */
  d: Directive;
}

/** `listen` parameters nginx 1.22 on Linux knows without a value (ngx_http_core_listen). */
const LISTEN_FLAGS_122 = new Set(['default_server', 'default', 'bind', 'deferred', 'reuseport', 'ssl', 'http2', 'proxy_protocol']);
/** Added by later versions (the current reference's syntax). */
const LISTEN_FLAGS_LATER = ['quic', 'multipath'];
/** Main-level names that do not by themselves make a file the main configuration. */
const MAIN_BLOCKS = new Set(['http', 'stream', 'mail', 'include']);
/** Upstream balancers whose servers cannot be `backup` (ngx_http_upstream_*_init flags). */
const NO_BACKUP = new Set(['ip_hash', 'hash', 'random']);
/** Upstream `server` parameters of NGINX Plus (and of nginx after 1.22: resolve, service=). */
const SERVER_PARAMS_LATER = /^(resolve|drain|(service|route|slow_start|max_conns)=.*)$/;

/** The `*_pass` directives that add an upstream (ngx_http_upstream_add), with the schemes each strips. */
const PASSES: Record<string, { module: string; schemes: RegExp }> = {
  proxy_pass: { module: 'ngx_http_proxy_module', schemes: /^https?:\/\//i },
  fastcgi_pass: { module: 'ngx_http_fastcgi_module', schemes: /^/ },
  scgi_pass: { module: 'ngx_http_scgi_module', schemes: /^/ },
  memcached_pass: { module: 'ngx_http_memcached_module', schemes: /^/ },
  uwsgi_pass: { module: 'ngx_http_uwsgi_module', schemes: /^(s?uwsgi:\/\/)?/i },
  grpc_pass: { module: 'ngx_http_grpc_module', schemes: /^(grpcs?:\/\/)?/i },
};

type PortVerdict = { port: number | undefined } | { error: string } | undefined;

/**
 * The port of a host[:port] as ngx_parse_inet_url reads it (the first `:` starts the port);
 * undefined when the reading is not modelled (unix:, an IPv6 address not closed).
 * `portOnly`: `listen 8080` is a port.
 */
function portOf(url: string, opts: { uri: boolean; portOnly: boolean }): PortVerdict {
  const portText = (t: string) => portTextOf(t, opts.portOnly);
  if (/^unix:/i.test(url)) return undefined;
  if (url.startsWith('[')) {
    // ngx_parse_inet6_url: [address], a URI part from `/` where allowed, then :port or nothing
    const close = url.indexOf(']');
    if (close < 0) return { error: 'invalid host' };
    let tail = url.slice(close + 1);
    const cut = tail.indexOf('/');
    if (cut >= 0) {
      if (!opts.uri) return { error: 'invalid host' };
      tail = tail.slice(0, cut);
    }
    if (tail === '') return { port: undefined };
    if (!tail.startsWith(':')) return { error: 'invalid host' };
    return portText(tail.slice(1));
  }
  let host = url;
  const cut = host.search(/[/?]/);
  if (cut >= 0) {
    // a path where none is allowed (`fastcgi_pass http://…`, `listen 1.2.3.4:80/x`)
    if (!opts.uri) return { error: 'invalid host' };
    host = host.slice(0, cut);
  }
  const colon = host.indexOf(':');
  if (colon < 0) {
    if (opts.portOnly && /^[0-9]+-[0-9]+$/.test(host)) return portText(host);
    if (opts.portOnly && /^[0-9]+$/.test(host)) {
      const n = atoi(host);
      if (n === null || n === undefined) return undefined;
      return n < 1 || n > 65535 ? { error: 'invalid port' } : { port: n };
    }
    return { port: undefined };
  }
  return portText(host.slice(colon + 1));
}

/**
 * A port's text: 1 to 65535. `listen` also takes a range (`8000-8010`: the nginx 1.22 build of
 * Debian does), each end a port, the first not above the second; elsewhere a range is not judged.
 */
function portTextOf(t: string, listen: boolean): PortVerdict {
  const range = /^([0-9]+)-([0-9]+)$/.exec(t);
  if (range) {
    if (!listen) return undefined;
    const [a, b] = [atoi(range[1]), atoi(range[2])];
    if (a === null || b === null || a === undefined || b === undefined) return undefined;
    if (a < 1 || a > 65535 || b < 1 || b > 65535) return { error: 'invalid port' };
    return a > b ? { error: 'invalid port range' } : { port: undefined };
  }
  const n = atoi(t);
  if (n === null) return undefined;
  return n === undefined || n < 1 || n > 65535 ? { error: 'invalid port' } : { port: n };
}

/** The typed arguments of a spec, looked up once per spec (most directives have none). */
const specTypes = new WeakMap<DirectiveSpec, DirectiveTypes | null>();
function typesOf(spec: DirectiveSpec, name: string): DirectiveTypes | undefined {
  if (spec.name !== name) return directiveTypes(spec.module, name);
  let t = specTypes.get(spec);
  if (t === undefined) specTypes.set(spec, (t = directiveTypes(spec.module, name) ?? null));
  return t ?? undefined;
}

export class ValueChecks {
  private findings: Finding[] = [];
  private readonly upTo122: boolean;
  /** ngx_http_upstream_add's list, by lower-cased name (nginx compares names case-insensitively). */
  private readonly upstreams = new Map<string, UpstreamEntry[]>();
  private readonly noBackup = new WeakSet<object>();
  private sawEvents = false;
  /** A main-level directive other than a block or include: the file is a main configuration, not a piece of one. */
  private sawMainDirective = false;

  constructor(private readonly opts: ValueOptions) {
    this.upTo122 = isUpTo122(opts.nginxVersion);
  }

  private report(file: FileId, span: Span, message: string, at: number, after?: Finding['after']) {
    const f: Finding = { file, span, severity: 'error', code: 'nginx-directive', message, nginxAt: at };
    if (after) f.after = after;
    this.findings.push(f);
  }

  /** Appends the findings reported since the last drain to `out`, in the order nginx meets them. */
  drainInto(out: Finding[]): void {
    const f = this.findings;
    if (!f.length) return;
    for (let i = 0; i < f.length; i++) out.push(f[i]);
    this.findings = [];
  }

  /** The findings reported since the last drain, in the order nginx meets them. */
  drain(): Finding[] {
    const out = this.findings;
    if (out.length) this.findings = [];
    return out;
  }

  /** One directive that passed nginx's context and argument-count checks. */
  check(site: ValueSite, spec: DirectiveSpec): void {
    const { d } = site;
    if (site.ctx === 'main') {
      if (d.name === 'events') this.sawEvents = true;
      else if (!MAIN_BLOCKS.has(d.name)) this.sawMainDirective = true;
    }
    if (this.typed(site, spec)) return;
    const m = spec.module;
    if (m === 'ngx_http_upstream_module') {
      if (d.name === 'upstream' && site.ctx === 'http') this.upstream(site);
      else if (d.name === 'server' && site.ctx === 'upstream') this.upstreamServer(site);
      else if (NO_BACKUP.has(d.name) && site.parent) this.noBackup.add(site.parent);
      return;
    }
    if (d.name === 'listen' && m === 'ngx_http_core_module') return this.listen(site);
    if (d.name === 'return' && m === 'ngx_http_rewrite_module') return this.returnCode(site);
    const pass = PASSES[d.name];
    if (pass && pass.module === m) this.pass(site, pass.schemes);
  }

  /** The checks nginx makes once the whole configuration is read. */
  finish(root: FileId, kind: 'main' | 'fragment', complete: boolean): void {
    // ngx_event_init_conf: with no file or line in nginx's output; reported on line 1. Only for
    // what is surely a main configuration: a file with just `http {}` may be a piece of one
    // that some nginx.conf outside the workspace includes.
    const main = this.sawMainDirective || /(^|\/)nginx\.conf$/.test(root);
    if (kind === 'main' && complete && main && !this.sawEvents) {
      this.report(root, { start: 0, end: 0 }, 'no "events" section in configuration', 0, { file: root, offset: Number.MAX_SAFE_INTEGER });
    }
  }

  /** Typed arguments (valueTypes.json); true when one was refused. */
  private typed(site: ValueSite, spec: DirectiveSpec): boolean {
    const { d } = site;
    const types = typesOf(spec, d.name);
    if (!types) return false;
    const n = d.wordCount - 1;
    const row = types.byCount.get(n);
    if (!row && !types.list) return false;
    for (let i = 0; i < n; i++) {
      const t = row?.[i] ?? types.list;
      if (!t) continue;
      const v = d.arg(i)!;
      if (t.variables && v.includes('$')) continue;
      if (!this.upTo122) {
        // a later nginx: many arguments have learnt variables since (proxy_limit_rate in 1.27.0);
        // the current reference's extra values are accepted; a flag or list it opened is not judged
        if (v.includes('$') || !t.later) continue;
        const lv = v.toLowerCase();
        if (t.later.some((x) => x.toLowerCase() === lv)) continue;
      }
      const message = valueError(t.type, d.name, v);
      if (message) {
        this.report(site.file, d.args[i].span, message, site.at);
        return true;
      }
    }
    return false;
  }

  /** ngx_http_proxy_pass and its siblings: the URL prefix, the port, and the upstream it names. */
  private pass(site: ValueSite, schemes: RegExp) {
    const url = site.d.arg(0)!;
    if (url.includes('$')) return; // compiled: judged per request
    const scheme = schemes.exec(url);
    if (site.d.name === 'proxy_pass' && !scheme) {
      const w = site.d.args[0];
      // the span starts where the value does (inside quotes), as ws-proxy-pass-scheme's, which replaces it for ws://
      const q = w.quote === 'none' ? 0 : 1;
      this.report(site.file, { start: w.span.start + q, end: Math.max(w.span.start + q, w.span.end - q) }, 'invalid URL prefix', site.at);
      return;
    }
    const rest = url.slice(scheme ? scheme[0].length : 0);
    // only proxy_pass takes a URI part; elsewhere a `/` is "invalid host"
    const p = portOf(rest, { uri: site.d.name === 'proxy_pass', portOnly: false });
    if (!p) return;
    if ('error' in p) {
      this.report(site.file, site.d.args[0].span, `${p.error} in upstream "${rest}"`, site.at);
      return;
    }
    const cut = rest.search(/[/?]/);
    const hostPort = cut >= 0 ? rest.slice(0, cut) : rest;
    if (hostPort.startsWith('[')) return;
    const host = hostPort.includes(':') ? hostPort.slice(0, hostPort.indexOf(':')) : hostPort;
    this.addUpstream({ host, port: p.port, create: false, file: site.file, at: site.at, d: site.d });
  }

  private upstream(site: ValueSite) {
    this.addUpstream({ host: site.d.arg(0)!, port: undefined, create: true, file: site.file, at: site.at, d: site.d });
  }

  /** ngx_http_upstream_add: the same name twice, and a port where an upstream{} has none. */
  private addUpstream(u: UpstreamEntry) {
    const key = u.host.toLowerCase();
    const same = this.upstreams.get(key) ?? [];
    this.upstreams.set(key, same);
    for (const e of same) {
      if (u.create && e.create) {
        this.report(u.file, u.d.args[0].span, `duplicate upstream "${u.host}"`, u.at);
        return;
      }
      if (e.create && u.port !== undefined) {
        this.report(u.file, u.d.args[0].span, `upstream "${u.host}" may not have port ${u.port}`, u.at);
        return;
      }
      if (u.create && e.port !== undefined) {
        // ngx_log_error with the *_pass's own file and line, met when the upstream block opens
        this.report(e.file, e.d.args[0].span, `upstream "${u.host}" may not have port ${e.port}`, e.at, { file: u.file, offset: u.at - 0.25 });
        return;
      }
      if (e.port !== undefined && u.port !== undefined && e.port !== u.port) continue;
      if (u.create) e.create = true;
      return;
    }
    same.push({ ...u });
  }

  /** ngx_http_core_listen: the address's port, then each parameter. */
  private listen(site: ValueSite) {
    const d = site.d;
    const addr = d.arg(0)!;
    if (addr.includes('$')) return;
    const p = portOf(addr, { uri: false, portOnly: true });
    if (p && 'error' in p) {
      this.report(site.file, d.args[0].span, `${p.error} in "${addr}" of the "listen" directive`, site.at);
      return;
    }
    // a host name is resolved before the parameters are read: its verdict depends on DNS
    const host = addr.includes(':') ? addr.slice(0, addr.indexOf(':')) : addr;
    const unix = /^unix:/i.test(addr);
    if (!unix && (!p || !(host === '*' || addr.startsWith('[') || /^[0-9]+(-[0-9]+)?$/.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)))) return;
    for (let i = 1; i < d.wordCount - 1; i++) {
      const v = d.arg(i)!;
      if (LISTEN_FLAGS_122.has(v) || (!this.upTo122 && LISTEN_FLAGS_LATER.includes(v))) continue;
      const eq = v.indexOf('=');
      const name = eq > 0 ? v.slice(0, eq) : '';
      const val = v.slice(eq + 1);
      // a parameter with a value: `invalid backlog "backlog=x"`; where nginx's words are not modelled, stop
      const n = atoi(val);
      const bad = (ok: boolean | null) => {
        if (ok === false) this.report(site.file, d.args[i].span, `invalid ${name} "${v}"`, site.at);
        return ok !== true;
      };
      if (name === 'fastopen' || name === 'backlog') { if (bad(n === null ? null : n !== undefined && (name !== 'backlog' || n !== 0))) return; continue; }
      if (name === 'rcvbuf' || name === 'sndbuf') { if (bad(sizeOk(val))) return; continue; }
      if (name === 'ipv6only' || name === 'so_keepalive') { if (val === 'on' || val === 'off') continue; return; }
      if (name === 'accept_filter') continue; // a warning on Linux
      this.report(site.file, d.args[i].span, `invalid parameter "${v}"`, site.at);
      return;
    }
  }

  /** ngx_http_upstream_server: the parameters, then the address's port. */
  private upstreamServer(site: ValueSite) {
    const d = site.d;
    for (let i = 1; i < d.wordCount - 1; i++) {
      const v = d.arg(i)!;
      if (v === 'down') continue;
      if (v === 'backup') {
        if (site.parent && this.noBackup.has(site.parent)) return; // "balancing method does not support…"
        continue;
      }
      let ok: boolean | null | undefined;
      if (v.startsWith('weight=')) { const n = atoi(v.slice(7)); ok = n === null ? null : n !== undefined && n !== 0; }
      else if (v.startsWith('max_fails=')) { const n = atoi(v.slice(10)); ok = n === null ? null : n !== undefined; }
      else if (v.startsWith('max_conns=')) { const n = atoi(v.slice(10)); ok = n === null ? null : n !== undefined; }
      else if (v.startsWith('fail_timeout=')) ok = timeOk(v.slice(13), true);
      else if (this.opts.directiveSet === 'reference' && SERVER_PARAMS_LATER.test(v)) return; // NGINX Plus, later nginx
      else ok = false;
      if (ok === null) return;
      if (!ok) {
        this.report(site.file, d.args[i].span, `invalid parameter "${v}"`, site.at);
        return;
      }
    }
    const addr = d.arg(0)!;
    const p = portOf(addr, { uri: false, portOnly: false });
    if (p && 'error' in p) this.report(site.file, d.args[0].span, `${p.error} in upstream "${addr}"`, site.at);
  }

  /** ngx_http_rewrite_return: a code up to 999, or a URL for 302. */
  private returnCode(site: ValueSite) {
    const v = site.d.arg(0)!;
    const n = atoi(v);
    if (n === null) return;
    if (n === undefined) {
      if ((v.length > 7 && v.startsWith('http://')) || (v.length > 8 && v.startsWith('https://')) || (v.length > 6 && v.startsWith('$scheme'))) return;
    } else if (n <= 999) return;
    this.report(site.file, site.d.args[0].span, `invalid return code "${v}"`, site.at);
  }
}
