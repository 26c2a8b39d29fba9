// How nginx 1.22 reads the value of a typed directive argument, as its generic set() handlers
// and parsers do (src/core/ngx_conf_file.c, ngx_parse.c), and the message each handler gives
// when it refuses one. Which directive argument has which type is data (valueTypes.json,
// probed from the binary); this file only knows the types. Pure.

import type { ValueType } from '../data/valueTypes';

export type { ValueKind, ValueType } from '../data/valueTypes';

/** The longest digit run judged here: longer ones may overflow, where nginx's verdict is not modelled. */
const MAX_DIGITS = 15;

/** Times multiply by up to a year in milliseconds: longer runs may overflow. */
const TIME_DIGITS = 6;

const isDigits = (s: string): boolean => s.length > 0 && s.length <= MAX_DIGITS && /^[0-9]+$/.test(s);

/** ngx_atoi: a non-empty run of digits; undefined when nginx says NGX_ERROR, null when too long to judge. */
export function atoi(s: string): number | undefined | null {
  if (!/^[0-9]+$/.test(s)) return undefined;
  if (s.length > MAX_DIGITS) return null;
  return Number(s);
}

/** ngx_parse_size: digits with an optional k/K or m/M (1.22 has no g). null: too long to judge. */
export function sizeOk(s: string): boolean | null {
  const unit = s[s.length - 1];
  const digits = unit && /[kKmM]/.test(unit) ? s.slice(0, -1) : s;
  if (digits.length > MAX_DIGITS && /^[0-9]+$/.test(digits)) return null;
  return isDigits(digits);
}

/** ngx_parse_offset: digits with an optional k/K, m/M or g/G. */
export function offsetOk(s: string): boolean | null {
  const unit = s[s.length - 1];
  const digits = unit && /[kKmMgG]/.test(unit) ? s.slice(0, -1) : s;
  if (digits.length > MAX_DIGITS && /^[0-9]+$/.test(digits)) return null;
  return isDigits(digits);
}

/**
 * ngx_parse_time: numbers each followed by a unit in decreasing order (y M w d h m s ms; a
 * bare number last means seconds). In milliseconds (msec) the count starts below months: `y`
 * and `M` are refused. A space is left unjudged (null), as are long numbers.
 */
export function timeOk(s: string, sec: boolean): boolean | null {
  if (s.includes(' ')) return null;
  // steps: start 0, y 1, M 2, w 3, d 4, h 5, m 6, s 7, ms 8
  let step = sec ? 0 : 2;
  let valid = false;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') {
      valid = true;
      if (++run > TIME_DIGITS) return null;
      continue;
    }
    run = 0;
    let next: number;
    switch (c) {
      case 'y': next = 1; break;
      case 'M': next = 2; break;
      case 'w': next = 3; break;
      case 'd': next = 4; break;
      case 'h': next = 5; break;
      case 'm':
        if (s[i + 1] === 's') {
          if (sec) return false;
          i++;
          next = 8;
        } else next = 6;
        break;
      case 's': next = 7; break;
      default: return false;
    }
    if (step >= next) return false;
    step = next;
  }
  return valid;
}

/**
 * nginx's message for `value` as argument of `name` of this type; undefined when nginx accepts
 * it, or when its verdict is not modelled (a number too long, a space in a time).
 */
export function valueError(t: ValueType, name: string, value: string): string | undefined {
  let ok: boolean | null;
  switch (t.kind) {
    case 'flag': {
      const v = value.toLowerCase();
      return v === 'on' || v === 'off' ? undefined : `invalid value "${value}" in "${name}" directive, it must be "on" or "off"`;
    }
    case 'number': {
      const n = atoi(value);
      return n === undefined ? `"${name}" directive invalid number` : undefined;
    }
    case 'positive': {
      const n = atoi(value);
      return n === undefined || n === 0 ? `invalid value "${value}" in "${name}" directive` : undefined;
    }
    case 'count': {
      const n = atoi(value);
      return n === undefined || n === 0 ? `"${name}" directive invalid value` : undefined;
    }
    case 'quotedNumber': {
      const n = atoi(value);
      return n === undefined ? `invalid number "${value}"` : undefined;
    }
    case 'nonzeroSize': {
      ok = sizeOk(value);
      return ok === false || (ok && /^0+[kKmM]?$/.test(value)) ? `"${name}" directive invalid value` : undefined;
    }
    case 'enum': {
      const v = value.toLowerCase();
      return t.values!.some((x) => x.toLowerCase() === v) ? undefined : `invalid value "${value}"`;
    }
    case 'size': ok = sizeOk(value); break;
    case 'offset': ok = offsetOk(value); break;
    case 'sec': ok = timeOk(value, true); break;
    case 'msec': ok = timeOk(value, false); break;
  }
  return ok === false ? `"${name}" directive invalid value` : undefined;
}

/** Every message valueError can give for `name`: a probe result outside these is another check. */
export function isValueMessage(name: string, message: string): boolean {
  const q = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (
    new RegExp(`^invalid value ".*" in "${q}" directive(, it must be "on" or "off")?$`, 's').test(message) ||
    message === `"${name}" directive invalid number` ||
    message === `"${name}" directive invalid value` ||
    /^invalid number "[^"]*"$/s.test(message) ||
    /^invalid value "[^"]*"$/s.test(message)
  );
}

export function encodeType(t: ValueType): string {
  return t.kind === 'enum' ? `enum:${t.values!.join('|')}` : t.kind;
}
