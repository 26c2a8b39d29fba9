// Every user-facing option, declared once: the VS Code setting (manifest schema, scope, whether
// an untrusted workspace may set it), its default, and the command-line flag that sets the same
// thing. The manifest's `contributes.configuration`, its `restrictedConfigurations`, the settings
// reader's defaults, the CLI's help text and the README's settings table are all derived from
// this table (`npm run gen:tables` writes the generated files; a test fails when they are stale).
// Pure data: no imports beyond the core's own types.

/** The nginx version assumed when none is configured: the oldest still common in distributions. */
export const DEFAULT_NGINX_VERSION = '1.22';

/** `1.22`, `1.29.7`: what the nginxVersion setting and `--nginx-version` accept. */
export const NGINX_VERSION_RE = /^\d+\.\d+(\.\d+)?$/;

/** A time nginx's ngx_parse_time accepts ("600", "600s", "10m", "1h 30m"). */
export const NGINX_TIME_RE = /^\d+(ms|s|m|h|d|w|M|y)?( ?\d+(ms|s|m|h|d|w|M|y)?)*$/;

/** What the frontedBy setting accepts: a known front, or its idle limit in seconds. */
export const FRONTED_BY_RE = /^(none|cloudflare|aws-alb|[1-9][0-9]{0,6})$/;

/** The idle limit of a front (CDN or load balancer) the frontedBy setting names; undefined for none. */
export function frontIdle(value: string | undefined): { label: string; seconds: number } | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (v === 'cloudflare') return { label: 'Cloudflare', seconds: 100 };
  if (v === 'aws-alb') return { label: 'the AWS load balancer', seconds: 60 };
  if (/^[1-9][0-9]{0,6}$/.test(v)) return { label: 'the CDN or load balancer in front', seconds: Number(v) };
  return undefined;
}

/** The levels a rule or nginx code can be set to. */
export const LEVELS = ['off', 'error', 'warning', 'info', 'hint'] as const;
export const LEVEL_DESCRIPTIONS = ['Do not run the rule.', 'Report as an error.', 'Report as a warning.', 'Report as information.', 'Report as a hint.'];

/** The part of JSON Schema the manifest's settings use. */
export interface SettingSchema {
  type: 'string' | 'number' | 'boolean' | 'array' | 'object';
  items?: { type: 'string'; format?: string };
  uniqueItems?: boolean;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  pattern?: string;
  patternErrorMessage?: string;
  minimum?: number;
  maximum?: number;
}

/** A command-line flag that sets the same thing as a setting (or a CLI-only option). */
export interface CliFlag {
  command: 'check' | 'probe' | 'fmt';
  flag: string;
  /** The placeholder of its value in the usage line; none for a switch. */
  arg?: string;
  /** May be given more than once. */
  repeat?: boolean;
}

export interface OptionDecl {
  /** The setting's key under `nginxWebSocket.`; for a command-line-only option (reader 'cli'), its name. */
  key: string;
  schema: SettingSchema;
  default: unknown;
  /** The manifest's markdownDescription (what the settings editor shows). */
  description: string;
  /** One line for the README's settings table. */
  summary: string;
  /** How the README shows the default when JSON of it says too little (`auto`, `"" (1.22)`). */
  shownDefault?: string;
  scope?: 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource';
  /**
   * Who reads the setting: the language server (lsp/settings.ts, per folder) or the VS Code
   * client (client/src); 'cli': no setting, a command-line option only.
   */
  reader: 'server' | 'client' | 'cli';
  /** An untrusted workspace cannot set it (it chooses what runs, or weakens a check). */
  restricted?: boolean;
  cli?: CliFlag;
}

