#!/usr/bin/env node
// `nginx-ws-language-server`: the language server for any LSP client (Neovim, Helix, Zed, Emacs…).
// It speaks over stdio unless given another transport (--node-ipc, --socket=N, --pipe=NAME), and
// loads the same bundle VS Code starts (dist/server.js), so there is one server, not two.
const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'];

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  process.stdout.write(`${require('../package.json').version}\n`);
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: nginx-ws-language-server [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]\n\nThe nginx WebSocket language server (LSP). Without a transport it speaks over stdio.\nSettings: initializationOptions.settings or workspace/configuration (section "nginxWebSocket"),\nand a .nginx-ws.json project file. initializationOptions.trusted: true lets it run nginx -t.\n');
} else {
  if (!args.some((a) => TRANSPORTS.some((t) => a === t || a.startsWith(t + '=')))) process.argv.push('--stdio');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./server.js');
}
