// Posix path helpers for FileIds (absolute, forward slashes). The core does no I/O, so it
// cannot use node:path; these cover what include resolution needs.

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i <= 0) return '/';
  return p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function normalize(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') { out.pop(); continue; }
    out.push(seg);
  }
  return (abs ? '/' : '') + out.join('/');
}

export function join(dir: string, rel: string): string {
  return normalize(dir + '/' + rel);
}

/** Like nginx's ngx_conf_full_name: absolute stays, relative is taken from the prefix. */
export function resolveFrom(prefix: string, p: string): string {
  return p.startsWith('/') ? normalize(p) : join(prefix, p);
}

export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}
