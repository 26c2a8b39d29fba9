// The e2e scenarios, driven through the VS Code API: open the workspace's conf.d/app.conf, see
// the missing-Upgrade diagnostic, apply its quick fix, add the map with the ws-map completion,
// save, and read the files back from disk. Waits are on events (onDidChangeDiagnostics),
// bounded, never sleeps.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const CODE = 'ws-upgrade-header-missing';

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the test opens a workspace folder');
  return f.uri;
}

/** Resolves when the URI's diagnostics satisfy `pred`, or fails with the last ones seen. */
function diagnostics(uri: vscode.Uri, pred: (d: readonly vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<readonly vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri);
  if (pred(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for diagnostics on ${uri.fsPath}; last: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line + 1}: ${d.message}`))}`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const d = vscode.languages.getDiagnostics(uri);
      if (pred(d)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(d);
      }
    });
  });
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

suite('nginx WebSocket in VS Code', () => {
  test('the language, the squiggle, and the quick fix', async () => {
    const app = vscode.Uri.joinPath(folder(), 'conf.d/app.conf');
    const doc = await vscode.workspace.openTextDocument(app);
    const editor = await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'nginx', 'conf.d/*.conf is claimed by the extension, not by "properties"');

    const diags = await diagnostics(app, (d) => d.some((x) => codeOf(x) === CODE));
    const d = diags.find((x) => codeOf(x) === CODE)!;
    assert.equal(d.source, 'nginx-websocket');
    assert.match(String((d.code as { target: vscode.Uri }).target), /docs\/rules\/ws-upgrade-header-missing\.md$/);
    assert.equal(doc.getText(d.range), 'location');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', app, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Add proxy_set_header Upgrade'));
    assert.ok(fix?.edit, `a quick fix is offered; got ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.getText(), /proxy_set_header Connection "upgrade";\n\s+proxy_set_header Upgrade \$http_upgrade;/);
    await diagnostics(app, (x) => !x.some((y) => codeOf(y) === CODE));
    assert.ok(await editor.document.save());
    assert.match(fs.readFileSync(app.fsPath, 'utf8'), /proxy_set_header Upgrade \$http_upgrade;/);
  });

  test('the ws-map completion inside http, and not inside a location', async () => {
    const main = vscode.Uri.joinPath(folder(), 'nginx.conf');
    const doc = await vscode.workspace.openTextDocument(main);
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('include conf.d/*.conf;'));
    assert.ok(line > 0);
    const at = new vscode.Position(line, 0);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', main, at, undefined);
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'ws-map');
    assert.ok(item, 'ws-map is offered in the http block');
    const body = item.insertText instanceof vscode.SnippetString ? item.insertText : new vscode.SnippetString(String(item.insertText));
    assert.ok(await editor.insertSnippet(body, at));
    assert.ok(await editor.document.save());
    const disk = fs.readFileSync(main.fsPath, 'utf8');
    assert.match(disk, /map \$http_upgrade \$connection_upgrade \{\s+default upgrade;\s+'' close;\s+\}/);

    const app = vscode.Uri.joinPath(folder(), 'conf.d/app.conf');
    const appDoc = await vscode.workspace.openTextDocument(app);
    const inLocation = new vscode.Position(appDoc.getText().split('\n').findIndex((l) => l.includes('proxy_pass')), 0);
    const inner = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', app, inLocation, undefined);
    assert.ok(!inner.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'ws-map'), 'ws-map is not offered inside a location');
  });

  test('the insert-map command is idempotent', async () => {
    const main = vscode.Uri.joinPath(folder(), 'nginx.conf');
    const before = fs.readFileSync(main.fsPath, 'utf8');
    await vscode.commands.executeCommand('nginxWebSocket.insertUpgradeMap');
    const after = (await vscode.workspace.openTextDocument(main)).getText();
    assert.equal((after.match(/map \$http_upgrade/g) ?? []).length, 1, 'the map is present once');
    assert.equal(after.replace(/\r\n/g, '\n').length >= before.length, true);
  });
});
