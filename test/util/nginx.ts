// The real nginx, for every test that takes it as the oracle: one rule to find the binary, one
// failure when it is missing (these tests fail, never skip), one way to run `nginx -t` and one
// reading of its output — the product's own parser (server/src/nginx/output.ts).
//
// nginxTest writes the files into a fresh temporary prefix, removed afterwards. The command line
// keeps the run inside it without touching the texts (so line numbers stay the files' own):
//   -e stderr          the startup error log (nginx >= 1.19.5), instead of the compiled path;
//                      it is also the default error log of the tested cycle;
//   -g "pid <tmp>/…;"  `nginx -t` opens the pid file to check it. A config with its own `pid`
//                      passes globals: '' (it would be "is duplicate" against -g).
// No shell: argument vectors and timeouts.
//
// Debian loads dynamic modules only through /etc/nginx/nginx.conf (modules-enabled/*.conf);
// with our own -c no module is loaded, which is what directiveSet 'light-1.22' models.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from '../../server/src/core/syntax/parser';
import { parseNginxOutput } from '../../server/src/nginx/output';
import { locateNginx } from '../../server/src/nginx/run';

/** $NGINX_BIN, else `nginx` on PATH, else /usr/sbin/nginx. */
export const NGINX = process.env.NGINX_BIN || locateNginx('') || '/usr/sbin/nginx';
export const OPENSSL = process.env.OPENSSL_BIN || 'openssl';

export function requireNginx(): void {
  if (!existsSync(NGINX)) {
    throw new Error(`nginx not found at ${NGINX}: these tests take the real nginx as their oracle and fail, never skip, without it. Install nginx 1.22 (Debian: nginx-light) or set NGINX_BIN.`);
  }
}

/** nginx's version line, e.g. 'nginx/1.22.1'. */
export function nginxVersion(): string | undefined {
  requireNginx();
  const r = spawnSync(NGINX, ['-v'], { encoding: 'utf8', timeout: 10000 });
  return /nginx\/[\d.]+/.exec(`${r.stderr}${r.stdout}`)?.[0];
}

export interface NginxError {
  /** The message, without its " in <file>:<line>" suffix. */
  message: string;
  /** The file, relative to the run's prefix when it lies there; undefined for post-parse errors. */
  file?: string;
  line?: number;
}

export interface NginxVerdict {
  ok: boolean;
  /** nginx's first [emerg]/[alert]/[crit] message, when it refused. */
  error?: NginxError;
  /** Everything nginx printed (stderr then stdout). */
  output: string;
  /** Where nginx ran (nginxTest has removed it by then): messages may name it. */
  prefix: string;
}

/** The first fatal message in nginx's output; a file under `prefix` is given relative to it. */
export function firstError(output: string, prefix = ''): NginxError | undefined {
  const m = parseNginxOutput(output).find((x) => x.level === 'emerg' || x.level === 'alert' || x.level === 'crit');
  if (!m) return undefined;
  const file = prefix && m.file?.startsWith(prefix + '/') ? m.file.slice(prefix.length + 1) : m.file;
  return { message: m.message, file, line: m.line };
}

const verdict = (ok: boolean, output: string, prefix: string): NginxVerdict => ({
  ok,
  error: ok ? undefined : firstError(output, prefix) ?? { message: output.trim() || 'nginx failed without output' },
  output,
  prefix,
});

/** nginx with `args` (no shell, a timeout). Resolves with its verdict; rejects only when nginx could not run. */
export function execNginx(args: string[], prefix: string, timeoutMs = 20000): Promise<NginxVerdict> {
  requireNginx();
  return new Promise((resolve, reject) => {
    execFile(NGINX, args, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      if (e && (e.code === 'ENOENT' || e.killed)) reject(new Error(`nginx did not run: ${e.killed ? 'timeout' : e.message}`));
      else resolve(verdict(!e, `${stderr}${stdout}`, prefix));
    });
  });
}

/** Relative path → text. */
export type Files = Record<string, string> | Map<string, string>;

