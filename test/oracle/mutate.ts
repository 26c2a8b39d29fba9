// Deterministic mutation generator for the differential test: breaks valid nginx configs in
// the ways people (and editors mid-typing) break them. Only positions come from parsing the
// valid seed; whether a mutant is broken, and how, is for nginx to say.
import { parse } from '../../server/src/core/syntax/parser';
import type { Directive, Word } from '../../server/src/core/syntax/ast';
import { directiveNames, lookup } from '../../server/src/core/data/directives';

/** Names nginx-light 1.22 knows (the table only picks names; nginx judges the result). */
const LIGHT_NAMES = directiveNames().filter((n) => lookup(n)!.some((s) => s.inLight122) && n !== 'pid' && n !== 'include');

export interface Seed {
  name: string;
  text: string;
}

export interface Mutant {
  id: string;
  seed: string;
  /** What was done, e.g. `drop ";" of "listen" (line 12)`. */
  mutation: string;
  text: string;
  /** Other files next to nginx.conf (relative paths), for mutants split with `include`. */
  files?: Record<string, string>;
  /** Symbolic links next to nginx.conf: link path → target as `ln -s` takes it (relative to the link's folder). */
  links?: Record<string, string>;
}

import { prng } from '../util/prng';
export { prng };

/** A string hash for per-seed PRNG streams (FNV-1a). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T | undefined => (list.length ? list[Math.floor(rng() * list.length)] : undefined);

interface Node {
  d: Directive;
  /** Names of the enclosing block directives, outermost first. */
  path: string[];
  /** Inside map{}/types{}/geo{}…: lines, not directives. */
  handler: boolean;
}

interface Shape {
  text: string;
  nodes: Node[];
  /** Offsets just after each `{` of an nginx-directive block, with the block's path; main is offset 0. */
  blocks: { at: number; path: string[] }[];
}

function shape(text: string): Shape {
  const p = parse(text);
  const nodes: Node[] = [];
  const blocks: { at: number; path: string[] }[] = [{ at: 0, path: [] }];
  const walk = (list: Directive[], path: string[], handler: boolean) => {
    for (const d of list) {
      if (!d.words.length) continue;
      nodes.push({ d, path, handler });
      if (d.block && d.block.kind !== 'opaque') {
        const inner = [...path, d.name];
        if (d.block.kind === 'directives' && !handler) blocks.push({ at: d.block.open.end, path: inner });
        walk(d.block.children, inner, handler || d.block.kind === 'handler');
      }
    }
  };
  walk(p.directives, [], false);
  return { text, nodes, blocks };
}

const lineAt = (text: string, off: number) => text.slice(0, off).split('\n').length;
const insert = (text: string, at: number, s: string) => text.slice(0, at) + s + text.slice(at);
const remove = (text: string, from: number, to: number) => text.slice(0, from) + text.slice(to);
const srcOf = (text: string, d: Directive) => text.slice(d.span.start, d.span.end);
const where = (s: Shape, d: Directive) => `"${d.name}" (line ${lineAt(s.text, d.span.start)})`;

/** A position between tokens: before or after a random word of a random directive. */
function wordEdge(rng: Rng, s: Shape): { at: number; desc: string } | undefined {
  const n = pick(rng, s.nodes);
  if (!n) return undefined;
  const w = pick(rng, n.d.words)!;
  const after = rng() < 0.5;
  return { at: after ? w.span.end : w.span.start, desc: `${after ? 'after' : 'before'} ${JSON.stringify(w.raw.slice(0, 30))} of ${where(s, n.d)}` };
}

/** A statement boundary: just after a directive (its `;` or `}`) or just inside a block. */
function boundary(rng: Rng, s: Shape): { at: number; path: string[] } {
  if (rng() < 0.4) return pick(rng, s.blocks)!;
  const n = pick(rng, s.nodes.filter((x) => !x.handler && x.d.terminator !== undefined));
  if (!n) return s.blocks[0];
  return { at: n.d.span.end, path: n.path };
}

