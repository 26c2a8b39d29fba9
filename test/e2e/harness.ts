/**
 * Real-editor harness: VS Code served by code-server, driven in headless Chromium through
 * playwright-core. The editor itself is installed by .ci/setup-editor.sh into a cache
 * folder outside the repository; this module only finds it (see loadEditorPaths).
 *
 * Lifecycle (all helpers clean up after themselves; stop() is safe to call twice):
 *   const paths = loadEditorPaths();
 *   const extDir = await makeTempDir('ext');  await installVsix(paths, vsix, extDir);
 *   const server = await startCodeServer({ paths, extensionsDir: extDir });
 *   const wb = await Workbench.open(server, copyWorkspace(fixtureDir), { chromium: paths.chromium });
 *   ... wb.openFile('conf.d/app.conf'), wb.waitForSquiggle('warning'), ...
 *   await wb.close(); await server.stop();
 *
 * Every wait is bounded and waits for an event or polls a condition; none sleeps blindly.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, Browser, BrowserContext, Locator, Page } from 'playwright-core';

// ---------------------------------------------------------------------------------------
// Paths of the installed editor
// ---------------------------------------------------------------------------------------

export interface EditorPaths {
  /** Node binary code-server runs on (code-server 4.139 needs Node 24). */
  node: string;
  /** code-server's out/node/entry.js */
  codeServerEntry: string;
  /** Chromium executable. */
  chromium: string;
}

export function defaultCacheDir(): string {
  return process.env.NGINX_WS_CACHE || path.join(os.homedir(), '.cache', 'nginx-websocket-e2e');
}

/**
 * Environment variables (NGINX_WS_NODE, NGINX_WS_CODE_SERVER_ENTRY, NGINX_WS_CHROMIUM) win;
 * otherwise the editor.json that setup-editor.sh wrote into the cache folder.
 */
export function loadEditorPaths(cacheDir = defaultCacheDir()): EditorPaths {
  let fromFile: Partial<EditorPaths> = {};
  const manifest = path.join(cacheDir, 'editor.json');
  if (fs.existsSync(manifest)) {
    fromFile = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Partial<EditorPaths>;
  }
  const paths: EditorPaths = {
    node: process.env.NGINX_WS_NODE || fromFile.node || '',
    codeServerEntry: process.env.NGINX_WS_CODE_SERVER_ENTRY || fromFile.codeServerEntry || '',
    chromium: process.env.NGINX_WS_CHROMIUM || fromFile.chromium || '/usr/bin/chromium',
  };
  for (const [key, value] of Object.entries(paths)) {
    if (!value || !fs.existsSync(value)) {
      throw new Error(
        `editor not installed: ${key} = ${JSON.stringify(value)} does not exist ` +
          `(run .ci/setup-editor.sh; cache folder ${cacheDir})`,
      );
    }
  }
  return paths;
}

// ---------------------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------------------

const tempDirs: string[] = [];

/** A fresh temporary folder, removed at process exit unless NGINX_WS_KEEP_TEMP is set. */
export function makeTempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nginx-ws-e2e-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** Copies a fixture workspace into a fresh temp folder, so the test never edits the repo. */
export function copyWorkspace(fixtureDir: string): string {
  const dest = path.join(makeTempDir('ws'), path.basename(fixtureDir));
  fs.cpSync(fixtureDir, dest, { recursive: true });
  return dest;
}

export function log(message: string): void {
  const t = new Date().toISOString().slice(11, 23);
  process.stdout.write(`[${t}] ${message}\n`);
}

/** Polls `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes. */
export async function pollUntil<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Recursively lists files under `dir` (missing folder: empty list). */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...listFiles(full));
    } else {
      out.push(full);
    }
  }
  return out;
}

