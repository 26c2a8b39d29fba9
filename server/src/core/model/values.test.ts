// The value checks in the product's own setting (the full directive reference, a configured
// nginx version), where the oracle test (test/oracle/values.test.ts, nginx-light 1.22) cannot
// reach: versions after 1.22, third-party and commercial directives, variables, files that are
// only pieces of a configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS, type AnalyzeOptions } from '../index';
import { MemoryHost } from '../../../../test/util/fixture';
import { timeOk, sizeOk, offsetOk, valueError } from './valueSyntax';
import { typedSlots } from '../data/valueTypes';

function errors(files: Record<string, string>, options: Partial<AnalyzeOptions> = {}): string[] {
  const map = new Map(Object.entries(files).map(([k, v]) => [`/w/${k}`, v]));
  const ws = new Workspace(new MemoryHost(map), { ...DEFAULT_OPTIONS, ...options });
  ws.setFiles(map.keys());
  return [...map.keys()].flatMap((f) => ws.findings(f).filter((x) => x.severity === 'error' && x.code.startsWith('nginx-')).map((x) => x.message));
}

const conf = (http: string) => `events {}\nhttp {\n${http}\n}\n`;
const server = (body: string) => conf(`server {\nlisten 80;\n${body}\n}`);

test('nginx time syntax: units largest first, ms only where milliseconds are read', () => {
  for (const v of ['10', '10s', '1h30m', '1d2h3m4s', '500ms', '1m500ms', '1w', '0']) assert.equal(timeOk(v, false), true, v);
  for (const v of ['75q', '30m1h', '10sec', '1min', 's', '', '1y', '2M', '1.5s', '-1']) assert.equal(timeOk(v, false), false, v);
  assert.equal(timeOk('1y', true), true);
  assert.equal(timeOk('2M', true), true);
  assert.equal(timeOk('500ms', true), false);
  assert.equal(timeOk('1 h', true), null, 'a space is not judged');
});

test('sizes take k and m, offsets also g; the unit alone or a decimal is refused', () => {
  assert.deepEqual(['10', '10k', '10K', '10m', '10M', '10g', '10mb', 'k', '1.5m'].map(sizeOk), [true, true, true, true, true, false, false, false, false]);
  assert.deepEqual(['10g', '10G', '10t'].map(offsetOk), [true, true, false]);
  assert.equal(sizeOk('9'.repeat(30)), null, 'too long to judge');
});

test('messages are nginx\'s, per type', () => {
  assert.equal(valueError({ kind: 'flag' }, 'sendfile', 'maybe'), 'invalid value "maybe" in "sendfile" directive, it must be "on" or "off"');
  assert.equal(valueError({ kind: 'flag' }, 'sendfile', 'ON'), undefined);
  assert.equal(valueError({ kind: 'enum', values: ['1.0', '1.1'] }, 'proxy_http_version', '3'), 'invalid value "3"');
  assert.equal(valueError({ kind: 'number' }, 'keepalive_requests', '1k'), '"keepalive_requests" directive invalid number');
  assert.equal(valueError({ kind: 'msec' }, 'proxy_read_timeout', '75q'), '"proxy_read_timeout" directive invalid value');
  assert.equal(valueError({ kind: 'positive' }, 'keepalive', '0'), 'invalid value "0" in "keepalive" directive');
});

test('the table was measured: the common WebSocket-proxy directives are typed', () => {
  const slots = new Set(typedSlots());
  for (const k of ['ngx_http_core_module:sendfile/1/0', 'ngx_http_proxy_module:proxy_http_version/1/0', 'ngx_http_proxy_module:proxy_read_timeout/1/0', 'ngx_http_core_module:client_max_body_size/1/0', 'ngx_http_upstream_module:keepalive/1/0', 'ngx_http_proxy_module:proxy_buffering/1/0']) {
    assert.ok(slots.has(k), k);
  }
  assert.ok(slots.size >= 250, `${slots.size} typed argument positions`);
});

