// Runs the real `nginx -t` on in-memory files, in a throwaway prefix: nothing touches the
// system's pid file or logs. nginx is the oracle; tests fail (never skip) when it is missing.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';

export interface NginxVerdict {
  ok: boolean;
  /** The first [emerg] message without its " in file:line" suffix. */
  message?: string;
  file?: string;
  line?: number;
  stderr: string;
}

export function requireNginx(): void {
  if (!fs.existsSync(NGINX)) throw new Error(`nginx not found at ${NGINX}: install nginx-light (apt-get install nginx-light) or set NGINX_BIN`);
}

/**
 * Writes the files under a fresh prefix (paths relative to the fixture root; the first one, or
 * nginx.conf, is the main config) and runs nginx -t on it.
 */
export function nginxTest(files: { rel: string; text: string }[], main = 'nginx.conf'): NginxVerdict {
  requireNginx();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngx-t-'));
  try {
    for (const f of files) {
      const p = path.join(dir, f.rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.text);
    }
    const args = ['-t', '-q', '-p', dir + '/', '-c', path.join(dir, main), '-g', `error_log ${dir}/error.log; pid ${dir}/nginx.pid;`];
    try {
      execFileSync(NGINX, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10000 });
      return { ok: true, stderr: '' };
    } catch (e) {
      const stderr = String((e as { stderr?: Buffer }).stderr ?? '');
      const m = /\[emerg\] (.*?)(?: in (\S+):(\d+))?$/m.exec(stderr);
      return { ok: false, message: m?.[1], file: m?.[2] ? path.relative(dir, m[2]) : undefined, line: m?.[3] ? Number(m[3]) : undefined, stderr };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
