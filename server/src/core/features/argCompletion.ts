// Completion inside a directive's arguments: the flag and enum values nginx accepts there (the
// probed value table and the reference's syntax), units for sizes and times, `listen` parameters,
// `return` codes; variables after `$` (nginx's own with their docs, the workspace's own from
// every file of the include graph, named with their defining file); header names and the values
// a WebSocket proxy needs; upstream names after `proxy_pass http://`; `@named` locations; file
// paths, through the Host's glob. Pure: reads only the Workspace.
import { lookup, specsInContext, type DirectiveSpec } from '../data/directives';
import { HEADER_NAMES } from '../data/headers';
import { literalArgs } from '../data/literalArgs';
import { directiveDocs, variableDocs } from '../data/reference';
import { directiveTypes, type ArgType } from '../data/valueTypes';
import type { Workspace } from '../analysis';
import type { ENode, RootAnalysis } from '../model/tree';
import { parseVersion, versionAtLeast } from '../model/effective';
import { modelOf } from '../rules/run';
import type { FileId, TextEdit } from '../types';
import { argContext, type ArgContext } from './argContext';
import { syntaxParams } from './syntaxParams';
import { planUpgradeMap } from './upgradeMap';
import type { Place } from './navigate';

export type ArgItemKind = 'value' | 'unit' | 'variable' | 'userVariable' | 'header' | 'upstream' | 'location' | 'file' | 'folder' | 'code';

export interface ArgCompletion {
  label: string;
  kind: ArgItemKind;
  /** One line beside the label. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** The text that replaces [start, offset). */
  insert: string;
  start: number;
  /** Lower sorts first (0: what this place most likely wants). */
  rank: number;
  /** Where a user variable is made (the editor names the file). */
  definedAt?: Place;
  /** An edit elsewhere that the item needs (the `$connection_upgrade` map when there is none). */
  edit?: TextEdit;
  /** A folder: the editor may ask again inside it. */
  again?: boolean;
}

