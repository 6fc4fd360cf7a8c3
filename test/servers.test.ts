import { strict as assert } from 'assert';
import * as net from 'net';
import { Servers } from '../src/net/servers';
import { simSession, upAndJoined, SimSession } from './helpers/sim-session';

// Server sockets end to end: the core drives the simulated module's server, real TCP clients connect.
describe('server sockets against the simulator', () => {
  let s: SimSession;
  let servers: Servers;

  beforeEach(async () => {
    s = simSession();
    servers = new Servers(s.conn.engine);
    await upAndJoined(s);
  });

  afterEach(() => s.close());

  function connect(port: number): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1', () => resolve(c));
      c.on('error', reject);
    });
  }

  it('accepts clients, reads and writes each, lists them, and closes', async () => {
    const server = await servers.listen(8080, 't');
    const port = s.sim.openServers()[0].localPort;
    const accepted = new Promise<any>((resolve) => server.on('connection', resolve));
    const peer = await connect(port);
    const client = await accepted;
    assert.equal(client.server, server);
    assert.equal(server.list().length, 1);
    const got = new Promise<string>((resolve) => client.on('data', resolve));
    peer.write('hello server');
    assert.equal(await got, 'hello server');
    const back = new Promise<string>((resolve) => peer.once('data', (d) => resolve(d.toString('latin1'))));
    await client.write('hello client');
    assert.equal(await back, 'hello client');
    const ended = new Promise<void>((resolve) => client.on('close', resolve));
    peer.end();
    await ended;
    assert.equal(server.list().length, 0);
    await server.close();
    assert.equal(servers.count(), 0);
  });

  it('refuses a third server before the module has to', async () => {
    await servers.listen(8081, 't');
    await servers.listen(8082, 'u');
    await assert.rejects(servers.listen(8083, 't'), (e: any) => e.code === 'Limit');
  });
});