export const OPTIONS: readonly OptionDecl[] = [
  {
    key: 'nginxVersion',
    reader: 'server',
    // the reader's own pattern, or empty
    schema: { type: 'string', pattern: `^(${NGINX_VERSION_RE.source.slice(1, -1)})?$`, patternErrorMessage: 'A version like 1.22 or 1.29.7, or empty.' },
    default: '',
    shownDefault: `\`""\` (${DEFAULT_NGINX_VERSION})`,
    scope: 'resource',
    description: `The nginx version this configuration runs on, such as \`1.22\` or \`1.29.7\`. Rules follow the defaults of that version (for example, which HTTP version \`proxy_pass\` uses). Empty means ${DEFAULT_NGINX_VERSION}, the oldest version still common in distributions.`,
    summary: 'The nginx version the config runs on; rules follow its defaults (1.29.7 changed `proxy_http_version` to 1.1).',
    cli: { command: 'check', flag: '--nginx-version', arg: 'X.Y' },
  },
  {
    key: 'extraDirectives',
    reader: 'server',
    schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    default: [],
    scope: 'resource',
    description: 'Directive names of third-party modules your nginx is built with (for example `more_set_headers`). They are accepted instead of being reported as `unknown directive`.',
    summary: 'Directives of third-party modules to accept (e.g. `more_set_headers`).',
    cli: { command: 'check', flag: '--extra-directive', arg: 'NAME', repeat: true },
  },
  {
    key: 'rules',
    reader: 'server',
    // its per-code properties come from the code registry (core/registry.ts)
    schema: { type: 'object' },
    default: {},
    scope: 'resource',
    description: 'Severity per rule or nginx code, by its id: `off`, `error`, `warning`, `info` or `hint`. Example: `{ "ws-read-timeout": "off" }`. Each problem shows its code; its link opens the code\'s documentation.',
    summary: 'Severity per rule or nginx code: `off`, `error`, `warning`, `info`, `hint`.',
    cli: { command: 'check', flag: '--rule', arg: 'ID=LEVEL', repeat: true },
  },
  {
    key: 'endpointPatterns',
    reader: 'server',
    schema: { type: 'array', items: { type: 'string', format: 'regex' }, uniqueItems: true },
    default: [],
    scope: 'resource',
    restricted: true,
    description: 'Regular expressions (JavaScript syntax, case-insensitive) that mark extra WebSocket endpoints: a `proxy_pass` location whose path, or whose upstream name, matches one is checked like a WebSocket endpoint. Example: `["^/live/", "^realtime_backend$"]`. Paths such as `/ws/`, `/socket.io/` or a `websocket` segment are recognised without this setting.',
    summary: 'Regexes of extra paths or upstream names that are WebSocket endpoints. An untrusted workspace cannot set it.',
  },
  {
    key: 'readTimeout',
    reader: 'server',
    schema: { type: 'string', pattern: NGINX_TIME_RE.source, patternErrorMessage: 'An nginx time such as 600s, 10m or 1h.' },
    default: '600s',
    scope: 'resource',
    description: 'The `proxy_read_timeout` value the quick fixes write for WebSocket locations (nginx time syntax: `600s`, `10m`, `1h`). nginx closes an idle proxied WebSocket after this long without a message from the backend; its own default is 60 s.',
    summary: 'The value the read-timeout fix writes.',
  },
  {
    key: 'connectionStyle',
    reader: 'server',
    schema: {
      type: 'string',
      enum: ['map', 'literal'],
      enumDescriptions: [
        'Quick fixes write `proxy_set_header Connection $connection_upgrade;` and add the `map $http_upgrade $connection_upgrade` block to http (works for plain HTTP requests on the same location too).',
        'Quick fixes write `proxy_set_header Connection "upgrade";`, and a hard-coded "upgrade" is not reported (fine for locations that only ever serve WebSocket).',
      ],
    },
    default: 'map',
    scope: 'resource',
    description: 'How fixes set the `Connection` header for WebSocket locations: through the `$connection_upgrade` map (the article\'s example two) or with the literal `"upgrade"` (example one).',
    summary: 'How fixes write the Connection header: the `$connection_upgrade` map, or `"upgrade"`.',
  },
  {
    key: 'frontedBy',
    reader: 'server',
    schema: { type: 'string', pattern: FRONTED_BY_RE.source, patternErrorMessage: 'none, cloudflare, aws-alb, or the idle limit in seconds (e.g. 350).' },
    default: 'none',
    scope: 'resource',
    description: 'What stands in front of nginx and closes idle connections on its own: `none`, `cloudflare` (100 s), `aws-alb` (an AWS Application Load Balancer, 60 s by default) or the idle limit in seconds of another CDN or load balancer (e.g. `350`). A raised `proxy_read_timeout` does not help past that limit: the timeout advice becomes "send a ping more often than every N s".',
    summary: 'A CDN or load balancer in front (`none`, `cloudflare`, `aws-alb`, or its idle limit in seconds): the timeout advice becomes "ping more often than N s".',
 
    cli: { command: 'check', flag: '--fronted-by', arg: 'NAME|SECONDS' },
  },
  {
    key: 'nginx.path',
    reader: 'server',
    schema: { type: 'string' },
    default: '',
    shownDefault: 'auto',
    scope: 'machine-overridable',
    restricted: true,
    description: 'The nginx executable used for `nginx -t` on save. Empty: `nginx` found on `PATH`, else `/usr/sbin/nginx`. Never used in a restricted (untrusted) workspace.',
    summary: 'The nginx binary for `nginx -t` on save (never run in an untrusted workspace; an untrusted workspace cannot set it).',
  },
  {
    key: 'nginx.testOnSave',
    reader: 'server',
    schema: { type: 'boolean' },
    default: true,
    scope: 'resource',
    description: 'Run the real `nginx -t` when an nginx file is saved, on a temporary copy of the whole configuration the file belongs to (its pid, log and temp paths are redirected into the copy, so the running nginx is never touched). Errors appear with source `nginx -t` at the file and line nginx names.',
    summary: 'Run the real `nginx -t` on the saved file\'s tree (in a temporary prefix, see below). Off: it runs only when you click its status bar item.',
  },
  {
    key: 'nginx.timeoutMs',
    reader: 'server',
    schema: { type: 'number', minimum: 100, maximum: 120000 },
    default: 5000,
    scope: 'resource',
    description: 'How long `nginx -t` may run, in milliseconds, before it is stopped (one message says so).',
    summary: 'An `nginx -t` that takes longer is stopped (with whatever it started) and reported once.',
  },
  {
    key: 'format.enable',
    reader: 'server',
    schema: { type: 'boolean' },
    default: true,
    scope: 'resource',
    description: 'Format nginx files (Format Document, Format Selection, format on type and `editor.formatOnSave`). The formatter changes only the blanks between tokens, and gives up, saying why in the output channel, when its result would read differently to nginx. Indentation follows the editor\'s tab size and "Insert Spaces".',
    summary: 'Format nginx files (document, selection, on type, on save); only blanks between tokens change. Indentation follows the editor\'s options.',
  },
  {
    key: 'format.align',
    reader: 'server',
    schema: { type: 'boolean' },
    default: false,
    scope: 'resource',
    description: 'When formatting, line up the values of `map`, `geo`, `types`, `split_clients` and `charset_map` blocks, and the values of consecutive one-line `proxy_set_header` directives. A blank line or a comment line ends a run.',
    summary: 'When formatting, line up the values of `map`/`geo`/`types` blocks and of `proxy_set_header` runs.',
    cli: { command: 'fmt', flag: '--align' },
  },
  {
    key: 'effectiveConfig.enable',
    reader: 'server',
    schema: { type: 'boolean' },
    default: true,
    scope: 'resource',
    description: 'Show what nginx really sends upstream: beside every `proxy_pass`, an inlay hint with the HTTP version, the header lines in effect and the read timeout (its hover and the hover of `proxy_pass` list every line with the level and line it comes from, the client headers not passed on, the timeouts and buffering); beside a `proxy_set_header` line that inheritance drops for some location, a note saying for which. Inlay hints also follow `editor.inlayHints.enabled`.',
    summary: 'Show what nginx sends upstream beside each `proxy_pass` (inlay hint and hover), and mark `proxy_set_header` lines inheritance drops.',
  },
  {
    key: 'probe.timeoutMs',
    reader: 'client',
    schema: { type: 'number', minimum: 100, maximum: 120000 },
    default: 5000,
    scope: 'resource',
    description: 'Limit for each step of **Check endpoint…** (connect, TLS, handshake, echo, close), in milliseconds.',
    summary: 'Limit for each step of *Check endpoint…* (connect, TLS, handshake, echo, close).',
    cli: { command: 'probe', flag: '--timeout', arg: 'MS' },
  },
  {
    key: 'probe.origin',
    reader: 'client',
    schema: { type: 'string' },
    default: '',
    scope: 'resource',
    description: 'The `Origin` header **Check endpoint…** sends, e.g. `https://example.com` (browsers always send one and some backends reject unknown origins). Empty: no Origin header.',
    summary: 'The `Origin` header *Check endpoint…* sends (empty: none).',
    cli: { command: 'probe', flag: '--origin', arg: 'O' },
  },
  {
    key: 'probe.allowSelfSigned',
    reader: 'client',
    schema: { type: 'boolean' },
    default: false,
    scope: 'machine-overridable',
    restricted: true,
    description: 'Let **Check endpoint…** accept any certificate on `wss://` (self-signed test servers). The report says when verification was off.',
    summary: '*Check endpoint…* accepts any certificate on `wss://`. An untrusted workspace cannot turn it on.',
    cli: { command: 'probe', flag: '--insecure' },
  },
  {
    key: 'trace.server',
    reader: 'client',
    schema: { type: 'string', enum: ['off', 'messages', 'verbose'] },
    default: 'off',
    scope: 'window',
    description: 'Logs the messages between VS Code and the nginx WebSocket language server to the **nginx WebSocket** output channel.',
    summary: 'Log the language server\'s messages to the *nginx WebSocket* output channel.',
  },
  {
    key: 'maxFiles',
    reader: 'cli',
    schema: { type: 'number', minimum: 1 },
    default: 20000,
    description: 'A directory scan stops after this many files (the CLI exits 2, saying where; the language server\'s folder scan takes as many).',
    summary: 'A directory scan stops after this many files.',
    cli: { command: 'check', flag: '--max-files', arg: 'N' },
  },
];

const BY_KEY = new Map(OPTIONS.map((o) => [o.key, o]));

/** The declaration of an option (throws on a key that is not declared: a programming error). */
export function option(key: string): OptionDecl {
  const o = BY_KEY.get(key);
  if (!o) throw new Error(`undeclared option ${key}`);
  return o;
}

/** An option's declared default, typed by the caller. */
export function optionDefault<T>(key: string): T {
  return option(key).default as T;
}

/** An option's flag with its placeholder: `--rule ID=LEVEL`. */
export function cliFlag(key: string): string {
  const c = option(key).cli;
  if (!c) throw new Error(`option ${key} has no command-line flag`);
  return c.arg ? `${c.flag} ${c.arg}` : c.flag;
}

/** The usage-line form of an option's flag: `[--rule ID=LEVEL]...`. */
export function cliUsage(key: string): string {
  return `[${cliFlag(key)}]${option(key).cli!.repeat ? '...' : ''}`;
}
