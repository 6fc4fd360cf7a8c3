import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as at from '../../src/at/commands';
import { run } from '../../src/at/run';
import type { Server, ServerClient } from '../../src/index';
import {
  freePort, netBench, netPki, OpensslProcess, opensslCount, provision, receiveUntil, sServer, stopAllOpenssl,
  type NetBench, type NetPki,
} from './helpers';

// The application note's chapter 4 scenarios end to end: the core (Connectivity) drives the simulated module,
// whose TLS runs on Node's tls with the module's own checks, against openssl s_server / s_client on
// 127.0.0.1 — and the failures a user must be told about.

describe('TLS sockets end to end (AN chapter 4, openssl peers)', function () {
  this.timeout(20000);
  let pki: NetPki;
  let b: NetBench | undefined;
  const nodeServers: (net.Server | tls.Server)[] = [];

  before(function () {
    this.timeout(60000);
    pki = netPki();
  });

  afterEach(async () => {
    b?.close();
    b = undefined;
    await stopAllOpenssl();
    for (const s of nodeServers.splice(0)) await new Promise((r) => s.close(r));
    assert.equal(opensslCount(), 0, 'no openssl process left');
  });

  const lastTls = () => b!.sim.tlsLog[b!.sim.tlsLog.length - 1]!;

  /** A Node TLS server on 127.0.0.1 with one of the PKI's certificates (key server.key); echoes. */
  function tlsPeer(cert: string): Promise<number> {
    return new Promise((resolve) => {
      const s = tls.createServer({ cert: pki.read(cert), key: pki.read('server.key') }, (c) => {
        c.on('error', () => undefined);
        c.pipe(c);
      });
      s.on('tlsClientError', () => undefined);
      nodeServers.push(s);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
    });
  }

  describe('4.1 / 4.2: the module as a TLS client against openssl s_server', () => {
    it('4.1 mutual authentication (s_server -Verify 2 -verify_return_error), explicit domain "server domain"', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem', cert: 'client.pem', key: 'client.key' });
      assert.deepEqual(b.sim.certificate('tls', 'auth')!.data.length, 20, 'the PEM CA went with its key id (auth)');
      const port = await freePort();
      const srv = await sServer(pki, port, ['-cert', 'server.pem', '-key', 'server.key', '-CAfile', 'ca.pem', '-Verify', '2', '-verify_return_error']);

      const sock = await b.conn.open('127.0.0.1', port, 'server domain');
      assert.equal(sock.tls, true);
      assert.equal(sock.remoteIp, '127.0.0.1');
      await srv.waitFor(/subject=.*CN\s*=\s*client domain/, 'out'); // s_server saw and verified the module's certificate
      assert.ok(b.trace.some((l) => /^> AT\+S\.TIME=\d+$/.test(l)), 'the gate set the module clock first');
      assert.ok(b.trace.indexOf('> AT+S.SOCKON=127.0.0.1,' + port + ',,server domain') > 0);

      await sock.write('hello from the module\n');
      await srv.waitFor('hello from the module');
      const got = receiveUntil(sock, 'hello from openssl');
      srv.write('hello from openssl\n');
      assert.match(await got, /hello from openssl/);
      await sock.close();
      assert.deepEqual(b.sim.openSockets(), []);
      assert.deepEqual(lastTls(), { role: 'client', peer: '127.0.0.1:' + port, ok: true });
    });

    it('4.2 one-way authentication (plain s_server), kind "s": the host name is the domain', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      const port = await freePort();
      const srv = await sServer(pki, port, ['-cert', 'localhost.pem', '-key', 'server.key']);
      const sock = await b.conn.open('localhost', port, 's');
      assert.ok(b.trace.includes('> AT+S.SOCKON=localhost,' + port + ',,s'));
      // A write larger than a segment goes out as 730-byte SOCKWs and arrives whole.
      const big = 'x'.repeat(2000) + '\n';
      await sock.write(big);
      await srv.waitFor('x'.repeat(2000));
      assert.deepEqual(b.trace.filter((l) => /^> AT\+S\.SOCKW=/.test(l)).map((l) => l.split(' ')[1]), ['AT+S.SOCKW=0,730', 'AT+S.SOCKW=0,730', 'AT+S.SOCKW=0,541']);
      const got = receiveUntil(sock, 'pong');
      srv.write('pong\n');
      await got;
      await sock.close();
    });

    it('reads follow +WIND:55 (its count, then SOCKR); a close settles, bounded, while the peer keeps streaming', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      const streams: tls.TLSSocket[] = [];
      const s = tls.createServer({ cert: pki.read('localhost.pem'), key: pki.read('server.key') }, (c) => {
        streams.push(c);
        c.on('error', () => undefined);
        const chunk = 'y'.repeat(1000);
        const pump = () => { while (!c.destroyed && c.write(chunk)); if (!c.destroyed) c.once('drain', pump); };
        pump();
      });
      nodeServers.push(s);
      const port = await new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as net.AddressInfo).port)));
      const sock = await b.conn.open('localhost', port, 's');
      await receiveUntil(sock, 'y'.repeat(3000));
      assert.ok(b.trace.some((l) => /^< \+WIND:55:Pending Data::0:/.test(l)) && b.trace.some((l) => l.startsWith('> AT+S.SOCKR=0,')));
      const outcome = await sock.close().then(() => 'closed', (e) => e.moduleCode);
      assert.ok(outcome === 'closed' || outcome === 77, String(outcome));
      await run(b.conn.engine, () => at.at()); // the engine is free
      for (const c of streams) c.destroy();
    });

    it('two TLS sockets at a time: the core refuses a third before the module must; the module itself answers 75', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      const port = await tlsPeer('localhost.pem');
      const one = await b.conn.open('localhost', port, 's');
      const two = await b.conn.open('localhost', port, 's');
      await assert.rejects(b.conn.open('localhost', port, 's'), (e: any) => e.code === 'Limit' && /at most 2 TLS/.test(e.message));
      const plain = await b.conn.open('127.0.0.1', await echoPeer(), 't');
      assert.equal(b.sim.openSockets().length, 3, 'TCP sockets are not limited by it');
      // The module's own limit, reached past the core's check:
      await assert.rejects(run(b.conn.engine, () => at.sockon('localhost', port, 's')), (e: any) => e.moduleCode === 75);
      await one.close();
      const three = await b.conn.open('localhost', port, 's');
      const echoed = receiveUntil(three, 'ping');
      await three.write('ping');
      await echoed;
      for (const s of [two, three, plain]) await s.close();
    });
  });

  describe('4.3 / 4.4: the module as a TLS server against openssl s_client', () => {
    async function listening(kind: 's1' | 's2'): Promise<{ server: Server; port: number }> {
      const server = await b!.conn.listen(4433, kind);
      return { server, port: b!.sim.openServers()[0]!.localPort };
    }

    function nextClient(server: Server): Promise<ServerClient> {
      return new Promise((resolve) => {
        const once = (c: ServerClient) => {
          server.off('connection', once);
          resolve(c);
        };
        server.on('connection', once);
      });
    }

    it('4.3 mutual authentication (s2): s_client with a client certificate', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem', cert: 'server.pem', key: 'server.key' });
      await b.conn.clock.ensureGood(); // the module checks client certificates against its clock
      const { server, port } = await listening('s2');
      assert.ok(b.trace.includes('> AT+S.SOCKDON=4433,s2'));
      const arrived = nextClient(server);
      const cli = new OpensslProcess(pki, ['s_client', '-connect', '127.0.0.1:' + port, '-CAfile', 'ca.pem', '-cert', 'client.pem', '-key', 'client.key', '-verify_return_error']);
      const client = await arrived;
      assert.equal(client.peerIp, '127.0.0.1');
      assert.deepEqual(server.list().map((c) => c.id), [client.id]);
      await cli.waitFor('Verify return code: 0 (ok)'); // s_client verified the module's certificate with the CA

      const got = receiveUntil(client, 'hello module');
      cli.write('hello module\n');
      await got;
      await client.write('hello openssl\n');
      await cli.waitFor('hello openssl');
      await client.close();
      await cli.exited; // the module closed the connection: s_client ends
      assert.deepEqual(server.list(), []);
      await server.close();
      assert.deepEqual(b.sim.openServers(), []);
    });

    it('4.3 refused: no client certificate, or one from another CA — disconnected, no client reported', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem', cert: 'server.pem', key: 'server.key' });
      await b.conn.clock.ensureGood();
      const { server, port } = await listening('s2');
      let reported = 0;
      server.on('connection', () => reported++);

      const bare = new OpensslProcess(pki, ['s_client', '-connect', '127.0.0.1:' + port, '-CAfile', 'ca.pem']);
      await bare.exited;
      assert.match(lastTls().why!, /^verify: no certificate was presented/);

      const foreign = new OpensslProcess(pki, ['s_client', '-connect', '127.0.0.1:' + port, '-CAfile', 'ca.pem', '-cert', 'other-client.pem', '-key', 'client.key']);
      await foreign.exited;
      assert.match(lastTls().why!, /^verify: .*is not signed by/);
      assert.equal(reported, 0);
      assert.deepEqual(b.sim.openServers()[0]!.clients, []);
      await server.close();
    });

    it('4.4 one-way authentication (s1): s_client without a certificate; at most two TLS clients overall', async () => {
      b = await netBench();
      await provision(b, pki, { cert: 'server.pem', key: 'server.key' });
      const { server, port } = await listening('s1');
      const arrived = nextClient(server);
      const cli = new OpensslProcess(pki, ['s_client', '-connect', '127.0.0.1:' + port, '-CAfile', 'ca.pem', '-verify_return_error']);
      const client = await arrived;
      await cli.waitFor('Verify return code: 0 (ok)');
      const got = receiveUntil(client, 'over TLS');
      cli.write('over TLS\n');
      await got;

      // A second client is accepted; a third is dropped before its handshake (+WIND:83).
      const second = nextClient(server);
      const two = tls.connect({ host: '127.0.0.1', port, ca: pki.read('ca.pem'), servername: 'server domain', checkServerIdentity: () => undefined });
      two.on('error', () => undefined);
      await second;
      assert.equal(server.list().length, 2);
      const three = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
      await new Promise<void>((resolve) => { three.on('error', () => undefined); three.on('close', () => resolve()); });
      assert.match(lastTls().why!, /^limit: 2 TLS clients/);
      assert.equal(server.list().length, 2);
      two.destroy();
      await server.close();
      await cli.exited;
    });

    it('s1/s2 without a certificate and key in the store: the module refuses to listen (74)', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      await assert.rejects(b.conn.listen(4433, 's1'), (e: any) => e.moduleCode === 74);
      await provision(b, pki, { cert: 'server.pem', key: 'server.key' });
      await assert.rejects(b.conn.listen(4433, 's2'), (e: any) => e.moduleCode === 74, 's2 needs a CA to check clients');
    });
  });

  describe('failures: the right error, and nothing hangs', () => {
    async function refused(host: string, port: number, kind: string): Promise<any> {
      const err = await b!.conn.open(host, port, kind).then(() => assert.fail('opened'), (e) => e);
      assert.equal(err.code, 'TlsFailed', String(err));
      assert.equal(err.moduleCode, 74);
      assert.ok(err.reasons.length >= 3);
      assert.deepEqual(b!.sim.openSockets(), []);
      // The engine is free: the next command runs.
      await run(b!.conn.engine, () => at.at());
      return err;
    }

    it('wrong CA: the server\'s chain leads to another "CA domain"', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      const port = await tlsPeer('other-localhost.pem');
      const err = await refused('localhost', port, 's');
      assert.match(err.message, /checked: module clock good; CA in the module: CA domain; client certificate: none; expected name "localhost"/);
      assert.match(err.reasons[0], /signed by the provisioned CA \(CA domain\)/);
      assert.match(lastTls().why!, /^verify: .*is not signed by/);
    });

    it('expired server certificate (at the module\'s clock)', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      const port = await tlsPeer('expired.pem');
      await refused('localhost', port, 's');
      assert.match(lastTls().why!, /^verify: .*expired on .*2021/);
    });

    it('name mismatch: CN "server domain" for host 127.0.0.1 (kind s) and for the domain "other domain"', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      const port = await tlsPeer('server.pem');
      const err = await refused('127.0.0.1', port, 's');
      assert.ok(err.reasons.some((r: string) => /CN must be exactly "127.0.0.1"/.test(r)));
      assert.match(lastTls().why!, /name mismatch: the certificate's CN is "server domain", expected "127.0.0.1"/);
      await refused('127.0.0.1', port, 'other domain');
      const ok = await b.conn.open('127.0.0.1', port, 'server domain');
      await ok.close();
    });

    it('name mismatch: the module compares the CN only, not a subjectAltName naming the host', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      const port = await tlsPeer('san-only.pem');
      await refused('localhost', port, 's');
      assert.match(lastTls().why!, /CN is "server domain", expected "localhost"/);
    });

    it('clock not set: the core waits for the clock and fails with TimeNotSet without sending SOCKON; the module itself answers 74', async () => {
      b = await netBench({}, { clock: { trustHostClock: false, waitMs: 300, pollMs: 100 } });
      await provision(b, pki, { ca: 'ca.pem' });
      const port = await tlsPeer('localhost.pem');
      await assert.rejects(b.conn.open('localhost', port, 's'), (e: any) => e.code === 'TimeNotSet');
      assert.ok(!b.trace.some((l) => l.includes('SOCKON')));
      // Past the gate, the module checks the dates against 1970:
      await assert.rejects(run(b.conn.engine, () => at.sockon('localhost', port, 's')), (e: any) => e.moduleCode === 74);
      assert.match(lastTls().why!, /^verify: .*is not valid before .*\(module clock 1970-01-01/);
    });

    it('client certificate missing: s_server -Verify 2 -verify_return_error refuses the handshake', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      const port = await freePort();
      const srv = await sServer(pki, port, ['-cert', 'server.pem', '-key', 'server.key', '-CAfile', 'ca.pem', '-Verify', '2', '-verify_return_error']);
      const err = await refused('127.0.0.1', port, 'server domain');
      assert.ok(err.reasons.some((r: string) => /none is provisioned/.test(r)), err.reasons.join('\n'));
      assert.match(lastTls().why!, /^handshake: /);
      assert.match(srv.out + srv.err, /peer did not return a certificate|certificate required/i);
    });

    it('a peer that accepts and never answers: the handshake times out (74), the connection is closed', async () => {
      b = await netBench({ timing: { tlsHandshakeTimeoutMs: 200 } });
      await provision(b, pki, { ca: 'ca.pem' });
      const closed: Promise<void>[] = [];
      // Accepts, reads (to see the close), never writes.
      const silent = net.createServer((c) => { closed.push(new Promise((r) => c.on('close', () => r()))); c.on('error', () => undefined); c.resume(); });
      nodeServers.push(silent);
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      await refused('localhost', (silent.address() as net.AddressInfo).port, 's');
      assert.match(lastTls().why!, /^handshake: no TLS handshake within 200 ms/);
      assert.equal(closed.length, 1);
      await closed[0];
    });

    it('a peer that is not there: 74 as well (connection refused)', async () => {
      b = await netBench();
      await provision(b, pki, { ca: 'ca.pem' });
      await refused('localhost', await freePort(), 's');
      assert.match(lastTls().why!, /^connect: /);
    });
  });

  /** A TCP echo server on 127.0.0.1. */
  function echoPeer(): Promise<number> {
    return new Promise((resolve) => {
      const s = net.createServer((c) => { c.on('error', () => undefined); c.pipe(c); });
      nodeServers.push(s);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
    });
  }
});