export interface TestOptions {
  /** The main config, relative to the prefix. */
  main?: string;
  /** -g directives ('' for none); by default the pid file goes into the prefix. */
  globals?: string;
  timeoutMs?: number;
  /** Symbolic links to make in the prefix: link path (relative to it) → target as `ln -s` takes it. */
  links?: Record<string, string>;
}

/** Writes the files (a function gets the prefix first, for texts that name it) into a fresh prefix. */
function prepare(files: Files | ((prefix: string) => Files), opts: TestOptions): { prefix: string; args: string[] } {
  requireNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-ws-t-'));
  const all = typeof files === 'function' ? files(prefix) : files;
  for (const [rel, text] of all instanceof Map ? all : Object.entries(all)) {
    mkdirSync(dirname(join(prefix, rel)), { recursive: true });
    writeFileSync(join(prefix, rel), text);
  }
  for (const [link, target] of Object.entries(opts.links ?? {})) {
    mkdirSync(dirname(join(prefix, link)), { recursive: true });
    symlinkSync(target, join(prefix, link));
  }
  const globals = opts.globals ?? `pid ${join(prefix, 'nginx.pid')};`;
  return { prefix, args: ['-t', '-q', '-e', 'stderr', '-p', prefix + '/', '-c', join(prefix, opts.main ?? 'nginx.conf'), ...(globals ? ['-g', globals] : [])] };
}

/** `nginx -t` on the files, in a fresh prefix. */
export async function nginxTest(files: Files | ((prefix: string) => Files), opts: TestOptions = {}): Promise<NginxVerdict> {
  const { prefix, args } = prepare(files, opts);
  try {
    return await execNginx(args, prefix, opts.timeoutMs);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

/** nginxTest, synchronously (for synchronous helpers such as checkFix). */
export function nginxTestSync(files: Files | ((prefix: string) => Files), opts: TestOptions = {}): NginxVerdict {
  const { prefix, args } = prepare(files, opts);
  try {
    const r = spawnSync(NGINX, args, { encoding: 'utf8', timeout: opts.timeoutMs ?? 20000 });
    if (r.error || r.status === null) throw new Error(`nginx did not run: ${r.error?.message ?? r.signal}`);
    return verdict(r.status === 0, `${r.stderr}${r.stdout}`, prefix);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

/** http-level paths `nginx -t` opens or creates, pointed into the run's prefix. */
const LOCAL_HTTP_PATHS: Array<[string, string]> = [
  ['access_log', 'access_log off;'],
  ['client_body_temp_path', 'client_body_temp_path tmp_body;'],
  ['proxy_temp_path', 'proxy_temp_path tmp_proxy;'],
  ['fastcgi_temp_path', 'fastcgi_temp_path tmp_fastcgi;'],
  ['uwsgi_temp_path', 'uwsgi_temp_path tmp_uwsgi;'],
  ['scgi_temp_path', 'scgi_temp_path tmp_scgi;'],
];

/**
 * A valid config made independent of the machine: `nginx -t` opens the default access log
 * and creates the temp directories at compiled-in paths (/var/log/nginx, /var/lib/nginx),
 * which fails when not run as root. The directives pointing them into the prefix go right
 * after `http {`, on the same line, so every line number stays what it was. Directives the
 * config already has at http level are left alone (the temp paths are "is duplicate").
 */
export function withLocalPaths(text: string): string {
  const http = parse(text).directives.find((d) => d.name === 'http' && d.block);
  if (!http) return text;
  const have = new Set(http.block!.children.map((d) => d.name));
  const add = LOCAL_HTTP_PATHS.filter(([name]) => !have.has(name)).map(([, line]) => line);
  const at = http.block!.open.end;
  return add.length ? `${text.slice(0, at)} ${add.join(' ')}${text.slice(at)}` : text;
}

export interface Certs {
  cert: string;
  key: string;
}

/** A self-signed certificate and key for localhost (removed when the test process exits). */
export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-ws-certs-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  const r = spawnSync(OPENSSL, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'], { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0 || !existsSync(cert)) throw new Error(`openssl could not make a test certificate:\n${r.error?.message ?? ''}${r.stderr}`);
  return { cert, key };
}
