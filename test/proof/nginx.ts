// A real nginx for the proof: one foreground, single-process nginx per config, in its own
// prefix, listening on a loopback port. Every wait is polled and bounded; every process
// started here is remembered so the suite can prove none outlives it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { execNginx, NGINX, type NginxVerdict } from '../util/nginx';

/** Directives given on the command line, so the case files stay plain configs. */
const GLOBALS = 'daemon off; master_process off;';

/** A port nothing listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function args(prefix: string, conf: string, test: boolean): string[] {
  return ['-p', prefix + '/', '-c', conf, '-e', path.join(prefix, 'error.log'), '-g', GLOBALS, ...(test ? ['-t', '-q'] : [])];
}

/** `nginx -t` on a config, with the arguments the proof starts it with. */
export function nginxTest(prefix: string, conf: string): Promise<NginxVerdict> {
  return execNginx(args(prefix, conf, true), prefix, 10000);
}

/** Every nginx process this module started, running or not. */
export const started: number[] = [];

export class NginxProcess {
  private exited: Promise<number | null>;
  private done = false;
  output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly prefix: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.done = true;
        resolve(code);
      });
      child.once('error', () => {
        this.done = true;
        resolve(null);
      });
    });
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.done;
  }

  /**
   * Starts nginx (no shell) and waits until `port` accepts connections. Rejects, with nginx's
   * output and error log, when it exits first or the port stays closed for `timeoutMs`.
   */
  static async start(prefix: string, conf: string, port: number, timeoutMs = 5000): Promise<NginxProcess> {
    const child = spawn(NGINX, args(prefix, conf, false), { stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) started.push(child.pid);
    const p = new NginxProcess(child, prefix);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!p.running) break;
      if (await canConnect(port, 250)) return p;
      await delay(20);
    }
    const log = p.errorLog();
    await p.stop();
    throw new Error(`nginx did not come up on 127.0.0.1:${port} within ${timeoutMs} ms\n${p.output}\n${log}`);
  }

  errorLog(): string {
    try {
      return fs.readFileSync(path.join(this.prefix, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** SIGTERM (fast shutdown), then SIGKILL if it is still there after 3 s. Resolves once it has exited. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), 3000).unref());
    if ((await Promise.race([this.exited, timer])) === 'late') {
      this.child.kill('SIGKILL');
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 3000).unref())]);
    }
  }
}

export function canConnect(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const finish = (ok: boolean) => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => finish(false), timeoutMs);
    s.once('connect', () => finish(true));
    s.once('error', () => finish(false));
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Is a process with this id still alive (signal 0 probes without signalling)? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Processes whose command line mentions `marker` (Linux /proc; empty where there is none). */
export function processesMentioning(marker: string): number[] {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(marker)) out.push(Number(pid));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}