/** Directives that must not be inserted: the harness passes `pid` with -g. */
const RESERVED = new Set(['pid']);
const simple = (s: Shape) => s.nodes.filter((n) => !n.handler && n.d.terminator === ';' && !n.d.block && !RESERVED.has(n.d.name) && n.d.name !== 'include');

type Mutation = (rng: Rng, s: Shape) => { text: string; mutation: string } | undefined;

const MUTATIONS: Record<string, Mutation> = {
  'drop-semicolon': (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.terminator === ';'));
    if (!n) return undefined;
    return { text: remove(s.text, n.d.endSpan!.start, n.d.endSpan!.end), mutation: `drop ";" of ${where(s, n.d)}` };
  },
  'add-semicolon': (rng, s) => {
    const e = wordEdge(rng, s);
    return e && { text: insert(s.text, e.at, ';'), mutation: `add ";" ${e.desc}` };
  },
  'drop-open-brace': (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.terminator === '{'));
    if (!n) return undefined;
    return { text: remove(s.text, n.d.endSpan!.start, n.d.endSpan!.end), mutation: `drop "{" of ${where(s, n.d)}` };
  },
  'add-open-brace': (rng, s) => {
    const e = wordEdge(rng, s);
    return e && { text: insert(s.text, e.at, rng() < 0.5 ? '{' : ' {'), mutation: `add "{" ${e.desc}` };
  },
  'drop-close-brace': (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.block?.close));
    if (!n) return undefined;
    const c = n.d.block!.close!;
    return { text: remove(s.text, c.start, c.end), mutation: `drop "}" of ${where(s, n.d)}` };
  },
  'add-close-brace': (rng, s) => {
    if (rng() < 0.5) {
      const b = boundary(rng, s);
      return { text: insert(s.text, b.at, rng() < 0.5 ? '\n}' : ' }'), mutation: `add "}" at a statement boundary (line ${lineAt(s.text, b.at)})` };
    }
    const e = wordEdge(rng, s);
    return e && { text: insert(s.text, e.at, rng() < 0.5 ? '}' : ' }'), mutation: `add "}" ${e.desc}` };
  },
  'add-quote': (rng, s) => {
    const q = rng() < 0.5 ? '"' : "'";
    const e = wordEdge(rng, s);
    return e && { text: insert(s.text, e.at, q), mutation: `add ${q} ${e.desc}` };
  },
  truncate: (rng, s) => {
    const at = Math.floor(rng() * s.text.length);
    return { text: s.text.slice(0, at), mutation: `truncate at offset ${at} (line ${lineAt(s.text, at)})` };
  },
  'wrong-context': (rng, s) => {
    const n = pick(rng, simple(s));
    if (!n) return undefined;
    const targets = s.blocks.filter((b) => b.path.join('/') !== n.path.join('/'));
    const t = pick(rng, targets);
    if (!t) return undefined;
    const src = srcOf(s.text, n.d);
    // remove first (it lies before or after the target; fix the offset accordingly)
    let text = remove(s.text, n.d.span.start, n.d.span.end);
    const at = t.at > n.d.span.start ? t.at - (n.d.span.end - n.d.span.start) : t.at;
    text = insert(text, at, (at === 0 ? '' : '\n') + src + '\n');
    return { text, mutation: `move ${where(s, n.d)} from ${n.path.join('/') || 'main'} into ${t.path.join('/') || 'main'}` };
  },
  'into-if': (rng, s) => {
    const locs = s.blocks.filter((b) => b.path[b.path.length - 1] === 'location' || b.path[b.path.length - 1] === 'server');
    const t = pick(rng, locs);
    if (!t) return undefined;
    const n = pick(rng, simple(s).filter((x) => x.path.includes('server')));
    const src = n && rng() < 0.5 ? srcOf(s.text, n.d) : 'proxy_set_header Upgrade $http_upgrade;';
    return { text: insert(s.text, t.at, `\n    if ($http_upgrade) {\n        ${src}\n    }\n`), mutation: `wrap ${JSON.stringify(src.slice(0, 40))} in if{} inside ${t.path.join('/')}` };
  },
  'fewer-args': (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.args.length > 0 && x.d.terminator !== undefined));
    if (!n) return undefined;
    if (rng() < 0.4) {
      const a = n.d.args;
      return { text: remove(s.text, a[0].span.start, a[a.length - 1].span.end), mutation: `drop all arguments of ${where(s, n.d)}` };
    }
    const w = pick(rng, n.d.args)!;
    return { text: remove(s.text, w.span.start, w.span.end), mutation: `drop argument ${JSON.stringify(w.raw.slice(0, 30))} of ${where(s, n.d)}` };
  },
  'more-args': (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.terminator !== undefined));
    if (!n) return undefined;
    const k = 1 + Math.floor(rng() * 8);
    const src: Word[] = n.d.args.length ? n.d.args : n.d.words;
    const extra: string[] = [];
    for (let i = 0; i < k; i++) extra.push(src[i % src.length].raw);
    const last = n.d.words[n.d.words.length - 1];
    return { text: insert(s.text, last.span.end, ' ' + extra.join(' ')), mutation: `add ${k} argument(s) to ${where(s, n.d)}` };
  },
  duplicate: (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.terminator !== undefined && !RESERVED.has(x.d.name)));
    if (!n) return undefined;
    const src = srcOf(s.text, n.d);
    return { text: insert(s.text, n.d.span.end, (rng() < 0.5 ? '\n' : ' ') + src), mutation: `duplicate ${where(s, n.d)}` };
  },
  'brace-in-word': (rng, s) => {
    const b = boundary(rng, s);
    return { text: insert(s.text, b.at, '\nfoo}bar;\n'), mutation: `insert "foo}bar;" (line ${lineAt(s.text, b.at)})` };
  },
  'quote-then-char': (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.args.length > 0 && x.d.terminator !== undefined));
    if (!n) return undefined;
    const w = pick(rng, n.d.args)!;
    const rep = pick(rng, ['"a"b', "'a'b", '"a"', '"a"\\b', '"a")', '"a"é', "'a'€", `"${w.value.replace(/["\\]/g, '')}"x`])!;
    return { text: s.text.slice(0, w.span.start) + rep + s.text.slice(w.span.end), mutation: `replace ${JSON.stringify(w.raw.slice(0, 30))} of ${where(s, n.d)} by ${rep}` };
  },
  'hash-in-word': (rng, s) => {
    const words = s.nodes.flatMap((n) => n.d.words.filter((w) => w.raw.length >= 2 && w.quote === 'none').map((w) => ({ w, n })));
    const x = pick(rng, words);
    if (!x) return undefined;
    const at = x.w.span.start + (rng() < 0.3 ? 0 : 1 + Math.floor(rng() * (x.w.raw.length - 1)));
    return { text: insert(s.text, at, '#'), mutation: `insert "#" into ${JSON.stringify(x.w.raw.slice(0, 30))} of ${where(s, x.n.d)} at +${at - x.w.span.start}` };
  },
  'unknown-directive': (rng, s) => {
    const b = boundary(rng, s);
    const line = pick(rng, ['frobnicate on;', 'proxy_pas http://127.0.0.1;', 'http2 on;', 'stream { }', 'js_import x.js;', 'more_set_headers "A: b";', 'lua_code_cache off;', 'Listen 80;', 'upstream_foo {}'])!;
    return { text: insert(s.text, b.at, '\n' + line + '\n'), mutation: `insert ${JSON.stringify(line)} into ${b.path.join('/') || 'main'} (line ${lineAt(s.text, b.at)})` };
  },
  bom: (_rng, s) => ({ text: '\uFEFF' + s.text, mutation: 'add a UTF-8 BOM at the start' }),
  'regex-braces': (rng, s) => {
    const t = pick(rng, s.blocks.filter((b) => b.path[b.path.length - 1] === 'server' || b.path[b.path.length - 1] === 'location')) ?? pick(rng, s.blocks)!;
    const loc = pick(rng, ['location ~ ^/a{2}$ { return 204; }', 'location ~* \\.(js|css){1,3}$ {\n return 204;\n}', 'rewrite ^/x{3}/(.*)$ /$1 last;', 'location ~ "^/a{2}$" { return 204; }'])!;
    return { text: insert(s.text, t.at, '\n' + loc + '\n'), mutation: `insert ${JSON.stringify(loc)} into ${t.path.join('/') || 'main'}` };
  },
  'unclosed-variable': (rng, s) => {
    const words = s.nodes.flatMap((n) => n.d.words.filter((w) => /\$[A-Za-z_]/.test(w.raw)).map((w) => ({ w, n })));
    const x = pick(rng, words);
    if (!x) {
      const t = pick(rng, s.blocks.filter((b) => b.path[b.path.length - 1] === 'location'));
      if (!t) return undefined;
      return { text: insert(s.text, t.at, '\n return 200 ${a;\n'), mutation: 'insert "return 200 ${a;" into a location' };
    }
    const raw = x.w.raw.replace(/\$([A-Za-z_])/, '$${$1');
    return { text: s.text.slice(0, x.w.span.start) + raw + s.text.slice(x.w.span.end), mutation: `write ${JSON.stringify(raw.slice(0, 30))} in ${where(s, x.n.d)}` };
  },
  'too-long': (rng, s) => {
    const e = wordEdge(rng, s);
    if (!e) return undefined;
    const n = 4090 + Math.floor(rng() * 20);
    const q = pick(rng, ['', '', '"', '#'])!;
    const ch = pick(rng, ['a', 'a', 'é'])!; // é: two bytes in UTF-8
    const word = ch.repeat(ch === 'a' ? n : n >> 1);
    return { text: insert(s.text, e.at, ` ${q}${word}${q === '#' ? '\n' : ' '}`), mutation: `insert a ${q === '"' ? 'quoted ' : q === '#' ? 'comment ' : ''}${n}-byte ${ch === 'a' ? 'ASCII' : 'non-ASCII'} word ${e.desc}` };
  },
  backslash: (rng, s) => {
    const e = wordEdge(rng, s);
    if (!e) return undefined;
    const b = pick(rng, ['\\', '\\ ', ' \\', '\\"', '\\\\'])!;
    return { text: insert(s.text, e.at, b), mutation: `insert ${JSON.stringify(b)} ${e.desc}` };
  },
  'quote-mid-word': (rng, s) => {
    const words = s.nodes.flatMap((n) => n.d.words.filter((w) => w.raw.length >= 2).map((w) => ({ w, n })));
    const x = pick(rng, words);
    if (!x) return undefined;
    const at = x.w.span.start + 1 + Math.floor(rng() * (x.w.raw.length - 1));
    const q = rng() < 0.5 ? '"' : "'";
    return { text: insert(s.text, at, q), mutation: `insert ${q} into ${JSON.stringify(x.w.raw.slice(0, 30))} of ${where(s, x.n.d)} at +${at - x.w.span.start}` };
  },
  'comment-swallows': (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.terminator !== undefined));
    if (!n) return undefined;
    const e = n.d.endSpan!;
    const c = pick(rng, [' #', ' # note', '#', ' #"'])!;
    return { text: insert(s.text, e.start, c), mutation: `insert ${JSON.stringify(c)} before the terminator of ${where(s, n.d)}` };
  },
  'empty-or-paren': (rng, s) => {
    const e = wordEdge(rng, s);
    if (!e) return undefined;
    const t = pick(rng, [' ""', " ''", ' "")', ' "a")', ' ")"', ' "a"{', ' "a";', ' $', ' ${', ' ${a}'])!;
    return { text: insert(s.text, e.at, t), mutation: `insert ${JSON.stringify(t)} ${e.desc}` };
  },
  'handler-block': (rng, s) => {
    const h = pick(rng, s.nodes.filter((x) => x.d.block?.kind === 'handler' && !x.handler));
    if (!h) {
      const t = pick(rng, s.blocks.filter((b) => b.path[b.path.length - 1] === 'http'));
      if (!t) return undefined;
      const m = pick(rng, ['map $uri $m { a b c; }', 'map $uri $m { default {; }', 'types { text/a a; { }', 'map $uri $m { hostnames x; }', 'split_clients $uri $s { 50% a; * b; }', 'geo $g { default 1; 10.0.0.0/8 2 3; }'])!;
      return { text: insert(s.text, t.at, '\n' + m + '\n'), mutation: `insert ${JSON.stringify(m)} into http` };
    }
    const line = pick(rng, ['a {', 'x y z;', 'lonely;', '"" "";', '{', 'include x y;', 'volatile;', 'hostnames;', 'default;'])!;
    return { text: insert(s.text, h.d.block!.open.end, '\n' + line + '\n'), mutation: `insert ${JSON.stringify(line)} into ${where(s, h.d)}` };
  },
  'foreign-directive': (rng, s) => {
    const t = pick(rng, s.blocks)!;
    const line = pick(rng, [
      'worker_processes 2;', 'listen 80;', 'proxy_pass http://127.0.0.1;', 'server_name a;', 'location /x { }', 'server { }',
      'upstream u { server 127.0.0.1; }', 'if ($uri) { }', 'limit_except GET { }', 'types { }', 'map $a $b { }', 'events { }',
      'http { }', 'keepalive 8;', 'return 204;', 'break;', 'internal;', 'satisfy any;', 'default_type a;', 'post_action /x;',
      'proxy_http_version 1.1;', 'proxy_set_header A b;', 'worker_connections 10;', 'daemon off;', 'charset_map a b { }',
      'set $a b;', 'rewrite ^ /x;', 'access_log off;', 'error_log stderr;', 'include x.conf;', 'include;', 'server 127.0.0.1;',
      'ip_hash;', 'location = /y;', 'if ($a) ;', 'stub_status;', 'sendfile on;', 'env A;', 'load_module x.so;',
    ])!;
    return { text: insert(s.text, t.at, (t.at ? '\n' : '') + line + '\n'), mutation: `insert ${JSON.stringify(line)} into ${t.path.join('/') || 'main'}` };
  },
  'move-terminator': (rng, s) => {
    const n = pick(rng, s.nodes.filter((x) => x.d.endOffset >= 0));
    if (!n) return undefined;
    const e = n.d.endOffset;
    const t = s.text[e];
    const text = remove(s.text, e, e + 1);
    const later = s.nodes.filter((x) => x.d.span.start > e && x.d.words.length);
    const next = later[0];
    const how = pick(rng, ['next line', 'after the next word', 'after the next statement', 'before the next statement'])!;
    let at = e;
    let ins = '\n' + t;
    if (how === 'after the next word' && next) at = next.d.words[0].span.end - 1;
    else if (how === 'after the next statement' && next) { at = next.d.span.end - 1; ins = ' ' + t; }
    else if (how === 'before the next statement' && next) { at = next.d.span.start - 1; ins = t + ' '; }
    if (how !== 'next line' && !next) return undefined;
    return { text: insert(text, at, ins), mutation: `move ${JSON.stringify(t)} of ${where(s, n.d)} ${how}` };
  },
  'table-directive': (rng, s) => {
    const t = pick(rng, s.blocks)!;
    const name = pick(rng, LIGHT_NAMES)!;
    const block = rng() < 0.8 ? lookup(name)!.some((x) => x.block) : rng() < 0.5;
    const n = Math.floor(rng() * 4);
    const args = Array.from({ length: n }, () => pick(rng, ['a', 'on', '1', '$uri', '/x', '127.0.0.1:1', 'off', '10s'])!);
    const line = `${[name, ...args].join(' ')}${block ? ' { }' : ';'}`;
    return { text: insert(s.text, t.at, (t.at ? '\n' : '') + line + '\n'), mutation: `insert ${JSON.stringify(line)} into ${t.path.join('/') || 'main'}` };
  },
};

