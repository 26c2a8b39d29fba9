// Typed, read-only access to the generated directive table (directives.json, written by
// scripts/gen-directives.mjs from @nginx/reference-lib and checked against a real nginx by
// scripts/probe-arity.mjs). Pure: no I/O; the JSON is bundled.
import data from './directives.json';

/** Our context ids: where a directive may appear. */
export type Ctx =
  | 'main'
  | 'events'
  | 'http'
  | 'server' // http server {}
  | 'location'
  | 'if-server' // if {} directly inside server (NGX_HTTP_SIF_CONF)
  | 'if-location' // if {} inside location (NGX_HTTP_LIF_CONF)
  | 'limit_except'
  | 'upstream' // http upstream {}
  | 'stream'
  | 'stream-server'
  | 'stream-upstream'
  | 'mail'
  | 'mail-server'
  | 'acme_issuer'
  | 'oidc_provider'
  | 'mgmt';

export interface ArgCounts {
  minArgs: number;
  /** Infinity for NGX_CONF_1MORE / 2MORE / ANY. */
  maxArgs: number;
  /** The exact allowed counts when they are not the whole range (e.g. TAKE13 gives [1, 3]). */
  args?: number[];
}

export interface DirectiveSpec extends ArgCounts {
  name: string;
  /** nginx module name, e.g. 'ngx_http_proxy_module'; core directives use 'ngx_core_module'. */
  module: string;
  contexts: Ctx[];
  /** Takes a `{ ... }` block instead of ending with `;`. */
  block: boolean;
  /** nginx rejects a second occurrence at the same level: `"x" directive is duplicate`. */
  dup: boolean;
  /** Only in the commercial NGINX Plus. */
  plus: boolean;
  /** Open source but outside the nginx tree, loaded as a separate module (njs, otel, acme). */
  external: boolean;
  /** Known, in this module's context, to nginx 1.22.1 as built by Debian's nginx-light. */
  inLight122: boolean;
  /** Known to nginx but absent from the nginx.org docs (found by probing the binary). */
  undocumented: boolean;
  /** The documented default, verbatim ('' when none). */
  default: string;
  /** Present only where nginx 1.22 accepted other argument counts than current nginx. */
  light122Args?: ArgCounts;
}

interface RawEntry {
  m: number;
  c: number;
  b?: 1;
  a: [number, number];
  s?: number[];
  d?: string;
  dup?: 1;
  p?: 1;
  x?: 1;
  l?: 1;
  u?: 1;
  a122?: [number, number] | { s: number[]; a: [number, number] };
}

interface RawData {
  source: string;
  contexts: Ctx[];
  modules: string[];
  directives: Record<string, RawEntry[]>;
  variables: { names: Record<string, number[]>; prefixes: Record<string, number[]> };
}

const raw = data as unknown as RawData;

/** All context ids, in table order. */
export const CONTEXTS: readonly Ctx[] = Object.freeze(raw.contexts.slice());

/** Where the table came from (reference-lib version, probed nginx version). */
export const DATA_SOURCE: string = raw.source;

function counts(a: [number, number], s?: number[]): ArgCounts {
  const c: ArgCounts = { minArgs: a[0], maxArgs: a[1] === -1 ? Infinity : a[1] };
  if (s) c.args = s.slice();
  return c;
}

function decode(name: string, e: RawEntry): DirectiveSpec {
  const contexts = e.c === -1 ? CONTEXTS.slice() : CONTEXTS.filter((_, i) => (e.c & (1 << i)) !== 0);
  const spec: DirectiveSpec = {
    name,
    module: raw.modules[e.m],
    contexts,
    block: e.b === 1,
    ...counts(e.a, e.s),
    dup: e.dup === 1,
    plus: e.p === 1,
    external: e.x === 1,
    inLight122: e.l === 1,
    undocumented: e.u === 1,
    default: e.d ?? '',
  };
  if (e.a122) spec.light122Args = Array.isArray(e.a122) ? counts(e.a122) : counts(e.a122.a, e.a122.s);
  return Object.freeze(spec);
}

