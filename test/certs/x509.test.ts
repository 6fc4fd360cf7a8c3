import { strict as assert } from 'assert';
import * as fc from 'fast-check';
import { parsePem, toHex } from '../../src/certs/der';
import { sha256Hex } from '../../src/certs/sha256';
import { Certificate, decodeTime, formatTime, parseCertificate } from '../../src/certs/x509';
import { isSpwfError } from '../../src/errors';
import { daysFromCivil } from '../../src/util/civil-time';
import { opensslCert, Pki, pki } from './pki';

function derOf(p: Pki, file: string): string {
  if (file.endsWith('.der')) return p.read(file);
  const blocks = parsePem(p.read(file));
  assert.equal(blocks[0].label, 'CERTIFICATE');
  return blocks[0].der;
}

const CURVE_BITS: { [c: string]: number } = { prime192v1: 192, prime256v1: 256, secp384r1: 384 };

describe('certs/x509: fields compared with openssl x509', function () {
  let p: Pki;
  before(function () {
    this.timeout(60000);
    p = pki();
  });

  const files = [
    'rsa1024-ca.pem', 'rsa1024-server.pem', 'rsa2048-ca.pem', 'rsa2048-server.pem', 'rsa4096-ca.pem', 'rsa4096-server.pem',
    'rsa2048-ca.der', 'appx-client.pem', 'prime192v1-ca.pem', 'prime192v1-server.pem', 'prime256v1-ca.pem', 'prime256v1-server.pem',
    'secp384r1-ca.pem', 'secp384r1-server.pem', 'inter.pem', 'inter-leaf.pem', 'inter-nobc.pem', 'root-noski.pem', 'root-nobc.pem',
    'root-cafalse.pem', 'root-aki.pem', 'leaf-noaki.pem', 'leaf-v1.pem', 'expired.pem', 'future.pem', 'gentime.pem', 'bigsan.pem',
    'bigsan.der', 'ed25519.pem',
  ];
  for (const file of files) {
    it(file, function () {
      const o = opensslCert(p, file);
      const der = derOf(p, file);
      const c: Certificate = parseCertificate(der);
      assert.equal(c.size, der.length);
      assert.equal(c.version, o.version);
      assert.equal('subject=' + c.subject, 'subject=' + o.subject);
      assert.equal(c.issuer, o.issuer);
      assert.equal(c.serial.replace(/^(00)+(?=.)/, ''), o.serial.replace(/^(00)+(?=.)/, ''));
      assert.equal(c.notBefore, o.notBefore, 'notBefore ' + formatTime(c.notBefore));
      assert.equal(c.notAfter, o.notAfter, 'notAfter ' + formatTime(c.notAfter));
      assert.equal(c.selfSigned, o.subject === o.issuer);
      assert.equal(c.subjectKeyId === undefined ? undefined : toHex(c.subjectKeyId), o.ski);
      assert.equal(c.authorityKeyId === undefined ? undefined : toHex(c.authorityKeyId), o.aki);
      if (o.basicConstraints === undefined) assert.equal(c.basicConstraints, undefined);
      else assert.equal(c.basicConstraints!.cA, /CA:TRUE/.test(o.basicConstraints));
      const cn = /CN = ([^,]+)$/.exec(o.subject);
      assert.equal(c.subjectCN, cn ? cn[1] : undefined);
      const san = (o.san || '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.substring(4));
      assert.deepEqual(c.dnsNames, san);
      const ips = (o.san || '').split(', ').filter((s) => s.startsWith('IP Address:')).map((s) => s.substring(11));
      assert.deepEqual(c.ipAddresses, ips);
      assert.equal(c.signatureAlgorithm, o.signatureAlgorithm);
      if (o.keyAlgorithm === 'rsaEncryption') {
        assert.equal(c.publicKey.type, 'RSA');
        assert.equal(c.publicKey.bits, o.keyBits);
      } else if (o.keyAlgorithm === 'id-ecPublicKey') {
        assert.equal(c.publicKey.type, 'EC');
        assert.equal(c.publicKey.curve, o.curve);
        assert.equal(c.publicKey.bits, CURVE_BITS[o.curve!]);
        assert.equal(c.publicKey.bits, o.keyBits);
      } else {
        assert.equal(c.publicKey.type, 'Ed25519');
      }
      // The store's SHA-256 over a real certificate = openssl's fingerprint.
      assert.equal(sha256Hex(der), o.fingerprint);
    });
  }

  it('reads the extensions it needs: basic constraints path length and criticality, AKI of a root', function () {
    const inter = parseCertificate(derOf(p, 'inter.pem'));
    assert.deepEqual(inter.basicConstraints, { cA: true, pathLen: 0, critical: true });
    const leaf = parseCertificate(derOf(p, 'rsa2048-server.pem'));
    assert.deepEqual(leaf.basicConstraints, { cA: false, critical: false });
    assert.ok(leaf.hasAuthorityKeyId);
    const root = parseCertificate(derOf(p, 'root-aki.pem'));
    assert.equal(root.authorityKeyId, root.subjectKeyId);
    assert.ok(root.selfSigned);
    const noaki = parseCertificate(derOf(p, 'leaf-noaki.pem'));
    assert.equal(noaki.hasAuthorityKeyId, false);
    assert.deepEqual(parseCertificate(derOf(p, 'leaf-v1.pem')).extensions, []);
    assert.deepEqual(leaf.extensions, ['2.5.29.19', '2.5.29.14', '2.5.29.35', '2.5.29.17']);
  });

  it('UTCTime and GeneralizedTime (a 29 February in 2040 and a date after 2049)', function () {
    const c = parseCertificate(derOf(p, 'gentime.pem'));
    assert.equal(formatTime(c.notBefore), '2040-02-29 12:00:00 UTC');
    assert.equal(formatTime(c.notAfter), '2060-01-01 12:00:00 UTC');
    const e = parseCertificate(derOf(p, 'expired.pem'));
    assert.equal(formatTime(e.notAfter), '2021-01-01 00:00:00 UTC');
  });

  it('a truncated or altered certificate throws InvalidParameter, never anything else', function () {
    const der = derOf(p, 'prime256v1-server.pem');
    for (let n = 0; n < der.length; n++) {
      assert.throws(() => parseCertificate(der.substring(0, n)), (e: any) => isSpwfError(e, 'InvalidParameter'));
    }
    assert.throws(() => parseCertificate(der + '\x00'), /after the certificate/);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: der.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, b) => {
        const bad = der.substring(0, at) + String.fromCharCode(b) + der.substring(at + 1);
        try {
          parseCertificate(bad);
        } catch (e) {
          if (!isSpwfError(e, 'InvalidParameter')) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('certs/x509: time', function () {
  const t = (tag: number, s: string) => decodeTime(String.fromCharCode(tag, s.length) + s, { tag, start: 0, value: 2, len: s.length, end: 2 + s.length });

  it('UTCTime years 50..99 are 19xx, 00..49 are 20xx', function () {
    assert.equal(t(0x17, '500101000000Z'), daysFromCivil(1950, 1, 1) * 86400);
    assert.equal(t(0x17, '491231235959Z'), daysFromCivil(2049, 12, 31) * 86400 + 86399);
    assert.equal(t(0x17, '700101000000Z'), 0);
    assert.equal(t(0x18, '19700101000001Z'), 1);
  });

  it('matches Date.UTC on random instants', function () {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1) / 1000, max: Date.UTC(9999, 11, 31) / 1000 }), (s) => {
        const d = new Date(s * 1000);
        const p2 = (n: number) => (n < 10 ? '0' : '') + n;
        const body = p2(d.getUTCMonth() + 1) + p2(d.getUTCDate()) + p2(d.getUTCHours()) + p2(d.getUTCMinutes()) + p2(d.getUTCSeconds()) + 'Z';
        assert.equal(t(0x18, String(d.getUTCFullYear()).padStart(4, '0') + body), s);
        if (d.getUTCFullYear() < 2050) assert.equal(t(0x17, p2(d.getUTCFullYear() % 100) + body), s);
        assert.equal(formatTime(s), d.toISOString().substring(0, 19).replace('T', ' ') + ' UTC');
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses times RFC 5280 does not allow', function () {
    for (const [tag, s] of [[0x17, '5001010000Z'], [0x17, '500101000000+0100'], [0x18, '20200230000000Z'], [0x18, '20201301000000Z'],
      [0x18, '20200101240000Z'], [0x18, '2020010100000aZ'], [0x18, '20200101000000.5Z'], [0x04, '500101000000Z']] as [number, string][]) {
      assert.throws(() => t(tag, s), (e: any) => isSpwfError(e, 'InvalidParameter'), s);
    }
  });
});