export const MUTATION_KINDS = Object.keys(MUTATIONS);

/**
 * Splits statements over lines as people wrap long directives: a newline (and an indent) in
 * place of the spaces between two words, and before a `;` or `{`. Only gaps of plain spaces
 * and tabs change, so nginx reads the same tokens; only the lines move. Statements are picked
 * with probability `p`, their gaps with probability 1/2.
 */
export function splitStatements(text: string, rng: Rng, p = 0.5): { text: string; split: number } {
  const parsed = parse(text);
  const cuts: { from: number; to: number }[] = [];
  let split = 0;
  const gap = (from: number, to: number, empty: boolean) => {
    if (to < from || (!empty && to === from)) return false;
    for (let i = from; i < to; i++) if (text[i] !== ' ' && text[i] !== '\t') return false;
    cuts.push({ from, to });
    return true;
  };
  const walk = (list: Directive[]) => {
    for (const d of list) {
      if (d.words.length && rng() < p) {
        let any = false;
        const w = d.words;
        for (let i = 1; i < w.length; i++) if (rng() < 0.5 && gap(w[i - 1].span.end, w[i].span.start, false)) any = true;
        // an unquoted last word ending in a backslash would take the newline into itself
        const last = w[w.length - 1];
        if (d.endOffset >= 0 && rng() < 0.4 && !last.raw.endsWith('\\') && gap(last.span.end, d.endOffset, true)) any = true;
        if (any) split++;
      }
      if (d.block && d.block.kind !== 'opaque') walk(d.block.children);
    }
  };
  walk(parsed.directives);
  if (!cuts.length) return { text, split: 0 };
  cuts.sort((a, b) => a.from - b.from);
  let out = '';
  let at = 0;
  for (const c of cuts) {
    out += text.slice(at, c.from) + '\n    ';
    at = c.to;
  }
  return { text: out + text.slice(at), split };
}