/** Completions for the argument at `offset`; undefined when the cursor is not in arguments. */
export function argumentCompletions(ws: Workspace, file: FileId, offset: number): ArgCompletion[] | undefined {
  const a = argContext(ws, file, offset);
  if (!a) return undefined;
  const dollar = /\$(\{?)([A-Za-z0-9_]*)$/.exec(a.typed);
  if (dollar && !literalArgs(a.name)?.(a.index)) return variables(ws, file, a, offset - dollar[0].length, dollar[1] === '{');
  const out: ArgCompletion[] = [];
  const add = (l: ArgCompletion[] | undefined) => l && out.push(...l);
  add(headers(ws, file, a));
  add(upstreams(ws, file, a));
  add(namedLocations(ws, file, a));
  add(paths(ws, file, a));
  add(codes(a));
  add(values(ws, a));
  // one item per text
  const seen = new Set<string>();
  return out.filter((i) => !seen.has(i.insert) && (seen.add(i.insert), true));
}

// ---------------------------------------------------------------------------------------------
// Values: flags, enums, literal words of the syntax, units

function specsFor(a: ArgContext): readonly DirectiveSpec[] {
  const inCtx = a.ctx ? specsInContext(a.name, a.ctx) : [];
  return inCtx.length ? inCtx : lookup(a.name) ?? [];
}

/** Values a later nginx added, by the version that did (the reference's own notes). */
const SINCE: Record<string, [number, number, number]> = {
  'proxy_http_version 2': [1, 29, 4],
};

const TIME_UNITS: [string, string][] = [['ms', 'milliseconds'], ['s', 'seconds'], ['m', 'minutes'], ['h', 'hours'], ['d', 'days']];
const SIZE_UNITS: [string, string][] = [['k', 'kilobytes'], ['m', 'megabytes'], ['g', 'gigabytes']];

function values(ws: Workspace, a: ArgContext): ArgCompletion[] {
  const out: ArgCompletion[] = [];
  const version = parseVersion(ws.options.nginxVersion);
  const later = versionAtLeast(version, [1, 23, 0]);
  const used = new Set(a.before.map((w) => w.value.toLowerCase()));
  const value = (label: string, detail: string, rank = 1) => {
    if (a.typed.includes('=') && !label.startsWith(a.typed.slice(0, a.typed.indexOf('=') + 1))) return;
    out.push({ label, kind: 'value', detail, insert: label, start: a.start, rank });
  };
  for (const s of specsFor(a)) {
    // the probed table: what nginx 1.22 accepts, and what later versions add
    const types = new Set<ArgType>();
    const t = directiveTypes(s.module, s.name);
    if (t) {
      for (const [count, row] of t.byCount) if (count > a.index && row[a.index]) types.add(row[a.index]!);
      if (t.list) types.add(t.list);
    }
    for (const ty of types) {
      if (ty.type.kind === 'flag') for (const v of ['on', 'off']) value(v, `${s.name}: ${v}${s.default === v ? ' (the default)' : ''}`, 0);
      if (ty.type.kind === 'enum') {
        for (const v of ty.type.values ?? []) if (!t?.list || !used.has(v.toLowerCase())) value(v, `${s.name}: one of ${(ty.type.values ?? []).join(', ')}`, 0);
        if (later) for (const v of ty.later ?? []) if (versionAtLeast(version, SINCE[`${s.name} ${v}`] ?? [1, 23, 0])) value(v, `${s.name}: nginx after 1.22`, 1);
      }
      const digits = /^\d+$/.test(a.typed) ? a.typed : '';
      if (ty.type.kind === 'sec' || ty.type.kind === 'msec') {
        for (const [u, what] of TIME_UNITS) if (digits) out.push({ label: `${digits}${u}`, kind: 'unit', detail: `${digits} ${what}`, insert: `${digits}${u}`, start: a.start, rank: 0 });
      }
      if (ty.type.kind === 'size' || ty.type.kind === 'offset' || ty.type.kind === 'nonzeroSize') {
        for (const [u, what] of SIZE_UNITS) if (digits) out.push({ label: `${digits}${u}`, kind: 'unit', detail: `${digits} ${what}`, insert: `${digits}${u}`, start: a.start, rank: 0 });
      }
    }
    // the reference's syntax: literal words at this position, and the optional keywords (listen's)
    // a position nginx reads as a number, size or time takes no words (the reference writes `size` unstarred at times)
    const typedValue = [...types].some((ty) => ty.type.kind !== 'enum' && ty.type.kind !== 'flag');
    const doc = typedValue ? undefined : directiveDocs(s.name).find((d) => d.module === s.module);
    for (const line of doc?.syntax ?? []) {
      const params = syntaxParams(line);
      const at = params[Math.min(a.index, params.length - 1)];
      if (!at || (a.index >= params.length && !params[params.length - 1].repeats && !params.some((p, i) => i > 0 && p.optional))) continue;
      const positional = a.index < params.length || at.repeats ? at.literals : [];
      const optional = a.index > 0 ? params.slice(1).filter((p) => p.optional).flatMap((p) => p.literals) : [];
      for (const w of [...positional, ...optional]) {
        if (used.has(w.toLowerCase()) || (w.endsWith('=') && [...used].some((u) => u.startsWith(w.toLowerCase())))) continue;
        // a value nginx 1.22 refuses, from a later nginx: only for a configuration that targets one
        if (t && a.index === 0 && [...types].some((ty) => ty.type.kind === 'enum' && !(ty.type.values ?? []).includes(w)) && !(later && versionAtLeast(version, SINCE[`${s.name} ${w}`] ?? [1, 23, 0]))) continue;
        value(w, `${s.name}: ${at.label}`, positional.includes(w) ? 1 : 2);
      }
    }
    // the default, when it is one word
    const def = s.default.split(/\s+/).filter(Boolean);
    if (a.index === 0 && a.typed === '' && def.length === 1 && !/^[-–—]$|\|/.test(def[0])) value(def[0], `${s.name}: the default`, 2);
  }
  if (a.name === 'proxy_http_version') {
    for (const o of out) if (o.label === '1.1') { o.detail = 'HTTP/1.1: needed for WebSocket (Upgrade) and upstream keepalive'; o.rank = 0; }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// return and error_page codes

const CODES: [number, string][] = [
  [200, 'OK'], [204, 'No Content'], [301, 'Moved Permanently'], [302, 'Found'], [303, 'See Other'], [307, 'Temporary Redirect'],
  [308, 'Permanent Redirect'], [400, 'Bad Request'], [401, 'Unauthorized'], [403, 'Forbidden'], [404, 'Not Found'], [405, 'Method Not Allowed'],
  [408, 'Request Timeout'], [410, 'Gone'], [413, 'Content Too Large'], [426, 'Upgrade Required'], [429, 'Too Many Requests'],
  [444, 'nginx: close the connection without a response'], [500, 'Internal Server Error'], [502, 'Bad Gateway'], [503, 'Service Unavailable'], [504, 'Gateway Timeout'],
];

function codes(a: ArgContext): ArgCompletion[] | undefined {
  const isReturn = a.name === 'return' && a.index === 0 && a.ctx !== 'stream-server';
  const isErrorPage = a.name === 'error_page' && a.before.every((w) => /^\d+$/.test(w.value));
  if ((!isReturn && !isErrorPage) || !/^\d*$/.test(a.typed)) return undefined;
  return CODES.filter(([c]) => (isReturn ? true : c >= 300 && c !== 444) && !a.before.some((w) => w.value === String(c))).map(([c, why]) => ({
    label: String(c),
    kind: 'code' as const,
    detail: why,
    documentation: isReturn && c >= 301 && c <= 308 && c !== 304 ? `\`return ${c} URL;\`: a redirect to URL` : undefined,
    insert: String(c),
    start: a.start,
    rank: 1,
  }));
}

// ---------------------------------------------------------------------------------------------
// Header names and the values the WebSocket handshake needs

/** Directive → where its header name is, and whether it names request or response fields. */
const HEADER_DIRECTIVES: Record<string, 'request' | 'response'> = {
  proxy_set_header: 'request', grpc_set_header: 'request', proxy_hide_header: 'response', proxy_pass_header: 'response',
  grpc_hide_header: 'response', grpc_pass_header: 'response', add_header: 'response', add_trailer: 'response',
  proxy_ignore_headers: 'response', more_set_headers: 'response', more_clear_headers: 'response', more_set_input_headers: 'request', more_clear_input_headers: 'request',
};

/** The values people set a request header to upstream, by header (lower case). */
const HEADER_VALUES: Record<string, [string, string][]> = {
  upgrade: [['$http_upgrade', "the client's Upgrade header: `websocket` on a handshake, empty otherwise"]],
  connection: [['$connection_upgrade', '`upgrade` on a handshake, `close` otherwise (the map of $http_upgrade)'], ['"upgrade"', 'always `upgrade`: only for a location that serves nothing but WebSocket'], ['""', 'no Connection header: upstream keepalive']],
  host: [['$host', 'the name the client asked for'], ['$http_host', "the client's Host header, port included"], ['$proxy_host', 'the upstream name from proxy_pass (what nginx sends by default)']],
  'x-real-ip': [['$remote_addr', "the client's address"]],
  'x-forwarded-for': [['$proxy_add_x_forwarded_for', "the client's X-Forwarded-For with its address appended"]],
  'x-forwarded-proto': [['$scheme', 'http or https, as the client connected']],
  'x-forwarded-host': [['$host', 'the name the client asked for']],
  'x-forwarded-port': [['$server_port', 'the port the client connected to']],
  origin: [['$http_origin', "the client's Origin header"]],
  'sec-websocket-protocol': [['$http_sec_websocket_protocol', "the client's subprotocols"]],
};

function headers(ws: Workspace, file: FileId, a: ArgContext): ArgCompletion[] | undefined {
  const side = HEADER_DIRECTIVES[a.name];
  if (!side) return undefined;
  const more = a.name.startsWith('more_');
  if (more) {
    // more_set_headers "Name: value": the name part, quote kept
    const m = /^(["']?)(-[a-z]\s+)?([A-Za-z0-9-]*)$/.exec(a.typed);
    if (!m || a.typed.startsWith('-')) return undefined;
    const q = m[1];
    return HEADER_NAMES.filter((h) => h[side]).map((h) => ({
      label: h.name, kind: 'header' as const, detail: h.about, insert: `${q}${h.name}${a.name.includes('clear') ? '' : ': '}`, start: a.start, rank: 0,
    }));
  }
  if (a.index === 0) {
    if (!/^[A-Za-z0-9-]*$/.test(a.typed)) return undefined;
    return HEADER_NAMES.filter((h) => h[side]).map((h) => ({ label: h.name, kind: 'header' as const, detail: h.about, insert: h.name, start: a.start, rank: 0 }));
  }
  if (a.index === 1 && (a.name === 'proxy_set_header' || a.name === 'grpc_set_header')) {
    const name = a.before[0]?.value.toLowerCase() ?? '';
    return (HEADER_VALUES[name] ?? []).map(([v, why]) => {
      const item: ArgCompletion = { label: v, kind: v.startsWith('$') ? 'variable' : 'value', detail: why, insert: v, start: a.start, rank: 0 };
      if (v === '$connection_upgrade') {
        const plan = planUpgradeMap(ws, file);
        if (plan.kind === 'insert') {
          item.edit = plan.edit;
          item.documentation = 'Not defined yet: accepting it also adds\n\n```nginx\nmap $http_upgrade $connection_upgrade {\n    default upgrade;\n    \'\' close;\n}\n```\n\nto the http block.';
        } else if (plan.kind === 'exists') item.definedAt = { file: plan.file, span: { start: plan.offset, end: plan.offset } };
      }
      return item;
    });
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Upstreams, named locations

/** Directive → the schemes its address may take (the first is the usual one). */
const PASS_SCHEMES: Record<string, string[]> = {
  proxy_pass: ['http://', 'https://'],
  grpc_pass: ['grpc://', 'grpcs://', ''],
  uwsgi_pass: ['', 'uwsgi://', 'suwsgi://'],
  fastcgi_pass: [''],
  scgi_pass: [''],
  memcached_pass: [''],
};

/** The roots a file is read in (main configurations first); for a file nobody reaches, every root. */
function rootsFor(ws: Workspace, file: FileId): RootAnalysis[] {
  const own = ws.rootsOf(file).sort((x, y) => Number(y.kind === 'main') - Number(x.kind === 'main'));
  return own.length ? own : [...ws.analysis().values()];
}

/** Every `name` directive of the trees holding the file, once per place. */
function named(ws: Workspace, file: FileId, name: string): ENode[] {
  const seen = new Set<string>();
  const out: ENode[] = [];
  for (const r of rootsFor(ws, file)) {
    for (const n of modelOf(ws, r, ws.options).named(name)) {
      const k = `${n.file}:${n.d.span.start}`;
      if (!seen.has(k)) { seen.add(k); out.push(n); }
    }
  }
  return out;
}

function upstreams(ws: Workspace, file: FileId, a: ArgContext): ArgCompletion[] | undefined {
  if (a.index !== 0) return undefined;
  const stream = a.ctx?.startsWith('stream') ?? false;
  const schemes = stream ? (a.name === 'proxy_pass' ? [''] : undefined) : PASS_SCHEMES[a.name];
  if (!schemes) return undefined;
  const scheme = schemes.find((s) => s && a.typed.toLowerCase().startsWith(s)) ?? '';
  const rest = a.typed.slice(scheme.length);
  if (!/^[A-Za-z0-9_.-]*$/.test(rest)) return undefined;
  const out: ArgCompletion[] = [];
  const family = stream ? 'stream' : 'http';
  for (const n of named(ws, file, 'upstream')) {
    const up = n.d.arg(0);
    if (!up || (n.ctx === 'stream') !== (family === 'stream')) continue;
    const servers = n.children.filter((c) => c.d.name === 'server').map((c) => c.d.arg(0)).filter(Boolean);
    const prefix = scheme || (a.typed === '' ? schemes[0] : '');
    out.push({
      label: `${prefix}${up}`, kind: 'upstream', detail: servers.length ? `upstream: ${servers.slice(0, 3).join(', ')}${servers.length > 3 ? ', …' : ''}` : 'upstream',
      insert: `${prefix}${up}`, start: a.start, rank: 0, definedAt: { file: n.file, span: n.d.words[1].span },
    });
  }
  if (!scheme && a.typed === '') for (const s of schemes.filter(Boolean)) out.push({ label: s, kind: 'value', detail: `${a.name}: ${s}address`, insert: s, start: a.start, rank: 1, again: true });
  return out;
}

function namedLocations(ws: Workspace, file: FileId, a: ArgContext): ArgCompletion[] | undefined {
  if (!a.typed.startsWith('@') || !((a.name === 'try_files' && a.index >= 1) || (a.name === 'error_page' && a.index >= 1))) return undefined;
  const out: ArgCompletion[] = [];
  const seen = new Set<string>();
  for (const n of named(ws, file, 'location')) {
    const name = n.d.arg(0);
    if (!name?.startsWith('@') || seen.has(name)) continue;
    seen.add(name);
    out.push({ label: name, kind: 'location', detail: 'named location', insert: name, start: a.start, rank: 0, definedAt: { file: n.file, span: n.d.words[1].span } });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Paths

/** Directives whose argument is a file nginx reads; `conf`: relative to the configuration's folder; `prefix`: to nginx's compiled-in prefix. */
const PATH_DIRECTIVES: Record<string, 'conf' | 'prefix'> = {
  include: 'conf', ssl_certificate: 'conf', ssl_certificate_key: 'conf', ssl_trusted_certificate: 'conf', ssl_client_certificate: 'conf',
  ssl_dhparam: 'conf', ssl_crl: 'conf', ssl_password_file: 'conf', ssl_stapling_file: 'conf', ssl_session_ticket_key: 'conf',
  auth_basic_user_file: 'conf', root: 'prefix', alias: 'prefix',
};

function paths(ws: Workspace, file: FileId, a: ArgContext): ArgCompletion[] | undefined {
  const base = PATH_DIRECTIVES[a.name];
  if (!base || a.index !== 0 || /^["']/.test(a.typed) || a.typed.includes('$')) return undefined;
  // nginx's own prefix (what a relative root or alias is read against) is compiled in: only absolute ones
  if (base === 'prefix' && !a.typed.startsWith('/')) return undefined;
  const root = rootsFor(ws, file)[0];
  const dir0 = root ? ws.prefixOf(root.root, root.kind) : file.slice(0, file.lastIndexOf('/'));
  const slash = a.typed.lastIndexOf('/');
  const typedDir = slash >= 0 ? a.typed.slice(0, slash + 1) : '';
  const dir = typedDir.startsWith('/') ? typedDir : `${dir0.replace(/\/$/, '')}/${typedDir}`;
  if (/[*?[]/.test(dir)) return undefined;
  const folders = new Set(ws.glob(`${dir}*/`).map((p) => p.replace(/\/$/, '')));
  const entries = new Set([...ws.glob(`${dir}*`), ...folders]);
  // a store without folders (files only): the folders are what deeper files sit in
  for (const p of ws.glob(`${dir}*/*`)) {
    const f = p.slice(0, p.indexOf('/', dir.length));
    folders.add(f);
    entries.add(f);
  }
  const start = a.start + typedDir.length;
  const out: ArgCompletion[] = [];
  const dirsOnly = a.name === 'root' || a.name === 'alias';
  for (const p of [...entries].sort()) {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (!name || name.startsWith('.')) continue;
    const folder = folders.has(p);
    if (dirsOnly && !folder) continue;
    out.push({ label: folder ? `${name}/` : name, kind: folder ? 'folder' : 'file', detail: p, insert: folder ? `${name}/` : name, start, rank: folder ? 1 : 0, again: folder });
  }
  // a glob of the folder's nginx files, as include usually takes
  if (a.name === 'include' && [...entries].some((p) => p.endsWith('.conf'))) out.push({ label: '*.conf', kind: 'file', detail: `every .conf file of ${dir}`, insert: '*.conf', start, rank: 0 });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Variables

/** Request headers offered as `$http_…` (the family takes any). */
const HTTP_FAMILIES: Record<string, 'request' | 'response'> = { http_: 'request', sent_http_: 'response', upstream_http_: 'response' };

/** Named captures of regular expressions: `(?<name>…)` and `(?P<name>…)`. */
const CAPTURE = /\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g;

function variables(ws: Workspace, file: FileId, a: ArgContext, start: number, braces: boolean): ArgCompletion[] {
  const stream = a.ctx?.startsWith('stream') ?? false;
  const out: ArgCompletion[] = [];
  const put = (name: string, item: Omit<ArgCompletion, 'label' | 'insert' | 'start'>) =>
    out.push({ label: `$${name}`, insert: braces ? `\${${name}}` : `$${name}`, start, ...item });
  // the workspace's own
  const own = new Set<string>();
  const defs = new Map<string, ENode>();
  for (const r of rootsFor(ws, file)) {
    for (const [name, nodes] of modelOf(ws, r, ws.options).definitions) if (!defs.has(name) && nodes[0]) defs.set(name, nodes[0]);
  }
  for (const [name, n] of defs) {
    own.add(name);
    put(name, { kind: 'userVariable', detail: statement(n), rank: 0, definedAt: { file: n.file, span: n.d.words[0].span } });
  }
  for (const [name, c] of namedCaptures(ws, file)) {
    if (own.has(name)) continue;
    own.add(name);
    put(name, { kind: 'userVariable', detail: `named capture of \`${statement(c.n)}\``, rank: 0, definedAt: { file: c.n.file, span: c.span } });
  }
  // nginx's own
  for (const v of variableDocs()) {
    if (own.has(v.name) || v.module.startsWith('ngx_stream_') !== stream || v.module.startsWith('ngx_mail_')) continue;
    const plus = /ngx_http_(auth_jwt|oidc|session_log)_module|ngx_stream_mqtt/.test(v.module);
    const side = HTTP_FAMILIES[v.name];
    if (side) {
      for (const h of HEADER_NAMES.filter((x) => x[side])) {
        const name = v.name + h.name.toLowerCase().replace(/-/g, '_');
        if (!own.has(name)) put(name, { kind: 'variable', detail: `the ${h.name} ${side} header`, documentation: v.description, rank: name === 'http_upgrade' ? 0 : 2 });
      }
    }
    if (v.name.endsWith('_')) {
      put(v.name, { kind: 'variable', detail: `$${v.name}NAME (${v.module})`, documentation: v.description, rank: 3, again: true });
      continue;
    }
    put(v.name, { kind: 'variable', detail: v.module, documentation: v.description, rank: plus ? 3 : 1 });
  }
  const seen = new Set<string>();
  return out.filter((i) => !seen.has(i.label) && (seen.add(i.label), true));
}

/** The named captures of the regular expressions in the trees holding the file (location, if, server_name, rewrite). */
export function namedCaptures(ws: Workspace, file: FileId): Map<string, { n: ENode; span: { start: number; end: number } }> {
  const out = new Map<string, { n: ENode; span: { start: number; end: number } }>();
  for (const dname of ['location', 'if', 'server_name', 'rewrite']) {
    for (const n of named(ws, file, dname)) {
      for (const w of n.d.args) {
        for (const m of w.value.matchAll(CAPTURE)) if (!out.has(m[1].toLowerCase())) out.set(m[1].toLowerCase(), { n, span: w.span });
      }
    }
  }
  return out;
}

/** A directive as one line: `map $http_upgrade $connection_upgrade`. */
export function statement(n: ENode): string {
  const s = n.d.words.map((w) => w.raw).join(' ');
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

