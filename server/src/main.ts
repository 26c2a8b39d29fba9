// Language server entry on a machine (Node): the connection, the disk and nginx -t; the handlers
// are wired in lsp/serve.ts, shared with the web Worker (web/server.ts).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { NodeHost, scanNginxFiles } from './host/node-host';
import { findProjectFile } from './host/projectFile';
import { logUncaught } from './lsp/guard';
import { NginxTester } from './lsp/nginxTest';
import { serve } from './lsp/serve';
import { FrameGuard } from './lsp/framing';
import { format } from 'node:util';

// Over stdio the frames are checked first: a malformed one is dropped, the next request answered.
const stdio = process.argv.includes('--stdio');
const connection = stdio
  ? createConnection(ProposedFeatures.all, process.stdin.pipe(new FrameGuard((d) => connection.console.warn(`dropped ${d.bytes} bytes of input: ${d.reason}`))), process.stdout)
  : createConnection(ProposedFeatures.all);
if (stdio) {
  // stdout carries the protocol: what the console prints goes to the client's log instead
  const toLog = (level: 'log' | 'info' | 'warn' | 'error') => (...a: unknown[]) => connection.console[level](format(...a));
  console.log = toLog('log');
  console.info = toLog('info');
  console.warn = toLog('warn');
  console.error = toLog('error');
}
logUncaught(connection);

serve(connection, {
  host: new NodeHost(),
  // time-sliced: edits and requests are served while a large folder is read
  scanFolder: (root, _uri, onProgress) => scanNginxFiles(root, { onProgress }),
  readProject: findProjectFile,
  saveChecker: (ctx, publisher) => new NginxTester(ctx, publisher),
});