const MODIFIERS: Record<string, (text: string) => string> = {
  crlf: (t) => t.replace(/\r?\n/g, '\r\n'),
  /** Old Mac line endings: nginx counts lines by LF only, so everything is on line 1. */
  cr: (t) => t.replace(/\r?\n/g, '\r'),
};

/** Share of mutants whose statements are also split over lines. */
const SPLIT_SHARE = 0.4;

/**
 * `perSeed` mutants of every seed, cycling through the mutation kinds so each kind is used
 * about equally; a mutant sometimes gets a second mutation or CRLF line endings on top.
 */
export function generateMutants(seeds: Seed[], perSeed: number, seed = 1, kinds: readonly string[] = MUTATION_KINDS): Mutant[] {
  const out: Mutant[] = [];
  const seen = new Set<string>();
  let k = 0;
  for (const sd of seeds) {
    const rng = prng(hash(sd.name) ^ seed);
    const s = shape(sd.text);
    for (let j = 0, tries = 0; j < perSeed && tries < perSeed * 4; tries++) {
      const kind = kinds[k++ % kinds.length];
      const m = MUTATIONS[kind](rng, s);
      if (!m) continue;
      let { text, mutation } = m;
      if (rng() < SPLIT_SHARE) {
        const sp = splitStatements(text, rng);
        if (sp.split) { text = sp.text; mutation += ` + ${sp.split} statement(s) split over lines`; }
      }
      const r = rng();
      if (r < 0.1) {
        text = MODIFIERS.crlf(text);
        mutation += ' + CRLF line endings';
      } else if (r < 0.12) {
        text = MODIFIERS.cr(text);
        mutation += ' + CR line endings';
      } else if (r < 0.22) {
        const kind2 = pick(rng, MUTATION_KINDS.filter((x) => x !== 'bom'))!;
        const m2 = MUTATIONS[kind2](rng, shape(text));
        if (m2) { text = m2.text; mutation += ' + ' + m2.mutation; }
      }
      if (seen.has(text) || text === sd.text) continue;
      seen.add(text);
      out.push({ id: `${sd.name}#${j}`, seed: sd.name, mutation: `${kind}: ${mutation}`, text });
      j++;
    }
  }
  return out;
}

