// The pure pieces behind the editor features: nginx -t output, settings, cursor context,
// endpoint paths, and the manifest's settings and commands.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNginxOutput } from '../../server/src/nginx/output';
import { normalizeSettings, analyzeOptions, isNginxTime, layeredSettings, pushedSettings } from '../../server/src/lsp/settings';
import { cursorContext, locationPath } from '../../server/src/core/index';
import { RULES } from '../../server/src/core/rules/index';
import { codeInfo } from '../../server/src/core/registry';
import { workspaceOf } from '../util/fixture';
import { REPO } from './harness';
import { alreadyReported } from '../../server/src/lsp/publisher';

describe('nginx -t output', () => {
  it('reads both stderr shapes, the last " in file:line", and drops sandbox artifacts', () => {
    const stderr = [
      'nginx: [alert] could not open error log file: open() "/var/log/nginx/error.log" failed (13: Permission denied)',
      '2024/05/01 10:00:00 [emerg] 12#12: host not found in upstream "backend:8080" in /tmp/t/tree/conf.d/a.conf:7',
      'nginx: [warn] the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /tmp/t/tree/nginx.conf:1',
      'nginx: [emerg] unknown "foo" variable',
      'nginx: configuration file /tmp/t/tree/nginx.conf test failed',
    ].join('\n');
    assert.deepEqual(parseNginxOutput(stderr), [
      { level: 'emerg', message: 'host not found in upstream "backend:8080"', file: '/tmp/t/tree/conf.d/a.conf', line: 7 },
      { level: 'emerg', message: 'unknown "foo" variable', file: undefined, line: undefined },
    ]);
    // a message may span lines (a quoted name holding a newline): it runs to the next entry
    const multi = 'nginx: [emerg] unknown directive "a\nb in /x:1" in /tmp/t/nginx.conf:3\n2024/05/01 10:00:00 [emerg] 1#1: x\ny\nnginx: configuration file /tmp/t/nginx.conf test failed\n';
    assert.deepEqual(parseNginxOutput(multi), [
      { level: 'emerg', message: 'unknown directive "a\nb in /x:1"', file: '/tmp/t/nginx.conf', line: 3 },
      { level: 'emerg', message: 'x\ny', file: undefined, line: undefined },
    ]);
  });
});

describe('settings', () => {
  it('defaults, and wrong values fall back to them', () => {
    const s = normalizeSettings({ readTimeout: 'soon', connectionStyle: 'other', endpointPatterns: ['^/live/', '(', 3], nginx: { timeoutMs: -1, testOnSave: 'yes', path: ' /opt/nginx ' } });
    assert.equal(s.readTimeout, '600s');
    assert.equal(s.connectionStyle, 'map');
    assert.deepEqual(s.endpointPatterns, ['^/live/']);
    assert.deepEqual(s.nginx, { path: '/opt/nginx', testOnSave: true, timeoutMs: 5000 });
    const o = analyzeOptions(normalizeSettings({ readTimeout: '1h', connectionStyle: 'literal' }));
    assert.equal(o.readTimeout, '1h');
    assert.equal(o.connectionStyle, 'literal');
    assert.ok(isNginxTime('1h 30m') && isNginxTime('600') && !isNginxTime('0') && !isNginxTime('10 minutes'));
  });
});

describe('frontedBy setting', () => {
  it('known fronts and seconds reach the analysis; none and wrong values do not', () => {
    const front = (v: unknown) => (analyzeOptions(normalizeSettings({ frontedBy: v })) as { frontedBy?: string }).frontedBy;
    assert.equal(normalizeSettings({}).frontedBy, 'none');
    assert.equal(front(' Cloudflare '), 'cloudflare');
    assert.equal(front('aws-alb'), 'aws-alb');
    assert.equal(front('350'), '350');
    for (const v of ['none', 'akamai', '0', '-5', 35, '1.5']) assert.equal(front(v), undefined, JSON.stringify(v));
  });
});

