import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTEXTS,
  Ctx,
  DirectiveSpec,
  allowsArgCount,
  describeArgCount,
  directiveNames,
  docsUrl,
  isKnownDirective,
  isKnownVariable,
  lookup,
  specsInContext,
  variablePrefixes,
} from './directives';

function only(name: string, module?: string): DirectiveSpec {
  const specs = lookup(name);
  assert.ok(specs, `${name} is in the table`);
  const hits = module ? specs.filter((s) => s.module === module) : specs;
  assert.equal(hits.length, 1, `${name} has exactly one entry${module ? ' in ' + module : ''}`);
  return hits[0];
}

function counts(spec: DirectiveSpec, upTo = 9): number[] {
  return Array.from({ length: upTo + 1 }, (_, n) => n).filter((n) => allowsArgCount(spec, n));
}

test('the table is large and every entry is well-formed', () => {
  const names = directiveNames();
  assert.ok(names.length > 700, `got ${names.length} names`);
  for (const name of names) {
    for (const s of lookup(name)!) {
      assert.ok(s.contexts.length > 0, `${name} (${s.module}) has contexts`);
      for (const c of s.contexts) assert.ok(CONTEXTS.includes(c), `${name}: context ${c}`);
      assert.ok(s.minArgs >= 0 && s.maxArgs >= s.minArgs, `${name}: ${s.minArgs}..${s.maxArgs}`);
      assert.ok(s.maxArgs === Infinity || s.maxArgs <= 7, `${name}: fixed arity beyond TAKE7`);
      assert.match(s.module, /^ngx_\w+_module$/);
    }
  }
});

test('proxy_set_header: exactly 2 args, http/server/location, not inside if', () => {
  const s = only('proxy_set_header');
  assert.deepEqual(counts(s), [2]);
  for (const c of ['http', 'server', 'location'] as Ctx[]) assert.ok(s.contexts.includes(c), c);
  assert.ok(!s.contexts.includes('if-location'));
  assert.ok(!s.contexts.includes('if-server'));
  assert.equal(s.dup, false, 'repeats are the point of proxy_set_header');
  assert.equal(s.block, false);
  assert.equal(s.inLight122, true);
});

test('proxy_http_version: one arg, rejected when repeated', () => {
  const s = only('proxy_http_version');
  assert.deepEqual(counts(s), [1]);
  assert.equal(s.dup, true);
});

test('proxy_pass: location, if in location, limit_except; not server', () => {
  const s = only('proxy_pass', 'ngx_http_proxy_module');
  assert.deepEqual([...s.contexts].sort(), ['if-location', 'limit_except', 'location']);
  assert.equal(s.dup, true);
  const stream = only('proxy_pass', 'ngx_stream_proxy_module');
  assert.deepEqual(stream.contexts, ['stream-server']);
  assert.equal(stream.inLight122, false, 'the stream module is not loaded in the probed build');
});

test('add_header is allowed in if-location; 2 or 3 args', () => {
  const s = only('add_header');
  assert.ok(s.contexts.includes('if-location'));
  assert.deepEqual(counts(s), [2, 3]);
});

test('rewrite module "if" context means if-server and if-location', () => {
  for (const name of ['set', 'rewrite', 'return', 'break']) {
    const s = only(name, 'ngx_http_rewrite_module');
    assert.ok(s.contexts.includes('if-server') && s.contexts.includes('if-location'), name);
  }
  const iff = only('if');
  assert.equal(iff.block, true);
  assert.equal(iff.maxArgs, Infinity, 'if (condition) is NGX_CONF_1MORE');
  assert.equal(iff.minArgs, 1);
  assert.deepEqual(counts(only('return', 'ngx_http_rewrite_module')), [1, 2]);
  assert.deepEqual(counts(only('rewrite')), [2, 3]);
});

test('map is a 2-arg block in http only', () => {
  const s = only('map', 'ngx_http_map_module');
  assert.equal(s.block, true);
  assert.deepEqual(counts(s), [2]);
  assert.deepEqual(s.contexts, ['http']);
  assert.equal(specsInContext('map', 'server').length, 0);
});

test('server: block in http, non-block with args in upstream', () => {
  const inHttp = specsInContext('server', 'http');
  assert.equal(inHttp.length, 1);
  assert.equal(inHttp[0].block, true);
  assert.deepEqual(counts(inHttp[0]), [0]);
  const inUp = specsInContext('server', 'upstream');
  assert.equal(inUp.length, 1);
  assert.equal(inUp[0].block, false);
  assert.equal(inUp[0].minArgs, 1);
  assert.equal(inUp[0].maxArgs, Infinity);
  assert.equal(specsInContext('server', 'stream').length, 1);
  assert.equal(specsInContext('server', 'mail').length, 1);
  assert.equal(specsInContext('server', 'location').length, 0);
});

test('include is allowed in every context with one argument', () => {
  const s = only('include');
  assert.deepEqual([...s.contexts].sort(), [...CONTEXTS].sort());
  assert.deepEqual(counts(s), [1]);
});

test('arity corrections where nginx disagrees with the prose', () => {
  assert.equal(only('access_log', 'ngx_http_log_module').maxArgs, Infinity);
  assert.equal(only('error_log').maxArgs, Infinity);
  assert.deepEqual(counts(only('ssl_protocols', 'ngx_http_ssl_module')).slice(0, 2), [1, 2]);
  assert.deepEqual(counts(only('ssl_session_cache', 'ngx_http_ssl_module')), [1, 2]);
  assert.deepEqual(counts(only('stub_status')), [0, 1]);
  assert.deepEqual(counts(only('keepalive_timeout', 'ngx_http_core_module')), [1, 2]);
  assert.deepEqual(counts(only('location')), [1, 2]);
  assert.deepEqual(counts(only('types')), [0]);
  assert.deepEqual(counts(only('log_format', 'ngx_http_log_module')).slice(0, 3), [2, 3, 4]);
  assert.equal(only('error_page').minArgs, 2);
  assert.equal(only('listen', 'ngx_http_core_module').maxArgs, Infinity);
});

