// Runs the real `nginx -t` on a whole configuration tree (nginx.conf + included files),
// copied into a temporary prefix. Only what a sandboxed test needs is rewritten, line for line
// (so nginx's line numbers stay the tree's own), and no WebSocket-relevant line is touched:
//   ssl_certificate / ssl_certificate_key / ssl_trusted_certificate → a self-signed pair made
//                                      once with openssl;
//   absolute access_log / error_log    → <prefix>/logs/…;
//   proxy_cache_path (and the fastcgi/scgi/uwsgi ones) → <prefix>/cache/…;
//   pid                                → <prefix>/nginx.pid (or -g "pid …;" when the tree has none);
//   *_temp_path                        → <prefix>/temp/…;
//   /etc/nginx/, /data/nginx/          → <prefix>/ (includes written for the distro or container
//                                      layout; the tree mirrors those folders);
//   /etc/letsencrypt/                  → <prefix>/letsencrypt/ (certbot's options-ssl-nginx.conf
//                                      and ssl-dhparams.pem; the tree holds copies);
//   /config/nginx/                     → <prefix>/ (the linuxserver.io images keep their
//                                      configuration there).
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { nginxTest, type Certs, type NginxVerdict } from './nginx';

/** Every file under a directory, as paths relative to it (sorted). */
export function listTree(dir: string, skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = relative(dir, p).split('\\').join('/');
        if (!skip(rel)) out.push(rel);
      }
    }
  };
  walk(dir);
  return out;
}

/** The text nginx -t reads for one file of the tree; same number of lines as the original. */
export function sandboxText(text: string, prefix: string, certs: Certs): string {
  const flat = (p: string) => p.replace(/^\/+/, '').replace(/[/\\]/g, '_');
  const out = text
    .replace(/(\bssl_certificate\s+)("?)[^\s;"]+\2(\s*;)/g, (_m, a: string, _q, c: string) => `${a}${certs.cert}${c}`)
    .replace(/(\bssl_certificate_key\s+)("?)[^\s;"]+\2(\s*;)/g, (_m, a: string, _q, c: string) => `${a}${certs.key}${c}`)
    .replace(/(\bssl_trusted_certificate\s+)("?)[^\s;"]+\2(\s*;)/g, (_m, a: string, _q, c: string) => `${a}${certs.cert}${c}`)
    .replace(/(\b(?:access_log|error_log)\s+)(\/[^\s;]+)/g, (_m, a: string, p: string) => `${a}${prefix}/logs/${flat(p)}`)
    .replace(/(\b(?:proxy|fastcgi|scgi|uwsgi)_cache_path\s+)(\/[^\s;]+)/g, (_m, a: string, p: string) => `${a}${prefix}/cache/${flat(p)}`)
    .replace(/(\b(?:client_body|proxy|fastcgi|uwsgi|scgi)_temp_path\s+)(\/[^\s;]+)/g, (_m, a: string, p: string) => `${a}${prefix}/temp/${flat(p)}`)
    .replace(/^(\s*pid\s+)[^;\n]+;/gm, (_m, a: string) => `${a}${prefix}/nginx.pid;`)
    .split('/etc/letsencrypt/').join(prefix + '/letsencrypt/')
    .split('/config/nginx/').join(prefix + '/')
    .split('/etc/nginx/').join(prefix + '/')
    .split('/data/nginx/').join(prefix + '/');
  if (out.split('\n').length !== text.split('\n').length) throw new Error('sandbox rewrite changed the line count');
  return out;
}

/** `nginx -t` on a tree (relative path → text) with the sandbox rewrites. */
export function nginxTestTree(files: Map<string, string>, certs: Certs, main = 'nginx.conf'): Promise<NginxVerdict> {
  const hasPid = /^\s*pid\s/m.test(files.get(main) ?? '');
  return nginxTest((prefix) => {
    for (const d of ['logs', 'cache', 'temp']) mkdirSync(join(prefix, d));
    return new Map([...files].map(([rel, text]) => [rel, sandboxText(text, prefix, certs)]));
  }, { main, globals: hasPid ? '' : undefined });
}

/** Reads a tree from disk into relative path → text. */
export function readTree(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  return new Map(listTree(dir, skip).map((rel) => [rel, readFileSync(join(dir, rel), 'utf8')]));
}
