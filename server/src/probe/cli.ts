// `nginx-ws probe URL …`: argument parsing and output for the endpoint check.
import { probe, parseTarget } from './probe';
import type { ProbeOptions } from './probe';
import { exitCodeFor, formatReport, reportJson } from './report';
import { optionDefault } from '../core/index';

/** The same default as the editor's nginxWebSocket.probe.timeoutMs. */
const DEFAULT_TIMEOUT_MS = optionDefault<number>('probe.timeoutMs');

export const PROBE_USAGE = `Usage: nginx-ws probe URL [options]

Opens a WebSocket connection to URL (ws:// or wss://), checks the handshake the way a
browser does, and explains any failure.

Options:
  --timeout MS      limit for each step (connect, TLS, handshake, echo, close); default ${DEFAULT_TIMEOUT_MS}
  --origin ORIGIN   send this Origin header (some backends refuse other origins)
  --insecure        accept any TLS certificate (self-signed test servers); off by default
  --message TEXT    send TEXT after the handshake and expect it echoed back
  --ping            send a ping after the handshake and expect the pong
  --idle SECONDS    stay silent SECONDS after the handshake, then check the connection
                    still works: does an idle WebSocket survive proxy_read_timeout (60 s by
                    default) and the CDN or load balancer in front?
  --header 'N: V'   send an extra request header (repeatable)
  --json            print the report as JSON
  -h, --help        show this help

Exit codes: 0 the endpoint works, 1 the check failed, 2 usage error.
`;

export interface ParsedProbeArgs {
  url: string;
  timeoutMs: number;
  origin?: string;
  insecure: boolean;
  message?: string;
  ping: boolean;
  idleMs?: number;
  headers: Array<[string, string]>;
  json: boolean;
}

export class UsageError extends Error {}

/** Parses the arguments after "probe". Returns 'help' for -h/--help; throws UsageError. */
export function parseProbeArgs(argv: readonly string[]): ParsedProbeArgs | 'help' {
  const args: Omit<ParsedProbeArgs, 'url'> & { url?: string } = {
    timeoutMs: DEFAULT_TIMEOUT_MS,
    insecure: false,
    ping: false,
    headers: [],
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      inline = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const flag = (): true => {
      if (inline !== undefined) throw new UsageError(`${a} takes no value`);
      return true;
    };
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '--timeout': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 600_000) {
          throw new UsageError(`--timeout wants milliseconds between 1 and 600000, got ${JSON.stringify(v)}`);
        }
        args.timeoutMs = Number(v);
        break;
      }
      case '--origin':
        args.origin = value();
        break;
      case '--insecure':
        args.insecure = flag();
        break;
      case '--message':
        args.message = value();
        break;
      case '--ping':
        args.ping = flag();
        break;
      case '--idle': {
        const v = value();
        if (!/^\d+(\.\d+)?$/.test(v) || !(Number(v) > 0) || Number(v) > 3600) {
          throw new UsageError(`--idle wants seconds between 0 and 3600, got ${JSON.stringify(v)}`);
        }
        args.idleMs = Math.round(Number(v) * 1000);
        break;
      }
      case '--json':
        args.json = flag();
        break;
      case '--header': {
        const v = value();
        const colon = v.indexOf(':');
        if (colon <= 0) throw new UsageError(`--header wants "Name: value", got ${JSON.stringify(v)}`);
        args.headers.push([v.slice(0, colon).trim(), v.slice(colon + 1).trim()]);
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        if (args.url !== undefined) throw new UsageError(`one URL only (got ${args.url} and ${a})`);
        args.url = a;
    }
  }
  if (args.url === undefined) throw new UsageError('missing URL (ws://host[:port]/path or wss://…)');
  try {
    parseTarget(args.url);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return { ...args, url: args.url };
}

/**
 * Runs `nginx-ws probe` and returns the exit code. `out` receives the whole output (the
 * report, the JSON, or a usage message).
 */
export async function probeCommand(
  argv: string[],
  out: (s: string) => void,
  extra: Pick<ProbeOptions, 'signal' | 'onProgress'> = {},
): Promise<number> {
  let args: ParsedProbeArgs | 'help';
  try {
    args = parseProbeArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    out(`nginx-ws probe: ${e.message}\n\n${PROBE_USAGE}`);
    return 2;
  }
  if (args === 'help') {
    out(PROBE_USAGE);
    return 0;
  }
  const report = await probe(args.url, {
    timeoutMs: args.timeoutMs,
    origin: args.origin,
    insecure: args.insecure,
    message: args.message,
    ping: args.ping,
    idleMs: args.idleMs,
    headers: args.headers,
    signal: extra.signal,
    onProgress: extra.onProgress,
  });
  out(args.json ? reportJson(report) + '\n' : formatReport(report));
  return exitCodeFor(report);
}
