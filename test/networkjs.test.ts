import { strict as assert } from 'assert';
import * as net from 'net';
import { Servers } from '../src/net/servers';
import { networkJsCallbacks } from '../src/net/networkjs';
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
    cb = networkJsCallbacks(s.conn.sockets, new Servers(s.conn.engine));
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
    await poll(() => s.conn.sockets.count() === 0);
  });

  it('reports a refused connection as an error code', async () => {
    const sck = cb.create('127.0.0.1', 1, 0);
    let r: string | number = '';
    await poll(() => {
      r = cb.recv(sck, 100, 0);
      return typeof r === 'number';
    });
    assert.ok(typeof r === 'number' && r < 0);
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
