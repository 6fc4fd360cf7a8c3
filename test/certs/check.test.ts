import { strict as assert } from 'assert';
import * as fc from 'fast-check';
import { CertUse, checkItem, CheckResult } from '../../src/certs/check';
import { parsePem, toHex } from '../../src/certs/der';
import { Pki, pki } from './pki';

// A day ahead: the certificates are made (valid from "now") after this module loads.
const NOW = Math.floor(Date.now() / 1000) + 86400;

describe('certs/check: files against the module limits (application note 3.1, 3.1.5, 3.2.2.1)', function () {
  let p: Pki;
  before(function () {
    this.timeout(60000);
    p = pki();
  });

  function check(file: string | string[], use: CertUse, now?: number, host?: string): CheckResult {
    const item = Array.isArray(file) ? file.map((f) => p.read(f)).join('') : p.read(file);
    return checkItem(item, use, { now, host });
  }

  function ok(r: CheckResult): void {
    assert.deepEqual(r.problems, []);
    assert.equal(r.ok, true);
  }

  function has(r: CheckResult, ...patterns: RegExp[]): void {
    assert.equal(r.ok, false, 'expected problems');
    for (const re of patterns) assert.ok(r.problems.some((x) => re.test(x)), 'no problem matches ' + re + ' in ' + JSON.stringify(r.problems, null, 1));
  }

  describe('the appendix A sets are accepted', function () {
    for (const s of ['rsa1024', 'rsa2048', 'prime192v1', 'prime256v1']) {
      it(s + ': CA, server certificate, key', function () {
        const ca = check(s + '-ca.pem', 'tls-ca', NOW);
        ok(ca);
        assert.equal(ca.info.format, 'PEM');
        assert.equal(ca.info.validity, 'valid');
        assert.equal(ca.info.certificates[0].subjectCN, 'CA domain');
        const ski = ca.info.certificates[0].subjectKeyId!;
        assert.equal(ca.info.authKeyId, ski);
        assert.equal(ca.info.caFileName, toHex(ski) + '.ca');
        ok(check(s + '-server.pem', 'tls-cert', NOW, 'server.example'));
        const key = check(s.indexOf('rsa') === 0 ? s + '-server-pkcs1.key' : s + '-server.key', 'tls-key');
        ok(key);
        assert.deepEqual(key.warnings, []);
        ok(check(s + '-ca.pem', 'eap-ca', NOW));
      });
    }
    it('the client certificate made with `openssl ca` (stock usr_cert extensions)', function () {
      ok(check('appx-client.pem', 'tls-cert', NOW));
    });
    it('a CA in DER, and the appendix A RSA key (genpkey: PKCS#8) with a warning only', function () {
      const der = check('rsa2048-ca.der', 'tls-ca', NOW);
      ok(der);
      assert.equal(der.info.format, 'DER');
      const k = check('rsa2048-server.key', 'tls-key');
      ok(k);
      assert.match(k.warnings.join('\n'), /PKCS#8 form .* openssl rsa -in key.pem -traditional -out key-pkcs1.pem/);
      ok(check('rsa2048-server-pkcs1.der', 'tls-key'));
    });
  });

  describe('key types and sizes', function () {
    it('RSA 4096: refused as the module\'s own TLS key, accepted with a warning as a TLS CA, accepted for WPA2-Enterprise', function () {
      has(check('rsa4096-server.pem', 'tls-cert', NOW), /public key is RSA 4096 bits; for TLS the module .* RSA 1024 or 2048 bits only/);
      has(check('rsa4096-server-pkcs1.key', 'tls-key'), /the private key is RSA 4096 bits/);
      const ca = check('rsa4096-ca.pem', 'tls-ca', NOW);
      ok(ca);
      assert.match(ca.warnings.join('\n'), /RSA 4096 bits; the note lists RSA 1024 and 2048 for TLS/);
      const eap = check('rsa4096-ca.pem', 'eap-ca', NOW);
      ok(eap);
      assert.deepEqual(eap.warnings, []);
      ok(check('rsa4096-server.pem', 'eap-cert', NOW));
      // A 4096-bit key fits the 2.5 KB limit only in DER.
      has(check('rsa4096-server-pkcs1.key', 'eap-key'), /^the file is \d+ bytes; .*: in DER it is about \d+ bytes \(openssl rsa -in key.pem -traditional -outform DER/);
      assert.equal(check('rsa4096-server-pkcs1.key', 'eap-key').problems.length, 1);
      ok(check('rsa4096-server-pkcs1.der', 'eap-key'));
    });
    it('RSA 512, secp384r1 and Ed25519 are refused', function () {
      has(check('rsa512.key', 'tls-key'), /RSA 512 bits/);
      has(check('rsa512.key', 'eap-key'), /RSA 512 bits; for WPA2-Enterprise the module handles RSA keys of 1024 to 4096 bits/);
      has(check('secp384r1-ca.pem', 'tls-ca', NOW), /ECDSA on secp384r1; the module supports the curves prime256v1 \(P-256\) and prime192v1/);
      has(check('secp384r1-server.key', 'tls-key'), /secp384r1/);
      has(check('ed25519.key', 'tls-key'), /the private key is Ed25519; the module supports RSA and ECDSA/);
      has(check('ed25519.pem', 'tls-ca', NOW), /public key is Ed25519/);
    });
    it('ECDSA for WPA2-Enterprise: accepted with a warning', function () {
      const r = check('prime256v1-server.key', 'eap-key');
      ok(r);
      assert.match(r.warnings.join('\n'), /only RSA keys for WPA2-Enterprise/);
    });
  });

  describe('EC private keys (3.1.5)', function () {
    it('SEC1 without the EC PARAMETERS block', function () {
      const r = check('prime256v1-server-noparams.key', 'tls-key');
      has(r, /no EC PARAMETERS block; the module needs it in the same file, before the key .*openssl ecparam -name prime256v1; openssl ec -in key.pem\) > key-module.pem/);
      assert.equal(r.problems.length, 1);
      assert.equal(r.info.key!.ecParameters, false);
    });
    it('PKCS#8 (openssl pkey and genpkey output), with the conversion command', function () {
      for (const f of ['prime256v1-server-pkcs8.key', 'p256-genpkey.key']) {
        const r = check(f, 'tls-key');
        has(r, /EC private key is in PKCS#8 form \("BEGIN PRIVATE KEY"\); .*convert it with \(openssl ecparam -name prime256v1; openssl ec -in key.pem\) > key-module.pem/);
        assert.equal(r.problems.length, 1, r.problems.join('\n'));
      }
    });
    it('the conversion command names the key\'s own curve, next to the curve problem', function () {
      has(check('secp384r1-server-pkcs8.key', 'tls-key'), /ECDSA on secp384r1/, /PKCS#8 form .*\(openssl ecparam -name secp384r1; openssl ec -in key.pem\)/);
    });
    it('the conversion command in the message really gives an accepted key', function () {
      const out = p.openssl(['ecparam', '-name', 'prime256v1']) + p.openssl(['ec', '-in', 'p256-genpkey.key']);
      ok(checkItem(out, 'tls-key'));
    });
    it('DER EC key', function () {
      has(check('prime192v1-server.key.der', 'tls-key'), /EC private key is in DER; .*ecparam -name prime192v1; openssl ec -inform DER -in key.der/);
    });
    it('EC PARAMETERS naming another curve, after the key, twice', function () {
      const params192 = p.read('prime192v1-server.key').split('-----BEGIN EC PRIVATE KEY-----')[0];
      const key256 = p.read('prime256v1-server-noparams.key');
      has(checkItem(params192 + key256, 'tls-key'), /EC PARAMETERS block names prime192v1 but the key is on prime256v1/);
      const params256 = p.read('prime256v1-server.key').split('-----BEGIN EC PRIVATE KEY-----')[0];
      const after = checkItem(key256 + params256 + params256, 'tls-key');
      ok(after);
      assert.match(after.warnings.join('\n'), /comes after the key/);
      assert.match(after.warnings.join('\n'), /2 EC PARAMETERS blocks/);
    });
  });

  describe('password-protected keys (3.1.5)', function () {
    it('ENCRYPTED PRIVATE KEY and Proc-Type: 4,ENCRYPTED are refused with the command that removes the password', function () {
      has(check('rsa-enc-pkcs8.key', 'tls-key'), /password-protected \("ENCRYPTED PRIVATE KEY"\); the module cannot use protected keys .*openssl pkey -in key.pem -traditional/);
      has(check('rsa-enc-trad.key', 'eap-key'), /password-protected \("Proc-Type: 4,ENCRYPTED"\).*openssl rsa -in key.pem -traditional -out key-plain.pem/);
      has(check('ec-enc-trad.key', 'tls-key'), /password-protected.*openssl ec -in key.pem/);
    });
  });

  describe('X.509v3 restrictions (3.1)', function () {
    it('a non-root certificate without the Authority Key Identifier', function () {
      has(check('leaf-noaki.pem', 'tls-cert', NOW), /certificate "noaki.example" has no Authority Key Identifier; .*authorityKeyIdentifier=keyid/);
    });
    it('a CA without the Subject Key Identifier, without Basic Constraints, with CA:FALSE', function () {
      has(check('root-noski.pem', 'tls-ca', NOW), /"Root without SKI" is used as a CA but has no Subject Key Identifier.*subjectKeyIdentifier=hash/);
      has(check('root-nobc.pem', 'eap-ca', NOW), /"Root without BC" is used as a CA but has no Basic Constraints.*basicConstraints=critical,CA:true/);
      has(check('root-cafalse.pem', 'tls-ca', NOW), /Basic Constraints say CA:FALSE/);
      assert.equal(check('root-noski.pem', 'tls-ca', NOW).info.authKeyId, undefined);
    });
    it('a root carrying its own AKI is fine; a self-signed root needs no AKI', function () {
      ok(check('root-aki.pem', 'tls-ca', NOW));
      ok(check('rsa2048-ca.pem', 'tls-ca', NOW));
    });
    it('X.509 version 1', function () {
      has(check('leaf-v1.pem', 'tls-cert', NOW), /is X.509 version 1; the module needs version 3/, /has no Authority Key Identifier/);
    });
  });

  describe('chains', function () {
    it('leaf + intermediate as the module\'s certificate: both checked, the intermediate as a CA', function () {
      const r = check(['inter-leaf.pem', 'inter.pem'], 'tls-cert', NOW, 'leaf.example');
      ok(r);
      assert.deepEqual(r.info.certificates.map((c) => c.subjectCN), ['leaf.example', 'Intermediate CA']);
    });
    it('an intermediate without Basic Constraints in the chain is reported', function () {
      has(check(['inter-leaf.pem', 'inter-nobc.pem'], 'tls-cert', NOW), /"Intermediate without BC" is used as a CA but has no Basic Constraints/);
    });
    it('an intermediate uploaded as the CA: accepted, with warnings', function () {
      const r = check(['inter.pem', 'rsa2048-ca.pem'], 'tls-ca', NOW);
      ok(r);
      assert.match(r.warnings.join('\n'), /holds 2 certificates/);
      assert.match(r.warnings.join('\n'), /"Intermediate CA" is not a self-signed root/);
    });
  });

  describe('validity against the module clock', function () {
    it('expired and not yet valid, with the dates', function () {
      const e = check('expired.pem', 'tls-cert', NOW);
      has(e, /certificate "expired.example" expired on 2021-01-01 00:00:00 UTC \(the module's clock says /);
      assert.equal(e.info.validity, 'expired');
      const f = check('future.pem', 'tls-cert', NOW);
      has(f, /"future.example" is not valid yet: valid from 2099-12-31 23:59:59 UTC/);
      assert.equal(f.info.validity, 'not-yet-valid');
      ok(check('future.pem', 'tls-cert', Date.UTC(2099, 11, 31, 23, 59, 59) / 1000));
      ok(check('future.pem', 'tls-cert', Date.UTC(2100, 0, 1) / 1000));
      has(check('future.pem', 'tls-cert', Date.UTC(2100, 0, 1) / 1000 + 1), /expired on 2100-01-01 00:00:00 UTC/);
    });
    it('clock not set: a warning, never "expired"', function () {
      const r = check('expired.pem', 'tls-cert', undefined);
      ok(r);
      assert.deepEqual(r.warnings, ["cannot check validity: the module's clock is not set"]);
      assert.equal(r.info.validity, 'unknown');
    });
  });

  describe('host name', function () {
    it('the CN matches (case-insensitive)', function () {
      const r = check('rsa2048-server.pem', 'tls-cert', NOW, 'SERVER.example');
      ok(r);
      assert.equal(r.info.hostMatch, 'cn');
      assert.deepEqual(r.warnings, []);
    });
    it('only a DNS or IP subject alternative name matches: a warning that the module checks the CN', function () {
      for (const host of ['alt.example.net', '127.0.0.1']) {
        const r = check('rsa2048-server.pem', 'tls-cert', NOW, host);
        ok(r);
        assert.equal(r.info.hostMatch, 'san');
        assert.match(r.warnings.join('\n'), /only in its subject alternative names; the module compares the host with the Common Name \(CN "server.example"/);
      }
    });
    it('no name matches', function () {
      const r = check('rsa2048-server.pem', 'tls-cert', NOW, 'other.example');
      has(r, /certificate "server.example" is not for "other.example" \(CN "server.example"; alternative names: server.example, Alt.Example.NET, 127.0.0.1\); the module checks/);
      assert.equal(r.info.hostMatch, 'none');
    });
  });

  describe('sizes', function () {
    it('a certificate over 4 KB and a file over 2.5 KB: both reported', function () {
      const r = check('bigsan.pem', 'tls-cert', NOW);
      const der = r.info.certificates[0].size;
      assert.ok(der > 4095);
      has(r, new RegExp('certificate "big.example" is ' + der + ' bytes; the module accepts certificates of at most 4095'),
        new RegExp('^the file is ' + p.read('bigsan.pem').length + ' bytes; the module accepts files of at most 2560 bytes'));
      has(check('bigsan.der', 'tls-cert', NOW), /the file is \d+ bytes/, /is \d+ bytes; the module accepts certificates of at most 4095/);
    });
    it('a 4096-bit chain file over 2.5 KB', function () {
      const r = check('rsa4096-chain.pem', 'eap-cert', NOW);
      has(r, /^the file is \d+ bytes; the module accepts files of at most 2560 bytes \(2.5 KB\): it holds 2 certificates/);
      assert.equal(r.problems.length, 1);
    });
    it('a PEM certificate that fits in DER: the message says so', function () {
      const one = check('rsa4096-ca.pem', 'eap-ca', NOW);
      if (p.read('rsa4096-ca.pem').length > 2560) has(one, /in DER it is \d+ bytes \(openssl x509 -in cert.pem -outform DER/);
      else ok(one);
      const item = p.read('rsa2048-ca.pem') + '\n'.repeat(2600);
      has(checkItem(item, 'tls-ca', { now: NOW }), /^the file is \d+ bytes.*: in DER it is \d+ bytes/);
    });
  });

  describe('wrong content', function () {
    it('a key where a certificate is expected, and the reverse', function () {
      has(check('rsa2048-server.pem', 'tls-key'), /no private key/);
      has(check(['rsa2048-server.pem', 'rsa2048-server-pkcs1.key'], 'tls-cert', NOW), /holds a private key \("RSA PRIVATE KEY"\); a certificate file must not carry the key/);
      const r = check(['rsa1024-server-pkcs1.key', 'rsa1024-server.pem'], 'tls-key');
      ok(r);
      assert.match(r.warnings.join('\n'), /also holds a certificate/);
      has(check('rsa2048-server.pem.csr', 'tls-cert', NOW), /"CERTIFICATE REQUEST" block, which is not a certificate/);
    });
    it('two keys, empty files, garbage, a damaged PEM block', function () {
      has(check(['rsa2048-server-pkcs1.key', 'rsa1024-server-pkcs1.key'], 'tls-key'), /holds 2 private keys/);
      has(checkItem('', 'tls-ca'), /empty/);
      has(checkItem('hello', 'tls-ca'), /neither PEM .* nor DER/);
      has(checkItem('\x30\x03\x02\x01\x00', 'tls-ca'), /not a DER certificate/);
      const pem = p.read('rsa2048-ca.pem');
      has(checkItem(pem.replace('MII', 'M$I'), 'tls-ca'), /certificate block 1 cannot be read: .*not base64/);
      const blocks = parsePem(pem);
      const cut = '-----BEGIN CERTIFICATE-----\n' + Buffer.from(blocks[0].der.substring(0, 300), 'latin1').toString('base64') + '\n-----END CERTIFICATE-----\n';
      has(checkItem(cut, 'tls-ca'), /certificate block 1 is not a valid certificate: malformed DER/);
    });
    it('every problem is listed: an expired v1 certificate for the wrong host', function () {
      const r = check('leaf-v1.pem', 'tls-cert', Date.UTC(2200, 0, 1) / 1000, 'nowhere.example');
      has(r, /version 1/, /Authority Key Identifier/, /expired on/, /is not for "nowhere.example"/);
      assert.equal(r.problems.length, 4);
      const asCa = check('leaf-v1.pem', 'tls-ca', Date.UTC(2200, 0, 1) / 1000, 'nowhere.example');
      has(asCa, /version 1/, /Authority Key Identifier/, /no Basic Constraints/, /no Subject Key Identifier/, /expired on/);
      assert.equal(asCa.problems.length, 5, 'a CA is not checked against the host name');
    });
    it('never throws, whatever the bytes', function () {
      const real = p.read('prime256v1-server.pem');
      const uses: CertUse[] = ['tls-ca', 'tls-cert', 'tls-key', 'eap-ca', 'eap-cert', 'eap-key'];
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.constantFrom(...uses), (u, at, use) => {
          const i = at % real.length;
          for (const item of [Buffer.from(u).toString('latin1'), real.substring(0, i) + Buffer.from(u).toString('latin1') + real.substring(i), '\x30' + Buffer.from(u).toString('latin1')]) {
            const r = checkItem(item, use, { now: NOW });
            assert.equal(r.ok, r.problems.length === 0);
          }
        }),
        { numRuns: 1500 },
      );
    });
  });
});
