// Value mutants for the differential test: argument values of directives in configs nginx
// accepts, changed by their type (a flag to a bogus word, a size or a time to a bad unit, a
// number to a word, a URL without its scheme, a port out of range, an unknown parameter, a
// bad return code, a location modifier, the events section removed). The types come from the
// probed table (valueTypes.json); whether a mutant is broken, and how, is for nginx to say.
import { parse } from '../../server/src/core/syntax/parser';
import type { Directive, Word } from '../../server/src/core/syntax/ast';
import { lookup, type Ctx } from '../../server/src/core/data/directives';
import { argType } from '../../server/src/core/data/valueTypes';
import type { Mutant, Seed } from './mutate';

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const num = (rng: Rng) => String(pick(rng, [0, 1, 5, 10, 30, 64, 100, 999, 4096]));

/** A value as a config word (quoted when it would not stay one word). */
const word = (v: string) => (/^[^\s;{}"'#\\]+$/.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`);

/** Values to try for an argument of a type (valid ones too: nginx must then accept). */
function valuesFor(kind: string, rng: Rng, enumValues: readonly string[] = []): string[] {
  const n = num(rng);
  switch (kind) {
    case 'flag': return ['maybe', 'yes', '1', 'enabled', 'onn', 'ON', 'Off', ''];
    case 'number': case 'positive': case 'count': case 'quotedNumber':
      return ['ten', `${n}k`, '-1', '0', '1.5', `${n}abc`, n, 'on'];
    case 'size': case 'nonzeroSize': case 'offset':
      return [`${n}mb`, `${n}kb`, `${n}g`, `${n}G`, `${n}K`, `${n}M`, '0', n, '1.5m', `${n}b`, 'auto'];
    case 'sec': case 'msec':
      return [`${n}q`, `${n}ms`, `${n}y`, '1h30m', '30m1h', `${n}M`, `${n}min`, `${n}sec`, '1d2h3m4s', n, `${n}w`, 'off'];
    case 'enum': return [...enumValues, ...enumValues.map((v) => v.toUpperCase()), '2', '3', '1.2', 'x', 'none'];
    default: return [];
  }
}

interface Site {
  d: Directive;
  path: string[];
}

function sites(text: string): Site[] {
  const out: Site[] = [];
  const walk = (list: Directive[], path: string[]) => {
    for (const d of list) {
      if (!d.words.length || d.terminator === undefined) continue;
      out.push({ d, path });
      if (d.block && d.block.kind === 'directives') walk(d.block.children, [...path, d.name]);
    }
  };
  walk(parse(text).directives, []);
  return out;
}

type Edit = { at: Word | { span: { start: number; end: number } }; text: string; what: string };

/** The mutations one directive allows, each as an edit of the seed text. */
function mutationsOf(s: Site, rng: Rng, includes: boolean): Edit[] {
  const { d, path } = s;
  const args = d.args;
  const out: Edit[] = [];
  const inner = path[path.length - 1];
  // typed arguments: the light-1.22 spec of this name for the block it is in
  const ctx = !inner ? 'main' : inner === 'if' ? 'if-location' : inner;
  for (const spec of lookup(d.name) ?? []) {
    if (!spec.inLight122 || !spec.contexts.includes(ctx as Ctx)) continue;
    args.forEach((a, i) => {
      const t = argType(spec.module, d.name, args.length, i);
      if (!t) return;
      for (const v of valuesFor(t.type.kind, rng, t.type.values)) out.push({ at: a, text: word(v), what: `${t.type.kind} → ${JSON.stringify(v)}` });
    });
  }
  const end = args.length ? args[args.length - 1].span.end : d.words[0].span.end;
  const append = (v: string, what: string) => out.push({ at: { span: { start: end, end } }, text: ` ${v}`, what });
  if (d.name === 'proxy_pass' && args[0] && !args[0].value.includes('$')) {
    const v = args[0].value;
    const bare = v.replace(/^https?:\/\//i, '');
    for (const x of [bare, `ws://${bare}`, `HTTP://${bare}`, `http://${bare.replace(/:\d+/, '')}:99999`, `http://${bare.replace(/:\d+/, '')}:0`, `http://${bare.replace(/[:/].*$/, '')}:8080`]) out.push({ at: args[0], text: word(x), what: `proxy_pass → ${x}` });
  }
  if (/^(fastcgi|uwsgi|scgi|grpc|memcached)_pass$/.test(d.name) && args[0] && !args[0].value.includes('$')) {
    for (const x of [`http://${args[0].value}`, `${args[0].value}/`, `${args[0].value.replace(/:\d+$/, '')}:70000`]) out.push({ at: args[0], text: word(x), what: `${d.name} → ${x}` });
  }
  if (d.name === 'listen' && inner === 'server' && args[0]) {
    const v = args[0].value;
    const host = v.includes(':') ? v.slice(0, v.lastIndexOf(':') + 1) : '';
    for (const p of ['0', '65536', '99999', 'abc', '65535']) out.push({ at: args[0], text: word(`${host}${p}`), what: `listen port → ${p}` });
    // parameters are read after the address is resolved: only where no DNS is involved
    const literal = /^(unix:|\[|\*|\d{1,3}(\.\d{1,3}){3}(:|$)|\d+$)/.test(v);
    if (literal) for (const p of ['foo', 'ssl2', 'quic', 'http3', 'reuseport', 'backlog=abc', 'backlog=10', 'setfib=1', 'SSL', 'rcvbuf=8k']) append(p, `listen parameter ${p}`);
  }
  if (d.name === 'server' && inner === 'upstream' && args[0]) {
    for (const p of ['max_fails=three', 'weight=0', 'weight=5', 'fail_timeout=10q', 'fail_timeout=30s', 'down', 'backup', 'slow_start=10s', 'resolve', 'max_conns=x', 'max_conns=10']) append(p, `server parameter ${p}`);
  }
  if (d.name === 'return' && args[0]) {
    for (const c of ['2000', '999', '0', 'abc', '1000', '301', '-1', '200']) out.push({ at: args[0], text: c, what: `return code → ${c}` });
  }
  if (d.name === 'location' && args.length >= 1) {
    const name = args[args.length - 1];
    for (const m of ['==', '~~', '=~', '^~', '=', '~*', '!~']) out.push({ at: { span: { start: args[0].span.start, end: name.span.start } }, text: `${m} `, what: `location modifier → ${m}` });
  }
  // (an include may hold an events section: the check waits for every file, so only without one)
  if (d.name === 'events' && path.length === 0 && !includes) out.push({ at: { span: d.span }, text: '', what: 'remove the events section' });
  return out;
}

const lineAt = (text: string, off: number) => text.slice(0, off).split('\n').length;

/** `perSeed` value mutants of each seed, chosen by `rng` (replayable from its seed). */
export function generateValueMutants(seeds: Seed[], perSeed: number, rng: () => number): Mutant[] {
  const out: Mutant[] = [];
  for (const seed of seeds) {
    const all = sites(seed.text);
    const options: { s: Site; e: Edit }[] = [];
    const includes = all.some((s) => s.d.name === 'include');
    for (const s of all) for (const e of mutationsOf(s, rng, includes)) options.push({ s, e });
    if (!options.length) continue;
    const seen = new Set<string>();
    for (let k = 0; k < perSeed * 3 && seen.size < perSeed; k++) {
      const { s, e } = pick(rng, options);
      const text = seed.text.slice(0, e.at.span.start) + e.text + seed.text.slice(e.at.span.end);
      if (text === seed.text || seen.has(text)) continue;
      seen.add(text);
      out.push({ id: `${seed.name}#v${seen.size}`, seed: seed.name, mutation: `${e.what} in "${s.d.name}" (line ${lineAt(seed.text, s.d.span.start)})`, text });
    }
  }
  return out;
}

/** The messages of the value checks (the classes compared here). */
export function isValueClass(message: string): boolean {
  return (
    /^invalid value ".*"( in "[^"]*" directive(, it must be "on" or "off")?)?$/s.test(message) ||
    /^"[^"]*" directive invalid (number|value)$/.test(message) ||
    /^invalid number ".*"$/s.test(message) ||
    message === 'invalid URL prefix' ||
    /^invalid (port|port range|host) in /.test(message) ||
    /^invalid parameter "/.test(message) ||
    /^invalid (backlog|fastopen|rcvbuf|sndbuf) "/.test(message) ||
    /^invalid return code "/.test(message) ||
    /^invalid location modifier "/.test(message) ||
    /^upstream "[^"]*" may not have port \d+$/.test(message) ||
    /^duplicate upstream "/.test(message) ||
    message === 'no "events" section in configuration' ||
    /^unknown directive "/.test(message)
  );
}
