// Runs the real `nginx -t` on a whole configuration tree (nginx.conf + included files),
// copied into a temporary prefix. Only what a sandboxed test needs is rewritten, line for line
// (so nginx's line numbers stay the tree's own), and no WebSocket-relevant line is touched:
//   ssl_certificate / ssl_certificate_key / ssl_trusted_certificate → a self-signed pair made
//                                      once with openssl;
//   absolute access_log / error_log    → <prefix>/logs/…;
//   proxy_cache_path                   → <prefix>/cache/…;
//   pid                                → <prefix>/nginx.pid (or -g "pid …;" when the tree has none);
//   *_temp_path                        → <prefix>/temp/…;
//   /etc/nginx/, /data/nginx/          → <prefix>/ (includes written for the distro or container
//                                      layout; the tree mirrors those folders).
// No shell: execFile with argument vectors and timeouts.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';
export const OPENSSL = process.env.OPENSSL_BIN || 'openssl';

export interface Certs {
  cert: string;
  key: string;
}

export interface NginxRun {
  ok: boolean;
  output: string;
  prefix: string;
}

/** A clear failure message when nginx is not installed (these tests never skip). */
export function requireNginx(): void {
  if (!existsSync(NGINX)) {
    throw new Error(`nginx not found at ${NGINX}: these tests need the real nginx (install it, or set NGINX_BIN). They are not skipped.`);
  }
}

function run(cmd: string, args: string[], timeout = 30000): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      if (e && (e.code === 'ENOENT' || e.killed)) {
        reject(new Error(`${cmd} did not run: ${e.killed ? 'timeout' : e.message}`));
        return;
      }
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, output: String(stderr) + String(stdout) });
    });
  });
}

/** A self-signed certificate and key, made once per call (use it once per test file). */
export async function makeCerts(): Promise<Certs> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-certs-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = await run(OPENSSL, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost']);
  if (r.code !== 0 || !existsSync(cert)) throw new Error(`openssl could not make a test certificate:\n${r.output}`);
  return { cert, key };
}

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
    .replace(/(\bproxy_cache_path\s+)(\/[^\s;]+)/g, (_m, a: string, p: string) => `${a}${prefix}/cache/${flat(p)}`)
    .replace(/(\b(?:client_body|proxy|fastcgi|uwsgi|scgi)_temp_path\s+)(\/[^\s;]+)/g, (_m, a: string, p: string) => `${a}${prefix}/temp/${flat(p)}`)
    .replace(/^(\s*pid\s+)[^;\n]+;/gm, (_m, a: string) => `${a}${prefix}/nginx.pid;`)
    .split('/etc/nginx/').join(prefix + '/')
    .split('/data/nginx/').join(prefix + '/');
  if (out.split('\n').length !== text.split('\n').length) throw new Error('sandbox rewrite changed the line count');
  return out;
}

/**
 * Writes `files` (relative path → text) into a fresh prefix with the sandbox rewrites and runs
 * `nginx -t` on its nginx.conf.
 */
export async function nginxTestTree(files: Map<string, string>, certs: Certs, main = 'nginx.conf'): Promise<NginxRun> {
  requireNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'ws-tree-'));
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  mkdirSync(join(prefix, 'cache'), { recursive: true });
  mkdirSync(join(prefix, 'temp'), { recursive: true });
  let hasPid = false;
  for (const [rel, text] of files) {
    const dest = join(prefix, rel);
    mkdirSync(dirname(dest), { recursive: true });
    const t = sandboxText(text, prefix, certs);
    if (rel === main && /^\s*pid\s/m.test(t)) hasPid = true;
    writeFileSync(dest, t);
  }
  const conf = join(prefix, main);
  const args = ['-t', '-e', 'stderr', '-p', prefix + '/', '-c', conf];
  if (!hasPid) args.push('-g', `pid ${join(prefix, 'nginx.pid')};`);
  const r = await run(NGINX, args);
  return { ok: r.code === 0 && /test is successful/.test(r.output), output: r.output, prefix };
}

/** Reads a tree from disk into relative path → text. */
export function readTree(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  return new Map(listTree(dir, skip).map((rel) => [rel, readFileSync(join(dir, rel), 'utf8')]));
}
