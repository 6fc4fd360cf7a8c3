import { strict as assert } from 'assert';
import { parsePem } from '../../src/certs/der';
import { parsePrivateKeyBlock, parsePrivateKeyDer, PrivateKey, recognisePrivateKey } from '../../src/certs/keys';
import { isSpwfError } from '../../src/errors';
import { Pki, pki } from './pki';

/** What `openssl pkey -text` says: bits and curve. */
function opensslKey(p: Pki, file: string): { bits: number; curve?: string } {
  const inform = file.endsWith('.der') ? ['-inform', 'DER'] : [];
  const text = p.openssl(['pkey', '-in', file].concat(inform, ['-noout', '-text']));
  const bits = /Private-Key: \((\d+) bit/.exec(text);
  const curve = /ASN1 OID: (\S+)/.exec(text);
  return { bits: bits ? parseInt(bits[1], 10) : 0, curve: curve ? curve[1] : undefined };
}

describe('certs/keys: private keys recognised as openssl made them', function () {
  let p: Pki;
  before(function () {
    this.timeout(60000);
    p = pki();
  });

  const cases: [string, Partial<PrivateKey>][] = [
    ['rsa1024-server.key', { form: 'pkcs8', type: 'RSA', bits: 1024, pem: true, label: 'PRIVATE KEY' }],
    ['rsa2048-server.key', { form: 'pkcs8', type: 'RSA', bits: 2048 }],
    ['rsa4096-server.key', { form: 'pkcs8', type: 'RSA', bits: 4096 }],
    ['rsa1024-server-pkcs1.key', { form: 'pkcs1', type: 'RSA', bits: 1024, label: 'RSA PRIVATE KEY' }],
    ['rsa4096-server-pkcs1.key', { form: 'pkcs1', type: 'RSA', bits: 4096 }],
    ['rsa2048-server-pkcs1.der', { form: 'pkcs1', type: 'RSA', bits: 2048, pem: false }],
    ['rsa2048-server-pkcs8.der', { form: 'pkcs8', type: 'RSA', bits: 2048, pem: false }],
    ['prime192v1-server.key', { form: 'sec1', type: 'EC', curve: 'prime192v1', bits: 192, ecParameters: true, ecParametersCurve: 'prime192v1', curveInKey: true }],
    ['prime256v1-server.key', { form: 'sec1', type: 'EC', curve: 'prime256v1', bits: 256, ecParameters: true, ecParametersCurve: 'prime256v1' }],
    ['secp384r1-server.key', { form: 'sec1', type: 'EC', curve: 'secp384r1', bits: 384, ecParameters: true }],
    ['prime256v1-server-noparams.key', { form: 'sec1', type: 'EC', curve: 'prime256v1', ecParameters: false }],
    ['prime256v1-server-pkcs8.key', { form: 'pkcs8', type: 'EC', curve: 'prime256v1', bits: 256, ecParameters: false }],
    ['p256-genpkey.key', { form: 'pkcs8', type: 'EC', curve: 'prime256v1', bits: 256 }],
    ['prime192v1-server.key.der', { form: 'sec1', type: 'EC', curve: 'prime192v1', pem: false }],
    ['ed25519.key', { form: 'pkcs8', type: 'Ed25519', bits: 256 }],
    ['rsa512.key', { form: 'pkcs8', type: 'RSA', bits: 512 }],
  ];
  for (const [file, want] of cases) {
    it(file, function () {
      const k = recognisePrivateKey(p.read(file));
      for (const f of Object.keys(want) as (keyof PrivateKey)[]) assert.deepEqual(k[f], want[f], f);
      assert.equal(k.encrypted, false);
      const o = opensslKey(p, file);
      if (o.bits) assert.equal(k.bits, o.bits); // openssl gives no size for Ed25519
      if (o.curve !== undefined) assert.equal(k.curve, o.curve);
    });
  }

  it('encrypted keys: ENCRYPTED PRIVATE KEY and Proc-Type: 4,ENCRYPTED', function () {
    const a = recognisePrivateKey(p.read('rsa-enc-pkcs8.key'));
    assert.equal(a.form, 'encrypted-pkcs8');
    assert.equal(a.encrypted, true);
    assert.equal(a.algorithm, '1.2.840.113549.1.5.13'); // PBES2
    const b = recognisePrivateKey(p.read('rsa-enc-trad.key'));
    assert.deepEqual([b.form, b.type, b.encrypted, b.label], ['encrypted-pem', 'RSA', true, 'RSA PRIVATE KEY']);
    const c = recognisePrivateKey(p.read('ec-enc-trad.key'));
    assert.deepEqual([c.form, c.type, c.encrypted], ['encrypted-pem', 'EC', true]);
    assert.equal(parsePem(p.read('ec-enc-trad.key'))[0].headers[0], 'Proc-Type: 4,ENCRYPTED');
    // In DER an encrypted PKCS#8 key is recognised by its shape.
    const der = parsePem(p.read('rsa-enc-pkcs8.key'))[0].der;
    assert.equal(parsePrivateKeyDer(der).form, 'encrypted-pkcs8');
  });

  it('a block whose content does not match its label, and non-key input, throw InvalidParameter', function () {
    const pkcs8 = parsePem(p.read('rsa2048-server.key'))[0];
    assert.throws(() => parsePrivateKeyBlock({ ...pkcs8, label: 'RSA PRIVATE KEY' }), /pkcs8 form/);
    assert.throws(() => parsePrivateKeyBlock({ ...pkcs8, label: 'CERTIFICATE' }), /not a private key/);
    assert.throws(() => recognisePrivateKey(p.read('rsa2048-ca.pem')), (e: any) => isSpwfError(e, 'InvalidParameter'));
    assert.throws(() => parsePrivateKeyDer(parsePem(p.read('rsa2048-ca.pem'))[0].der), /not a private key/);
    const der = p.read('rsa2048-server-pkcs1.der');
    for (let n = 0; n < der.length; n += 7) {
      assert.throws(() => parsePrivateKeyDer(der.substring(0, n)), (e: any) => isSpwfError(e, 'InvalidParameter'));
    }
  });
});