/** The file a block's contents move to in include mutants. */
export const INCLUDED = 'inc.conf';

/**
 * Mutants of configs split in two: the contents of a random block move to inc.conf, included
 * in their place (nginx reads it in the include's context; each file must balance its own
 * braces), and then one of the two files is mutated.
 */
/**
 * The loop the layout generators share: for each seed config, a PRNG of its own (`salt` + name),
 * and up to `perSeed` distinct mutants (four tries each) that `make` builds from a block it picks;
 * `make` returns the mutant and its identity, or undefined to try again. `nextKind` cycles
 * through the mutation kinds across all seeds.
 */
function fromBlocks(
  seeds: Seed[], perSeed: number, seed: number, salt: string,
  blocksOf: (whole: ReturnType<typeof shape>) => ReturnType<typeof shape>['nodes'],
  make: (sd: Seed, rng: Rng, whole: ReturnType<typeof shape>, b: ReturnType<typeof shape>['nodes'][number], nextKind: () => string, j: number) => { mutant: Mutant; key: string } | undefined,
): Mutant[] {
  const out: Mutant[] = [];
  const seen = new Set<string>();
  let k = 0;
  const nextKind = () => MUTATION_KINDS[k++ % MUTATION_KINDS.length];
  for (const sd of seeds) {
    const rng = prng(hash(salt + sd.name) ^ seed);
    const whole = shape(sd.text);
    const blocks = blocksOf(whole);
    for (let j = 0, tries = 0; j < perSeed && tries < perSeed * 4; tries++) {
      const b = pick(rng, blocks);
      if (!b) break;
      const r = make(sd, rng, whole, b, nextKind, j);
      if (!r || seen.has(r.key)) continue;
      seen.add(r.key);
      out.push(r.mutant);
      j++;
    }
  }
  return out;
}