describe('settings from several sources', () => {
  // what VS Code answers for a folder: every key, the defaults included
  const answer = (over: Record<string, unknown> = {}) => ({ nginxVersion: '', extraDirectives: [], rules: {}, endpointPatterns: [], readTimeout: '600s', connectionStyle: 'map', nginx: { path: '', testOnSave: true, timeoutMs: 5000 }, ...over });
  it('the project file fills what the user left at its default; the user\'s own values win', () => {
    const file = { nginxVersion: '1.24', readTimeout: '1h', rules: { 'ws-read-timeout': 'off', 'ws-http-version': 'warning' }, extraDirectives: ['a_b'] };
    const s = layeredSettings(file, [undefined, answer({ readTimeout: '2h', rules: { 'ws-http-version': 'error' }, extraDirectives: ['c_d'] })], true);
    assert.equal(s.nginxVersion, '1.24');
    assert.equal(s.readTimeout, '2h');
    assert.deepEqual(s.rules, { 'ws-read-timeout': 'off', 'ws-http-version': 'error' });
    assert.deepEqual(s.extraDirectives, ['a_b', 'c_d']);
  });
  it('an answer wins over a pushed value of the same key, even a default one', () => {
    // VS Code pushes the window's section on a change; the folder's answer is what applies
    const s = layeredSettings({}, [{ nginxVersion: '1.24', extraDirectives: ['global_one'] }, answer({ nginxVersion: '' })], true);
    assert.equal(s.nginxVersion, '');
    assert.deepEqual(s.extraDirectives, []);
    // a client that answers null for the section: the pushed values apply
    assert.equal(layeredSettings({}, [{ nginxVersion: '1.24' }, null], true).nginxVersion, '1.24');
  });
  it('restricted options come from the project file only when trusted', () => {
    const file = { endpointPatterns: ['^/live/'], 'nginx.path': '/opt/nginx', 'nginx.timeoutMs': 9000 };
    const untrusted = layeredSettings(file, [undefined, answer()], false);
    assert.deepEqual([untrusted.endpointPatterns, untrusted.nginx.path, untrusted.nginx.timeoutMs], [[], '', 9000]);
    const trusted = layeredSettings(file, [undefined, answer()], true);
    assert.deepEqual([trusted.endpointPatterns, trusted.nginx.path], [['^/live/'], '/opt/nginx']);
  });
  it('pushed settings: the section object, or its nginxWebSocket key', () => {
    assert.deepEqual(pushedSettings({ rules: { x: 'off' } }), { rules: { x: 'off' } });
    assert.deepEqual(pushedSettings({ nginxWebSocket: { nginxVersion: '1.24' } }), { nginxVersion: '1.24' });
    assert.equal(pushedSettings(null), undefined);
    assert.equal(pushedSettings({}), undefined);
  });
});

describe('manifest', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  it('nginxWebSocket.rules completes every diagnostic code whose level a setting changes', () => {
    const docs = fs.readdirSync(path.join(REPO, 'docs/rules')).filter((f) => f.startsWith('nginx-')).map((f) => f.replace(/\.md$/, ''));
    // nginx-file (a skipped file) keeps its level: the registry says so, and test/generated.test.ts checks the analysis agrees
    const ids = [...RULES.map((r) => r.meta.id), ...docs].filter((id) => codeInfo(id)?.configurable).sort();
    assert.ok(ids.length === RULES.length + docs.length - 1, 'only nginx-file is left out');
    const rules = pkg.contributes.configuration.properties['nginxWebSocket.rules'];
    assert.deepEqual(Object.keys(rules.properties).sort(), ids);
    assert.deepEqual([...rules.propertyNames.enum].sort(), ids);
  });
  it('snippets come from the server (context-aware), not from a snippets contribution', () => {
    assert.equal(pkg.contributes.snippets, undefined);
  });
  it('commands are in the palette for nginx files only', () => {
    assert.deepEqual(pkg.contributes.commands.map((c: { command: string }) => c.command), ['nginxWebSocket.insertUpgradeMap', 'nginxWebSocket.checkEndpoint', 'nginxWebSocket.runNginxTest', 'nginxWebSocket.whichLocation']);
    // every contributed command has a palette entry, and every client command id is contributed
    assert.deepEqual(pkg.contributes.menus.commandPalette.map((m: { command: string }) => m.command).sort(), pkg.contributes.commands.map((c: { command: string }) => c.command).sort());
    // nginx -t and the endpoint check need a machine: hidden in VS Code for the Web
    const desktopOnly = new Set(['nginxWebSocket.checkEndpoint', 'nginxWebSocket.runNginxTest']);
    for (const m of pkg.contributes.menus.commandPalette) {
      assert.equal(m.when, desktopOnly.has(m.command) ? '(editorLangId == nginx || editorLangId == NGINX) && !nginxWebSocket.inBrowser' : 'editorLangId == nginx || editorLangId == NGINX');
    }
  });
});

