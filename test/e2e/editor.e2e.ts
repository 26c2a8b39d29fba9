/**
 * End-to-end scenario in a real VS Code (code-server + headless Chromium).
 *
 *   node out/test/e2e/editor.e2e.js --vsix nginx-websocket.vsix [--results DIR] [--no-docs-images]
 *   node out/test/e2e/editor.e2e.js --smoke [--results DIR]
 *
 * The product scenario installs the extension's .vsix and walks through what a user does:
 * open a server block that proxies WebSockets without the Upgrade header, see the warning,
 * apply the quick fix, add the $connection_upgrade map with the `ws-map` snippet, save,
 * and check the files on disk.
 *
 * --smoke proves the harness without the product: it packages a throwaway extension (built
 * in a temp folder at test time, see smoke-extension.ts) that claims *.conf, reports one
 * warning, offers one quick fix and one snippet, and runs the same steps against it.
 *
 * Exit code 0 when every step passed, 1 otherwise (2 for bad arguments).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  pollUntil,
  CodeServer,
  Workbench,
  copyWorkspace,
  installVsix,
  loadEditorPaths,
  log,
  makeTempDir,
  startCodeServer,
} from './harness';
import { WebSocketServer } from 'ws';
import { buildSmokeExtension, SMOKE } from './smoke-extension';

/**
 * Format Document's default key: Shift+Alt+F on Windows and macOS (Shift+Option+F), Ctrl+Shift+I
 * on Linux, which is what the workbench in the browser here runs as.
 */
const FORMAT_DOCUMENT = process.platform === 'linux' ? 'Control+Shift+I' : 'Shift+Alt+F';

/** The repository root (this file runs from out/test/e2e/). */
const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Scenario {
  title: string;
  vsix: string;
  /** Fixture workspace; the editor works on a temp copy. */
  fixture: string;
  extensionId: string;
  channelName: string;
  languageId: string;
  /** Expected in the status bar when no alias can be read from the installed manifest. */
  fallbackAlias: RegExp;
  mainFile: string;
  squiggle: 'warning' | 'error';
  diagnosticCode: string;
  fixTitlePrefix: string;
  /** Text the quick fix must put into mainFile. */
  fixedText: string;
  snippetFile: string;
  /** The line after which the snippet is typed (on a new line). */
  snippetAfterLine: string;
  snippetTrigger: string;
  /** Checks of the saved files; returns problems found (empty = fine). */
  checkDisk(read: (rel: string) => string): string[];
  /** Also copy the documentation screenshots here. */
  docsImages?: string;
  /** After the fix and the snippet the workspace has no problem left (the product's case). */
  cleanAfterSnippet: boolean;
  /** Run "Check endpoint…" against a local WebSocket echo server (the product's case). */
  endpointCheck: boolean;
  /** A badly indented file to format with Format Document's key and save, and what must be on disk then. */
  format?: { file: string; expected: string };
  /** A location missing several lines: "Make this a working WebSocket location" adds them all in one action. */
  oneAction?: { file: string; text: string; code: string; title: string; lines: string[] };
  /**
   * Completion like a language: in a new file's location, Ctrl+Space offers `directive`, and
   * accepting it writes a line nginx accepts.
   */
  editing?: { file: string; text: string; inLocationAfter: string; directive: string; value: string };
  /**
   * An upstream in one file used from another: F12 on the use jumps to the block, F2 renames it
   * in both files (written by the steps, so the earlier ones see the fixture as it is).
   */
  navigate?: { upstreamFile: string; upstreamText: string; useFile: string; useText: string; name: string; newName: string };
}

