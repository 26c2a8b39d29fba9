// The hover's whole story: a directive's full description from nginx's reference, its syntax,
// its default for the nginx version the configuration targets, contexts, module and page; a
// variable's meaning (nginx's own) or its definition and where it lives (the workspace's own);
// an upstream's servers; a named location's place. What the cursor is on comes from navigate's
// symbolAt, plus the names it does not know (upstreams, @locations). Pure: reads only the Workspace.
import { docsUrl, isKnownVariable, lookup, specsInContext, type DirectiveSpec } from '../data/directives';
import { directiveDoc, variableDoc } from '../data/reference';
import { isThirdPartyDirective } from '../data/thirdParty';
import { isNotIn122 } from '../data/valueTypes';
import type { Workspace } from '../analysis';
import type { ENode, RootAnalysis } from '../model/tree';
import { parseVersion, versionAtLeast } from '../model/effective';
import { DEFAULT_NGINX_VERSION } from '../options';
import { modelOf } from '../rules/run';
import type { Directive } from '../syntax/ast';
import type { FileId, Span } from '../types';
import { plainSyntax } from '../data/reference';
import { describe, definitionsOf, symbolAt, type Place } from './navigate';
import { namedCaptures, statement } from './argCompletion';

export interface HoverResult {
  markdown: string;
  span: Span;
}

/**
 * The hover at `offset`. `where` names a place for the reader (a relative path and line, a
 * link): the core gives files and offsets, the editor writes them.
 */
