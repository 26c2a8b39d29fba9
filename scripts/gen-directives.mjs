#!/usr/bin/env node
// Generates server/src/core/data/directives.json from @nginx/reference-lib (dev time only;
// the output is committed). Run with `npm run gen:data`.
//
// What it derives:
//   - contexts: reference-lib's prose contexts mapped to our context ids (see mapContext);
//   - argument counts: parsed from the `syntax` prose (see syntaxArity), then corrected by the
//     ARITY_OVERRIDES table below wherever nginx's own NGX_CONF_* mask disagrees with the prose;
//   - plus / external markers: curated module lists + the "This directive is available as part
//     of our commercial subscription" note on single directives;
//   - dup / inLight122: read from the probe results of the real nginx 1.22.1 build
//     (scripts/probe-light-1.22.json, written by scripts/probe-arity.mjs). Without that file
//     both default to false.
//   - variables: names and the `$prefix_NAME` families.
//
// Output shape (compact on purpose; decoded by server/src/core/data/directives.ts):
// {
//   source, contexts: [ctx ids, index = bit], modules: [names],
//   directives: { name: [ { m: moduleIndex, c: contextBitmask, b?: 1, a: [min, max|-1],
//                           s?: [exact counts], d?: default, dup?: 1, p?: 1, x?: 1, l?: 1,
//                           u?: 1 (undocumented), a122?: counts nginx 1.22 accepted } ] },
//   variables: { names: { name: [moduleIndex, ...] }, prefixes: { prefix: [moduleIndex, ...] } }
// }
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { getDirectives, getVariables, Format } from '@nginx/reference-lib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const OUT = join(root, 'server/src/core/data/directives.json');
const PROBE = join(here, 'probe-light-1.22.json');

/** Our context ids. The order is the bit order of the `c` masks: append only. */
export const CONTEXTS = [
  'main', 'events', 'http', 'server', 'location', 'if-server', 'if-location', 'limit_except',
  'upstream', 'stream', 'stream-server', 'stream-upstream', 'mail', 'mail-server',
  // NGINX Plus / external-module blocks that reference-lib names as contexts.
  'acme_issuer', 'oidc_provider', 'mgmt',
];

/** Modules that only exist in the commercial NGINX Plus. */
const PLUS_MODULES = new Set([
  'ngx_http_api_module', 'ngx_http_keyval_module', 'ngx_stream_keyval_module',
  'ngx_http_status_module', 'ngx_http_oidc_module', 'ngx_mgmt_module',
  'ngx_stream_zone_sync_module', 'ngx_stream_mqtt_filter_module', 'ngx_stream_mqtt_preread_module',
  'ngx_http_internal_redirect_module', 'ngx_http_auth_jwt_module', 'ngx_http_auth_require_module',
  'ngx_http_f4f_module', 'ngx_http_hls_module', 'ngx_http_session_log_module',
  'ngx_http_upstream_conf_module', 'ngx_http_upstream_hc_module', 'ngx_stream_upstream_hc_module',
  'ngx_http_num_map_module', 'ngx_stream_num_map_module', 'ngx_http_tunnel_module',
]);

/** Open-source modules that live outside the nginx source tree (separate dynamic modules). */
const EXTERNAL_MODULES = new Set([
  'ngx_http_js_module', 'ngx_stream_js_module', // njs
  'ngx_otel_module', // nginx-otel
  'ngx_http_acme_module', // nginx-acme
]);

const ALL_CONTEXTS_MASK = (1 << CONTEXTS.length) - 1;
const bit = (ctx) => {
  const i = CONTEXTS.indexOf(ctx);
  if (i < 0) throw new Error(`unknown context id ${ctx}`);
  return 1 << i;
};

function moduleFamily(module) {
  if (module.startsWith('ngx_stream_')) return 'stream';
  if (module.startsWith('ngx_mail_')) return 'mail';
  return 'http';
}

