// A placeholder certificate and key for nginx -t only: they stand in for a certificate that
// exists only on the server, so the rest of the configuration can still be checked. Made on
// first use (an EC P-256 key and a self-signed X.509 v1 certificate, DER written here), never
// shipped and never served or trusted by anything.
import * as crypto from 'node:crypto';

export interface PlaceholderPair {
  cert: string;
  key: string;
}

/** DER length octets. */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const content = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
};

function oid(dotted: string): Buffer {
  const p = dotted.split('.').map(Number);
  const out = [40 * p[0] + p[1]];
  for (const v of p.slice(2)) {
    const b = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) b.unshift(0x80 | (x & 0x7f));
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime (YYMMDDHHMMSSZ): valid for the years before 2050. */
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));

let made: PlaceholderPair | undefined;

export function placeholderPair(): PlaceholderPair {
  if (made) return made;
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = tlv(0x30, tlv(0x31, tlv(0x30, oid('2.5.4.3'), tlv(0x0c, Buffer.from('nginx-websocket nginx -t placeholder (not a real certificate)')))));
  const ecdsaWithSha256 = tlv(0x30, oid('1.2.840.10045.4.3.2'));
  const now = Date.now();
  const validity = tlv(0x30, utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 3650 * 86_400_000)));
  const serial = tlv(0x02, Buffer.from([0x01]));
  const tbs = tlv(0x30, serial, ecdsaWithSha256, name, validity, name, publicKey.export({ type: 'spki', format: 'der' }));
  const signature = crypto.sign('sha256', tbs, privateKey);
  const der = tlv(0x30, tbs, ecdsaWithSha256, tlv(0x03, Buffer.from([0]), signature));
  const cert = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  made = { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  return made;
}