function nginxScenario(vsix: string, docsImages: string | undefined): Scenario {
  return {
    title: 'nginx-websocket',
    vsix,
    fixture: path.join(ROOT, 'test', 'e2e', 'workspace'),
    extensionId: 'nginx-websocket.nginx-websocket',
    channelName: 'nginx WebSocket',
    languageId: 'nginx',
    fallbackAlias: /^nginx$/i,
    mainFile: 'conf.d/app.conf',
    squiggle: 'error',
    cleanAfterSnippet: true,
    endpointCheck: true,
    // no line is indented, so the editor's detected indentation is its default: 4 spaces
    format: {
      file: 'sites-available/badly-indented',
      expected: 'server {\n    listen 127.0.0.1:8081;\n    server_name fmt.example;\n    location / {\n        return 204;\n    }\n    location = /x { return 200; } # kept on one line\n}\n',
    },
    oneAction: {
      // written into the workspace by the step itself, so the earlier steps see a clean workspace
      file: 'sites-available/chat',
      text: 'server {\n    listen 127.0.0.1:8082;\n    server_name chat.example;\n\n    location /chat/ {\n        proxy_pass http://127.0.0.1:8090;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n',
      code: 'ws-connection-header-missing',
      title: 'Make this a working WebSocket location',
      lines: ['proxy_http_version 1.1;', 'proxy_set_header Connection $connection_upgrade;', 'proxy_read_timeout 600s;', 'proxy_set_header Upgrade $http_upgrade;'],
    },
    editing: {
      file: 'conf.d/live.conf',
      text: 'server {\n    listen 127.0.0.1:8084;\n    server_name live.example;\n\n    location /feed/ {\n        proxy_pass http://127.0.0.1:8093;\n    }\n}\n',
      inLocationAfter: 'proxy_pass http://127.0.0.1:8093;',
      directive: 'proxy_read_timeout',
      value: '90s',
    },
    navigate: {
      upstreamFile: 'conf.d/00-upstream.conf',
      upstreamText: '# the chat backends\nupstream chat_backend {\n    server 127.0.0.1:8091;\n}\n',
      useFile: 'conf.d/chat.conf',
      useText: 'server {\n    listen 127.0.0.1:8083;\n    location /chat/ {\n        proxy_pass http://chat_backend;\n    }\n}\n',
      name: 'chat_backend',
      newName: 'chat_pool',
    },
    diagnosticCode: 'ws-upgrade-header-missing',
    fixTitlePrefix: 'Add proxy_set_header Upgrade',
    fixedText: 'proxy_set_header Upgrade $http_upgrade;',
    snippetFile: 'nginx.conf',
    snippetAfterLine: 'include conf.d/*.conf;',
    snippetTrigger: 'ws-map',
    checkDisk(read) {
      const problems: string[] = [];
      const app = read('conf.d/app.conf');
      const location = /location \/ws\/ \{([\s\S]*?)\n\s*\}/.exec(app)?.[1] ?? '';
      if (!/^\s*proxy_set_header Upgrade \$http_upgrade;$/m.test(location)) {
        problems.push('conf.d/app.conf: location /ws/ has no "proxy_set_header Upgrade $http_upgrade;" line');
      }
      for (const kept of ['proxy_pass http://127.0.0.1:8080;', 'proxy_http_version 1.1;', 'proxy_set_header Connection']) {
        if (!location.includes(kept)) {
          problems.push(`conf.d/app.conf: location /ws/ lost "${kept}"`);
        }
      }
      const main = read('nginx.conf');
      const httpStart = main.indexOf('http {');
      const httpEnd = main.lastIndexOf('}');
      const map = /map\s+\$http_upgrade\s+\$connection_upgrade\s*\{/.exec(main);
      if (!map) {
        problems.push('nginx.conf: no "map $http_upgrade $connection_upgrade {" block');
      } else if (!(httpStart >= 0 && map.index > httpStart && map.index < httpEnd)) {
        problems.push('nginx.conf: the map block is not inside the http block');
      }
      if (!main.includes('include conf.d/*.conf;')) {
        problems.push('nginx.conf: lost "include conf.d/*.conf;"');
      }
      if (main.includes('ws-map')) {
        problems.push('nginx.conf: the snippet trigger "ws-map" is still in the file');
      }
      return problems;
    },
    docsImages,
  };
}

function smokeScenario(vsix: string, fixture: string): Scenario {
  return {
    title: 'harness smoke (throwaway extension)',
    vsix,
    fixture,
    extensionId: SMOKE.extensionId,
    channelName: SMOKE.channelName,
    languageId: SMOKE.languageId,
    fallbackAlias: new RegExp(`^${SMOKE.alias}$`),
    mainFile: 'conf.d/app.conf',
    squiggle: 'warning',
    cleanAfterSnippet: false,
    endpointCheck: false,
    diagnosticCode: SMOKE.diagnosticCode,
    fixTitlePrefix: SMOKE.fixTitlePrefix,
    fixedText: SMOKE.fixedText,
    snippetFile: 'main.conf',
    snippetAfterLine: 'include conf.d/*.conf;',
    snippetTrigger: SMOKE.snippetPrefix,
    checkDisk(read) {
      const problems: string[] = [];
      const app = read('conf.d/app.conf');
      if (!app.includes(SMOKE.fixedText) || app.includes(SMOKE.badText)) {
        problems.push(`conf.d/app.conf was not fixed on disk:\n${app}`);
      }
      const main = read('main.conf');
      if (!main.includes(SMOKE.snippetBodyStart) || main.includes(SMOKE.snippetPrefix)) {
        problems.push(`main.conf has no snippet on disk:\n${main}`);
      }
      return problems;
    },
  };
}

// ---------------------------------------------------------------------------------------

class StepFailed extends Error {
  constructor(readonly step: string, readonly cause: unknown) {
    super(step);
  }
}

/**
 * The palette command "nginx WebSocket: Check endpoint…" against a `ws` echo server on
 * 127.0.0.1: pick "Enter a URL…", type the URL, and see the OK notification and the report.
 */
async function endpointCheck(
  w: Workbench,
  step: (title: string, f: () => Promise<unknown>) => Promise<unknown>,
  shots: (name: string, forDocs: boolean) => Promise<unknown>,
): Promise<void> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (c) => c.on('message', (m, binary) => c.send(m, { binary })));
  const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/echo`;
  try {
    await step('run "nginx WebSocket: Check endpoint…" from the command palette', async () => {
      await w.press('F1');
      const input = w.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await w.page.keyboard.type('nginx WebSocket: Check endpoint', { delay: 20 });
      await w.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Check endpoint' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await w.press('Enter');
      // the URL picker: our config's suggestions plus "Enter a URL…"
      await w.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter a URL' }).first().click({ timeout: 15_000 });
      // The quick pick's own input stays visible while the input box replaces it: wait for
      // the input box's prompt, then replace its suggested value and read back what it holds.
      const box = w.page.locator('.quick-input-widget', { hasText: 'A ws:// or wss:// URL' });
      await box.waitFor({ state: 'visible', timeout: 10_000 });
      await w.press('Mod+A');
      await w.page.keyboard.type(url, { delay: 10 });
      await pollUntil('the input box to hold the URL', async () => ((await input.inputValue()) === url ? true : false), 5_000);
      await w.press('Enter');
    });
    await step('the handshake report: notification "WebSocket OK" and the output channel', async () => {
      const result = /WebSocket OK|WebSocket check failed/;
      let text: string;
      const toast = w.page.locator('.notifications-toasts .notification-toast', { hasText: result }).first();
      try {
        await toast.waitFor({ state: 'visible', timeout: 20_000 });
        text = await toast.innerText();
      } catch {
        // A toast hides itself after a while (sooner in a window without focus): the notification
        // is then in the notification center, which the status bar bell opens.
        await w.press('Escape');
        await w.page.locator('[id="status.notifications"]').first().click({ timeout: 5_000 }).catch(() => undefined);
        const kept = w.page.locator('.notifications-center .notification-list-item', { hasText: result }).first();
        try {
          await kept.waitFor({ state: 'visible', timeout: 10_000 });
        } catch {
          throw new Error(`no result notification, neither as a toast nor in the notification center; toasts shown: ${JSON.stringify(await w.toasts())}`);
        }
        text = await kept.innerText();
        await w.press('Escape');
      }
      text = text.replace(/\s+/g, ' ');
      if (!/WebSocket OK: Handshake OK \(101\)/.test(text)) {
        throw new Error(`the notification says: ${text}`);
      }
      // The Output panel shows our channel; it scrolls to the end, so look for the last lines.
      await w.page.locator('.output-view, .part.panel', { hasText: 'Timings:' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      // The whole report went to the channel (its log file under the user data dir).
      await pollUntil('the endpoint check channel to hold the report', async () => {
        const logs = [...w.channelLogs('nginx WebSocket: endpoint check').values()].join('\n');
        return logs.includes('101 Switching Protocols') && logs.includes('Sec-WebSocket-Accept matches') ? true : false;
      }, 10_000);
    });
    // Let the progress toast ("Checking …") fade out before the picture for the README.
    await w.page.locator('.notifications-toasts .notification-toast', { hasText: 'Checking ' }).first()
      .waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    await w.page.waitForTimeout(400);
    await shots('05-endpoint-check.png', true);
  } finally {
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}

async function run(scenario: Scenario, resultsDir: string): Promise<boolean> {
  const started = Date.now();
  let passed = 0;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  const shots = (name: string, forDocs: boolean) => {
    const dirs = [resultsDir];
    if (forDocs && scenario.docsImages) {
      dirs.push(scenario.docsImages);
    }
    return wb!.screenshot(name, ...dirs);
  };
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      const value = await fn();
      passed++;
      console.log(`PASS  ${name}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return value;
    } catch (err) {
      console.log(`FAIL  ${name}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      if (wb) {
        await wb.dumpFailure(err);
      } else {
        console.error(err instanceof Error ? (err.stack ?? err.message) : err);
        if (server && fs.existsSync(server.logFile)) {
          console.error(`--- ${server.logFile} ---\n${fs.readFileSync(server.logFile, 'utf8')}`);
        }
      }
      throw new StepFailed(name, err);
    }
  };

  console.log(`=== ${scenario.title}: ${scenario.vsix}`);
  fs.mkdirSync(resultsDir, { recursive: true });
  for (const stale of fs.readdirSync(resultsDir).filter((n) => n.endsWith('.png'))) {
    fs.rmSync(path.join(resultsDir, stale));
  }
  try {
    const paths = await step('editor installed (code-server, Node, Chromium)', async () => loadEditorPaths());
    const extensionsDir = makeTempDir('extensions');
    await step(`install ${path.basename(scenario.vsix)} with --install-extension`, () =>
      installVsix(paths, scenario.vsix, extensionsDir),
    );
    const alias = installedLanguageAlias(extensionsDir, scenario.extensionId, scenario.languageId) ?? scenario.fallbackAlias;
    server = await step('code-server starts and answers /healthz', () =>
      startCodeServer({ paths, extensionsDir }),
    );
    const folder = copyWorkspace(scenario.fixture);
    wb = await step('workbench loads in Chromium and extensions activate', () =>
      Workbench.open(server!, folder, {
        chromium: paths.chromium,
        screenshotDir: resultsDir,
        extensionId: scenario.extensionId,
        channelName: scenario.channelName,
      }),
    );
    const w = wb;

    await step(`open ${scenario.mainFile} with Quick Open`, () => w.openFile(scenario.mainFile));
    await step(`status bar language is ${JSON.stringify(String(alias))} (not Properties)`, async () => {
      const shown = await w.waitForLanguageMode(alias);
      if (/^properties$/i.test(shown)) {
        throw new Error('the built-in Properties language won');
      }
    });
    await step(`${scenario.squiggle} squiggle in the editor`, () => w.waitForSquiggle(scenario.squiggle));
    await step(`Problems panel lists ${scenario.diagnosticCode}`, () => w.waitForProblem(scenario.diagnosticCode));
    await shots('01-squiggle.png', true);

    await step(`Ctrl+. offers "${scenario.fixTitlePrefix}..."`, async () => {
      await w.revealProblem(scenario.diagnosticCode);
      const titles = await w.showCodeActions();
      if (!titles.some((t) => t.startsWith(scenario.fixTitlePrefix))) {
        throw new Error(`code action menu offered ${JSON.stringify(titles)}`);
      }
    });
    await shots('02-quickfix.png', true);
    await step('apply the quick fix', () => w.pickCodeAction(scenario.fixTitlePrefix));
    await step(`editor now contains "${scenario.fixedText}"`, () =>
      w.waitForEditorText('the quick fix edit', (t) => t.includes(scenario.fixedText)),
    );
    await shots('02b-quickfix-applied.png', false);

    await step(`open ${scenario.snippetFile}`, () => w.openFile(scenario.snippetFile));
    await step(`type "${scenario.snippetTrigger}" inside the block and accept the snippet`, async () => {
      const lineNo = await lineNumberOf(w, scenario.snippetAfterLine);
      await w.gotoLine(lineNo);
      await w.press('End');
      await w.press('Enter');
      await w.typeAndAcceptSuggestion(scenario.snippetTrigger, scenario.snippetTrigger, {
        beforeAccept: () => shots('03-snippet-suggest.png', false),
      });
      await w.press('Escape'); // leave snippet placeholder mode
      await w.waitForEditorText('the snippet text', (t) => !t.includes(scenario.snippetTrigger) && t.split('\n').length > lineNo + 1);
    });
    if (scenario.cleanAfterSnippet) {
      await step('the Problems panel settles with no problem left', () =>
        pollUntil('an empty Problems panel', async () => ((await w.problems()).length === 0 ? true : false), 15_000),
      );
    }
    await shots('03-snippet.png', true);

    await step('save all (Ctrl+S in each dirty tab)', () => w.saveAll());
    await step('files on disk have the fix and the snippet', async () => {
      const read = (rel: string) => fs.readFileSync(path.join(folder, rel), 'utf8');
      const problems = scenario.checkDisk(read);
      for (const rel of [scenario.mainFile, scenario.snippetFile]) {
        fs.copyFileSync(path.join(folder, rel), path.join(resultsDir, rel.replace(/[\\/]/g, '__')));
      }
      if (problems.length) {
        throw new Error(problems.join('\n'));
      }
    });
    await step('the status bar says nginx -t passed on the saved tree', async () => {
      let last = { text: '', icons: [] as string[] };
      try {
        await pollUntil('nginx -t passed', async () => {
          last = await w.statusItem(/nginx -t/);
          return last.icons.includes('check') && !/partial/.test(last.text) ? true : false;
        }, 30_000);
      } catch (e) {
        throw new Error(`${(e as Error).message} (status bar item: ${JSON.stringify(last)})`);
      }
    });
    await shots('04-saved.png', false);
    const format = scenario.format;
    if (format) {
      await step(`open ${format.file}, format it with ${FORMAT_DOCUMENT} (Format Document) and save`, async () => {
        await w.openFile(format.file);
        await w.press(FORMAT_DOCUMENT);
        await w.waitForEditorText('the formatted text', (t) => t.includes('    listen 127.0.0.1:8081;'));
        await w.save();
      });
      await step(`${format.file} on disk is the formatted file, every token kept`, async () => {
        const disk = fs.readFileSync(path.join(folder, format.file), 'utf8');
        fs.copyFileSync(path.join(folder, format.file), path.join(resultsDir, format.file.replace(/[\\/]/g, '__')));
        if (disk !== format.expected) {
          throw new Error(`on disk:\n${disk}\nexpected:\n${format.expected}`);
        }
      });
    }
    const one = scenario.oneAction;
    if (one) {
      await step(`a new ${one.file}; Ctrl+. on ${one.code} offers "${one.title}" first`, async () => {
        fs.writeFileSync(path.join(folder, one.file), one.text);
        await w.openFile(one.file);
        await w.revealProblem(one.code);
        const titles = await w.showCodeActions();
        if (titles[0] !== one.title) throw new Error(`code action menu offered ${JSON.stringify(titles)}`);
      });
      await shots('02c-one-action.png', false);
      await step('apply it: every missing line in one action, then save', async () => {
        await w.pickCodeAction(one.title);
        await w.waitForEditorText('the lines the action adds', (t) => one.lines.every((l) => t.includes(l)));
        await w.save();
      });
      await step(`${one.file} on disk has every line, and no problem is left in it`, async () => {
        const disk = fs.readFileSync(path.join(folder, one.file), 'utf8');
        fs.copyFileSync(path.join(folder, one.file), path.join(resultsDir, one.file.replace(/[\\/]/g, '__')));
        const missing = one.lines.filter((l) => !disk.includes(l));
        if (missing.length) throw new Error(`on disk, missing ${JSON.stringify(missing)}:\n${disk}`);
        await pollUntil('no problem left', async () => ((await w.problems()).length === 0 ? true : false), 15_000);
      });
    }
    const ed = scenario.editing;
    if (ed) {
      const disk = (rel: string) => fs.readFileSync(path.join(folder, rel), 'utf8');
      await step(`a new ${ed.file}; Ctrl+Space in its location offers ${ed.directive}, accepting it writes a valid line`, async () => {
        fs.writeFileSync(path.join(folder, ed.file), ed.text);
        await w.openFile(ed.file);
        await w.gotoLine(await lineNumberOf(w, ed.inLocationAfter));
        await w.press('End');
        await w.press('Enter');
        await w.typeAndAcceptSuggestion(ed.directive.slice(0, 9), ed.directive, { beforeAccept: () => shots('06-completion.png', true) });
        await w.type(ed.value);
        await w.press('Escape');
        await w.waitForEditorText(`"${ed.directive} ${ed.value};"`, (t) => t.includes(`${ed.directive} ${ed.value};`));
        await w.save();
        if (!disk(ed.file).includes(`        ${ed.directive} ${ed.value};\n`)) throw new Error(`on disk:\n${disk(ed.file)}`);
        fs.copyFileSync(path.join(folder, ed.file), path.join(resultsDir, ed.file.replace(/[\\/]/g, '__')));
        await pollUntil('no problem left', async () => ((await w.problems()).length === 0 ? true : false), 15_000);
      });
    }
    const nav = scenario.navigate;
    if (nav) {
      await step(`F12 on ${nav.name} in ${nav.useFile} jumps to its upstream block in ${nav.upstreamFile}`, async () => {
        fs.writeFileSync(path.join(folder, nav.upstreamFile), nav.upstreamText);
        fs.writeFileSync(path.join(folder, nav.useFile), nav.useText);
        await w.openFile(nav.useFile);
        const lines = nav.useText.split('\n');
        const line = lines.findIndex((l) => l.includes(nav.name));
        await w.gotoLine(line + 1, lines[line].indexOf(nav.name) + 3);
        await w.press('F12');
        await w.page.locator('.tabs-container .tab.active', { hasText: path.posix.basename(nav.upstreamFile) }).waitFor({ state: 'visible', timeout: 20_000 });
      });
      await step(`F2 renames ${nav.name} to ${nav.newName} in both files; saved, both hold the new name`, async () => {
        await w.focusEditor();
        await w.press('F2');
        const input = w.page.locator('.rename-box input, .rename-input').first();
        await input.waitFor({ state: 'visible', timeout: 15_000 });
        await pollUntil('the rename box to hold the name', async () => ((await input.inputValue()) === nav.name ? true : false), 5_000);
        await input.fill(nav.newName);
        await shots('07-rename.png', true);
        await w.press('Enter');
        await input.waitFor({ state: 'hidden', timeout: 15_000 });
        await w.waitForEditorText('the new name in the upstream file', (t) => t.includes(`upstream ${nav.newName} {`));
        await w.saveAll();
        await pollUntil('both files renamed on disk', async () => {
          const up = fs.readFileSync(path.join(folder, nav.upstreamFile), 'utf8');
          const use = fs.readFileSync(path.join(folder, nav.useFile), 'utf8');
          return up.includes(`upstream ${nav.newName} {`) && use.includes(`proxy_pass http://${nav.newName};`) && !use.includes(nav.name) ? true : false;
        }, 15_000);
        // the renamed tree is one nginx accepts (nginx -t on save, in its sandbox)
        await pollUntil('nginx -t passed on the renamed tree', async () => {
          const item = await w.statusItem(/nginx -t/);
          return item.icons.includes('check') && !/partial/.test(item.text) ? true : false;
        }, 30_000);
      });
    }
    if (scenario.endpointCheck) await endpointCheck(w, step, shots);
    if (w.blockedRequests.length) {
      log(`note: blocked ${new Set(w.blockedRequests).size} non-local request(s) from the page`);
    }
  } catch (err) {
    if (!(err instanceof StepFailed)) {
      console.log('FAIL  unexpected error');
      if (wb) {
        await wb.dumpFailure(err);
      } else {
        console.error(err);
      }
    }
    const why = err instanceof StepFailed ? `"${err.step}": ${firstLine(err.cause)}` : firstLine(err);
    console.log(`=== FAIL: ${passed} step(s) passed before the failure; failed ${why}; results in ${resultsDir}`);
    return false;
  } finally {
    await wb?.close();
    await server?.stop();
  }
  console.log(`=== PASS: ${passed} steps in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${resultsDir}`);
  return true;
}

