import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STANDARD_CLOSE_CODES, closeCodeLabel, describeCloseCode } from './closeCodes';
import { isWireCloseCode } from './frames';

describe('close codes', () => {
  it('names every standard code 1000–1015', () => {
    const names: Record<number, string> = {
      1000: 'Normal Closure',
      1001: 'Going Away',
      1002: 'Protocol Error',
      1003: 'Unsupported Data',
      1005: 'No Status Received',
      1006: 'Abnormal Closure',
      1007: 'Invalid Frame Payload Data',
      1008: 'Policy Violation',
      1009: 'Message Too Big',
      1010: 'Mandatory Extension',
      1011: 'Internal Error',
      1012: 'Service Restart',
      1013: 'Try Again Later',
      1014: 'Bad Gateway',
      1015: 'TLS Handshake',
    };
    for (const [code, name] of Object.entries(names)) {
      const info = describeCloseCode(Number(code));
      assert.equal(info.name, name);
      assert.equal(info.category, 'standard');
      assert.ok(info.meaning.length > 20, `${code} has a meaning`);
    }
    assert.equal(describeCloseCode(1004).category, 'reserved');
    for (let c = 1000; c <= 1015; c++) assert.ok(STANDARD_CLOSE_CODES[c], String(c));
  });
  it('marks the codes that are never sent in a frame', () => {
    for (const c of [1004, 1005, 1006, 1015]) assert.equal(describeCloseCode(c).onWire, false, String(c));
    assert.match(describeCloseCode(1006).meaning, /without a close frame/);
    assert.match(describeCloseCode(1006).meaning, /proxy_read_timeout/);
  });
  it('classifies the ranges', () => {
    assert.equal(describeCloseCode(1016).category, 'reserved');
    assert.equal(describeCloseCode(2999).category, 'reserved');
    assert.equal(describeCloseCode(3000).category, 'library');
    assert.equal(describeCloseCode(3999).category, 'library');
    assert.equal(describeCloseCode(4000).category, 'application');
    assert.equal(describeCloseCode(4999).category, 'application');
    for (const c of [0, 999, 5000, 65535, 1000.5, -1]) assert.equal(describeCloseCode(c).category, 'invalid', String(c));
  });
  it('agrees with the frame decoder on which codes may be sent', () => {
    for (let c = 900; c <= 5100; c++) assert.equal(describeCloseCode(c).onWire, isWireCloseCode(c), String(c));
  });
  it('labels', () => {
    assert.equal(closeCodeLabel(1011), '1011 Internal Error');
    assert.equal(closeCodeLabel(4321), '4321 Application');
  });
});