export function generateIncludeMutants(seeds: Seed[], perSeed: number, seed = 1): Mutant[] {
  const blocksOf = (whole: ReturnType<typeof shape>) => whole.nodes.filter((n) => n.d.block?.kind === 'directives' && n.d.block.close && n.d.block.children.length > 0 && !n.handler);
  return fromBlocks(seeds, perSeed, seed, 'include:', blocksOf, (sd, rng, whole, b, nextKind, j) => {
    const open = b.d.block!.open.end;
    const close = b.d.block!.close!.start;
    const root = sd.text.slice(0, open) + ` include ${INCLUDED}; ` + sd.text.slice(close);
    const inc = sd.text.slice(open, close).replace(/^[ \t]*\r?\n/, '');
    const intoInc = rng() < 0.7;
    const kind = nextKind();
    const m = MUTATIONS[kind](rng, shape(intoInc ? inc : root));
    if (!m) return undefined;
    if (rng() < SPLIT_SHARE) {
      const sp = splitStatements(m.text, rng);
      if (sp.split) { m.text = sp.text; m.mutation += ` + ${sp.split} statement(s) split over lines`; }
    }
    const text = intoInc ? root : m.text;
    const files = { [INCLUDED]: intoInc ? m.text : inc };
    const mutation = `include: contents of ${where(whole, b.d)} moved to ${INCLUDED}; ${kind} in ${intoInc ? INCLUDED : 'nginx.conf'}: ${m.mutation}`;
    return { key: text + '\0' + files[INCLUDED], mutant: { id: `${sd.name}#inc${j}`, seed: sd.name, mutation, text, files } };
  });
}

