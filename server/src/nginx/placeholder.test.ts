import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { placeholderPair } from './placeholder';

test('the placeholder pair is a self-signed certificate with its own key, valid now, made once', () => {
  const { cert, key } = placeholderPair();
  const x = new crypto.X509Certificate(cert);
  assert.match(x.subject, /placeholder/);
  assert.equal(x.subject, x.issuer);
  assert.ok(x.checkPrivateKey(crypto.createPrivateKey(key)), 'the key matches the certificate');
  assert.ok(x.verify(x.publicKey), 'signed by its own key');
  const now = Date.now();
  assert.ok(Date.parse(x.validFrom) < now && now < Date.parse(x.validTo));
  assert.equal(placeholderPair().cert, cert);
});
