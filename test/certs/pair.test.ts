import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkItem, checkPair } from '../../src/certs/check';
import { CertStore } from '../../src/certs/store';
import { readWanted } from '../../src/certs/provision-plan';
import { planChecked as planUploads } from '../../src/certs/checked-plan';
import { fileStorage } from '../../hosts/node/host';
import { runCertCommand } from '../../hosts/node/cert-command';
import { pki, Pki } from './pki';

// A device certificate and its private key must belong together (the same public key), and the device's
// own certificate must not be a CA: refused before anything is stored or provisioned, naming both files.
describe('certificates: a key and its certificate belong together; the device certificate is no CA', () => {
  let p: Pki;

  before(function () {
    this.timeout(60000);
    p = pki();
    // Variants of the P-256 key: compressed public point, no public point at all.
    p.openssl(['ec', '-in', 'prime256v1-server.key', '-conv_form', 'compressed', '-out', 'p256-compressed.key']);
    p.openssl(['ec', '-in', 'prime256v1-server.key', '-no_public', '-out', 'p256-nopublic.key']);
  });

  const pair = (cert: string, key: string) => checkPair(p.read(cert), p.read(key), cert, key);

  it('accepts every form of the right key: PKCS#1, PKCS#8, DER, SEC1 with or without parameters, compressed point', () => {
    for (const [cert, key] of [
      ['rsa2048-server.pem', 'rsa2048-server.key'], ['rsa2048-server.pem', 'rsa2048-server-pkcs1.key'],
      ['rsa2048-server.pem', 'rsa2048-server-pkcs1.der'], ['rsa2048-server.pem', 'rsa2048-server-pkcs8.der'],
      ['rsa1024-server.pem', 'rsa1024-server-pkcs1.key'], ['prime256v1-server.pem', 'prime256v1-server.key'],
      ['prime256v1-server.pem', 'prime256v1-server-noparams.key'], ['prime256v1-server.pem', 'prime256v1-server-pkcs8.key'],
      ['prime256v1-server.pem', 'prime256v1-server.key.der'], ['prime192v1-server.pem', 'prime192v1-server.key'],
      ['prime256v1-server.pem', 'p256-compressed.key'], ['inter-leaf.pem', 'inter-leaf.key'],
    ]) {
      const r = pair(cert, key);
      assert.deepEqual(r.problems, [], cert + ' + ' + key);
      assert.deepEqual(r.warnings, [], cert + ' + ' + key);
    }
  });

  it('refuses an EC certificate with an RSA key, and the reverse, naming both files', () => {
    const r = pair('prime256v1-server.pem', 'rsa2048-server.key');
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /rsa2048-server\.key does not belong to prime256v1-server\.pem: the certificate holds an EC \(prime256v1\) public key and the private key is RSA 2048-bit/);
    assert.match(pair('rsa2048-server.pem', 'prime256v1-server.key').problems[0]!, /holds an RSA 2048-bit public key and the private key is EC \(prime256v1\)/);
    assert.match(pair('prime256v1-server.pem', 'prime192v1-server.key').problems[0]!, /EC \(prime256v1\) public key and the private key is EC \(prime192v1\)/);
  });

  it('refuses a key of the same type and size that is another key', () => {
    for (const [cert, key] of [['rsa2048-server.pem', 'rsa2048-ca.key'], ['prime256v1-server.pem', 'prime256v1-ca.key'], ['inter-leaf.pem', 'inter.key']]) {
      const r = pair(cert, key);
      assert.equal(r.problems.length, 1, cert + ' + ' + key);
      assert.match(r.problems[0]!, new RegExp(key.replace('.', '\\.') + ' does not belong to ' + cert.replace('.', '\\.') + ': their public keys differ'));
    }
  });

  it('warns when an EC key does not carry its public point (it cannot be compared)', () => {
    const r = pair('prime256v1-server.pem', 'p256-nopublic.key');
    assert.deepEqual(r.problems, []);
    assert.match(r.warnings[0]!, /cannot check that p256-nopublic\.key belongs to prime256v1-server\.pem/);
  });

  it('refuses a CA certificate as the device\'s own certificate (tls-cert, eap-cert), not as a CA', () => {
    for (const use of ['tls-cert', 'eap-cert'] as const) {
      const r = checkItem(p.read('rsa2048-ca.pem'), use, { now: Date.parse('2027-01-01') / 1000 });
      assert.ok(r.problems.some((x) => /is a CA certificate \(Basic Constraints CA:TRUE\); the device's own certificate/.test(x)), r.problems.join('\n'));
    }
    assert.ok(checkItem(p.read('rsa2048-ca.pem'), 'tls-ca', { now: Date.parse('2027-01-01') / 1000 }).ok);
    assert.ok(checkItem(p.read('rsa2048-server.pem'), 'tls-cert', { now: Date.parse('2027-01-01') / 1000 }).ok);
  });

  it('the provisioning plan refuses a mismatched pair before anything is sent', () => {
    const store = new CertStore(fileStorage());
    store.put('tls-ca', p.read('prime256v1-ca.pem'));
    store.put('tls-cert', p.read('prime256v1-server.pem'));
    store.put('tls-key', p.read('rsa2048-server-pkcs1.key'));
    const plan = planUploads(readWanted(store, 'tls'), 'tls', 'commands', Date.parse('2027-01-01') / 1000);
    assert.ok(plan.problems.some((x) => /tls-key does not belong to tls-cert/.test(x)), plan.problems.join('\n'));
    store.put('tls-key', p.read('prime256v1-server.key'));
    assert.deepEqual(planUploads(readWanted(store, 'tls'), 'tls', 'commands', Date.parse('2027-01-01') / 1000).problems, []);
  });

  describe('spwf04 cert', () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf-pair-')); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** stdout and stderr together, in order (what a user sees in a terminal). */
    async function cert(...args: string[]): Promise<{ code: number; out: string }> {
      const lines: string[] = [];
      const code = await runCertCommand(args, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
      return { code, out: lines.join('\n') };
    }

    it('add refuses a key that does not belong to the stored certificate (and the reverse); nothing is stored', async () => {
      const image = path.join(dir, 'flash.json');
      assert.equal((await cert('add', 'tls-cert', p.file('prime256v1-server.pem'), '--store', image)).code, 0);
      const r = await cert('add', 'tls-key', p.file('rsa2048-server-pkcs1.key'), '--store', image);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /rsa2048-server-pkcs1\.key: not stored:\n  problem: .*rsa2048-server-pkcs1\.key does not belong to the stored tls-cert/);
      assert.ok(!new CertStore(fileStorage(image)).get('tls-key').ok, 'nothing stored');
      assert.equal((await cert('add', 'tls-key', p.file('prime256v1-server.key'), '--store', image)).code, 0);
      const back = await cert('add', 'tls-cert', p.file('rsa2048-server.pem'), '--store', image);
      assert.equal(back.code, 1, back.out);
      assert.match(back.out, /the stored tls-key .* does not belong to .*rsa2048-server\.pem/);
    });

    it('add refuses a CA certificate as tls-cert, naming the file', async () => {
      const image = path.join(dir, 'flash.json');
      const r = await cert('add', 'tls-cert', p.file('rsa2048-ca.pem'), '--store', image);
      assert.equal(r.code, 1);
      assert.match(r.out, /rsa2048-ca\.pem: not stored, .*\n  problem: certificate "CA domain" is a CA certificate/);
      assert.ok(!fs.existsSync(image));
    });

    it('check reports a certificate and a key given together that do not belong together', async () => {
      const bad = await cert('check', p.file('prime256v1-server.pem'), p.file('rsa2048-server-pkcs1.key'), '--now', '2027-01-01');
      assert.equal(bad.code, 1, bad.out);
      assert.match(bad.out, /prime256v1-server\.pem \+ .*rsa2048-server-pkcs1\.key:\n  problem: .* does not belong to /);
      const good = await cert('check', p.file('prime256v1-server.pem'), p.file('prime256v1-server.key'), '--now', '2027-01-01');
      assert.equal(good.code, 0, good.out);
      assert.match(good.out, /the key belongs to the certificate/);
    });

    it('list and remove do not create a missing folder', async () => {
      const image = path.join(dir, 'no', 'such', 'folder', 'flash.json');
      const l = await cert('list', '--store', image);
      assert.equal(l.code, 0);
      assert.match(l.out, /no entries/);
      assert.equal((await cert('remove', 'tls-ca', '--store', image)).code, 1);
      assert.ok(!fs.existsSync(path.join(dir, 'no')), 'no folder made');
    });
  });
});