export function hoverAt(ws: Workspace, file: FileId, offset: number, where: (p: Place) => string): HoverResult | undefined {
  const ref = referenceAt(ws, file, offset);
  if (ref) {
    const md = ref.kind === 'upstream' ? describeUpstream(ws, file, ref.name, where) : describeNamedLocation(ws, file, ref.name, where);
    if (md) return { markdown: md, span: ref.span };
  }
  const s = symbolAt(ws, file, offset);
  if (!s) return undefined;
  if (s.kind === 'directive') {
    const md = describeDirectiveFull(s.d.name, ws.options.nginxVersion, contextOf(ws, file, s.d));
    return md ? { markdown: md, span: s.span } : undefined;
  }
  if (s.kind === 'variable') return { markdown: describeVariable(ws, file, s.name, where), span: s.span };
  const md = describe(ws, file, s, where);
  return md ? { markdown: md, span: s.span } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Directives

/**
 * The reference's whole entry for a directive: syntax, default for `version`, contexts, module,
 * the page, then the full description. With `ctx`, only the modules that have it there.
 */
export function describeDirectiveFull(name: string, version: string | undefined, ctx?: DirectiveSpec['contexts'][number]): string | undefined {
  const all = lookup(name);
  if (!all) return isThirdPartyDirective(name) ? `\`${name}\`: a directive of a third-party module (loaded separately).` : undefined;
  const here = ctx ? specsInContext(name, ctx) : [];
  const specs = here.length ? here : all;
  return specs.map((s) => describeSpec(s, version)).join('\n\n---\n\n');
}

function describeSpec(s: DirectiveSpec, version: string | undefined): string {
  const v = version || DEFAULT_NGINX_VERSION;
  const doc = directiveDoc(s.name, s.module);
  const syntax = (doc?.syntax.length ? doc.syntax : ['']).map((l) => `${[s.name, plainSyntax(l)].filter(Boolean).join(' ')}${s.block ? ' { … }' : ';'}`);
  const def = defaultFor(s, v);
  const facts = [`**Default:** ${def ?? '—'}`, `**Context:** ${s.contexts.join(', ')}`];
  const old = versionAtLeast(parseVersion(v), [1, 23, 0]) ? undefined : isNotIn122(s.module, s.name) ? `**Not in nginx ${v}:** a later version added it.` : undefined;
  const parts = [
    `**${s.name}**${s.block ? ' { … }' : ''} — ${s.module}${s.plus ? ' (NGINX Plus, commercial)' : s.external ? ' (a separate module)' : ''}`,
    '```nginx\n' + syntax.join('\n') + '\n```',
    facts.join('  \n'),
    ...(old ? [old] : []),
    doc?.description ?? '',
    `[nginx.org: ${s.name}](${docsUrl(s.name, s.module)})`,
  ];
  return parts.filter(Boolean).join('\n\n');
}

/**
 * Defaults that changed in a release, the reference (always the newest nginx) giving the new
 * one: [module (or '' for any), directive, the first version with the reference's default, the default before].
 */
const OLDER_DEFAULTS: readonly [string, string, [number, number, number], string][] = [
  ['ngx_http_proxy_module', 'proxy_http_version', [1, 29, 7], '1.0'],
  ['ngx_http_upstream_module', 'keepalive', [1, 29, 7], '— (no connections kept)'],
  ['', 'keepalive_requests', [1, 19, 10], '100'],
  ['ngx_http_core_module', 'sendfile_max_chunk', [1, 21, 4], '0 (no limit)'],
  ['ngx_core_module', 'accept_mutex', [1, 11, 3], 'on'],
  ['ngx_http_core_module', 'output_buffers', [1, 9, 5], '1 32k'],
  ['', 'ssl_protocols', [1, 23, 4], 'TLSv1 TLSv1.1 TLSv1.2'],
  ['', 'proxy_ssl_protocols', [1, 23, 4], 'TLSv1 TLSv1.1 TLSv1.2'],
  ['', 'grpc_ssl_protocols', [1, 23, 4], 'TLSv1 TLSv1.1 TLSv1.2'],
  ['', 'uwsgi_ssl_protocols', [1, 23, 4], 'TLSv1 TLSv1.1 TLSv1.2'],
];

/** The default for the nginx version the configuration targets, and since when it holds. */
export function defaultFor(s: DirectiveSpec, version: string): string | undefined {
  const v = parseVersion(version);
  const ref = s.default ? `\`${s.default}\`` : undefined;
  for (const [module, name, since, before] of OLDER_DEFAULTS) {
    if ((module && s.module !== module) || s.name !== name) continue;
    const at = since.join('.');
    if (versionAtLeast(v, since)) return `${ref ?? '—'} (since ${at})`;
    const old = before.startsWith('—') ? before : `\`${before.replace(/ \(.*\)$/, '')}\`${/ \(.*\)$/.exec(before)?.[0] ?? ''}`;
    return `${old} in nginx ${version} (${ref ?? 'none'} since ${at})`;
  }
  return ref;
}

/** The context a directive of a file stands in (for the module that applies there). */
function contextOf(ws: Workspace, file: FileId, d: Directive): DirectiveSpec['contexts'][number] | undefined {
  for (const r of rootsFor(ws, file)) {
    for (const n of modelOf(ws, r, ws.options).named(d.name)) {
      if (n.file === file && n.d.span.start === d.span.start) return n.ctx === 'handler' || n.ctx === 'opaque' || n.ctx === 'unknown' ? undefined : n.ctx;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Variables

/** What the variables of WebSocket proxying hold, said for the case that matters here. */
const MEANINGS: Record<string, string> = {
  http_upgrade: "the client's `Upgrade` request header: `websocket` on a WebSocket handshake, empty for plain HTTP. nginx never forwards it by itself (it is hop-by-hop): `proxy_set_header Upgrade $http_upgrade;` passes it on",
  http_connection: "the client's `Connection` request header (`Upgrade`, `keep-alive`…); hop-by-hop, so nginx does not forward it by itself",
  connection_upgrade: 'not an nginx variable: the usual `map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }` makes it (`upgrade` on a handshake, `close` otherwise)',
  proxy_host: 'the name and port of the proxied server as written in `proxy_pass`: the `Host` nginx sends upstream by default',
  proxy_add_x_forwarded_for: "the client's `X-Forwarded-For` request header with `$remote_addr` appended",
};

/** A variable: the workspace's definitions with their text and place, else nginx's meaning. */
export function describeVariable(ws: Workspace, file: FileId, name: string, where: (p: Place) => string): string {
  const defs = definitionsOf(ws, file, name);
  if (defs.length) {
    const nodes = definingNodes(ws, file, name);
    const parts = defs.slice(0, 5).map((p) => {
      const n = nodes.find((x) => x.file === p.file && x.d.span.start <= p.span.start && p.span.end <= x.d.span.end);
      return `${n ? '```nginx\n' + definitionText(ws, n) + '\n```\n' : ''}in ${where(p)}`;
    });
    return [`**$${name}** is defined by:`, ...parts, defs.length > 5 ? `… ${defs.length - 5} more` : ''].filter(Boolean).join('\n\n');
  }
  const capture = namedCaptures(ws, file).get(name);
  if (capture) return `**$${name}**: a named capture of\n\n\`\`\`nginx\n${statement(capture.n)}\n\`\`\`\n\nin ${where({ file: capture.n.file, span: capture.span })}; set when that regular expression matches`;
  const docs = variableDoc(name);
  const known = isKnownVariable(name);
  const lines = [known ? `**$${name}**: an nginx variable` : `**$${name}**`];
  if (MEANINGS[name]) lines.push(MEANINGS[name] + '.');
  for (const d of docs) {
    const family = d.name.endsWith('_') ? ` (\`$${d.name}NAME\`: ${name.startsWith(d.name) ? `here the \`${name.slice(d.name.length).replace(/_/g, '-')}\` field` : ''})` : '';
    lines.push(`${d.description}${family}  \n*${d.module}*`);
  }
  if (!known && !MEANINGS[name]) lines.push('nothing in the workspace defines it, and nginx has no such variable.');
  if (known || docs.length) lines.push('[nginx.org: index of variables](https://nginx.org/en/docs/varindex.html)');
  return lines.join('\n\n');
}

function definingNodes(ws: Workspace, file: FileId, name: string): ENode[] {
  const out: ENode[] = [];
  for (const r of [...rootsFor(ws, file), ...ws.analysis().values()]) out.push(...(modelOf(ws, r, ws.options).definitions.get(name) ?? []));
  return out;
}

/** A defining directive as written: a short map or geo block whole, else its first line. */
function definitionText(ws: Workspace, n: ENode): string {
  const text = ws.text(n.file) ?? '';
  const whole = text.slice(n.d.span.start, n.d.span.end);
  const lines = whole.split('\n');
  if (lines.length <= 12) return dedent(lines);
  return `${statement(n)} { … ${n.d.block?.children.length ?? 0} entries }`;
}

function dedent(lines: string[]): string {
  const rest = lines.slice(1).filter((l) => l.trim());
  const ind = Math.min(...rest.map((l) => /^\s*/.exec(l)![0].length), Infinity);
  const cut = Number.isFinite(ind) ? Math.max(0, ind - 4) : 0;
  return [lines[0], ...lines.slice(1).map((l) => l.slice(Math.min(cut, /^\s*/.exec(l)![0].length)))].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Upstreams and named locations

/** Directives whose first argument may name an upstream. */
const PASSES = new Set(['proxy_pass', 'grpc_pass', 'uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'memcached_pass']);

/** An upstream name or a @location under the cursor, in the words that take them. */
function referenceAt(ws: Workspace, file: FileId, offset: number): { kind: 'upstream' | 'location'; name: string; span: Span } | undefined {
  let list = ws.parsed(file)?.directives ?? [];
  for (;;) {
    const d = list.find((x) => x.span.start <= offset && offset <= x.span.end);
    if (!d) return undefined;
    const i = d.words.findIndex((w) => w.span.start <= offset && offset <= w.span.end);
    if (i > 0) {
      const w = d.words[i];
      if ((PASSES.has(d.name) && i === 1) || (d.name === 'upstream' && i === 1)) {
        const m = /^((?:https?|grpcs?|s?uwsgi):\/\/)?([A-Za-z0-9_.-]+)/i.exec(w.value);
        if (m && w.quote === 'none') {
          const start = w.span.start + (m[1]?.length ?? 0);
          if (offset <= start + m[2].length) return { kind: 'upstream', name: m[2], span: { start, end: start + m[2].length } };
        }
      }
      if (w.value.startsWith('@') && (d.name === 'try_files' || d.name === 'error_page' || (d.name === 'location' && i === 1))) return { kind: 'location', name: w.value, span: w.span };
      return undefined;
    }
    if (i === 0 || !d.block || d.block.kind !== 'directives') return undefined;
    list = d.block.children;
  }
}

/** The upstreams of that name in the trees holding the file: where, and their servers. */
function describeUpstream(ws: Workspace, file: FileId, name: string, where: (p: Place) => string): string | undefined {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const r of rootsFor(ws, file)) {
    for (const n of modelOf(ws, r, ws.options).named('upstream')) {
      if (n.d.arg(0) !== name || seen.has(`${n.file}:${n.d.span.start}`)) continue;
      seen.add(`${n.file}:${n.d.span.start}`);
      const inner = n.children.filter((c) => c.d.wordCount > 0);
      const servers = inner.filter((c) => c.d.name === 'server').map((c) => `- \`${c.d.args.map((a) => a.raw).join(' ')}\``);
      const other = inner.filter((c) => c.d.name !== 'server').map((c) => `\`${c.d.words.map((x) => x.raw).join(' ')}\``);
      parts.push([
        `**upstream ${name}**${n.ctx === 'stream' ? ' (stream)' : ''} in ${where({ file: n.file, span: n.d.words[1].span })}`,
        servers.length ? `${servers.length} server${servers.length === 1 ? '' : 's'}:\n${servers.slice(0, 20).join('\n')}${servers.length > 20 ? `\n- … ${servers.length - 20} more` : ''}` : 'no servers (nginx refuses it: "no servers are inside upstream")',
        other.length ? `with ${other.slice(0, 8).join(', ')}` : '',
      ].filter(Boolean).join('\n\n'));
    }
  }
  return parts.length ? parts.join('\n\n---\n\n') : undefined;
}