describe('cursor context', () => {
  const at = (text: string, extra: { path: string; text: string }[] = []) => {
    const offset = text.indexOf('|');
    const files = [{ path: '/ws/nginx.conf', text: text.replace('|', '') }, ...extra];
    return cursorContext(workspaceOf(files), '/ws/nginx.conf', offset)?.ctx;
  };
  it('follows the blocks', () => {
    assert.equal(at('events {}\nhttp {\n    |\n}\n'), 'http');
    assert.equal(at('events {}\nhttp {\n    server {\n        ws-|\n    }\n}\n'), 'server');
    assert.equal(at('events {}\nhttp {\n    server { location / { | } }\n}\n'), 'location');
    assert.equal(at('events {}\n|http {}\n'), 'main');
  });
  it('nothing inside arguments, comments, map{} or after an unterminated directive', () => {
    assert.equal(at('events {}\nhttp {\n    proxy_pass |\n}\n'), undefined);
    assert.equal(at('events {}\nhttp {\n    # ws-|\n}\n'), undefined);
    assert.equal(at('events {}\nhttp {\n    map $a $b {\n        |\n    }\n}\n'), undefined);
  });
  it('an included file starts where its include stands', () => {
    const files = [
      { path: '/ws/nginx.conf', text: 'events {}\nhttp {\n    server {\n        include snippets/ws.conf;\n    }\n}\n' },
      { path: '/ws/snippets/ws.conf', text: '' },
    ];
    assert.equal(cursorContext(workspaceOf(files), '/ws/snippets/ws.conf', 0)?.ctx, 'server');
  });
});

describe('endpoint paths', () => {
  it('literal paths, and the literal start of a regex', () => {
    assert.equal(locationPath(['/ws/']), '/ws/');
    assert.equal(locationPath(['=', '/socket']), '/socket');
    assert.equal(locationPath(['~', '^/live/(.*)$']), '/live/');
    assert.equal(locationPath(['~*', '^/api/v1\\.0/ws$']), '/api/v1.0/ws');
    assert.equal(locationPath(['@backend']), undefined);
  });
});

describe('nginx -t and our own checks: one report per problem', () => {
  const d = (line: number, endLine: number, message: string, data?: unknown) => ({ range: { start: { line, character: 0 }, end: { line: endLine, character: 1 } }, message, ...(data ? { data } : {}) });
  const ours = [d(4, 6, 'unknown "connection_upgrade" variable: no map defines $connection_upgrade, so "nginx -t" fails.')];
  it('same line (within ours), same message start: already reported', () => {
    assert.equal(alreadyReported(d(5, 5, 'unknown "connection_upgrade" variable'), ours), true);
    assert.equal(alreadyReported(d(5, 5, 'nginx words: explained', { nginx: 'unknown "connection_upgrade" variable' }), ours), true);
  });
  it('another line or another message: reported', () => {
    assert.equal(alreadyReported(d(8, 8, 'unknown "connection_upgrade" variable'), ours), false);
    assert.equal(alreadyReported(d(5, 5, 'unknown "upgrade" variable'), ours), false);
    assert.equal(alreadyReported(d(5, 5, 'unknown "connection_upgrade" variable'), []), false);
  });
});