/** 1-based line number of the first rendered line containing `text`. */
async function lineNumberOf(w: Workbench, text: string): Promise<number> {
  const lines = (await w.editorText()).split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  if (index < 0) {
    throw new Error(`no line containing ${JSON.stringify(text)} in:\n${lines.join('\n')}`);
  }
  return index + 1;
}

/** The first alias of `languageId` in the installed extension's package.json. */
function installedLanguageAlias(extensionsDir: string, extensionId: string, languageId: string): string | undefined {
  const folder = fs
    .readdirSync(extensionsDir)
    .find((n) => n.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`));
  if (!folder) {
    return undefined;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionsDir, folder, 'package.json'), 'utf8')) as {
    contributes?: { languages?: { id: string; aliases?: string[] }[] };
  };
  return manifest.contributes?.languages?.find((l) => l.id === languageId)?.aliases?.[0];
}

// ---------------------------------------------------------------------------------------

function usage(message?: string): never {
  if (message) {
    console.error(message);
  }
  console.error(
    'usage: node out/test/e2e/editor.e2e.js --vsix <file.vsix> [--results <dir>] [--no-docs-images]\n' +
      '       node out/test/e2e/editor.e2e.js --smoke [--results <dir>]',
  );
  process.exit(2);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let vsix: string | undefined;
  let smoke = false;
  let docs = true;
  let results: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--vsix') {
      vsix = args[++i];
    } else if (a === '--smoke') {
      smoke = true;
    } else if (a === '--results') {
      results = args[++i];
    } else if (a === '--no-docs-images') {
      docs = false;
    } else {
      usage(`unknown argument ${a}`);
    }
  }
  if (smoke) {
    const resultsDir = path.resolve(results ?? path.join(ROOT, 'test-results', 'e2e-smoke'));
    const built = buildSmokeExtension(ROOT, makeTempDir('smoke-ext'));
    log(`built throwaway extension ${built.vsix}`);
    return (await run(smokeScenario(built.vsix, built.workspace), resultsDir)) ? 0 : 1;
  }
  if (!vsix) {
    usage('--vsix is required (or --smoke)');
  }
  const resultsDir = path.resolve(results ?? path.join(ROOT, 'test-results', 'e2e'));
  const docsDir = docs ? path.join(ROOT, 'docs', 'images') : undefined;
  return (await run(nginxScenario(path.resolve(vsix), docsDir), resultsDir)) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('FAIL ', err);
    process.exit(1);
  },
);

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 300);
}
