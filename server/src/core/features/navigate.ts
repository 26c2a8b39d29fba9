// What stands at an offset of a file, and where it is defined: the directive under the cursor
// (for its reference), a `$variable` (for the map/set that makes it), an include's path (for
// the files it reads). Pure: reads only the Workspace.
import { isKnownVariable, lookup, docsUrl, type DirectiveSpec } from '../data/directives';
import { isThirdPartyDirective } from '../data/thirdParty';
import type { ENode, RootAnalysis } from '../model/tree';
import type { Workspace } from '../analysis';
import { modelOf } from '../rules/run';
import type { Directive, Word } from '../syntax/ast';
import type { FileId, Span } from '../types';
import { DEFAULT_NGINX_VERSION } from '../options';
import { versionAtLeast } from '../model/effective';

export type NavSymbol =
  | { kind: 'directive'; d: Directive; span: Span }
  | { kind: 'variable'; name: string; d: Directive; span: Span }
  | { kind: 'include'; d: Directive; arg: string; span: Span };

export interface Place {
  file: FileId;
  span: Span;
}

/** The directive name, variable or include path at `offset` (inclusive of a word's end). */
export function symbolAt(ws: Workspace, file: FileId, offset: number): NavSymbol | undefined {
  let list = ws.parsed(file)?.directives ?? [];
  for (;;) {
    const d = list.find((x) => x.span.start <= offset && offset <= x.span.end);
    if (!d) return undefined;
    const words = d.words;
    const i = words.findIndex((w) => w.span.start <= offset && offset <= w.span.end);
    if (i === 0) return { kind: 'directive', d, span: words[0].span };
    if (i > 0) return argumentSymbol(d, words[i], offset);
    if (!d.block || d.block.kind !== 'directives' || offset <= d.block.open.start) return undefined;
    list = d.block.children;
  }
}

function argumentSymbol(d: Directive, w: Word, offset: number): NavSymbol | undefined {
  if (d.name === 'include' && d.wordCount === 2) return { kind: 'include', d, arg: w.value, span: w.span };
  // `$name` or `${name}` around the offset, in the text as written
  const raw = w.raw;
  const at = offset - w.span.start;
  for (let i = raw.lastIndexOf('$', Math.min(at, raw.length - 1)); i >= 0; i = i > 0 ? raw.lastIndexOf('$', i - 1) : -1) {
    const m = /^\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(raw.slice(i));
    if (!m) continue;
    if (at > i + m[0].length) return undefined; // the cursor is past this variable
    return { kind: 'variable', name: (m[1] ?? m[2]).toLowerCase(), d, span: { start: w.span.start + i, end: w.span.start + i + m[0].length } };
  }
  return undefined;
}

/** Roots whose tree holds the file, main configurations first. */
function rootsFor(ws: Workspace, file: FileId): RootAnalysis[] {
  return ws.rootsOf(file).sort((a, b) => Number(b.kind === 'main') - Number(a.kind === 'main'));
}

/** The word of a defining directive that names the variable. */
function definingWord(n: ENode): Word | undefined {
  const args = n.d.args;
  if (n.d.name === 'map') return args[1];
  if (n.d.name === 'geo' || n.d.name === 'split_clients') return args[args.length - 1];
  return args[0];
}

/**
 * Where a variable is made (map, geo, set, auth_request_set…) in the trees that hold the file;
 * for a file nobody includes, anywhere in the workspace. Empty for nginx's own variables.
 */
export function definitionsOf(ws: Workspace, file: FileId, name: string): Place[] {
  const places = (roots: RootAnalysis[]) => {
    const out = new Map<string, Place>();
    for (const r of roots) {
      for (const n of modelOf(ws, r, ws.options).definitions.get(name) ?? []) {
        const w = definingWord(n);
        const span = w ? w.span : n.d.span;
        out.set(`${n.file}:${span.start}`, { file: n.file, span });
      }
    }
    return [...out.values()];
  };
  const own = rootsFor(ws, file);
  const found = places(own);
  if (found.length || own.some((r) => r.kind === 'main')) return found;
  return places([...ws.analysis().values()]);
}

/** The files an include reads, resolved from each tree that holds the file. */
export function includeTargets(ws: Workspace, file: FileId, arg: string): FileId[] {
  const out = new Set<FileId>();
  for (const r of rootsFor(ws, file)) {
    for (const f of ws.resolveInclude(ws.prefixOf(r.root, r.kind), arg).files) out.add(f);
  }
  return [...out];
}

/** Markdown for the hover of a symbol. */
export function describe(ws: Workspace, file: FileId, s: NavSymbol, where: (p: Place) => string): string | undefined {
  if (s.kind === 'directive') return describeDirective(s.d.name, ws.options.nginxVersion);
  if (s.kind === 'include') {
    const files = includeTargets(ws, file, s.arg);
    if (!files.length && /(^|\/)proxy_params$/.test(s.arg)) {
      return `\`include ${s.arg}\`: not in the workspace; Debian's stock file sets \`proxy_set_header\` Host, X-Real-IP, X-Forwarded-For and X-Forwarded-Proto — which stops this level from inheriting other proxy_set_header lines.`;
    }
    if (!files.length) return `\`include ${s.arg}\`: no file of the workspace matches.`;
    return `\`include ${s.arg}\` reads:\n\n${files.slice(0, 20).map((f) => `- ${where({ file: f, span: { start: 0, end: 0 } })}`).join('\n')}${files.length > 20 ? `\n- … ${files.length - 20} more` : ''}`;
  }
  const defs = definitionsOf(ws, file, s.name);
  if (defs.length) return `\`$${s.name}\` is defined by:\n\n${defs.map((p) => `- ${where(p)}`).join('\n')}`;
  const meaning = VARIABLE_MEANINGS[s.name] ?? (s.name.startsWith('http_') ? `the client's \`${s.name.slice(5).replace(/_/g, '-')}\` request header (any header: lower case, dashes as underscores); empty when the request has none` : undefined);
  if (meaning && isKnownVariable(s.name)) return `\`$${s.name}\`: ${meaning} ([index of variables](https://nginx.org/en/docs/varindex.html)).`;
  if (isKnownVariable(s.name)) return `\`$${s.name}\`: an nginx variable ([index of variables](https://nginx.org/en/docs/varindex.html)).`;
  return `\`$${s.name}\`: nothing in the workspace defines it, and nginx has no such variable.`;
}

