// The manifest and the shared protocol module agree: every client command id is contributed
// (and reachable from the palette in an nginx file), and a restricted workspace cannot choose
// what runs or switch off the endpoint check's certificate verification.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLIENT_COMMANDS, SERVER_COMMAND } from '../server/src/protocol';
import { SERVER_COMMANDS } from '../server/src/lsp/commands';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));

test('every client command is contributed and in the palette', () => {
  const contributed = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
  const palette = new Set(manifest.contributes.menus.commandPalette.map((c: { command: string }) => c.command));
  for (const id of Object.values(CLIENT_COMMANDS)) {
    assert.ok(contributed.has(id), `${id} contributed`);
    assert.ok(palette.has(id), `${id} in the palette`);
  }
});

test('the server announces every command it implements', () => {
  assert.deepEqual([...SERVER_COMMANDS].sort(), Object.values(SERVER_COMMAND).sort());
});

test('settings that choose an executable or weaken TLS verification are restricted in untrusted workspaces', () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  const props: Record<string, { type: string; markdownDescription?: string }> = manifest.contributes.configuration.properties ?? Object.assign({}, ...manifest.contributes.configuration.map((c: { properties: object }) => c.properties));
  // the endpoint probe's switches that accept any certificate (found by what they say, so a rename is caught)
  const tls = Object.entries(props).filter(([k, v]) => k.startsWith('nginxWebSocket.probe.') && v.type === 'boolean' && /certificate/i.test(v.markdownDescription ?? '')).map(([k]) => k);
  assert.ok(tls.length >= 1, 'the probe has a certificate-verification switch');
  for (const k of [...tls, 'nginxWebSocket.nginx.path']) assert.ok(restricted.includes(k), `${k} is restricted`);
});
