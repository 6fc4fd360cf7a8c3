import { strict as assert } from 'assert';
import * as net from 'net';
import { Servers } from '../src/net/servers';
import * as sinon from 'sinon';
import { Engine } from '../src/at/engine';
import { Sockets } from '../src/net/sockets';
import { networkJsCallbacks, RX_MAX } from '../src/net/networkjs';
import { scriptedHost, lines, ScriptedHost } from './helpers/scripted-host';
import { simSession, upAndJoined, SimSession } from './helpers/sim-session';

// Espruino's network layer calls the NetworkJS callbacks synchronously and polls send/recv from its
// idle loop; this test plays that part (as jswrap_jsnetwork does) against the simulated module.
describe('NetworkJS driver (Espruino require("net") over the module)', () => {
  let s: SimSession;
  let cb: ReturnType<typeof networkJsCallbacks>;
  let echo: net.Server;
  let echoPort: number;

  beforeEach(async () => {
    s = simSession();
    const servers = new Servers(s.conn.engine);
    cb = networkJsCallbacks(s.conn.sockets, function () { return servers; });
    await upAndJoined(s);
    echo = net.createServer((c) => c.pipe(c));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as net.AddressInfo).port;
  });

  afterEach(() => {
    s.close();
    echo.close();
  });

  /** Poll like Espruino's idle loop until `done` returns true (bounded, so a broken driver fails). */
  async function poll(done: () => boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    let finished = done();
    while (!finished && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1));
      finished = done();
    }
    assert.ok(finished, 'poll did not finish');
  }

  it('opens, sends (retrying while busy), receives and closes a TCP socket', async () => {
    const sck = cb.create('127.0.0.1', echoPort, 0);
    assert.ok(sck >= 0);
    const message = 'over NetworkJS';
    let sent = 0;
    await poll(() => {
      if (sent < message.length) {
        const n = cb.send(sck, message.substring(sent), 0);
        assert.ok(typeof n === 'number' && n >= 0, 'send error ' + n);
        sent += n;
      }
      return sent === message.length;
    });
    let got = '';
    await poll(() => {
      const r = cb.recv(sck, 536, 0);
      assert.equal(typeof r, 'string', 'recv error ' + r);
      got += r;
      return got.length >= message.length;
    });
    assert.equal(got, message);
    cb.close(sck);
    await poll(() => s.conn.sockets.list().length === 0);
  });

  it('says "not connected yet" (SOCKET_ERR_NO_CONN, -11) while the module opens the socket, so Espruino\'s \'connect\' waits for it', async () => {
    const sck = cb.create('127.0.0.1', echoPort, 0);
    assert.equal(cb.recv(sck, 100, 0), -11);
    assert.equal(cb.send(sck, 'early', 0), 0, 'nothing taken before the socket is open');
    await poll(() => cb.recv(sck, 100, 0) !== -11);
    assert.equal(cb.recv(sck, 100, 0), '', 'open: nothing received yet');
    cb.close(sck);
  });

  it('reports a refused connection as an error code (not found), never as connected', async () => {
    const sck = cb.create('127.0.0.1', 1, 0);
    let r: string | number = -11;
    await poll(() => {
      r = cb.recv(sck, 100, 0);
      assert.notEqual(r, '', 'never reported as connected');
      return r !== -11;
    });
    assert.equal(r, -6);
  });

  it('accepts a connection on a server socket', async () => {
    const srv = cb.create(undefined, 8080, 0);
    await poll(() => s.sim.openServers().length === 1);
    const peer = net.connect(s.sim.openServers()[0].localPort, '127.0.0.1');
    let client = -1;
    await poll(() => (client = cb.accept(srv)) >= 0);
    peer.write('ping');
    let got = '';
    await poll(() => {
      const r = cb.recv(client, 100, 0);
      if (typeof r === 'string') got += r;
      return got === 'ping';
    });
    peer.destroy();
    cb.close(client);
    cb.close(srv);
  });
});

describe('NetworkJS driver: bounded buffers (scripted module)', () => {
  let clock: sinon.SinonFakeTimers;
  let s: ScriptedHost;
  let engine: Engine;
  let cb: ReturnType<typeof networkJsCallbacks>;

  beforeEach(() => {
    clock = sinon.useFakeTimers();
    s = scriptedHost();
    engine = new Engine(s.host);
    const servers = new Servers(engine);
    cb = networkJsCallbacks(new Sockets(engine), function () { return servers; });
    engine.start();
    s.feed(lines('+WIND:0:Console active'));
  });

  afterEach(() => {
    engine.stop();
    clock.restore();
  });

  async function opened(): Promise<number> {
    const sck = cb.create('peer.example', 80, 0);
    await clock.tickAsync(0);
    s.feed(lines('AT-S.On:10.0.0.1:0', 'AT-S.OK'));
    await clock.tickAsync(0);
    return sck;
  }

  function block(n: number, from: number): string {
    let d = '';
    for (let i = 0; i < n; i++) d += String.fromCharCode(33 + ((from + i) % 90));
    return lines('AT-S.Reading:' + n + ':' + n) + d + lines('AT-S.OK');
  }

  it('stops reading from the module while recv() has not taken what it holds, and resumes after', async () => {
    const sck = await opened();
    s.feed(lines('+WIND:55:Pending Data::0:5000:5000'));
    await clock.tickAsync(0);
    let fed = 0;
    let seen = 0;
    while (s.written.length > seen && s.lastLine() === 'AT+S.SOCKR=0,730') {
      seen = s.written.length;
      s.feed(block(730, fed));
      fed += 730;
      await clock.tickAsync(0);
      assert.ok(fed <= RX_MAX + 730, 'read ' + fed + ' bytes nobody took');
    }
    assert.equal(fed, 1460, 'stopped once RX_MAX bytes wait');
    await clock.tickAsync(30000);
    assert.equal(s.written.length, seen, 'nothing more asked');
    // recv takes across block boundaries, in order, and the reading resumes.
    let got = '';
    for (let i = 0; i < 2; i++) got += cb.recv(sck, 536, 0) as string;
    assert.equal(got.length, 1072);
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), 'AT+S.SOCKR=0,730');
    seen = s.written.length;
    s.feed(block(730, fed));
    fed += 730;
    await clock.tickAsync(0);
    let r: string | number;
    while ((r = cb.recv(sck, 536, 0)) !== '') {
      got += r;
      await clock.tickAsync(0);
      if (s.written.length > seen && s.lastLine().startsWith('AT+S.SOCKR=0,')) {
        seen = s.written.length;
        const n = parseInt(s.lastLine().split(',')[1], 10);
        if (fed < 5000) { s.feed(block(n, fed)); fed += n; await clock.tickAsync(0); }
      }
    }
    assert.equal(fed, 5000);
    let expect = '';
    for (let i = 0; i < 5000; i++) expect += String.fromCharCode(33 + (i % 90));
    assert.equal(got, expect);
  });

  it('send() takes no more while the socket has its bound waiting', async () => {
    const sck = await opened();
    assert.equal(cb.send(sck, 'x'.repeat(3000), 0), 3000);
    assert.equal(cb.send(sck, 'y', 0), 0, 'busy: Espruino offers it again later');
    for (let i = 0; i < 3; i++) {
      s.feed(lines('AT-S.OK'));
      await clock.tickAsync(0);
    }
    assert.equal(cb.send(sck, 'y', 0), 1);
  });
});