/** Applies one mutation of the cycle to one of `texts` (by name); undefined when it found nothing to do. */
function mutateOne(rng: Rng, texts: Record<string, string>, kind: string): { name: string; text: string; mutation: string } | undefined {
  const names = Object.keys(texts);
  const name = pick(rng, names)!;
  const m = MUTATIONS[kind](rng, shape(texts[name]));
  if (!m) return undefined;
  let { text, mutation } = m;
  if (rng() < SPLIT_SHARE) {
    const sp = splitStatements(text, rng);
    if (sp.split) { text = sp.text; mutation += ` + ${sp.split} statement(s) split over lines`; }
  }
  return { name, text, mutation: `${kind} in ${name}: ${mutation}` };
}

/** Directive blocks of a seed whose contents can move to another file. */
const movable = (s: Shape) => s.nodes.filter((n) => n.d.block?.kind === 'directives' && n.d.block.close && n.d.block.children.length > 0 && !n.handler);

/** The seed with the contents of block `b` replaced by `by`, and those contents. */
function hollow(text: string, b: Node, by: string): { root: string; inner: string } {
  const open = b.d.block!.open.end;
  const close = b.d.block!.close!.start;
  return { root: text.slice(0, open) + by + text.slice(close), inner: text.slice(open, close).replace(/^[ \t]*\r?\n/, '') };
}

