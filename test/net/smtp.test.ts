import { strict as assert } from 'node:assert';
import type { Mail } from '../../src/index';
import { netBench, netPki, provision, type NetBench, type NetPki } from './helpers';
import { startMailServer, type MailServer, type Offer, type Received } from './mail-server';

// Mail through the module's SMTP client (AT+S.SMTP, AN §3.1.7 table 7, §4.7): the core's Smtp against
// smtp-server on 127.0.0.1 offering SMTPS, STARTTLS or neither, with each TLS option (0, 8, 5, 9).

describe('SMTP end to end (smtp-server: SMTPS, STARTTLS, plain)', function () {
  this.timeout(20000);
  let pki: NetPki;
  let b: NetBench;
  const open: MailServer[] = [];

  before(async function () {
    this.timeout(60000);
    pki = netPki();
    b = await netBench();
    await provision(b, pki, { ca: 'ca.pem' });
  });
  after(() => b.close());
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  async function mailServer(offer: Offer, cert = 'localhost.pem'): Promise<MailServer> {
    const s = await startMailServer(pki, offer, cert);
    open.push(s);
    return s;
  }

  function mail(port: number, tls: Mail['tls'], extra: Partial<Mail> = {}): Mail {
    return {
      host: 'localhost', port, tls, heloId: 'spwf04s-lab', from: 'module@lab.example', to: 'ops@lab.example',
      subject: 'Temperature alarm', body: 'Sensor 3 reads 41.5 C.\n.leading dot line\nEnd.', ...extra,
    };
  }

  function delivered(s: MailServer, secure: boolean): Received {
    assert.equal(s.received.length, 1);
    const r = s.received[0]!;
    assert.equal(r.secure, secure);
    assert.equal(r.from, 'module@lab.example');
    assert.deepEqual(r.to, ['ops@lab.example']);
    assert.match(r.data, /^From: <module@lab\.example>\r\nTo: <ops@lab\.example>\r\nSubject: Temperature alarm\r\nDate: /);
    assert.ok(r.data.endsWith('\r\n\r\nSensor 3 reads 41.5 C.\r\n.leading dot line\r\nEnd.\r\n'), JSON.stringify(r.data));
    return r;
  }

  const smtpTls = () => b.sim.tlsLog.filter((e) => e.role === 'smtp');
  let mark = 0;
  beforeEach(() => { mark = b.sim.tlsLog.length; });
  const tlsSince = () => b.sim.tlsLog.slice(mark).filter((e) => e.role === 'smtp').map((e) => (e.ok ? 'ok' : e.why!.split(':')[0]));

  describe('TLS 0: no security', () => {
    it('sends in plain text to a plain server, and logs the weakening', async () => {
      const s = await mailServer('plain');
      await b.conn.smtp.send(mail(s.port, 0));
      delivered(s, false);
      assert.ok(b.logs.some((l) => l.level === 'warn' && /SMTP to localhost without TLS/.test(l.message)));
      assert.ok(b.trace.includes(`> AT+S.SMTP=localhost,${s.port},0,,,spwf04s-lab,module@lab.example,ops@lab.example,,,Temperature alarm,,45 <45 bytes>`));
    });

    it('does not use STARTTLS even when the server offers it', async () => {
      const s = await mailServer('starttls');
      await b.conn.smtp.send(mail(s.port, 0));
      delivered(s, false);
      assert.deepEqual(tlsSince(), []);
    });
  });

  describe('TLS 8: STARTTLS or nothing', () => {
    it('upgrades with STARTTLS, then authenticates (AUTH PLAIN)', async () => {
      const s = await mailServer('starttls');
      await b.conn.smtp.send(mail(s.port, 8, { user: 'module', password: 'pa55' }));
      assert.equal(delivered(s, true).user, 'module');
      assert.deepEqual(tlsSince(), ['ok']);
      assert.ok(b.trace.some((l) => l.includes(',8,module,********,')), 'password masked');
    });

    it('does not send the mail when the server offers no STARTTLS (111)', async () => {
      const s = await mailServer('plain');
      await assert.rejects(b.conn.smtp.send(mail(s.port, 8)), (e: any) => e.moduleCode === 111);
      assert.deepEqual(s.received, []);
    });

    it('refuses a wrong password (111)', async () => {
      const s = await mailServer('starttls');
      await assert.rejects(b.conn.smtp.send(mail(s.port, 8, { user: 'module', password: 'wrong' })), (e: any) => e.moduleCode === 111);
      assert.deepEqual(s.received, []);
    });
  });

  describe('TLS 5: SMTPS, else STARTTLS, else plain', () => {
    it('SMTPS when the port speaks TLS', async () => {
      const s = await mailServer('smtps');
      await b.conn.smtp.send(mail(s.port, 5, { user: 'module', password: 'pa55' }));
      delivered(s, true);
      assert.deepEqual(tlsSince(), ['ok']);
      assert.ok(b.logs.some((l) => l.level === 'warn' && /may fall back to plain text \(TLS option 5\)/.test(l.message)));
    });

    it('STARTTLS when the port speaks plain SMTP with STARTTLS', async () => {
      const s = await mailServer('starttls');
      await b.conn.smtp.send(mail(s.port, 5));
      delivered(s, true);
      assert.deepEqual(tlsSince(), ['handshake', 'ok'], 'SMTPS tried first');
    });

    it('plain text when the server offers neither', async () => {
      const s = await mailServer('plain');
      await b.conn.smtp.send(mail(s.port, 5));
      delivered(s, false);
    });

    it('never falls back to plain text over a certificate it refuses (74)', async () => {
      const s = await mailServer('starttls', 'other-localhost.pem');
      await assert.rejects(b.conn.smtp.send(mail(s.port, 5)), (e: any) => e.moduleCode === 74);
      assert.deepEqual(s.received, []);
      assert.match(smtpTls()[smtpTls().length - 1]!.why!, /^verify: .*is not signed by/);
    });
  });

  describe('TLS 9: SMTPS, else STARTTLS, else nothing (AN 4.7)', () => {
    it('SMTPS', async () => {
      const s = await mailServer('smtps');
      await b.conn.smtp.send(mail(s.port, 9, { user: 'module', password: 'pa55' }));
      assert.equal(delivered(s, true).user, 'module');
    });

    it('STARTTLS', async () => {
      const s = await mailServer('starttls');
      await b.conn.smtp.send(mail(s.port, 9));
      delivered(s, true);
    });

    it('no mail when the server offers neither (111)', async () => {
      const s = await mailServer('plain');
      await assert.rejects(b.conn.smtp.send(mail(s.port, 9)), (e: any) => e.moduleCode === 111);
      assert.deepEqual(s.received, []);
    });

    it('no mail when <host> is not the certificate\'s CN (74)', async () => {
      const s = await mailServer('smtps');
      await assert.rejects(b.conn.smtp.send(mail(s.port, 9, { host: '127.0.0.1' })), (e: any) => e.code === 'TlsFailed' && e.moduleCode === 74);
      assert.match(smtpTls()[smtpTls().length - 1]!.why!, /CN is "localhost", expected "127.0.0.1"/);
    });
  });
});