function describeNamedLocation(ws: Workspace, file: FileId, name: string, where: (p: Place) => string): string | undefined {
  const places: string[] = [];
  const seen = new Set<string>();
  for (const r of rootsFor(ws, file)) {
    for (const n of modelOf(ws, r, ws.options).named('location')) {
      if (n.d.arg(0) !== name || seen.has(`${n.file}:${n.d.span.start}`)) continue;
      seen.add(`${n.file}:${n.d.span.start}`);
      const inner = n.children.filter((c) => c.d.wordCount > 0).slice(0, 6).map((c) => `    ${c.d.words.map((w) => w.raw).join(' ')};`);
      places.push(`in ${where({ file: n.file, span: n.d.words[1].span })}\n\n\`\`\`nginx\nlocation ${name} {\n${inner.join('\n')}${n.children.length > 6 ? '\n    …' : ''}\n}\n\`\`\``);
    }
  }
  return places.length ? [`**location ${name}**: a named location (reached only by try_files, error_page, or a redirect; never by a request's URI)`, ...places].join('\n\n') : undefined;
}

/** Roots whose tree holds the file, main configurations first; every root for a file nobody reaches. */
function rootsFor(ws: Workspace, file: FileId): RootAnalysis[] {
  const own = ws.rootsOf(file).sort((a, b) => Number(b.kind === 'main') - Number(a.kind === 'main'));
  return own.length ? own : [...ws.analysis().values()];
}