export function describeDirective(name: string, version: string | undefined): string | undefined {
  const specs = lookup(name);
  if (!specs) return isThirdPartyDirective(name) ? `\`${name}\`: a directive of a third-party module (loaded separately).` : undefined;
  return specs.map((s) => describeSpec(s, version)).join('\n\n---\n\n');
}

/** What the variables of WebSocket proxying hold. */
const VARIABLE_MEANINGS: Record<string, string> = {
  http_upgrade: "the client's `Upgrade` request header: `websocket` on a WebSocket handshake, empty for plain HTTP. nginx never forwards it by itself (it is hop-by-hop): `proxy_set_header Upgrade $http_upgrade;` passes it on",
  http_connection: "the client's `Connection` request header (`Upgrade`, `keep-alive`…); hop-by-hop, so nginx does not forward it by itself",
  proxy_host: 'the name and port of the proxied server as written in `proxy_pass`: the `Host` nginx sends upstream by default',
  proxy_add_x_forwarded_for: "the client's `X-Forwarded-For` request header with `$remote_addr` appended",
};

/**
 * Defaults that changed in a release the reference (always the newest nginx) does not say for
 * older ones: [module, directive, the first version with the reference's default, the default before].
 */
const OLDER_DEFAULTS: readonly [string, string, [number, number, number], string][] = [
  ['ngx_http_proxy_module', 'proxy_http_version', [1, 29, 7], '1.0'],
];

/** The default for the nginx version the configuration targets, and since when it holds. */
function defaultFor(s: DirectiveSpec, version: string | undefined): string | undefined {
  const v = (version || DEFAULT_NGINX_VERSION).split('.').map(Number);
  for (const [module, name, since, before] of OLDER_DEFAULTS) {
    if (s.module !== module || s.name !== name) continue;
    const newer = versionAtLeast(v, since);
    return newer ? `\`${s.default}\` (since ${since.join('.')})` : `\`${before}\` in nginx ${version || DEFAULT_NGINX_VERSION} (\`${s.default}\` since ${since.join('.')})`;
  }
  return s.default ? `\`${s.default}\`` : undefined;
}

function describeSpec(s: DirectiveSpec, version?: string): string {
  const args = s.maxArgs === Infinity ? `${s.minArgs} or more arguments` : s.minArgs === s.maxArgs ? `${s.minArgs} argument${s.minArgs === 1 ? '' : 's'}` : `${s.minArgs}–${s.maxArgs} arguments`;
  const lines = [
    `**${s.name}**${s.block ? ' { … }' : ''} — ${s.module}${s.plus ? ' (NGINX Plus)' : ''}`,
    '',
    `${args}; in ${s.contexts.join(', ')}${defaultFor(s, version) ? `; default ${defaultFor(s, version)}` : ''}`,
    '',
    `[nginx.org documentation](${docsUrl(s.name, s.module)})`,
  ];
  return lines.join('\n');
}

/** An entry of the file's outline: a block (http, server, location, upstream, map…) or an include. */
export interface OutlineItem {
  name: string;
  detail: string;
  kind: 'block' | 'include';
  /** The whole directive, block included. */
  span: Span;
  /** Its name word. */
  nameSpan: Span;
  children: OutlineItem[];
}

/** The blocks of a file, nested as written, and its includes (what the Outline view shows). */
export function outline(ws: Workspace, file: FileId): OutlineItem[] {
  const walk = (list: Directive[]): OutlineItem[] =>
    list.flatMap((d): OutlineItem[] => {
      if (!d.wordCount) return [];
      const args = d.args.map((a) => a.raw).join(' ');
      if (d.name === 'include') return [{ name: `include ${args}`, detail: '', kind: 'include', span: d.span, nameSpan: d.words[0].span, children: [] }];
      if (!d.block) return [];
      // a server is known by its names (or its listen), not by the word "server"
      const label = d.name === 'server' && !args ? serverLabel(d) : args;
      const children = d.block.kind === 'directives' ? walk(d.block.children) : [];
      return [{ name: label ? `${d.name} ${label}` : d.name, detail: '', kind: 'block', span: d.span, nameSpan: d.words[0].span, children }];
    });
  return walk(ws.parsed(file)?.directives ?? []);
}

function serverLabel(d: Directive): string {
  const inner = d.block?.children ?? [];
  const names = inner.find((c) => c.name === 'server_name')?.args.map((a) => a.value).join(' ');
  const listen = inner.filter((c) => c.name === 'listen').map((c) => c.args[0]?.value).filter(Boolean).join(', ');
  return [names, listen && `(${listen})`].filter(Boolean).join(' ');
}