/**
 * Include diamonds: one file reached twice through two paths. The contents of a block move to
 * shared.conf; that block includes a.conf and another block of the same kind (or the same
 * block again) includes b.conf, and both a.conf and b.conf include shared.conf. nginx reads
 * shared.conf twice, each time in the context of its include; then one file is mutated.
 */
export function generateDiamondMutants(seeds: Seed[], perSeed: number, seed = 1): Mutant[] {
  return fromBlocks(seeds, perSeed, seed, 'diamond:', movable, (sd, rng, whole, b, nextKind, j) => {
    const { root: hollowed, inner } = hollow(sd.text, b, ' include a.conf; ');
    // the second path: a sibling block of the same name, else the same block once more
    const same = shape(hollowed).nodes.filter((n) => n.d.name === b.d.name && n.d.block?.kind === 'directives' && !n.handler && n.d.span.start !== b.d.span.start);
    const other = rng() < 0.7 ? pick(rng, same) : undefined;
    const root = other ? insert(hollowed, other.d.block!.open.end, ' include b.conf; ') : insert(hollowed, b.d.block!.open.end + ' include a.conf; '.length, 'include b.conf; ');
    const texts: Record<string, string> = { 'nginx.conf': root, 'a.conf': 'include shared.conf;\n', 'b.conf': '\ninclude shared.conf;\n', 'shared.conf': inner };
    let mutation = `diamond: contents of ${where(whole, b.d)} in shared.conf, through a.conf there and b.conf in ${other ? where(shape(hollowed), other.d) : 'the same block'}`;
    if (rng() < 0.85) {
      const m = mutateOne(rng, texts, nextKind());
      if (!m) return undefined;
      texts[m.name] = m.text;
      mutation += `; ${m.mutation}`;
    }
    const { 'nginx.conf': text, ...files } = texts;
    return { key: JSON.stringify(texts), mutant: { id: `${sd.name}#diamond${j}`, seed: sd.name, mutation, text, files } };
  });
}

/**
 * Layouts with symbolic links, which nginx follows: Debian's sites-enabled/site → a file in
 * sites-available (included by a glob), or a linked folder (conf.d → conf.real). The contents
 * of a block move to the linked file; then one of the files is mutated. nginx names the file by
 * the path it opened (the link), which the comparison maps back to the file itself.
 */
export function generateLinkMutants(seeds: Seed[], perSeed: number, seed = 1): Mutant[] {
  return fromBlocks(seeds, perSeed, seed, 'links:', movable, (sd, rng, whole, b, nextKind, j) => {
    const debian = rng() < 0.5;
    const { root, inner } = hollow(sd.text, b, debian ? ' include sites-enabled/*; ' : ' include conf.d/app.conf; ');
    const real = debian ? 'sites-available/site' : 'conf.real/app.conf';
    const links: Record<string, string> = debian ? { 'sites-enabled/site': '../sites-available/site' } : { 'conf.d': 'conf.real' };
    const texts: Record<string, string> = { 'nginx.conf': root, [real]: inner };
    let mutation = `${debian ? 'sites-enabled/site → ../sites-available/site' : 'conf.d → conf.real'}: contents of ${where(whole, b.d)} in ${real}`;
    const m = mutateOne(rng, texts, nextKind());
    if (!m) return undefined;
    texts[m.name] = m.text;
    mutation += `; ${m.mutation}`;
    const { 'nginx.conf': text, ...files } = texts;
    return { key: JSON.stringify(texts), mutant: { id: `${sd.name}#link${j}`, seed: sd.name, mutation, text, files, links } };
  });
}
