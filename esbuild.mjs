// Bundles what ships: the client (vscode is provided by the editor), the language server
// and the CLI. tsc -p . type-checks and emits out/ for tests only.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  // the snippet file is JSON with VS Code's extension; the server bundles it for completion
  loader: { '.code-snippets': 'json' },
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' },
  // the npm bin for other editors: a launcher that loads dist/server.js (kept out of its bundle)
  { ...common, entryPoints: ['server/src/languageServer.ts'], outfile: 'dist/language-server.js', external: ['./server.js', '../package.json'] },
];

// VS Code for the Web: no Node at all. The client runs in the web extension host (vscode is
// provided), the server is a classic Worker script (an IIFE: no module loader there). A Node
// built-in that slipped in fails the build (platform browser does not resolve them).
const web = { ...common, platform: 'browser', target: 'es2022', conditions: ['browser'], mainFields: ['browser', 'module', 'main'] };
builds.push(
  { ...web, entryPoints: ['client/src/web.ts'], outfile: 'dist/web/extension.js', format: 'cjs', external: ['vscode'] },
  { ...web, entryPoints: ['server/src/web/server.ts'], outfile: 'dist/web/server.js', format: 'iife' },
);

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
