// Include resolution as nginx does it: an include's argument against the prefix (the main
// configuration's folder), globs matched as glob(3) does, and an absolute path that mirrors
// /etc/nginx re-rooted onto the prefix. It reads the files through IncludeLookup, which the store
// (files.ts) implements.
import type { FileId } from '../types';
import { basename, dirname, hasGlob, resolveFrom } from './paths';
import type { ResolvedInclude, RootAnalysis } from './tree';

/** What resolving an include needs of the files: which exist, and what a glob lists. */
export interface IncludeLookup {
  exists(file: FileId): boolean;
  glob(pattern: string): FileId[];
}

/** The prefix nginx would use for a root: the directory of the main config. */
export function prefixOf(root: FileId, kind: 'main' | 'fragment'): string {
  const dir = dirname(root);
  if (kind === 'main') return dir;
  // a fragment in conf.d/ or sites-enabled/ is usually included from the directory above
  const base = basename(dir);
  if (/^(conf\.d|sites-(enabled|available)|snippets|vhosts?\.d|servers|includes?)$/.test(base)) return dirname(dir);
  return dir;
}

/**
 * Resolves an include argument against the prefix. An absolute path that does not exist
 * (a repo that mirrors /etc/nginx) is re-rooted onto the prefix by dropping leading segments.
 */
export function resolveInclude(files: IncludeLookup, prefix: string, arg: string, lookups?: RootAnalysis['lookups']): ResolvedInclude {
  const path = resolveFrom(prefix, arg);
  const glob = hasGlob(path);
  const lookup = (p: string) => {
    if (lookups) {
      if (glob) lookups.globs.push(globToRegExp(p));
      else lookups.paths.add(p);
    }
    return glob ? files.glob(p) : files.exists(p) ? [p] : [];
  };
  const reRooted = () => {
    const segs = arg.split('/').filter(Boolean);
    // A glob keeps the directory it lists: /etc/nginx/conf.d/*.conf may become conf.d/*.conf,
    // never a bare *.conf, which would list the main config's own folder (nginx.conf included).
    const last = glob ? segs.length - 2 : segs.length - 1;
    for (let k = 1; k <= last; k++) {
      const alt = resolveFrom(prefix, segs.slice(k).join('/'));
      const f = lookup(alt);
      if (f.length) return { files: f, glob, path: alt, outside: false };
    }
    return undefined;
  };
  // An absolute path outside the config's own folder: the copy in the workspace wins over the
  // machine's (a repository mirroring /etc/nginx, opened where nginx is installed too).
  const abroad = arg.startsWith('/') && !path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/');
  if (abroad) {
    const r = reRooted();
    if (r) return r;
  }
  const found = lookup(path);
  if (found.length === 0 && arg.startsWith('/')) return { files: found, glob, path, outside: true };
  return { files: found, glob, path, outside: false };
}

/** POSIX character classes inside a glob bracket, as JavaScript class ranges. */
const GLOB_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', xdigit: '0-9a-fA-F',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e', graph: '\\x21-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
};

const hex4 = (c: number) => '\\u' + c.toString(16).padStart(4, '0');

/**
 * One bracket expression of a glob at `pattern[i] === '['`, read as glibc's glob(3) does
 * (flags 0): `!` or `^` negates, a leading `]` is literal, `[:alpha:]` classes (at an unknown
 * one glibc stops: only the items before it can match), a backslash is an ordinary character, and a reversed range
 * such as `z-a` matches nothing (no error). Checked against nginx by test/hostile-units.test.ts.
 * Returns the RegExp source and the index after the `]`, or undefined when nothing closes
 * the bracket (then `[` is an ordinary character).
 */
function globBracket(pattern: string, i: number): { re: string; next: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (pattern[j] === '!' || pattern[j] === '^') { negate = true; j++; }
  const parts: string[] = [];
  let first = true;
  let invalid = false;
  for (; j < pattern.length; j++) {
    const c = pattern[j];
    if (c === ']' && !first) {
      // glibc tries the items in order and gives up at an unknown class: only those before it
      // can match, and a negated bracket then matches nothing
      if (invalid && negate) return { re: '(?!)', next: j + 1 };
      // a class that can match nothing never matches; a negated one matches any one character but '/'
      if (!parts.length) return { re: negate ? '[^/]' : '(?!)', next: j + 1 };
      return { re: negate ? `[^/${parts.join('')}]` : `(?!/)[${parts.join('')}]`, next: j + 1 };
    }
    first = false;
    if (c === '/') return undefined; // a bracket never spans a path separator
    if (c === '[' && pattern[j + 1] === ':') {
      const end = pattern.indexOf(':]', j + 2);
      if (end > 0) {
        const cls = GLOB_CLASSES[pattern.slice(j + 2, end)];
        if (!cls) invalid = true;
        else if (!invalid) parts.push(cls);
        j = end + 1;
        continue;
      }
    }
    const lo = pattern.charCodeAt(j);
    if (pattern[j + 1] === '-' && j + 2 < pattern.length && pattern[j + 2] !== ']') {
      const hi = pattern.charCodeAt(j + 2);
      if (lo <= hi && !invalid) parts.push(`${hex4(lo)}-${hex4(hi)}`); // reversed: an empty range
      j += 2;
      continue;
    }
    if (!invalid) parts.push(hex4(lo));
  }
  return undefined;
}

/** glob(3) pattern → RegExp over absolute paths (no path separator crossing). Never throws. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const b = globBracket(pattern, i);
      if (!b) re += '\\[';
      else {
        re += b.re;
        i = b.next - 1;
      }
    } else re += c.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
  }
  try {
    return new RegExp('^' + re + '$');
  } catch {
    return /(?!)/; // unreachable by construction; a glob must never stop the analysis
  }
}
