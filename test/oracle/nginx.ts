// Runs the real nginx (`nginx -t`) on a configuration text and reports its first error.
//
// Each run gets a fresh temporary prefix holding only nginx.conf. The command line keeps the
// run inside it without touching the config's text (so line numbers stay the mutant's own):
//   -e stderr          the startup error log (nginx >= 1.19.5), instead of the compiled path;
//                      it is also the default error log of the tested cycle;
//   -g "pid <tmp>/…;"  `nginx -t` opens the pid file to check it. The configs under test must
//                      not carry their own `pid` (it would be "is duplicate" against -g).
// No shell: execFile with an argument vector and a timeout.
//
// Debian loads dynamic modules only through /etc/nginx/nginx.conf (modules-enabled/*.conf);
// with our own -c no module is loaded, which is what directiveSet 'light-1.22' models.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../server/src/core/syntax/parser';

export const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';

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

export interface NginxError {
  /** The text after `[emerg] `, without the ` in <file>:<line>` suffix. */
  message: string;
  /** The file name relative to the run's prefix (e.g. 'nginx.conf'); undefined for post-parse errors. */
  file?: string;
  line?: number;
}

export interface NginxVerdict {
  ok: boolean;
  /** The first [emerg] line, when nginx rejected the config. */
  error?: NginxError;
  /** Everything nginx printed (stderr then stdout). */
  output: string;
}

export function nginxAvailable(): boolean {
  return existsSync(NGINX);
}

/** nginx's version line, e.g. 'nginx/1.22.1'; undefined when it cannot run. */
export function nginxVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(NGINX, ['-v'], { timeout: 10000 }, (_err, stdout, stderr) => {
      const m = /nginx\/[\d.]+/.exec(String(stderr) + String(stdout));
      resolve(m ? m[0] : undefined);
    });
  });
}

/**
 * Parses nginx's output. Lines look like `nginx: [emerg] <msg> in <file>:<line>` or, once the
 * error log is set up, `<date> <time> [emerg] <pid>#<tid>: <msg> in <file>:<line>`; post-parse
 * errors have no location.
 */
export function parseNginxOutput(output: string, prefix: string): NginxError | undefined {
  const m = /\[emerg\] (?:\d+#\d+: )?/.exec(output);
  if (!m) return undefined;
  // a message may span lines (a quoted name holding a newline): it runs to the next entry
  const rest = output.slice(m.index + m[0].length);
  const next = /\n(?=nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[)/.exec(rest);
  const text = (next ? rest.slice(0, next.index) : rest).replace(/\r?\n$/, '');
  // the location suffix names a file inside our prefix; a message may itself contain " in "
  const at = text.lastIndexOf(' in ' + prefix);
  if (at >= 0) {
    const loc = /^(.*):(\d+)$/s.exec(text.slice(at + 4 + prefix.length));
    if (loc) return { message: text.slice(0, at), file: loc[1].replace(/^\/+/, ''), line: Number(loc[2]) };
  }
  const cl = / in command line$/.exec(text);
  if (cl) return { message: text.slice(0, cl.index), file: '<command line>' };
  return { message: text };
}

export interface RunOptions {
  /** More files in the prefix (paths relative to it). */
  extra?: Record<string, string>;
  /**
   * A directory path the config refers to (nginx-tests' %%TESTDIR%%): it is replaced by the
   * run's own prefix in the text nginx reads, so logs and temp paths land there. Paths hold no
   * newline, so line numbers are unchanged.
   */
  testdir?: string;
  timeoutMs?: number;
}

/**
 * `nginx -t` on `text` as <tmp>/nginx.conf. Resolves with nginx's verdict; rejects only when
 * nginx could not be started.
 */
export function runNginx(text: string, opts: RunOptions = {}): Promise<NginxVerdict> {
  const dir = mkdtempSync(join(tmpdir(), 'ngx-oracle-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, opts.testdir ? text.split(opts.testdir).join(dir) : text);
  for (const [rel, body] of Object.entries(opts.extra ?? {})) writeFileSync(join(dir, rel), opts.testdir ? body.split(opts.testdir).join(dir) : body);
  const timeoutMs = opts.timeoutMs ?? 20000;
  const args = ['-t', '-e', 'stderr', '-p', dir + '/', '-c', conf, '-g', `pid ${join(dir, 'nginx.pid')};`];
  return new Promise((resolve, reject) => {
    execFile(NGINX, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      const output = String(stderr) + String(stdout);
      const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      if (e && (e.code === 'ENOENT' || e.killed)) {
        reject(new Error(`nginx did not run: ${e.killed ? 'timeout' : e.message}`));
        return;
      }
      const ok = !e && /test is successful/.test(output);
      const error = ok ? undefined : parseNginxOutput(output, dir) ?? { message: output.trim() || 'nginx failed without output' };
      // a message quoting a path of the config names the test directory, as the config does
      if (error && opts.testdir) error.message = error.message.split(dir).join(opts.testdir);
      resolve({ ok, error, output });
    });
  });
}

/** Runs `jobs` with at most `limit` in flight; results keep the jobs' order. */
export async function pool<T>(jobs: Array<() => Promise<T>>, limit = 4): Promise<T[]> {
  const out = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

/**
 * The classes of first error the differential test compares: lexical, context and arity.
 * `unexpected "x" in condition` is not one: it is ngx_http_rewrite_if_condition's value check
 * (a sibling of `invalid condition "x"`), not the tokenizer's.
 */
export function isSyntaxClass(message: string): boolean {
  return (
    (/^unexpected /.test(message) && !/ in condition$/.test(message)) ||
    /^directive "[^"]*" is not terminated by ";"$/.test(message) ||
    /^directive "[^"]*" has no opening "\{"$/.test(message) ||
    /^unknown directive "/.test(message) ||
    /^"[^"]*" directive is not allowed here$/.test(message) ||
    /^invalid number of arguments in "[^"]*" directive$/.test(message) ||
    /^"[^"]*" directive is duplicate$/.test(message) ||
    /^too long parameter/.test(message) ||
    message === 'invalid number of the map parameters' ||
    message === 'invalid number of the geo parameters'
  );
}