const table = new Map<string, readonly DirectiveSpec[]>();
for (const [name, entries] of Object.entries(raw.directives)) {
  table.set(name, Object.freeze(entries.map((e) => decode(name, e))));
}

/** Every entry nginx's docs know for this directive name (one per module), or undefined. */
export function lookup(name: string): readonly DirectiveSpec[] | undefined {
  return table.get(name);
}

export function isKnownDirective(name: string): boolean {
  return table.has(name);
}

/** All directive names, sorted. */
export function directiveNames(): string[] {
  return [...table.keys()];
}

/** The entries of `name` that may appear in `ctx` (empty: "not allowed here" or unknown). */
export function specsInContext(name: string, ctx: Ctx): DirectiveSpec[] {
  return (table.get(name) ?? []).filter((s) => s.contexts.includes(ctx));
}

/**
 * Whether nginx's argument-count check (NGX_CONF_TAKEn / FLAG / 1MORE / 2MORE / ANY) lets `n`
 * arguments through. `build: 'light122'` applies what nginx 1.22.1 accepted where it differed.
 */
export function allowsArgCount(spec: DirectiveSpec, n: number, build: 'current' | 'light122' = 'current'): boolean {
  const c: ArgCounts = build === 'light122' && spec.light122Args ? spec.light122Args : spec;
  if (c.args) return c.args.includes(n);
  return n >= c.minArgs && n <= c.maxArgs;
}

/** Human-readable count, e.g. "2", "1 or 2", "1 or 3", "at least 1", "any". */
export function describeArgCount(c: ArgCounts): string {
  if (c.args) return c.args.join(' or ');
  if (c.maxArgs === Infinity) return c.minArgs === 0 ? 'any' : `at least ${c.minArgs}`;
  if (c.minArgs === c.maxArgs) return String(c.minArgs);
  if (c.maxArgs === c.minArgs + 1) return `${c.minArgs} or ${c.maxArgs}`;
  return `${c.minArgs} to ${c.maxArgs}`;
}

/** The nginx.org page of a directive, e.g. https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass */
export function docsUrl(name: string, module: string): string {
  const fam = /^ngx_(http|stream|mail)_/.exec(module);
  const page = fam ? `${fam[1]}/${module}` : module; // ngx_core_module, ngx_mgmt_module, ngx_otel_module, ...
  return `https://nginx.org/en/docs/${page}.html#${name}`;
}

// ---------------------------------------------------------------------------------------------
// Variables

export type VarFamily = 'http' | 'stream';

function familyOf(moduleIndex: number): VarFamily {
  return raw.modules[moduleIndex].startsWith('ngx_stream_') ? 'stream' : 'http';
}

const varNames = new Map<string, Set<VarFamily>>();
for (const [name, mods] of Object.entries(raw.variables.names)) varNames.set(name, new Set(mods.map(familyOf)));
const varPrefixes: Array<[string, Set<VarFamily>]> = Object.entries(raw.variables.prefixes).map(
  ([p, mods]) => [p, new Set(mods.map(familyOf))] as [string, Set<VarFamily>],
);

/** Prefix families such as `http_`, `sent_http_`, `cookie_`, `arg_`, `upstream_http_`. */
export function variablePrefixes(): string[] {
  return varPrefixes.map(([p]) => p);
}

/**
 * Whether `name` (with or without the leading `$`) is a variable some module provides: a
 * built-in name, a prefix family member (`$http_upgrade`), or a regex capture (`$1`). Variables
 * made by `set`, `map`, `geo`, ... are not built-in: the caller tracks those.
 */
export function isKnownVariable(name: string, family?: VarFamily): boolean {
  // nginx compares variable names case-insensitively ($HTTP_UPGRADE works).
  const n = (name.startsWith('$') ? name.slice(1) : name).toLowerCase();
  if (/^[0-9]+$/.test(n)) return true;
  const fams = varNames.get(n);
  if (fams && (!family || fams.has(family))) return true;
  for (const [p, pf] of varPrefixes) {
    if (n.length > p.length && n.startsWith(p) && (!family || pf.has(family))) return true;
  }
  return false;
}
