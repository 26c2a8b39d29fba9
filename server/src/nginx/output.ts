// Reads what `nginx -t` prints. Two shapes reach stderr: "nginx: [emerg] msg in file:line" before
// an error log is open, and the log format "2024/01/01 00:00:00 [emerg] 12#12: msg in file:line"
// once one is (our -g error_log). Messages without " in file:line" come from after parsing
// (ngx_http_variables_init_vars: unknown "x" variable; ngx_init_cycle: no "events" section).
// A message may span lines (a quoted name holding a newline): it runs to the next entry.

export type NginxLevel = 'emerg' | 'alert' | 'crit' | 'error' | 'warn' | 'notice' | 'info';

export interface NginxMessage {
  level: NginxLevel;
  message: string;
  /** The file nginx names (as it spelled it), with its 1-based line. */
  file?: string;
  line?: number;
}

const START = /\r?\n(?=nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )/;
const ENTRY = /^(?:nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )\[(emerg|alert|crit|error|warn|notice|info)\] (?:\d+#\d+: )?(.*)$/s;
// greedy message: the location is the last " in <path>:<n>" (messages may contain " in ")
const LOCATION = /^(.*) in (\S[^\n]*?):(\d+)$/s;

/**
 * Lines nginx prints because it runs in our sandbox as whoever runs the editor, not because
 * the configuration is wrong.
 */
const ARTIFACTS = [/^could not open error log file: /, /^the "user" directive makes sense only if the master process runs with super-user privileges/];

export function parseNginxOutput(stderr: string): NginxMessage[] {
  const out: NginxMessage[] = [];
  const seen = new Set<string>();
  for (const raw of stderr.split(START)) {
    const m = ENTRY.exec(raw.trimEnd());
    if (!m) continue;
    const level = m[1] as NginxLevel;
    let message = m[2];
    let file: string | undefined;
    let line: number | undefined;
    const loc = LOCATION.exec(message);
    if (loc) [message, file, line] = [loc[1], loc[2], Number(loc[3])];
    if (ARTIFACTS.some((re) => re.test(message))) continue;
    const key = `${level}|${message}|${file}|${line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ level, message, file, line });
  }
  return out;
}

/** The variable of `unknown "x" variable`, which nginx reports without a location. */
export function unknownVariable(message: string): string | undefined {
  return /^unknown "([^"]+)" variable$/.exec(message)?.[1];
}
