// `npm run test:vscode`: the same user scenarios as the code-server e2e test, in the VS Code
// that @vscode/test-electron provides. That tool downloads VS Code unless
// VSCODE_EXECUTABLE_PATH names an installed one; machines without either cannot run it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main() {
  const root = path.resolve(__dirname, '../../..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ws-vscode-'));
  fs.cpSync(path.join(root, 'test/e2e/workspace'), workspace, { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`test:vscode failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
