// Runs the nginx executable: never through a shell, always with a time limit after which the
// process (and anything it started) is killed, and cancellable by a newer run.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RunResult {
  /** Exit code; null when killed. */
  code: number | null;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the executable could not be started (ENOENT, EACCES…). */
  spawnError?: string;
}

export function runFile(file: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let stderr = '';
    let done = false;
    // spawn, not execFile: only spawn can give the child its own process group (POSIX), so a
    // wrapper script's children die with it; shell stays off either way
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true, detached: process.platform !== 'win32', shell: false });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => { if (stderr.length < 1 << 20) stderr += s; });
    const finish = (r: Omit<RunResult, 'stderr' | 'timedOut' | 'aborted'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, stderr, timedOut, aborted });
    };
    const kill = () => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
    const onAbort = () => { aborted = true; kill(); };
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, spawnError: `${e.code ?? 'error'}: ${e.message}` }));
    child.on('close', (code) => finish({ code }));
    if (signal?.aborted) onAbort(); else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Where `nginx` is: an explicit setting (a name is looked up on PATH), else PATH, else /usr/sbin/nginx. */
export function locateNginx(setting: string, envPath = process.env.PATH ?? ''): string | undefined {
  const isFile = (p: string) => { try { return fs.statSync(p).isFile(); } catch { return false; } };
  const onPath = (name: string) => envPath.split(path.delimiter).filter(Boolean).map((d) => path.join(d, name)).find(isFile);
  if (setting) return setting.includes('/') || setting.includes('\\') ? setting : onPath(setting) ?? setting;
  return onPath(process.platform === 'win32' ? 'nginx.exe' : 'nginx') ?? (isFile('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined);
}

export interface NginxBinary {
  path: string;
  version: string;
  /** The compiled-in prefix (--prefix), which relative load_module paths resolve against. */
  prefix?: string;
  /** The compiled-in modules directory (--modules-path): the only place modules are loaded from. */
  modulesPath?: string;
  /** The configure arguments nginx -V printed (which modules are left out, its default paths). */
  configure?: string;
}

/** `nginx -V`: is this an nginx, which version, which prefix. Throws a user-facing message otherwise. */
export async function detectNginx(file: string, timeoutMs: number): Promise<NginxBinary> {
  const r = await runFile(file, ['-V'], timeoutMs);
  if (r.spawnError) throw new Error(`cannot run ${file}: ${r.spawnError}`);
  if (r.timedOut) throw new Error(`${file} -V did not finish within ${timeoutMs} ms and was stopped`);
  const version = /nginx version: \S*?\/?(\d+\.\d+\.\d+)/.exec(r.stderr)?.[1];
  if (!version) throw new Error(`${file} does not look like nginx (nginx -V printed no version)`);
  const configure = /^configure arguments: (.*)$/m.exec(r.stderr)?.[1];
  const prefix = /--prefix=(\S+)/.exec(r.stderr)?.[1];
  const modulesPath = /--modules-path=(\S+)/.exec(r.stderr)?.[1];
  return { path: file, version, prefix, modulesPath, configure };
}