test('1.22 differences are kept apart', () => {
  const k = only('keepalive', 'ngx_http_upstream_module');
  assert.equal(allowsArgCount(k, 2), true, 'keepalive N local (current nginx)');
  assert.equal(allowsArgCount(k, 2, 'light122'), false, 'nginx 1.22: TAKE1');
  assert.equal(allowsArgCount(k, 1, 'light122'), true);
  const resolvers = lookup('resolver')!;
  assert.equal(resolvers.find((s) => s.module === 'ngx_http_core_module')!.inLight122, true);
  assert.equal(resolvers.find((s) => s.module === 'ngx_http_upstream_module')!.inLight122, false);
});

test('duplicate flags from the probe', () => {
  assert.equal(only('events').dup, true);
  assert.equal(only('http').dup, true);
  assert.equal(only('root').dup, true);
  assert.equal(only('proxy_read_timeout', 'ngx_http_proxy_module').dup, true);
  assert.equal(only('worker_connections').dup, true);
  assert.equal(only('add_header').dup, false);
  assert.equal(only('location').dup, false);
  assert.equal(only('error_log').dup, false);
});

test('plus and external markers', () => {
  assert.equal(only('auth_jwt').plus, true);
  assert.equal(only('sticky').plus, false, 'open source since 1.29.6');
  assert.equal(only('queue').plus, true);
  assert.equal(only('proxy_pass', 'ngx_http_proxy_module').plus, false);
  assert.equal(only('js_import', 'ngx_http_js_module').external, true);
  assert.equal(only('js_import', 'ngx_http_js_module').plus, false);
  assert.equal(only('proxy_pass', 'ngx_http_proxy_module').external, false);
  assert.equal(only('auth_jwt').inLight122, false);
  assert.equal(only('image_filter').inLight122, false, 'dynamic module absent from the probed build');
});

test('defaults survive', () => {
  assert.equal(only('proxy_read_timeout', 'ngx_http_proxy_module').default, '60s');
  assert.equal(only('keepalive_timeout', 'ngx_http_core_module').default, '75s');
  assert.equal(only('proxy_pass', 'ngx_http_proxy_module').default, '');
});

test('docsUrl', () => {
  assert.equal(docsUrl('proxy_pass', 'ngx_http_proxy_module'), 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass');
  assert.equal(docsUrl('worker_processes', 'ngx_core_module'), 'https://nginx.org/en/docs/ngx_core_module.html#worker_processes');
  assert.equal(docsUrl('listen', 'ngx_stream_core_module'), 'https://nginx.org/en/docs/stream/ngx_stream_core_module.html#listen');
  assert.equal(docsUrl('smtp_auth', 'ngx_mail_smtp_module'), 'https://nginx.org/en/docs/mail/ngx_mail_smtp_module.html#smtp_auth');
});

test('describeArgCount', () => {
  assert.equal(describeArgCount(only('proxy_set_header')), '2');
  assert.equal(describeArgCount(only('add_header')), '2 or 3');
  assert.equal(describeArgCount(only('if')), 'at least 1');
  assert.equal(describeArgCount({ minArgs: 1, maxArgs: 3, args: [1, 3] }), '1 or 3');
});

test('variables: names, prefixes, captures, case', () => {
  assert.ok(isKnownVariable('$http_upgrade'));
  assert.ok(isKnownVariable('http_upgrade'));
  assert.ok(isKnownVariable('$HTTP_UPGRADE'));
  assert.ok(isKnownVariable('$request_uri'));
  assert.ok(isKnownVariable('$sent_http_content_type'));
  assert.ok(isKnownVariable('$upstream_http_x'));
  assert.ok(isKnownVariable('$cookie_sid'));
  assert.ok(isKnownVariable('$arg_q'));
  assert.ok(isKnownVariable('$1'));
  assert.equal(isKnownVariable('$connection_upgrade'), false, 'made by a map, not built in');
  assert.equal(isKnownVariable('$http_'), false, 'a bare prefix is not a variable');
  assert.equal(isKnownVariable('$request_uri', 'stream'), false);
  assert.ok(isKnownVariable('$remote_addr', 'stream'));
  for (const p of ['http_', 'sent_http_', 'sent_trailer_', 'cookie_', 'arg_', 'upstream_http_', 'upstream_trailer_', 'upstream_cookie_', 'jwt_header_', 'jwt_claim_']) {
    assert.ok(variablePrefixes().includes(p), p);
  }
});

test('unknown names', () => {
  assert.equal(lookup('proxy_set_headers'), undefined);
  assert.equal(isKnownDirective('websocket_pass'), false);
  assert.equal(isKnownDirective('proxy_pass'), true);
});

test('undocumented directives nginx 1.22 knows are in the table, flagged', () => {
  const s = only('post_action');
  assert.equal(s.undocumented, true);
  assert.equal(s.inLight122, true);
  assert.ok(s.contexts.includes('location'));
  assert.equal(only('proxy_pass', 'ngx_http_proxy_module').undocumented, false);
  const e = only('epoll_events');
  assert.deepEqual(e.contexts, ['events']);
});