/** One reference-lib context string to our ids. */
function mapContext(prose, module, name) {
  const fam = moduleFamily(module);
  switch (prose) {
    case '': return CONTEXTS; // `include`: NGX_ANY_CONF
    case 'main': return ['main'];
    case 'events': return ['events'];
    case 'http': return ['http'];
    case 'stream': return ['stream'];
    case 'mail': return ['mail'];
    case 'location': return ['location'];
    case 'limit_except': return ['limit_except'];
    case 'if in location': return ['if-location'];
    // Only the rewrite module says plain "if": its directives carry
    // NGX_HTTP_SIF_CONF|NGX_HTTP_LIF_CONF, i.e. `if` inside server and inside location.
    case 'if': return ['if-server', 'if-location'];
    case 'server': return [fam === 'stream' ? 'stream-server' : fam === 'mail' ? 'mail-server' : 'server'];
    case 'upstream': return [fam === 'stream' ? 'stream-upstream' : 'upstream'];
    case 'acme_issuer': case 'oidc_provider': case 'mgmt': return [prose];
    default: throw new Error(`unmapped context "${prose}" of ${name} (${module})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Argument counts from the syntax prose.
//
// The prose uses: `literal`, *`placeholder`*, [optional], `a | b` alternatives (with spaces:
// alternatives of word sequences; glued `on`|`off`: one word), `...` (repeat the previous word),
// `{...}` (block marker). Words glued together (address[:port]) count as one argument.

function tokenize(src) {
  let s = src.replace(/`\{\.\.\.\}`/g, ' ');
  s = s.replace(/`[^`]*`/g, 'w'); // literal spans: their content never structures the syntax
  s = s.replace(/'[^']*'/g, 'w'); // perl's 'sub { ... }'
  s = s.replace(/\*/g, '');
  const toks = [];
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (/\s/.test(c)) { while (i < s.length && /\s/.test(s[i])) i++; toks.push({ t: 'ws' }); continue; }
    if (s.startsWith('...', i)) { toks.push({ t: '...' }); i += 3; continue; }
    if (c === '[' || c === ']') { toks.push({ t: c }); i++; continue; }
    if (c === '|') {
      const spaced = /\s/.test(s[i - 1] ?? ' ') || /\s/.test(s[i + 1] ?? ' ');
      toks.push({ t: spaced ? 'alt' : 'txt' }); i++; continue;
    }
    toks.push({ t: 'txt' }); i++;
  }
  return toks;
}

/** Parses tokens up to a matching ']' (or the end) into alternatives of chunk sequences. */
function parseGroup(toks, pos) {
  const alts = [];
  let seq = [];
  let chunk = [];
  const endChunk = () => { if (chunk.length) { seq.push({ atoms: chunk, rep: false }); chunk = []; } };
  while (pos.i < toks.length) {
    const tok = toks[pos.i++];
    if (tok.t === ']') break;
    if (tok.t === 'ws') endChunk();
    else if (tok.t === 'txt') chunk.push({ k: 't' });
    else if (tok.t === '[') chunk.push({ k: 'g', alts: parseGroup(toks, pos) });
    else if (tok.t === 'alt') { endChunk(); alts.push(seq); seq = []; }
    else if (tok.t === '...') { endChunk(); if (seq.length) seq[seq.length - 1].rep = true; }
  }
  endChunk();
  alts.push(seq);
  return alts;
}

function countAlts(alts) {
  let min = Infinity, max = 0;
  for (const seq of alts) {
    let lo = 0, hi = 0;
    for (const ch of seq) {
      let clo, chi;
      if (ch.atoms.some((a) => a.k === 't')) { clo = 1; chi = 1; } // glued groups add no words
      else {
        clo = 0; chi = 0;
        for (const a of ch.atoms) chi += countAlts(a.alts).max;
      }
      if (ch.rep) chi = Infinity;
      lo += clo; hi += chi;
    }
    min = Math.min(min, lo); max = Math.max(max, hi);
  }
  return { min: min === Infinity ? 0 : min, max };
}

/** The set of allowed argument counts the prose describes, as {min, max, set?}. */
export function syntaxArity(syntaxes) {
  const allowed = new Set();
  let infiniteFrom = Infinity;
  for (const syn of syntaxes.length ? syntaxes : ['']) {
    let { min, max } = countAlts(parseGroup(tokenize(syn), { i: 0 }));
    // nginx's fixed-arity masks stop at TAKE7: anything longer must be 1MORE/2MORE.
    if (max > 7) max = Infinity;
    if (max === Infinity) infiniteFrom = Math.min(infiniteFrom, min);
    else for (let n = min; n <= max; n++) allowed.add(n);
  }
  return normalize(allowed, infiniteFrom);
}

function normalize(allowed, infiniteFrom = Infinity) {
  const counts = [...allowed].filter((n) => n < infiniteFrom).sort((a, b) => a - b);
  const min = Math.min(counts[0] ?? Infinity, infiniteFrom);
  const max = infiniteFrom < Infinity ? Infinity : counts[counts.length - 1];
  const contiguous = infiniteFrom < Infinity
    ? counts.every((n, i) => n === min + i) && (counts.length === 0 || counts[counts.length - 1] + 1 >= infiniteFrom)
    : counts.every((n, i) => n === min + i);
  // An open-ended count list with holes cannot be an nginx mask: keep the range.
  return contiguous || max === Infinity ? { min, max } : { min, max, set: counts };
}

// nginx's masks, written as allowed-count specs.
const NOARGS = { min: 0, max: 0 };
const TAKE = (...n) => normalize(new Set(n));
const MORE1 = { min: 1, max: Infinity };
const MORE2 = { min: 2, max: Infinity };
const ANY = { min: 0, max: Infinity };

// ---------------------------------------------------------------------------------------------
// Where the prose and nginx's NGX_CONF_* masks disagree, nginx wins. Keys are `name` (every
// module) or `module:name`. Each one was found by scripts/probe-arity.mjs against nginx 1.22.1
// unless marked "source" (module not in the Debian nginx-light build; mask read from the
// module's C source) — keep the comment honest when adding entries.
const ARITY_OVERRIDES = {
  // `if (condition)`: a condition is one to three words ($a = b): NGX_CONF_1MORE (probe).
  'ngx_http_rewrite_module:if': MORE1,
  // `path [format [buffer=size] [gzip[=level]] [flush=time] [if=condition]]` reads as at most six
  // words, but nginx declares NGX_CONF_1MORE (probe; the stream module is the same in source).
  access_log: MORE1,
  // `file [level]` (+ `json` since 1.29.8): NGX_CONF_1MORE, several levels/parameters (probe).
  error_log: MORE1,
  // `users:permissions ...`: NGX_CONF_TAKE123 (probe).
  dav_access: TAKE(1, 2, 3),
  fastcgi_store_access: TAKE(1, 2, 3),
  proxy_store_access: TAKE(1, 2, 3),
  scgi_store_access: TAKE(1, 2, 3),
  uwsgi_store_access: TAKE(1, 2, 3),
  // `none | browser ...`: NGX_CONF_TAKE12 (probe).
  keepalive_disable: TAKE(1, 2),
  // `off | cookie [flag ...]`: NGX_CONF_TAKE1234 (probe).
  proxy_cookie_flags: TAKE(1, 2, 3, 4),
  // `off | flag ...`: NGX_CONF_TAKE123 (probe).
  userid_flags: TAKE(1, 2, 3),
  // `[SSLv2] [SSLv3] ...` reads as "zero or more"; nginx wants at least one: NGX_CONF_1MORE
  // (probe for the http ones; stream/mail/zone_sync/njs use the same bitmask slot in source).
  ssl_protocols: MORE1,
  proxy_ssl_protocols: MORE1,
  grpc_ssl_protocols: MORE1,
  uwsgi_ssl_protocols: MORE1,
  zone_sync_ssl_protocols: MORE1,
  js_fetch_protocols: MORE1,
  // `off | [shared:name:size]`: NGX_CONF_TAKE1 (probe; stream same in source).
  ssl_ocsp_cache: TAKE(1),
  // `off | none | [builtin[:size]] [shared:name:size]`: NGX_CONF_TAKE12 (probe; stream/mail same).
  ssl_session_cache: TAKE(1, 2),
  // `address [parameters]`: parameters are several words (weight=, max_fails=, backup, ...):
  // NGX_CONF_1MORE (probe; the stream upstream module is the same in source).
  'ngx_http_upstream_module:server': MORE1,
  'ngx_stream_upstream_module:server': MORE1,
  // `stub_status;` and the legacy `stub_status on;`: NGX_CONF_NOARGS|NGX_CONF_TAKE1 (probe).
  stub_status: TAKE(0, 1),
  // `key zone=name:size rate=rate [sync]`: `sync` exists only in NGINX Plus; open-source nginx
  // declares NGX_CONF_TAKE3 (probe).
  limit_req_zone: TAKE(3),
  // `rotate 90 | 180 | 270` and friends: NGX_CONF_TAKE123 (source; module not in the probed build).
  image_filter: TAKE(1, 2, 3),
  // `[parameters]`: several `name=value` parameters (NGINX Plus, docs).
  health_check: ANY,
};

// Where nginx 1.22.1 accepted other counts than current nginx (an argument added later). Stored
// as `a122` so a harness can emulate that build; every entry here is confirmed by the probe.
const ARITY_122 = {
  // `keepalive connections [local]`: `local` appeared in 1.29.x; 1.22 has NGX_CONF_TAKE1.
  'ngx_http_upstream_module:keepalive': TAKE(1),
};

// Contexts where nginx disagrees with the docs (probe): both directives are declared with
// NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF although the docs list `location` only.
const EXTRA_CONTEXTS = {
  'ngx_http_fastcgi_module:fastcgi_split_path_info': ['http', 'server'],
  'ngx_http_secure_link_module:secure_link_secret': ['http', 'server'],
};

function arityFor(d) {
  return ARITY_OVERRIDES[`${d.module}:${d.name}`] ?? ARITY_OVERRIDES[d.name] ?? syntaxArity(d.syntax);
}

// ---------------------------------------------------------------------------------------------

/** Parses the probe's "{1,2,8+}" notation (8+ means "and every larger count"). */
function parseCounts(text) {
  const allowed = new Set();
  let inf = Infinity;
  for (const p of text.replace(/[{}]/g, '').split(',').filter(Boolean)) {
    if (p.endsWith('+')) inf = Number(p.slice(0, -1)); else allowed.add(Number(p));
  }
  // "{1,...,7,8+}": the open tail starts right after the last contiguous count.
  if (inf < Infinity) { let from = inf; while (allowed.has(from - 1)) from--; for (const n of [...allowed]) if (n >= from) allowed.delete(n); inf = from; }
  return normalize(allowed, inf);
}

/** Owners of undocumented directives (from the nginx sources). */
const UNDOCUMENTED_MODULES = {
  epoll_events: 'ngx_epoll_module',
  gzip_hash: 'ngx_http_gzip_module', gzip_no_buffer: 'ngx_http_gzip_module',
  gzip_window: 'ngx_http_gzip_module', postpone_gzipping: 'ngx_http_gzip_module',
  http2_pool_size: 'ngx_http_v2_module', http2_streams_index_size: 'ngx_http_v2_module',
  open_file_cache_events: 'ngx_http_core_module', post_action: 'ngx_http_core_module',
  ssi_ignore_recycled_buffers: 'ngx_http_ssi_module', uwsgi_string: 'ngx_http_uwsgi_module',
};

function isPlus(d) {
  if (PLUS_MODULES.has(d.module)) return true;
  const text = d.description.replace(/[>\s]+/g, ' ');
  return /This directive is available as part of our \[?commercial subscription/.test(text);
}

function normModule(m) {
  return m === 'Core functionality' ? 'ngx_core_module' : m;
}

function loadProbe() {
  if (!existsSync(PROBE)) {
    console.warn(`note: ${PROBE} not found: dup and inLight122 left false (run scripts/probe-arity.mjs)`);
    return undefined;
  }
  return JSON.parse(readFileSync(PROBE, 'utf8'));
}

export function build() {
  const directives = getDirectives(Format.Markdown);
  const variables = getVariables(Format.Markdown);
  const probe = loadProbe();

  const modules = [];
  const modIndex = (m) => { let i = modules.indexOf(m); if (i < 0) { i = modules.length; modules.push(m); } return i; };

  const out = {};
  const sorted = [...directives].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of sorted) {
    const module = normModule(d.module);
    let mask = 0;
    for (const c of d.contexts) for (const id of mapContext(c, module, d.name)) mask |= bit(id);
    for (const id of EXTRA_CONTEXTS[`${module}:${d.name}`] ?? []) mask |= bit(id);
    const ar = arityFor(d);
    const e = { m: modIndex(module), c: mask === ALL_CONTEXTS_MASK ? -1 : mask };
    if (d.isBlock) e.b = 1;
    e.a = [ar.min, ar.max === Infinity ? -1 : ar.max];
    if (ar.set) e.s = ar.set;
    const def = d.default.trim();
    if (def) e.d = def;
    const pr = probe?.entries?.[`${module}:${d.name}`];
    if (pr?.dup) e.dup = 1;
    if (isPlus(d)) e.p = 1;
    if (EXTERNAL_MODULES.has(module)) e.x = 1;
    if (pr?.known) e.l = 1;
    const old = ARITY_122[`${module}:${d.name}`];
    if (old) e.a122 = old.set ? { s: old.set, a: [old.min, old.max] } : [old.min, old.max === Infinity ? -1 : old.max];
    (out[d.name] ??= []).push(e);
  }

  // Directives the probed nginx knows but the docs do not describe (found by the probe in the
  // binary). Their facts are measured, so they only exist when the probe results are present.
  for (const [name, u] of Object.entries(probe?.undocumented ?? {})) {
    if (out[name]) continue;
    let mask = 0;
    for (const id of u.contexts) mask |= bit(id);
    const ar = parseCounts(u.accepted);
    const e = { m: modIndex(UNDOCUMENTED_MODULES[name] ?? 'ngx_unknown_module'), c: mask };
    if (u.block) e.b = 1;
    e.a = [ar.min, ar.max === Infinity ? -1 : ar.max];
    if (ar.set) e.s = ar.set;
    if (u.dup) e.dup = 1;
    e.l = 1;
    e.u = 1;
    out[name] = [e];
  }

  const varNames = {};
  const prefixes = {};
  for (const v of variables) {
    const name = v.name.replace(/^\$/, '');
    const mi = modIndex(normModule(v.module));
    const m = /^(.*_)NAME$/.exec(name);
    const bucket = m ? prefixes : varNames;
    const key = m ? m[1] : name;
    const list = (bucket[key] ??= []);
    if (!list.includes(mi)) list.push(mi);
  }

  return {
    source: `@nginx/reference-lib ${readPkgVersion()}; dup/l from nginx ${probe?.nginx ?? 'n/a'} probes`,
    contexts: CONTEXTS,
    modules,
    directives: out,
    variables: { names: varNames, prefixes },
  };
}

function readPkgVersion() {
  const require = createRequire(import.meta.url);
  try {
    const p = require.resolve('@nginx/reference-lib/package.json');
    return JSON.parse(readFileSync(p, 'utf8')).version;
  } catch {
    const p = join(root, 'node_modules/@nginx/reference-lib/package.json');
    return JSON.parse(readFileSync(p, 'utf8')).version;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const data = build();
  const text = JSON.stringify(data);
  writeFileSync(OUT, text + '\n');
  const names = Object.keys(data.directives).length;
  const entries = Object.values(data.directives).reduce((n, l) => n + l.length, 0);
  console.log(`wrote ${OUT}: ${names} names, ${entries} entries, ${data.modules.length} modules, ${(text.length / 1024).toFixed(1)} KB`);
}
