import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_TITLES, classify, ruleDocUrl } from './symptoms';
import type { RuleId } from './symptoms';

const HEADER_RULES: RuleId[] = [
  'ws-upgrade-header-missing',
  'ws-connection-header-missing',
  'ws-http-version',
  'ws-headers-not-inherited',
];
const mentionsLayer4 = (d: { advice: string[] }) => d.advice.some((a) => /layer 4/.test(a));
const mentionsLayer7 = (d: { causes: string[] }) => d.causes.some((c) => /layer 7/.test(c));

describe('classify', () => {
  it('symptom 1: refused, reset, DNS, TLS', () => {
    const refused = classify({ kind: 'connect-error', stage: 'connect', code: 'ECONNREFUSED', message: 'x' });
    assert.equal(refused.number, 1);
    assert.equal(refused.symptom, 'connection-failed');
    assert.match(refused.browserMessage, /failed:/);
    assert.match(refused.causes.join('\n'), /Nothing listens/);
    assert.ok(mentionsLayer7(refused) && mentionsLayer4(refused));

    const reset = classify({ kind: 'connect-error', stage: 'handshake', code: 'ECONNRESET', message: 'x' });
    assert.equal(reset.number, 1);
    assert.match(reset.title, /reset/);

    const dns = classify({ kind: 'connect-error', stage: 'dns', code: 'ENOTFOUND', message: 'x' });
    assert.equal(dns.number, 1);
    assert.match(dns.title, /resolve/);

    const tls = classify({ kind: 'connect-error', stage: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' });
    assert.equal(tls.number, 1);
    assert.match(tls.title, /TLS/);
    assert.match(tls.causes.join('\n'), /self-signed/);
    assert.match(tls.causes.join('\n'), /--insecure/);

    const plain = classify({ kind: 'connect-error', stage: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' });
    assert.match(plain.causes.join('\n'), /does not speak TLS/);

    assert.equal(classify({ kind: 'not-http', firstLine: 'SSH-2.0', secure: false }).number, 1);
  });

  it('symptom 2: 400 and 426 point at the header rules', () => {
    for (const status of [400, 426]) {
      const d = classify({ kind: 'response', status, secure: false });
      assert.equal(d.number, 2);
      assert.equal(d.symptom, 'unexpected-response-code');
      assert.equal(d.browserMessage, `Error during WebSocket handshake: Unexpected response code: ${status}`);
      for (const r of HEADER_RULES) assert.ok(d.rules.includes(r), `${status} → ${r}`);
      assert.ok(!d.rules.includes('ws-read-timeout'));
      assert.ok(mentionsLayer7(d) && mentionsLayer4(d));
    }
  });
  it('symptom 2: nginx "plain HTTP to HTTPS port" page adds the scheme rule', () => {
    const d = classify({
      kind: 'response',
      status: 400,
      secure: false,
      body: '<center>The plain HTTP request was sent to HTTPS port</center>',
    });
    assert.equal(d.rules[0], 'ws-proxy-pass-scheme');
    assert.match(d.causes[0]!, /wss:\/\//);
  });
  it('symptom 2: redirects, 404, 502, 504, 101 with a bad accept', () => {
    const redirect = classify({ kind: 'response', status: 301, location: 'https://example.com/ws', secure: false });
    assert.equal(redirect.number, 2);
    assert.match(redirect.causes.join('\n'), /wss:\/\//);
    assert.deepEqual(redirect.rules, []);

    const notFound = classify({ kind: 'response', status: 404, secure: false });
    assert.match(notFound.causes.join('\n'), /location/);

    const bad = classify({ kind: 'response', status: 502, secure: false, server: 'nginx/1.22.1' });
    assert.deepEqual(bad.rules, ['ws-proxy-pass-scheme']);
    assert.match(bad.causes[0]!, /nginx itself/);

    const gw = classify({ kind: 'response', status: 504, secure: false });
    assert.ok(gw.rules.includes('ws-read-timeout'));

    const accept = classify({ kind: 'response', status: 101, failedChecks: ['accept'], secure: false });
    assert.equal(accept.number, 2);
    assert.match(accept.browserMessage, /Sec-WebSocket-Accept/);
  });
  it('symptom 3: timeouts', () => {
    const d = classify({ kind: 'timeout', stage: 'handshake', afterMs: 500 });
    assert.equal(d.number, 3);
    assert.equal(d.browserMessage, 'The request timed out');
    assert.match(d.title, /500 ms/);
    assert.ok(mentionsLayer7(d) && mentionsLayer4(d));
    assert.equal(classify({ kind: 'timeout', stage: 'connect', afterMs: 1 }).number, 3);
  });
  it('closes after the handshake: 1006 after ~60 s idle is the read timeout', () => {
    const idle = classify({ kind: 'closed', code: 1006, idleMs: 60_010 });
    assert.equal(idle.number, undefined);
    assert.deepEqual(idle.rules, ['ws-read-timeout']);
    assert.match(idle.causes[0]!, /60 s/);
    const err = classify({ kind: 'closed', code: 1011, reason: 'boom' });
    assert.match(err.title, /1011 Internal Error \("boom"\)/);
    assert.deepEqual(err.rules, []);
  });
  it('403 points at ws-host-missing; 400 "Session ID unknown" at ws-sticky-session, not at the header rules', () => {
    const forbidden = classify({ kind: 'response', status: 403, secure: false });
    assert.deepEqual(forbidden.rules, ['ws-host-missing']);
    assert.ok(forbidden.causes.some((c) => c.includes('proxy_set_header Host $http_host')));
    const lost = classify({ kind: 'response', status: 400, body: '{"code":1,"message":"Session ID unknown"}', secure: false });
    assert.deepEqual(lost.rules, ['ws-sticky-session']);
    const plain400 = classify({ kind: 'response', status: 400, body: 'Bad Request', secure: false });
    assert.ok(!plain400.rules.includes('ws-sticky-session') && plain400.rules.includes('ws-upgrade-header-missing'));
  });
  it('every rule has a title and a docs link', () => {
    for (const id of Object.keys(RULE_TITLES) as RuleId[]) {
      assert.equal(ruleDocUrl(id), `https://github.com/nginx-websocket/nginx-websocket/blob/main/docs/rules/${id}.md`);
    }
    assert.equal(Object.keys(RULE_TITLES).length, 9);
  });
});
