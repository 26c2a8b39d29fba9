/**
 * A throwaway extension for `editor.e2e.js --smoke`, written into a temp folder and packaged
 * with the repository's vsce at test time. It exercises every harness helper the product
 * scenario needs (language claimed over the built-in Properties for *.conf, one warning with
 * a code, one quick fix, one snippet whose prefix contains a dash, an output channel) without
 * depending on the product's code.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const SMOKE = {
  extensionId: 'e2e-smoke.e2e-smoke',
  languageId: 'smoketest',
  alias: 'SmokeTest',
  channelName: 'Smoke Channel',
  diagnosticCode: 'smoke-bad',
  badText: 'SMOKE_BAD',
  fixTitlePrefix: 'Replace SMOKE_BAD',
  fixedText: 'SMOKE_OK;',
  snippetPrefix: 'smoke-snip',
  snippetBodyStart: 'smoke_block {',
} as const;

const EXTENSION_JS = `'use strict';
const vscode = require('vscode');

function activate(context) {
  const out = vscode.window.createOutputChannel(${JSON.stringify(SMOKE.channelName)}, { log: true });
  out.info('smoke extension activated');
  const diagnostics = vscode.languages.createDiagnosticCollection('smoke');
  const check = (doc) => {
    if (doc.languageId !== ${JSON.stringify(SMOKE.languageId)}) return;
    const found = [];
    doc.getText().split('\\n').forEach((line, i) => {
      const col = line.indexOf(${JSON.stringify(SMOKE.badText)});
      if (col >= 0) {
        const d = new vscode.Diagnostic(
          new vscode.Range(i, col, i, col + ${SMOKE.badText.length}),
          'SMOKE_BAD is not allowed here',
          vscode.DiagnosticSeverity.Warning,
        );
        d.code = ${JSON.stringify(SMOKE.diagnosticCode)};
        d.source = 'smoke';
        found.push(d);
      }
    });
    diagnostics.set(doc.uri, found);
    out.info('checked ' + doc.uri.path + ': ' + found.length + ' problem(s)');
  };
  vscode.workspace.textDocuments.forEach(check);
  context.subscriptions.push(
    out,
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.languages.registerCodeActionsProvider(
      ${JSON.stringify(SMOKE.languageId)},
      {
        provideCodeActions(doc, _range, ctx) {
          return ctx.diagnostics
            .filter((d) => d.code === ${JSON.stringify(SMOKE.diagnosticCode)})
            .map((d) => {
              const action = new vscode.CodeAction('Replace SMOKE_BAD with SMOKE_OK', vscode.CodeActionKind.QuickFix);
              action.edit = new vscode.WorkspaceEdit();
              action.edit.replace(doc.uri, d.range, 'SMOKE_OK');
              action.diagnostics = [d];
              action.isPreferred = true;
              return action;
            });
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );
}

module.exports = { activate, deactivate() {} };
`;

const MANIFEST = {
  name: 'e2e-smoke',
  displayName: 'e2e smoke',
  description: 'Throwaway extension that proves the end-to-end harness.',
  publisher: 'e2e-smoke',
  version: '0.0.1',
  license: 'MIT',
  engines: { vscode: '^1.80.0' },
  main: './extension.js',
  activationEvents: [`onLanguage:${SMOKE.languageId}`],
  contributes: {
    languages: [{ id: SMOKE.languageId, aliases: [SMOKE.alias], filenamePatterns: ['*.conf'] }],
    snippets: [{ language: SMOKE.languageId, path: './snippets.json' }],
  },
};

const SNIPPETS = {
  'Smoke block': {
    prefix: SMOKE.snippetPrefix,
    body: [SMOKE.snippetBodyStart, '\t${1:value};', '}'],
    description: 'A smoke block',
  },
};

const WORKSPACE: Record<string, string> = {
  'main.conf': 'events {}\n\nhttp {\n    include conf.d/*.conf;\n}\n',
  'conf.d/app.conf': `server {\n    listen 80;\n    ${SMOKE.badText};\n}\n`,
};

/** Writes and packages the extension under `dir`; returns the .vsix and a fixture workspace. */
export function buildSmokeExtension(repoRoot: string, dir: string): { vsix: string; workspace: string } {
  const src = path.join(dir, 'extension');
  fs.mkdirSync(src, { recursive: true });
  fs.writeFileSync(path.join(src, 'package.json'), JSON.stringify(MANIFEST, null, 2));
  fs.writeFileSync(path.join(src, 'extension.js'), EXTENSION_JS);
  fs.writeFileSync(path.join(src, 'snippets.json'), JSON.stringify(SNIPPETS, null, 2));
  fs.writeFileSync(path.join(src, 'README.md'), '# e2e smoke\n\nThrowaway extension for the harness smoke test.\n');
  fs.writeFileSync(path.join(src, 'LICENSE'), 'MIT License\n');
  const vsix = path.join(dir, 'e2e-smoke.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix],
    { cwd: src, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const workspace = path.join(dir, 'workspace');
  for (const [rel, text] of Object.entries(WORKSPACE)) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), text);
  }
  return { vsix, workspace };
}