// Process groups started here, killed on any exit path of the test process.
const liveGroups = new Set<number>();
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}
process.on('exit', () => {
  for (const pid of liveGroups) {
    killGroup(pid, 'SIGKILL');
  }
  if (!process.env.NGINX_WS_KEEP_TEMP) {
    for (const dir of tempDirs) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => process.exit(130));
}

/**
 * Environment for code-server: any outbound HTTP it might attempt (marketplace queries,
 * update checks) goes to a dead local proxy; only 127.0.0.1 is reached directly.
 */
function isolatedEnv(userDataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // code-server's own config file (it writes one with a password when missing).
  env.CODE_SERVER_CONFIG = path.join(userDataDir, 'code-server-config.yaml');
  const deadProxy = 'http://127.0.0.1:9';
  env.HTTP_PROXY = env.http_proxy = deadProxy;
  env.HTTPS_PROXY = env.https_proxy = deadProxy;
  env.NO_PROXY = env.no_proxy = '127.0.0.1,localhost';
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.NODE_OPTIONS;
  return env;
}

function runToCompletion(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) {
      liveGroups.add(child.pid);
    }
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid) {
        killGroup(child.pid, 'SIGKILL');
      }
      reject(new Error(`${path.basename(args[0] ?? cmd)} timed out after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (child.pid) {
        killGroup(child.pid, 'SIGKILL'); // leftovers of the group
        liveGroups.delete(child.pid);
      }
      if (code === 0) {
        resolve(output);
      } else {
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}:\n${output}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------
// (a) Installing a .vsix
// ---------------------------------------------------------------------------------------

/** `code-server --install-extension X.vsix` into `extensionsDir`; returns code-server's output. */
export async function installVsix(paths: EditorPaths, vsix: string, extensionsDir: string): Promise<string> {
  if (!fs.existsSync(vsix)) {
    throw new Error(`no such .vsix: ${vsix}`);
  }
  const userDataDir = makeTempDir('install-udd');
  const output = await runToCompletion(
    paths.node,
    [
      paths.codeServerEntry,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--install-extension', path.resolve(vsix),
      '--force',
    ],
    isolatedEnv(userDataDir),
    180_000,
  );
  const installed = fs.readdirSync(extensionsDir).filter((n) => !n.startsWith('.') && n !== 'extensions.json');
  if (installed.length === 0) {
    throw new Error(`--install-extension reported success but ${extensionsDir} is empty:\n${output}`);
  }
  log(`installed ${path.basename(vsix)} -> ${installed.join(', ')}`);
  return output;
}

// ---------------------------------------------------------------------------------------
// (b) code-server
// ---------------------------------------------------------------------------------------

export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.editor.enablePreviewFromQuickOpen': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'remote.autoForwardPorts': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
};

export interface CodeServerOptions {
  paths: EditorPaths;
  extensionsDir: string;
  /** Fresh temp folder when omitted. */
  userDataDir?: string;
  /** Merged over DEFAULT_USER_SETTINGS. */
  settings?: Record<string, unknown>;
  startTimeoutMs?: number;
}

export interface CodeServer {
  port: number;
  url: string;
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own stdout/stderr. */
  logFile: string;
  /** Kills the whole process group; safe to call more than once. */
  stop(): Promise<void>;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const userDataDir = opts.userDataDir ?? makeTempDir('udd');
  const settingsDir = path.join(userDataDir, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.writeFileSync(
    path.join(settingsDir, 'settings.json'),
    JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...(opts.settings ?? {}) }, null, 2),
  );
  const port = await freePort();
  const logFile = path.join(userDataDir, 'code-server.out.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    opts.paths.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', opts.extensionsDir,
  ];
  // detached => own process group (setsid), so stop() can kill code-server and every
  // process it spawned (extension host, language servers, file watcher).
  const child: ChildProcess = spawn(opts.paths.node, args, {
    env: isolatedEnv(userDataDir),
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (!child.pid) {
    throw new Error('code-server did not start');
  }
  const pid = child.pid;
  liveGroups.add(pid);
  let exited: string | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = `exit ${code ?? signal}`;
      resolve();
    });
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    stopped = true;
    killGroup(pid, 'SIGTERM');
    const gone = await Promise.race([
      exitPromise.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
    ]);
    // Children of the group may outlive the main process: always finish with SIGKILL.
    killGroup(pid, 'SIGKILL');
    if (!gone) {
      await exitPromise;
    }
    liveGroups.delete(pid);
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await pollUntil(
      `code-server /healthz on ${url}`,
      async () => {
        if (exited) {
          throw new Error(`code-server ended early (${exited}):\n${fs.readFileSync(logFile, 'utf8')}`);
        }
        return (await httpStatus(`${url}/healthz`)) === 200;
      },
      opts.startTimeoutMs ?? 60_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  log(`code-server pid ${pid} listening on ${url}`);
  return { port, url, pid, userDataDir, extensionsDir: opts.extensionsDir, logFile, stop };
}

/** Starts code-server, runs `fn`, and stops code-server whatever happens. */
export async function withCodeServer<T>(opts: CodeServerOptions, fn: (server: CodeServer) => Promise<T>): Promise<T> {
  const server = await startCodeServer(opts);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/** The newest `<user-data-dir>/logs/<timestamp>/exthost1` folder, if any. */
export function exthostLogDir(userDataDir: string): string | undefined {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) {
    return undefined;
  }
  const sessions = fs
    .readdirSync(logs)
    .map((name) => path.join(logs, name, 'exthost1'))
    .filter((dir) => fs.existsSync(dir))
    .sort();
  return sessions[sessions.length - 1];
}

/**
 * The output channel logs of one extension: files under exthost1/<extensionId>/ plus any
 * output_logging_* file named after the channel.
 */
export function extensionLogs(userDataDir: string, extensionId: string, channelName?: string): Map<string, string> {
  const result = new Map<string, string>();
  const dir = exthostLogDir(userDataDir);
  if (!dir) {
    return result;
  }
  for (const file of listFiles(dir)) {
    const rel = path.relative(dir, file);
    const inExtFolder = rel.split(path.sep)[0]?.toLowerCase() === extensionId.toLowerCase();
    // VS Code drops characters such as ':' from the channel's file name.
    const namedChannel = channelName !== undefined && fileKey(path.basename(file)).includes(fileKey(channelName));
    if (inExtFolder || namedChannel) {
      result.set(file, fs.readFileSync(file, 'utf8'));
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// (c) + (d) the workbench in Chromium
// ---------------------------------------------------------------------------------------

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Resolve nothing but the local server.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export interface WorkbenchOptions {
  chromium: string;
  /** Folder for screenshots taken with screenshot(); more can be passed per call. */
  screenshotDir?: string;
  /** Extension whose output channel is dumped on failure, e.g. "publisher.name". */
  extensionId?: string;
  channelName?: string;
  /** Timeout for the workbench to load and extensions to activate. */
  loadTimeoutMs?: number;
  viewport?: { width: number; height: number };
}

const isMac = process.platform === 'darwin';
const MOD = isMac ? 'Meta' : 'Control';

export class Workbench {
  /** Last screenshot written, shown by dumpFailure(). */
  lastScreenshot: string | undefined;
  /** Requests the page tried to send anywhere but 127.0.0.1 (blocked). */
  readonly blockedRequests: string[] = [];
  /** Console errors of the page, for failure reports. */
  readonly consoleErrors: string[] = [];

  private constructor(
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly folder: string,
    private readonly opts: WorkbenchOptions,
  ) {}

  /** Launches Chromium, opens `folder` in the workbench, waits for extensions to activate. */
  static async open(server: CodeServer, folder: string, opts: WorkbenchOptions): Promise<Workbench> {
    const browser = await chromium.launch({
      executablePath: opts.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    let wb: Workbench | undefined;
    try {
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
      const page = await context.newPage();
      wb = new Workbench(server, browser, context, page, folder, opts);
      const self = wb;
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (/^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url) || /^(data|blob):/.test(url)) {
          return route.continue();
        }
        self.blockedRequests.push(url);
        return route.abort('blockedbyclient');
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error') {
          self.consoleErrors.push(msg.text());
        }
      });
      const timeout = opts.loadTimeoutMs ?? 120_000;
      const started = Date.now();
      await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`, { timeout });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
      await page.locator('[id="workbench.parts.statusbar"]').waitFor({ state: 'visible', timeout });
      await wb.waitForExtensionsActivated(Math.max(10_000, timeout - (Date.now() - started)));
      log(`workbench ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return wb;
    } catch (err) {
      if (wb) {
        await wb.dumpFailure(err);
      }
      await browser.close().catch(() => undefined);
      throw err;
    }
  }

  /** Waits for the extension host log line `Eager extensions activated`. */
  async waitForExtensionsActivated(timeoutMs: number): Promise<void> {
    await pollUntil(
      'the extension host log line "Eager extensions activated"',
      () => {
        const dir = exthostLogDir(this.server.userDataDir);
        if (!dir) {
          return false;
        }
        return listFiles(dir)
          .filter((f) => f.endsWith('exthost.log'))
          .some((f) => fs.readFileSync(f, 'utf8').includes('Eager extensions activated'));
      },
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }

  // --- keyboard / focus ---------------------------------------------------------------

  /** Presses a chord, with "Mod" meaning Ctrl (Cmd on macOS): press('Mod+S'). */
  async press(keys: string): Promise<void> {
    await this.page.keyboard.press(keys.replace(/\bMod\b/g, MOD));
  }

  /** The editor group's active Monaco editor. */
  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor[data-uri]').first();
  }

  async focusEditor(): Promise<void> {
    const editor = this.activeEditor();
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    // Focusing the hidden input keeps the cursor where it is (a click would move it).
    await editor.locator('textarea.inputarea, .native-edit-context').first().focus();
  }

  // --- files --------------------------------------------------------------------------

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor. */
  async openFile(relPath: string, timeoutMs = 30_000): Promise<void> {
    const base = path.posix.basename(relPath);
    await this.press('Mod+P');
    const input = this.page.locator('.quick-input-widget input[type="text"], .quick-input-widget input.input').first();
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(relPath);
    // Wait for a result whose label is the file and whose description matches its folder.
    const dirPart = path.posix.dirname(relPath);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const row = rows
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(base)}$`) }) })
      .filter(dirPart === '.' ? {} : { hasText: dirPart });
    await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
    await row.first().click();
    await this.page
      .locator('.tabs-container .tab.active', { hasText: base })
      .waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page
      .locator(`.editor-group-container.active .monaco-editor[data-uri$="${encodeURI(relPath).replace(/"/g, '\\"')}"]`)
      .first()
      .waitFor({ state: 'visible', timeout: timeoutMs });
    await this.focusEditor();
  }

  /** The editor's text as rendered (small files only: Monaco renders visible lines). */
  async editorText(): Promise<string> {
    const editor = this.activeEditor();
    return editor.evaluate((el: unknown) => {
      // Runs in the page. Lines are absolutely positioned and not in document order.
      const root = el as { querySelectorAll(s: string): ArrayLike<{ style: { top: string }; textContent: string | null }> };
      const lines = Array.from(root.querySelectorAll('.view-lines .view-line'));
      lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
    });
  }

  /** Polls until the rendered editor text satisfies `predicate`. */
  async waitForEditorText(what: string, predicate: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
    let last = '';
    try {
      return await pollUntil(
        what,
        async () => {
          last = await this.editorText();
          return predicate(last) ? last : false;
        },
        timeoutMs,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- editor text ---\n${last}`);
    }
  }

  /** Moves the cursor: Ctrl+G goto line[:column]. */
  async gotoLine(line: number, column?: number): Promise<void> {
    await this.focusEditor();
    await this.press('Mod+G');
    const input = this.page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    // Go to Line is Quick Open with the ":" prefix; keep the prefix when filling.
    await input.fill(column ? `:${line}:${column}` : `:${line}`);
    await this.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Ctrl+S. Waits until the active tab no longer shows the dirty marker. */
  async save(timeoutMs = 15_000): Promise<void> {
    await this.focusEditor();
    await this.press('Mod+S');
    await this.page
      .locator('.tabs-container .tab.active.dirty')
      .waitFor({ state: 'detached', timeout: timeoutMs });
  }

  /** Saves every dirty editor: activates each dirty tab and presses Ctrl+S. */
  async saveAll(timeoutMs = 15_000): Promise<number> {
    const dirty = this.page.locator('.tabs-container .tab.dirty');
    let saved = 0;
    while ((await dirty.count()) > 0) {
      if (saved > 50) {
        throw new Error('saveAll(): tabs stay dirty');
      }
      await dirty.first().click();
      // the editor may save it meanwhile (files.refactoring.autoSave saves a rename's files)
      const active = this.page.locator('.tabs-container .tab.active.dirty');
      try {
        await active.waitFor({ state: 'visible', timeout: 2_000 });
      } catch {
        continue;
      }
      await this.save(timeoutMs);
      saved++;
    }
    return saved;
  }

  // --- status bar -----------------------------------------------------------------------

  /** The language mode shown in the status bar ("Properties", "NGINX", ...). */
  async languageMode(timeoutMs = 15_000): Promise<string> {
    const item = this.page.locator('[id="status.editor.mode"]');
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
    return ((await item.textContent()) ?? '').trim();
  }

  /** Waits until the status bar language mode matches. Returns the text shown. */
  async waitForLanguageMode(expected: RegExp | string, timeoutMs = 15_000): Promise<string> {
    const matches = (s: string) => (typeof expected === 'string' ? s === expected : expected.test(s));
    let last = '';
    try {
      return await pollUntil(
        `status bar language mode ${String(expected)}`,
        async () => {
          last = await this.languageMode(timeoutMs);
          return matches(last) ? last : false;
        },
        timeoutMs,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message} (status bar shows ${JSON.stringify(last)})`);
    }
  }

  /** A status bar item whose text matches: its text and the codicons it shows ('check', 'error'…). */
  async statusItem(label: RegExp, timeoutMs = 15_000): Promise<{ text: string; icons: string[] }> {
    const item = this.page.locator('[id="workbench.parts.statusbar"] .statusbar-item').filter({ hasText: label }).first();
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
    const text = ((await item.textContent()) ?? '').trim();
    const icons = await item.locator('.codicon').evaluateAll((els) =>
      els.flatMap((e) => [...e.classList].filter((c) => c.startsWith('codicon-')).map((c) => c.slice('codicon-'.length))),
    );
    return { text, icons };
  }

  // --- diagnostics ----------------------------------------------------------------------

  /** Waits for a squiggle decoration of the given severity in the active editor. */
  async waitForSquiggle(severity: 'warning' | 'error' | 'info' = 'warning', timeoutMs = 30_000): Promise<Locator> {
    const squiggle = this.activeEditor().locator(`.squiggly-${severity}`).first();
    await squiggle.waitFor({ state: 'attached', timeout: timeoutMs });
    return squiggle;
  }

  /** Opens the Problems panel if needed (Ctrl+Shift+M) and waits for a row containing `text`. */
  async waitForProblem(text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.press('Mod+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
    const row = panel.locator('.monaco-list-row', { hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    return row;
  }

  /** Texts of all rows of the Problems panel (empty if it is not open). */
  async problems(): Promise<string[]> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return (await rows.allTextContents()).map((s) => s.trim());
  }

  /**
   * Clicks the Problems row containing `text` (which reveals the problem in its editor and
   * selects its range), waits until the status bar shows the cursor at the problem's
   * "[Ln N, Col M]", and gives the editor the keyboard focus: Ctrl+. then applies to it.
   */
  async revealProblem(text: string | RegExp, timeoutMs = 30_000): Promise<{ line: number; column: number }> {
    const row = await this.waitForProblem(text, timeoutMs);
    const rowText = (await row.textContent()) ?? '';
    const pos = /\[Ln (\d+), Col (\d+)\]/.exec(rowText);
    await row.click();
    if (pos) {
      // The problem's range ends up selected: "Ln 3, Col 14 (9 selected)".
      const where = new RegExp(`^\\s*Ln ${pos[1]}, Col \\d+`);
      await this.page
        .locator('[id="status.editor.selection"]', { hasText: where })
        .waitFor({ state: 'visible', timeout: 10_000 });
    }
    await this.focusEditor();
    return { line: Number(pos?.[1] ?? 0), column: Number(pos?.[2] ?? 0) };
  }

  /** F8 in the editor: cursor to the next problem; the peek widget is closed again. */
  async gotoNextProblem(): Promise<void> {
    await this.focusEditor();
    await this.press('F8');
    const widget = this.activeEditor().locator('.marker-widget, .peekview-widget').first();
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    await this.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  // --- code actions ---------------------------------------------------------------------

  /** Ctrl+. at the cursor; waits for the code action menu and returns the titles offered. */
  async showCodeActions(timeoutMs = 20_000): Promise<string[]> {
    await this.focusEditor();
    await this.press('Mod+.');
    const items = this.codeActionItems();
    try {
      await items.first().waitFor({ state: 'visible', timeout: Math.min(5_000, timeoutMs) });
    } catch {
      // the workbench sometimes swallows the first Ctrl+. right after start-up; a user presses again
      log('Ctrl+. showed no menu within 5 s; pressing it again');
      await this.focusEditor();
      await this.press('Mod+.');
      await items.first().waitFor({ state: 'visible', timeout: timeoutMs });
    }
    return (await items.allTextContents()).map((s) => s.trim());
  }

  /** In the open code action menu, applies the action whose title starts with / matches `title`. */
  async pickCodeAction(title: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const matches = (s: string) => (typeof title === 'string' ? s.startsWith(title) : title.test(s));
    const items = this.codeActionItems();
    const titles = (await items.allTextContents()).map((s) => s.trim());
    const index = titles.findIndex(matches);
    if (index < 0) {
      await this.press('Escape');
      throw new Error(`no code action ${JSON.stringify(String(title))}; the menu offered: ${JSON.stringify(titles)}`);
    }
    await items.nth(index).click();
    await this.page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: timeoutMs });
    return titles[index] as string;
  }

  /** showCodeActions() + pickCodeAction(): Ctrl+. and apply the action titled `title...`. */
  async applyCodeAction(title: string | RegExp, timeoutMs = 20_000): Promise<string> {
    await this.showCodeActions(timeoutMs);
    return this.pickCodeAction(title, timeoutMs);
  }

  private codeActionItems(): Locator {
    return this.page.locator('.action-widget .monaco-list-row.action');
  }

  // --- completion -----------------------------------------------------------------------

  /**
   * Types `text` at the cursor, waits for the suggest widget to offer an item whose label
   * starts with `label` (default: `text`), selects it and accepts it.
   * If the widget does not come up by itself it is requested with Ctrl+Space.
   */
  async typeAndAcceptSuggestion(
    text: string,
    label: string = text,
    opts: { timeoutMs?: number; beforeAccept?: () => Promise<unknown> } = {},
  ): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 20_000;
    await this.focusEditor();
    await this.page.keyboard.type(text, { delay: 40 });
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    const item = widget
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first();
    try {
      await item.waitFor({ state: 'visible', timeout: Math.min(5_000, timeoutMs) });
    } catch {
      await this.press('Control+Space'); // trigger suggest (Ctrl+Space on every platform)
      await item.waitFor({ state: 'visible', timeout: timeoutMs });
    }
    if (opts.beforeAccept) {
      await opts.beforeAccept();
    }
    await item.click();
    await widget.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** Types text at the cursor as keystrokes. */
  async type(text: string): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.type(text, { delay: 20 });
  }

  // --- evidence -------------------------------------------------------------------------

  /** Saves a PNG of the page as `name` into each folder (default: opts.screenshotDir). */
  async screenshot(name: string, ...dirs: string[]): Promise<string[]> {
    const targets = dirs.length ? dirs : this.opts.screenshotDir ? [this.opts.screenshotDir] : [];
    if (targets.length === 0) {
      throw new Error('screenshot(): no folder given and no screenshotDir configured');
    }
    const file = name.endsWith('.png') ? name : `${name}.png`;
    const buffer = await this.page.screenshot({ type: 'png' });
    const written: string[] = [];
    for (const dir of targets) {
      fs.mkdirSync(dir, { recursive: true });
      const out = path.join(dir, file);
      fs.writeFileSync(out, buffer);
      written.push(out);
    }
    this.lastScreenshot = written[0];
    return written;
  }

  /** Texts of the notification toasts on screen now. */
  async toasts(): Promise<string[]> {
    const texts = await this.page.locator('.notifications-toasts .notification-toast').allInnerTexts().catch(() => [] as string[]);
    return texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t.length > 0);
  }

  /** What an output channel of this window holds, from its log file(s) on disk. */
  channelLogs(channelName: string): Map<string, string> {
    return extensionLogs(this.server.userDataDir, this.opts.extensionId ?? '\0', channelName);
  }

  /**
   * Failure report: takes a `failure.png`, prints the extension's output channel, the tail
   * of the extension host log, code-server's own log, console errors and blocked requests.
   */
  async dumpFailure(error: unknown): Promise<void> {
    const line = '-'.repeat(78);
    const print = (s: string) => process.stderr.write(s + '\n');
    print(line);
    print(`FAILURE: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const dir = this.opts.screenshotDir;
    if (dir) {
      try {
        const [shot] = await this.screenshot('failure.png', dir);
        print(`last screenshot: ${shot}`);
      } catch (e) {
        print(`could not take a failure screenshot (${(e as Error).message}); last one: ${this.lastScreenshot ?? 'none'}`);
      }
    } else {
      print(`last screenshot: ${this.lastScreenshot ?? 'none'}`);
    }
    const ud = this.server.userDataDir;
    if (this.opts.extensionId) {
      const logs = extensionLogs(ud, this.opts.extensionId, this.opts.channelName);
      if (logs.size === 0) {
        print(`(no output channel log of ${this.opts.extensionId} under ${exthostLogDir(ud) ?? path.join(ud, 'logs')})`);
      }
      for (const [file, text] of logs) {
        print(`${line}\n${file}:\n${tail(text, 200)}`);
      }
    }
    const exthost = exthostLogDir(ud);
    if (exthost) {
      for (const file of listFiles(exthost).filter((f) => f.endsWith('exthost.log'))) {
        print(`${line}\n${file} (tail):\n${tail(fs.readFileSync(file, 'utf8'), 60)}`);
      }
    }
    if (fs.existsSync(this.server.logFile)) {
      print(`${line}\n${this.server.logFile} (tail):\n${tail(fs.readFileSync(this.server.logFile, 'utf8'), 40)}`);
    }
    if (this.consoleErrors.length) {
      print(`${line}\nbrowser console errors (last 20):\n${this.consoleErrors.slice(-20).join('\n')}`);
    }
    if (this.blockedRequests.length) {
      print(`${line}\nblocked non-local requests:\n${[...new Set(this.blockedRequests)].join('\n')}`);
    }
    // Repeated last, so that a log cut to its tail still shows what failed.
    const toasts = await this.toasts();
    print(`${line}\nnotifications on screen: ${toasts.length ? JSON.stringify(toasts) : 'none'}`);
    print(`FAILURE (repeated): ${error instanceof Error ? error.message : String(error)}`);
    print(line);
  }
}

function fileKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
