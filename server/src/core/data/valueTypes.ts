// The value type of each directive argument nginx reads as a flag, number, size, time… Probed
// against the real nginx (nginx-light 1.22) by `npm run gen:value-types` into valueTypes.json;
// replayed by test/values.test.ts. Pure: no I/O; the JSON is bundled.
import data from './valueTypes.json';

/**
 * flag: ngx_conf_set_flag_slot; number: ngx_conf_set_num_slot (ngx_atoi); positive: a count
 * that must not be 0 (upstream keepalive); count / nonzeroSize: the two halves of
 * ngx_conf_set_bufs_slot (neither may be 0); quotedNumber: a number whose handler quotes it
 * (worker_connections); size: ngx_parse_size; offset: ngx_parse_offset;
 * sec / msec: ngx_parse_time in seconds or milliseconds; enum: ngx_conf_set_enum_slot.
 */
export type ValueKind = 'flag' | 'number' | 'positive' | 'count' | 'quotedNumber' | 'size' | 'nonzeroSize' | 'offset' | 'sec' | 'msec' | 'enum';

export interface ValueType {
  kind: ValueKind;
  /** enum: the values nginx accepts (compared case-insensitively, as ngx_strcasecmp does). */
  values?: readonly string[];
}

/** "flag" / "enum:1.0|1.1" / … (the table's spelling) to a ValueType. */
function decodeType(s: string): ValueType {
  if (s.startsWith('enum:')) return { kind: 'enum', values: s.slice(5).split('|') };
  return { kind: s as ValueKind };
}

interface RawSlot {
  /** The type, as valueSyntax.ts spells it. */
  t: string;
  /** 1: a `$` in the value makes it a run-time value (not checked). */
  v?: 1;
  /** Later nginx versions: values the current reference adds (a list), or 0: not checked after 1.22. */
  x?: string[] | 0;
  /** 1: a list of words (a bitmask): every argument, whatever their number, is of this type. */
  m?: 1;
}

interface RawData {
  source: string;
  /** "module:name/argument count/position" → its type. */
  slots: Record<string, RawSlot>;
  /** "module:name" of directives the current reference has and nginx 1.22 calls unknown. */
  notIn122: string[];
}

export interface ArgType {
  type: ValueType;
  /** A value with `$` is compiled for run time: nginx does not judge it at start-up. */
  variables: boolean;
  /** For nginx after 1.22: extra accepted values, or undefined: unchecked. */
  later: readonly string[] | undefined;
}

const raw = data as unknown as RawData;

export const VALUE_TYPES_SOURCE: string = raw.source;

const slots = new Map<string, ArgType>();
/** "module:name" of the lists of words, to the type of each word. */
const lists = new Map<string, ArgType>();
for (const [key, s] of Object.entries(raw.slots)) {
  const t: ArgType = Object.freeze({ type: decodeType(s.t), variables: s.v === 1, later: s.x === 0 ? undefined : Object.freeze(s.x ?? []) });
  slots.set(key, t);
  if (s.m) lists.set(key.slice(0, key.indexOf('/')), t);
}

/** The typed arguments of one directive: by argument count, each position's type; or a list's. */
export interface DirectiveTypes {
  byCount: ReadonlyMap<number, readonly (ArgType | undefined)[]>;
  list: ArgType | undefined;
}

const byDirective = new Map<string, DirectiveTypes>();
for (const [key, t] of slots) {
  const slash = key.indexOf('/');
  const dk = key.slice(0, slash);
  const [count, position] = key.slice(slash + 1).split('/').map(Number);
  let e = byDirective.get(dk) as { byCount: Map<number, (ArgType | undefined)[]>; list: ArgType | undefined } | undefined;
  if (!e) byDirective.set(dk, (e = { byCount: new Map(), list: lists.get(dk) }));
  let row = e.byCount.get(count);
  if (!row) e.byCount.set(count, (row = []));
  row[position] = t;
}

/** The typed arguments of `module:name` (one lookup per directive), or undefined: none typed. */
export function directiveTypes(module: string, name: string): DirectiveTypes | undefined {
  return byDirective.get(`${module}:${name}`);
}

/** The type of argument `position` of `module:name` written with `count` arguments; undefined: not typed. */
export function argType(module: string, name: string, count: number, position: number): ArgType | undefined {
  const e = byDirective.get(`${module}:${name}`);
  return e ? e.byCount.get(count)?.[position] ?? e.list : undefined;
}

/** Every typed slot key (for tests and docs). */
export function typedSlots(): string[] {
  return [...slots.keys()];
}

const notIn122 = new Set(raw.notIn122);

/** Whether nginx 1.22 lacks this directive of this module (it appeared later). */
export function isNotIn122(module: string, name: string): boolean {
  return notIn122.has(`${module}:${name}`);
}