test('the issue\'s examples, in the product\'s default setting (the full reference, nginx 1.22)', () => {
  assert.deepEqual(errors({ 'nginx.conf': conf('sendfile maybe;') }), ['invalid value "maybe" in "sendfile" directive, it must be "on" or "off"']);
  assert.deepEqual(errors({ 'nginx.conf': conf('proxy_http_version 3;') }), ['invalid value "3"']);
  assert.deepEqual(errors({ 'nginx.conf': conf('client_max_body_size 10mb;') }), ['"client_max_body_size" directive invalid value']);
  assert.deepEqual(errors({ 'nginx.conf': server('location / { proxy_pass 127.0.0.1:8080; }') }), ['invalid URL prefix']);
  assert.deepEqual(errors({ 'nginx.conf': server('return 2000;') }), ['invalid return code "2000"']);
  assert.deepEqual(errors({ 'nginx.conf': conf('upstream x { server 127.0.0.1 max_fails=three; }') }), ['invalid parameter "max_fails=three"']);
  assert.deepEqual(errors({ 'nginx.conf': conf('upstream x { server 127.0.0.1; }\nserver { listen 80; location / { proxy_pass http://x:9000; } }') }), ['upstream "x" may not have port 9000']);
  assert.deepEqual(errors({ 'nginx.conf': 'worker_processes 1;\nhttp {\n}\n' }), ['no "events" section in configuration']);
});

test('nginxVersion: directives and values of later versions are nginx 1.22\'s errors only on 1.22', () => {
  const h2 = server('http2 on;');
  assert.deepEqual(errors({ 'nginx.conf': h2 }), ['unknown directive "http2"']);
  assert.deepEqual(errors({ 'nginx.conf': h2 }, { nginxVersion: '1.22' }), ['unknown directive "http2"']);
  assert.deepEqual(errors({ 'nginx.conf': h2 }, { nginxVersion: '1.26' }), []);
  const v2 = conf('proxy_http_version 2;');
  assert.deepEqual(errors({ 'nginx.conf': v2 }), ['invalid value "2"']);
  assert.deepEqual(errors({ 'nginx.conf': v2 }, { nginxVersion: '1.29.7' }), []);
  // what no version accepts stays an error
  assert.deepEqual(errors({ 'nginx.conf': conf('sendfile maybe;') }, { nginxVersion: '1.29.7' }), ['invalid value "maybe" in "sendfile" directive, it must be "on" or "off"']);
  // variables: judged as nginx 1.22 does (proxy_limit_rate takes none), not after it (1.27.0 does)
  assert.deepEqual(errors({ 'nginx.conf': conf('proxy_limit_rate $r;\nmap $args $r { default 1k; }') }), ['"proxy_limit_rate" directive invalid value']);
  assert.deepEqual(errors({ 'nginx.conf': conf('proxy_limit_rate $r;\nmap $args $r { default 1k; }') }, { nginxVersion: '1.27.0' }), []);
  const quic = conf('server { listen 127.0.0.1:443 quic; }');
  assert.deepEqual(errors({ 'nginx.conf': quic }), ['invalid parameter "quic"']);
  assert.deepEqual(errors({ 'nginx.conf': quic }, { nginxVersion: '1.25.0' }), []);
});

test('silent where nginx judges at run time, or where the verdict is not modelled', () => {
  const quiet = [
    server('set $b http://127.0.0.1:8080; location / { proxy_pass $b; }'), // a variable: per request
    server('location / { proxy_pass http://[::1]:8080/x; }'), // IPv6 with a URI
    conf('server { listen 127.0.0.1:8000-8010; }'), // a port range (the Debian build takes it)
    conf('server { listen app.internal:80 foo; }'), // a host name: resolved before the parameters
    conf('upstream x { server 127.0.0.1 slow_start=30s; }'), // NGINX Plus
    conf('upstream x { hash $remote_addr; server 127.0.0.1 backup; }'), // "balancing method does not support…"
    conf('limit_rate $my_rate;\nmap $args $my_rate { default 1k; }'), // limit_rate compiles variables
    conf('more_set_headers maybe;'), // a third-party directive
    'http {\n}\n', // a piece a main configuration outside the workspace may include
  ];
  for (const text of quiet) assert.deepEqual(errors({ 'app.conf': text }, { extraDirectives: ['more_set_headers'] }), [], text);
  // an include the workspace cannot read may hold the events section
  assert.deepEqual(errors({ 'nginx.conf': 'worker_processes 1;\ninclude /etc/nginx/events.conf;\nhttp {\n}\n' }).filter((m) => m.includes('events')), []);
});
