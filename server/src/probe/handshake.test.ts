import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptFor,
  buildUpgradeRequest,
  findHeadEnd,
  hasToken,
  headerValue,
  hostHeader,
  newKey,
  parseResponseHead,
  validateResponse,
} from './handshake';

describe('acceptFor', () => {
  it('matches the worked example (RFC 6455 key from the article)', () => {
    assert.equal(acceptFor('sN9cRrP/n9NdMgdcy2VJFQ=='), 'fFBooB7FAkLlXgRSz0BT3v4hq5s=');
  });
  it('matches the RFC 6455 section 1.3 example', () => {
    assert.equal(acceptFor('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});

describe('newKey', () => {
  it('is 16 random bytes in base64', () => {
    const a = newKey();
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.equal(a.length, 24);
    assert.notEqual(a, newKey());
  });
});

describe('buildUpgradeRequest', () => {
  it('builds the article\'s request', () => {
    const r = buildUpgradeRequest({
      host: 'example.com',
      port: 80,
      path: '/',
      secure: false,
      key: 'sN9cRrP/n9NdMgdcy2VJFQ==',
      origin: 'http://example.com',
    });
    assert.equal(
      r.text,
      'GET / HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: sN9cRrP/n9NdMgdcy2VJFQ==\r\nSec-WebSocket-Version: 13\r\n' +
        'Origin: http://example.com\r\n\r\n',
    );
    assert.equal(r.expectedAccept, 'fFBooB7FAkLlXgRSz0BT3v4hq5s=');
  });
  it('uses a random key and adds extra headers in order', () => {
    const r = buildUpgradeRequest({
      host: 'h',
      port: 8080,
      path: '/ws?x=1',
      secure: true,
      headers: [
        ['Cookie', 'a=b'],
        ['X-Test', ' v '],
      ],
    });
    assert.match(r.text, /^GET \/ws\?x=1 HTTP\/1\.1\r\nHost: h:8080\r\n/);
    assert.match(r.text, /Sec-WebSocket-Key: [A-Za-z0-9+/]{22}==\r\n/);
    assert.ok(r.text.endsWith('Cookie: a=b\r\nX-Test: v\r\n\r\n'));
    assert.ok(!r.text.includes('Origin:'));
    assert.equal(r.expectedAccept, acceptFor(r.key));
  });
  it('refuses header injection and overriding managed headers', () => {
    const base = { host: 'h', port: 80, path: '/', secure: false };
    assert.throws(() => buildUpgradeRequest({ ...base, headers: [['X', 'a\r\nEvil: 1']] }), /line breaks/);
    assert.throws(() => buildUpgradeRequest({ ...base, headers: [['Bad Name', 'x']] }), /invalid header name/);
    assert.throws(() => buildUpgradeRequest({ ...base, headers: [['upgrade', 'x']] }), /set by the probe/);
    assert.throws(() => buildUpgradeRequest({ ...base, path: '/a b' }), /invalid request path/);
  });
  it('writes Host without default ports and with IPv6 brackets', () => {
    assert.equal(hostHeader('a', 80, false), 'a');
    assert.equal(hostHeader('a', 443, true), 'a');
    assert.equal(hostHeader('a', 443, false), 'a:443');
    assert.equal(hostHeader('::1', 8080, false), '[::1]:8080');
  });
});

describe('response head', () => {
  const key = 'sN9cRrP/n9NdMgdcy2VJFQ==';
  const good =
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Accept: fFBooB7FAkLlXgRSz0BT3v4hq5s=\r\n\r\n';

  it('finds the end of the head', () => {
    assert.equal(findHeadEnd(Buffer.from(good + 'xx')), good.length);
    assert.equal(findHeadEnd(Buffer.from(good.slice(0, -1))), -1);
  });
  it('parses status, reason, headers and folded lines', () => {
    const h = parseResponseHead('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nX-A: 1\r\n  2\r\nx-a: 3\r\n\r\n');
    assert.equal(h.statusCode, 400);
    assert.equal(h.reason, 'Bad Request');
    assert.equal(h.httpVersion, '1.1');
    assert.equal(headerValue(h, 'X-A'), '1 2, 3');
    assert.equal(headerValue(h, 'missing'), undefined);
    assert.equal(parseResponseHead('HTTP/1.1 101\r\n\r\n').reason, '');
    assert.throws(() => parseResponseHead('SSH-2.0-OpenSSH\r\n\r\n'), /not an HTTP response/);
  });
  it('accepts a correct 101 with case-insensitive values and token lists', () => {
    const v = validateResponse(parseResponseHead(good), acceptFor(key));
    assert.equal(v.ok, true);
    assert.deepEqual(
      v.checks.map((c) => c.id),
      ['status', 'upgrade', 'connection', 'accept'],
    );
    const loose = good.replace('Upgrade: websocket', 'Upgrade: WebSocket').replace('Connection: Upgrade', 'Connection: keep-alive, upgrade');
    assert.equal(validateResponse(parseResponseHead(loose), acceptFor(key)).ok, true);
  });
  it('reports each broken part', () => {
    const fail = (text: string) =>
      validateResponse(parseResponseHead(text), acceptFor(key))
        .checks.filter((c) => !c.ok)
        .map((c) => c.id);
    assert.deepEqual(fail('HTTP/1.1 400 Bad Request\r\n\r\n'), ['status']);
    assert.deepEqual(fail(good.replace('Upgrade: websocket', 'Upgrade: h2c')), ['upgrade']);
    assert.deepEqual(fail(good.replace('Upgrade: websocket\r\n', '')), ['upgrade']);
    assert.deepEqual(fail(good.replace('Connection: Upgrade', 'Connection: keep-alive')), ['connection']);
    assert.deepEqual(fail(good.replace('Connection: Upgrade', 'Connection: upgraded')), ['connection']);
    assert.deepEqual(fail(good.replace('fFBooB7FAkLlXgRSz0BT3v4hq5s=', 'AAAAooB7FAkLlXgRSz0BT3v4hq5s=')), ['accept']);
    assert.deepEqual(fail(good.replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n')), ['extensions']);
    assert.deepEqual(fail(good.replace('\r\n\r\n', '\r\nSec-WebSocket-Protocol: chat\r\n\r\n')), ['protocol']);
  });
  it('hasToken splits on commas', () => {
    assert.equal(hasToken('keep-alive, Upgrade', 'upgrade'), true);
    assert.equal(hasToken('keep-alive', 'upgrade'), false);
    assert.equal(hasToken(undefined, 'upgrade'), false);
  });
});
