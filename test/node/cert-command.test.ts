import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCertCommand, DEFAULT_FLASH_FILE } from '../../hosts/node/cert-command';
import { createNodeHost } from '../../hosts/node/host';
import { CertStore } from '../../src/certs/store';
import { pki, Pki, opensslCert } from '../certs/pki';
import { capture } from '../helpers/cli-capture';

// `spwf04 cert`: check, add, list and remove, on files made by openssl in a temporary directory
// (appendix A and broken variants), with the host-flash image in another temporary directory.

describe('spwf04 cert', () => {
  let p: Pki;
  let dir: string;
  let image: string;

  before(function () {
    this.timeout(60000);
    p = pki();
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf-cli-'));
    image = path.join(dir, 'img', 'flash.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cert(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = capture();
    const code = await runCertCommand(args, c.io);
    return { code, out: c.out.join('\n'), err: c.err.join('\n') };
  }

  it('check: a good CA, certificate and key pass, each use guessed from the file', async () => {
    const r = await cert('check', p.file('rsa2048-ca.pem'), p.file('rsa2048-server.pem'), p.file('rsa2048-server-pkcs1.key'),
      p.file('prime192v1-server.key'), '--now', '2027-01-01');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /rsa2048-ca\.pem: tls-ca \(guessed\), PEM, \d+ bytes: OK/);
    assert.match(r.out, /certificate "CA domain" \(CA\), RSA 2048, valid \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/);
    assert.ok(r.out.includes('key id ' + opensslCert(p, 'rsa2048-ca.pem').ski + ' (sent as auth for a PEM CA; file name '));
    assert.match(r.out, /rsa2048-server\.pem: tls-cert \(guessed\)/);
    assert.match(r.out, /rsa2048-server-pkcs1\.key: tls-key \(guessed\), PEM, \d+ bytes: OK\n  RSA 2048-bit private key/);
    assert.match(r.out, /prime192v1-server\.key: tls-key \(guessed\).*: OK/);
    assert.match(r.out, /all 4 files are fine/);
    assert.ok(!r.out.includes('BEGIN'), 'no key material is printed');
  });

  it('check: prints every problem per file and exits 1', async () => {
    const r = await cert('check', p.file('rsa-enc-pkcs8.key'), p.file('prime256v1-server-noparams.key'), p.file('root-noski.pem'),
      p.file('rsa4096-chain.pem'), p.file('expired.pem'), p.file('rsa2048-ca.der'), path.join(dir, 'missing.pem'), '--now', '2027-01-01');
    assert.equal(r.code, 1);
    assert.match(r.out, /rsa-enc-pkcs8\.key: tls-key \(guessed\), PEM, \d+ bytes: 1 problem\n(.*\n)*  problem: the private key is password-protected/);
    assert.match(r.out, /prime256v1-server-noparams\.key: .*problem\n(.*\n)*  problem: the EC private key has no EC PARAMETERS block/);
    assert.match(r.out, /root-noski\.pem: tls-ca \(guessed\).*\n(.*\n)*  problem: .*no Subject Key Identifier/);
    assert.match(r.out, /rsa4096-chain\.pem: .*problems?\n(.*\n)*  problem: the file is \d+ bytes; the module accepts files of at most 2560 bytes/);
    assert.match(r.out, /expired\.pem: .*\n(.*\n)*  problem: certificate "expired\.example" expired on 2021-01-01/);
    assert.match(r.out, /rsa2048-ca\.der: tls-ca \(guessed\), DER, \d+ bytes: OK/);
    assert.match(r.err, /missing\.pem: cannot be read/);
    assert.ok(!r.out.includes('cannot be read'), 'errors go to stderr');
    assert.match(r.out, /6 of 7 files have problems/);
  });

  it('check: --host and --use, and what the dates are checked against', async () => {
    let r = await cert('check', p.file('rsa2048-server.pem'), '--host', 'other.example', '--now', '2027-01-01');
    assert.equal(r.code, 1);
    assert.match(r.out, /problem: certificate "server\.example" is not for "other\.example"/);
    r = await cert('check', p.file('rsa2048-server.pem'), '--host', 'server.example', '--use', 'eap-cert', '--now', '2027-01-01');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /rsa2048-server\.pem: eap-cert, PEM/);
    r = await cert('check', p.file('future.pem'), '--now', '2027-01-01');
    assert.match(r.out, /is not valid yet/);
    assert.equal((await cert('check', p.file('future.pem'), '--now', '2099-12-31T23:59:59Z')).code, 0);
  });

  it('add: stores a file only when it passes, into the image the Node host reads; list shows the entries', async () => {
    let r = await cert('add', 'tls-key', p.file('rsa-enc-trad.key'), '--store', image);
    assert.equal(r.code, 1);
    assert.match(r.err, /not stored, 1 problem:\n  problem: the private key is password-protected/);
    assert.equal(r.out, '');
    assert.equal(fs.existsSync(image), false, 'nothing written');

    r = await cert('add', 'tls-ca', p.file('rsa1024-ca.pem'), '--store', image);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^stored: tls-ca ← .*rsa1024-ca\.pem \(\d+ bytes, sha256 [0-9a-f]{16}…, version 1\) in /);
    r = await cert('add', 'tls-key', p.file('appx-client.key'), '--store', image);
    assert.equal(r.code, 0, r.out);
    assert.match(r.err, /warning: the RSA private key is in PKCS#8 form/);
    assert.match((await cert('add', 'tls-ca', p.file('rsa1024-ca.pem'), '--store', image)).out, /^unchanged: tls-ca/);

    // The Node host's storage on the same image sees the entries.
    const host = createNodeHost({ write: () => undefined, onData: () => undefined }, { storageFile: image });
    const got = new CertStore(host.storage!).get('tls-ca');
    assert.ok(got.ok && got.bytes === p.read('rsa1024-ca.pem'));

    r = await cert('list', '--store', image);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /  tls-ca: \d+ bytes, sha256 [0-9a-f]{16}…, version 1, certificate "CA domain" \(CA\), RSA 1024/);
    assert.match(r.out, /  tls-key: \d+ bytes, sha256 [0-9a-f]{16}…, version 1, RSA 1024-bit private key/);
    assert.ok(!r.out.includes('BEGIN'));

    r = await cert('remove', 'tls-key', '--store', image);
    assert.equal(r.code, 0, r.out);
    assert.ok(!(await cert('list', '--store', image)).out.includes('tls-key'));
    assert.equal((await cert('remove', 'tls-key', '--store', image)).code, 1);
  });

  it('add tls-auth: binary key ids only; list flags a damaged entry', async () => {
    const bin = path.join(dir, 'id.bin');
    const hex = path.join(dir, 'id.hex');
    fs.writeFileSync(bin, Buffer.from(opensslCert(p, 'rsa2048-ca.pem').ski!, 'hex'));
    fs.writeFileSync(hex, opensslCert(p, 'rsa2048-ca.pem').ski!);
    assert.equal((await cert('add', 'tls-auth', hex, '--store', image)).code, 1);
    assert.equal((await cert('add', 'tls-auth', bin, '--store', image)).code, 0);
    assert.match((await cert('list', '--store', image)).out, new RegExp('tls-auth: 20 bytes, .*CA key id ' + opensslCert(p, 'rsa2048-ca.pem').ski));

    const data = JSON.parse(fs.readFileSync(image, 'latin1'));
    const slot = Object.keys(data).find((k) => k.indexOf('tls-auth') >= 0)!;
    data[slot] = data[slot].substring(0, data[slot].length - 1) + 'X';
    fs.writeFileSync(image, JSON.stringify(data), 'latin1');
    const r = await cert('list', '--store', image);
    assert.equal(r.code, 1);
    assert.match(r.out, /tls-auth: DAMAGED: the entry "tls-auth" is damaged/);
    assert.match(r.err, /1 entry is damaged/);
  });

  it('names the image when it is not a host-flash image (not a bare JSON error), exit 1', async () => {
    fs.mkdirSync(path.dirname(image), { recursive: true });
    fs.writeFileSync(image, '{"spwfc.tls-ca.0": "trunc');
    const r = await cert('list', '--store', image);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(r.err.split('\n').length, 1, r.err);
    assert.ok(r.err.startsWith(path.resolve(image) + ': not a host-flash image ('), r.err);
  });

  it('answers usage errors with status 2 and the usage, and documents the default image', async () => {
    for (const args of [[], ['frob'], ['check'], ['check', 'x', '--use', 'tls-frob'], ['check', 'x', '--now', 'yesterday'],
      ['add', 'tls-ca'], ['check', 'x', '--colour', 'red'], ['check', 'x', '--host']]) {
      const r = await cert(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '', 'nothing on stdout');
      assert.match(r.err, /^spwf04: .*\n\nusage: spwf04 cert/, 'one line, then the usage');
    }
    assert.match((await cert('check', 'x', '--colour', 'red')).err, /^spwf04: unknown option: --colour\n/);
    assert.match((await cert('check', 'x', '--host')).err, /^spwf04: --host needs a value\n/);
    assert.match((await cert('list', 'x')).err, /^spwf04: unexpected argument: x\n/);
    for (const args of [['--help'], ['-h'], ['add', '--help'], ['list', '-h']]) {
      const help = await cert(...args);
      assert.equal(help.code, 0, args.join(' '));
      assert.equal(help.err, '');
      assert.ok(help.out.includes(DEFAULT_FLASH_FILE));
    }
  });
});
