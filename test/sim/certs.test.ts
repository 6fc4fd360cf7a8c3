import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { pki, type Pki, opensslCert } from '../certs/pki';
import { FakeClockBench, lines } from './helpers';

// AT+S.TLSCERT / AT+S.WPAECERT: the module's certificate flash, its own checks (AN §3.1, §3.1.5) and the
// filesystem convention, with certificates and keys made by openssl (appendix A).

describe('sim: certificates (TLSCERT, WPAECERT, filesystem convention)', () => {
  let p: Pki;
  let clock: sinon.SinonFakeTimers;
  let bench: FakeClockBench;

  before(function () {
    this.timeout(60000);
    p = pki();
  });

  beforeEach(async () => {
    clock = sinon.useFakeTimers();
    bench = new FakeClockBench(clock);
    await bench.boot();
    await bench.command('AT+S.SCFG=console_echo,0');
  });
  afterEach(() => {
    bench.close();
    clock.restore();
  });

  const upload = (cmd: string, kind: string, data: string) => bench.command(`AT+S.${cmd}=${kind},${data.length}`, data);
  const tls = (kind: string, data: string) => upload('TLSCERT', kind, data);
  const skiOf = (file: string) => Buffer.from(opensslCert(p, file).ski!, 'hex').toString('latin1');

  it('stores ca, cert, key and auth, lists them as AT-S.Content:<kind>:<size>, keeps them across resets, erases with content,2', async () => {
    const ca = p.read('rsa2048-ca.pem');
    const cert = p.read('rsa2048-server.pem');
    const key = p.read('rsa2048-server-pkcs1.key');
    const auth = skiOf('rsa2048-ca.pem');
    assert.equal(await bench.command('AT+S.TLSCERT=content,1'), lines('AT-S.OK'));
    assert.equal(await tls('ca', ca), lines('AT-S.OK'), 'a PEM CA prints no key id');
    assert.equal(await tls('cert', cert), lines('AT-S.OK'));
    assert.equal(await tls('key', key), lines('AT-S.OK'));
    assert.equal(await tls('auth', auth), lines('AT-S.OK'));
    const listing = lines(`AT-S.Content:ca:${ca.length}`, `AT-S.Content:cert:${cert.length}`, `AT-S.Content:key:${key.length}`,
      'AT-S.Content:auth:20', 'AT-S.OK');
    assert.equal(await bench.command('AT+S.TLSCERT=content,1'), listing);
    assert.equal(bench.sim.certificate('tls', 'key')!.data.toString('latin1'), key);
    assert.equal(bench.sim.certificate('tls', 'auth')!.data.toString('hex'), opensslCert(p, 'rsa2048-ca.pem').ski);

    bench.sim.hardReset();
    await bench.tick(5000);
    await bench.command('AT+S.SCFG=console_echo,0');
    assert.equal(await bench.command('AT+S.TLSCERT=content,1'), listing, 'the flash survives a reset');
    assert.equal(await bench.command('AT+S.WPAECERT=content,1'), lines('AT-S.OK'), 'the families are separate');

    assert.equal(await bench.command('AT+S.TLSCERT=content,2'), lines('AT-S.OK'));
    assert.equal(await bench.command('AT+S.TLSCERT=content,1'), lines('AT-S.OK'));
    assert.equal(bench.sim.certificate('tls', 'ca'), undefined);
  });

  it('takes the key id from a DER CA itself: prints it, lists auth; an uploaded auth replaces it', async () => {
    const der = p.read('rsa2048-ca.der');
    const ski = opensslCert(p, 'rsa2048-ca.pem').ski!;
    assert.equal(await tls('Ca', der), lines(`AT-S.SubjectKeyId:${ski}`, 'AT-S.OK'), 'kind keywords ignore case (XCUBE sends Ca)');
    assert.equal(await bench.command('AT+S.TLSCERT=content,1'), lines(`AT-S.Content:ca:${der.length}`, 'AT-S.Content:auth:20', 'AT-S.OK'));
    assert.equal(await tls('auth', 'k'.repeat(20)), lines('AT-S.OK'));
    assert.equal(bench.sim.certificate('tls', 'auth')!.data.toString(), 'k'.repeat(20));
  });

  it('refuses what the module cannot use: 7, too large 32 (payload consumed), empty 33, occupied slot 101', async () => {
    const refused = lines('AT-S.ERROR:7:Invalid argument(s)');
    assert.equal(await tls('key', p.read('rsa-enc-pkcs8.key')), refused, 'encrypted PKCS#8');
    assert.equal(await tls('key', p.read('rsa-enc-trad.key')), refused, 'encrypted traditional');
    assert.equal(await tls('key', p.read('prime256v1-server-noparams.key')), refused, 'EC without EC PARAMETERS');
    assert.equal(await tls('key', p.read('prime256v1-server-pkcs8.key')), refused, 'EC in PKCS#8');
    assert.equal(await tls('key', p.read('prime256v1-server.key.der')), refused, 'EC in DER');
    assert.equal(await tls('key', p.read('ed25519.key')), refused, 'neither RSA nor EC');
    assert.equal(await tls('key', p.read('rsa2048-server.pem')), refused, 'a certificate is not a key');
    assert.equal(await tls('ca', p.read('root-noski.pem')), refused, 'CA without subject key id');
    assert.equal(await tls('ca', p.read('root-cafalse.pem')), refused, 'CA:FALSE');
    assert.equal(await tls('ca', p.read('root-nobc.pem')), refused, 'CA without basic constraints');
    assert.equal(await tls('cert', p.read('leaf-noaki.pem')), refused, 'non-root without authority key id');
    assert.equal(await tls('cert', p.read('leaf-v1.pem')), refused, 'X.509 v1');
    assert.equal(await tls('cert', 'hello, not a certificate'), refused);
    assert.equal(await tls('cert', '0\x82junk'), refused);
    assert.equal(await upload('WPAECERT', 'auth', 'k'.repeat(20)), refused, 'WPAECERT has no auth');
    assert.equal(await bench.command('AT+S.TLSCERT=crl,1'), refused, 'an unknown kind (its data are not framed)');
    assert.equal(await bench.command('AT+S.TLSCERT=content,3'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await bench.command('AT+S.TLSCERT=ca,0'), lines('AT-S.ERROR:33:Argument evaluated to zero'));
    assert.equal(await bench.command('AT+S.TLSCERT=content'), lines('AT-S.ERROR:2:Missing argument(s)'));

    const big = p.read('rsa4096-chain.pem');
    assert.ok(big.length > 2560);
    assert.equal(await tls('ca', big), lines('AT-S.ERROR:32:Argument exceeds allowed size'));
    assert.equal(await bench.command('AT'), lines('AT-S.OK'), 'the oversized payload was consumed, not run');

    assert.equal(await tls('key', p.read('prime192v1-server.key')), lines('AT-S.OK'), 'appendix A EC key, with EC PARAMETERS');
    assert.equal(await tls('key', p.read('rsa2048-server.key')), lines('AT-S.ERROR:101:Failed to write flash'), 'erase first (AN §3.1.5)');
    assert.equal(await bench.command('AT+S.TLSCERT=content,1'), lines(`AT-S.Content:key:${p.read('prime192v1-server.key').length}`, 'AT-S.OK'));
  });

  it('keeps WPA2-Enterprise items apart from TLS ones', async () => {
    const ca = p.read('rsa4096-ca.pem');
    assert.equal(await upload('WPAECERT', 'ca', ca), lines('AT-S.OK'));
    assert.equal(await upload('WPAECERT', 'key', p.read('rsa2048-server-pkcs1.der')), lines('AT-S.OK'), 'RSA key in DER');
    assert.equal(await bench.command('AT+S.WPAECERT=content,1'),
      lines(`AT-S.Content:ca:${ca.length}`, `AT-S.Content:key:${p.read('rsa2048-server-pkcs1.der').length}`, 'AT-S.OK'));
    assert.equal(await bench.command('AT+S.TLSCERT=content,1'), lines('AT-S.OK'));
    assert.equal(await bench.command('AT+S.TLSCERT=content,2'), lines('AT-S.OK'));
    assert.ok(bench.sim.certificate('eap', 'ca'));
  });

  it('recognises the filesystem convention (tls.cert, tls.key, <ski>.ca) as TLS store; the flash wins for cert and key', async () => {
    const ca = p.read('prime256v1-ca.pem');
    const ski = opensslCert(p, 'prime256v1-ca.pem').ski!;
    const fsc = (name: string, data: string) => bench.command(`AT+S.FSC=${name},${data.length}`, data);
    assert.equal(await fsc(`${ski}.ca`, ca), lines('AT-S.OK'));
    assert.equal(await fsc('/tls.cert', p.read('prime256v1-server.pem')), lines('AT-S.OK'));
    assert.equal(await fsc('tls.key', p.read('prime256v1-server.key')), lines('AT-S.OK'));
    let creds = bench.sim.tlsCredentials();
    assert.equal(creds.cas.length, 1);
    assert.equal(creds.cas[0]!.from, 'file');
    assert.equal(creds.cas[0]!.data.toString('latin1'), ca);
    assert.equal(creds.cas[0]!.format, 'PEM');
    assert.deepEqual(creds.authKeyIds.map((b) => b.toString('hex')), [ski]);
    assert.equal(creds.cert!.file, '/tls.cert');
    assert.equal(creds.key!.data.toString('latin1'), p.read('prime256v1-server.key'));

    await tls('ca', p.read('rsa2048-ca.der'));
    await tls('cert', p.read('rsa2048-server.pem'));
    creds = bench.sim.tlsCredentials();
    assert.deepEqual(creds.cas.map((c) => c.from), ['flash', 'file']);
    assert.equal(creds.cas[0]!.format, 'DER');
    assert.equal(creds.cert!.from, 'flash');
    assert.equal(creds.key!.from, 'file');
    assert.deepEqual(creds.authKeyIds.map((b) => b.toString('hex')), [opensslCert(p, 'rsa2048-ca.pem').ski, ski]);
  });
});
