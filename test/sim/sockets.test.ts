import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { SimModule } from '../../hosts/sim/module';
import { INSTANT, LAB_STATION, lines, Terminal } from './helpers';

// Real sockets on 127.0.0.1 and real timers (every simulator delay at zero).

interface Peer {
  server: net.Server;
  port: number;
  conns: net.Socket[];
  received: Buffer[];
}

/** A TCP server that echoes what it receives unless echo is false. */
function startPeer(echo = true): Promise<Peer> {
  return new Promise((resolve) => {
    const peer: Peer = { server: net.createServer(), port: 0, conns: [], received: [] };
    peer.server.on('connection', (c) => {
      peer.conns.push(c);
      c.on('data', (d) => {
        peer.received.push(d);
        if (echo) c.write(d);
      });
      c.on('error', () => undefined);
    });
    peer.server.listen(0, '127.0.0.1', () => {
      peer.port = (peer.server.address() as net.AddressInfo).port;
      resolve(peer);
    });
  });
}

async function until(condition: () => boolean, timeoutMs = 800): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('sim: client sockets', () => {
  let sim: SimModule;
  let term: Terminal;
  let peer: Peer;

  /** Send a command and wait for its final line; returns everything up to it. */
  async function command(line: string, payload = ''): Promise<string> {
    sim.write(line + '\r' + payload);
    return term.waitForFinal();
  }

  /** SOCKR as a driver reads it: the Reading line tells how many raw bytes come before AT-S.OK. */
  async function readSocket(line: string): Promise<string> {
    sim.write(line + '\r');
    const head = await term.waitFor('AT-S.Reading:');
    const counts = await term.waitFor('\r\n');
    const n = Number(counts.split(':')[0]);
    return head + counts + (await term.waitForBytes(n)) + (await term.waitFor('AT-S.OK\r\n'));
  }

  async function startJoined(): Promise<void> {
    sim = new SimModule({ saved: LAB_STATION, timing: INSTANT });
    term = new Terminal(sim);
    sim.powerOn();
    await term.waitFor('+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1\r\n');
  }

  beforeEach(async () => {
    peer = await startPeer();
    await startJoined();
  });
  afterEach(() => {
    sim.close();
    for (const c of peer.conns) c.destroy();
    peer.server.close();
  });

  it('round trip: SOCKON, SOCKW, +WIND:55, SOCKQ, SOCKR, peer close +WIND:58, SOCKC refused with 77 then done', async () => {
    assert.equal(await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`), lines(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`, 'AT-S.On:127.0.0.1:0', 'AT-S.OK'));

    // The payload holds CR LF and 'AT-S.OK' and bytes above 0x7f: all of it is data.
    const payload = 'GET / HTTP/1.0\r\n\r\nAT-S.OK\r\n\x00\x7f\x80\xff';
    assert.equal(await command(`AT+S.SOCKW=0,${payload.length}`, payload), lines(`AT+S.SOCKW=0,${payload.length}`, 'AT-S.OK'));
    await until(() => Buffer.concat(peer.received).length === payload.length);
    assert.deepEqual(Buffer.concat(peer.received), Buffer.from(payload, 'latin1'));

    // The echo comes back: announced, counted, read byte-exact.
    assert.equal(await term.waitFor(`:${payload.length}\r\n`), `+WIND:55:Pending Data::0:${payload.length}:${payload.length}\r\n`);
    assert.equal(await command('AT+S.SOCKQ=0'), lines('AT+S.SOCKQ=0', `AT-S.Query:${payload.length}`, 'AT-S.OK'));
    const read = await readSocket(`AT+S.SOCKR=0,${payload.length}`);
    assert.equal(read, lines(`AT+S.SOCKR=0,${payload.length}`, `AT-S.Reading:${payload.length}:${payload.length}`) + payload + lines('AT-S.OK'));
    assert.equal(await command('AT+S.SOCKQ=0'), lines('AT+S.SOCKQ=0', 'AT-S.Query:0', 'AT-S.OK'));

    // The peer sends a last word and hangs up; the socket stays until the host reads and closes it.
    peer.conns[0]!.end('bye!');
    assert.equal(await term.waitFor('+WIND:58:Socket Closed:0:0\r\n'), lines('+WIND:55:Pending Data::0:4:4', '+WIND:58:Socket Closed:0:0'));
    assert.equal(await command('AT+S.SOCKC=0'), lines('AT+S.SOCKC=0', 'AT-S.ERROR:77:Pending data'));
    assert.equal(await command('AT+S.SOCKW=0,3', 'abc'), lines('AT+S.SOCKW=0,3', 'AT-S.ERROR:78:Socket not connected'));
    assert.equal(await term.waitForBytes(3), 'abc', 'the refused payload comes back as echo');
    assert.equal(await readSocket('AT+S.SOCKR=0,'), lines('AT+S.SOCKR=0,', 'AT-S.Reading:4:4') + 'bye!' + lines('AT-S.OK'));
    assert.equal(await command('AT+S.SOCKC=0'), lines('AT+S.SOCKC=0', 'AT-S.OK'));
    assert.deepEqual(sim.openSockets(), []);
    assert.equal(await command('AT+S.SOCKQ=0'), lines('AT+S.SOCKQ=0', 'AT-S.ERROR:76:Illegal Socket ID'));
  });

  it('lists open sockets with SOCKL: AT-S.List:<id>:<proto>:<connected>:<pending>:<ip>:<port>', async () => {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    try {
      assert.equal(await command('AT+S.SOCKL'), lines('AT+S.SOCKL', 'AT-S.OK'));
      await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`);
      await command(`AT+S.SOCKON=127.0.0.1,${udp.address().port},,u`);
      await command('AT+S.SOCKW=0,3', 'abc');
      await term.waitFor('Pending Data::0:3:3\r\n');
      assert.equal(await command('AT+S.SOCKL'), lines(
        'AT+S.SOCKL',
        `AT-S.List:0:0:1:3:127.0.0.1:${peer.port}`,
        `AT-S.List:1:1:1:0:127.0.0.1:${udp.address().port}`,
        'AT-S.OK',
      ));
      peer.conns[0]!.end();
      await term.waitFor('+WIND:58:Socket Closed:0:0\r\n');
      assert.ok((await command('AT+S.SOCKL')).includes(`AT-S.List:0:0:0:3:127.0.0.1:${peer.port}\r\n`), 'closed by the peer, still listed');
    } finally {
      udp.close();
    }
  });

  it('reads part of what is pending', async () => {
    await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`);
    await command('AT+S.SOCKW=0,10', '0123456789');
    await term.waitFor('Pending Data::0:10:10\r\n');
    assert.equal(await readSocket('AT+S.SOCKR=0,4'), lines('AT+S.SOCKR=0,4', 'AT-S.Reading:4:10') + '0123' + lines('AT-S.OK'));
    assert.equal(await command('AT+S.SOCKQ=0'), lines('AT+S.SOCKQ=0', 'AT-S.Query:6', 'AT-S.OK'));
    assert.equal(await readSocket('AT+S.SOCKR=0,100'), lines('AT+S.SOCKR=0,100', 'AT-S.Reading:6:6') + '456789' + lines('AT-S.OK'));
  });

  it('collects a SOCKW payload that arrives one byte at a time', async () => {
    await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`);
    const payload = 'a\rb\nAT-S.OK\r\n';
    for (const byte of `AT+S.SOCKW=0,${payload.length}\r${payload}`) sim.write(byte);
    assert.equal(await term.waitFor('AT-S.OK\r\n'), lines(`AT+S.SOCKW=0,${payload.length}`, 'AT-S.OK'));
    await until(() => Buffer.concat(peer.received).toString('latin1') === payload);
  });

  it('announces a large arrival in 730-byte segments and returns it intact through 64-byte chunks', async () => {
    await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`);
    const big = Array.from({ length: 2000 }, (_, i) => String.fromCharCode(i % 256)).join('');
    await until(() => peer.conns.length === 1);
    peer.conns[0]!.write(Buffer.from(big, 'latin1'));
    await until(() => sim.openSockets()[0]?.pending === 2000);
    const winds = await term.waitFor(':2000\r\n');
    for (const m of winds.matchAll(/\+WIND:55:Pending Data::0:(\d+):(\d+)/g)) assert.ok(Number(m[1]) <= 730);
    const read = await readSocket('AT+S.SOCKR=0,2000');
    assert.equal(read, lines('AT+S.SOCKR=0,2000', 'AT-S.Reading:2000:2000') + big + lines('AT-S.OK'));
    assert.ok(term.chunks.every((c) => c.length <= 64));
  });

  it('gives the lowest free id, resolves host names, and refuses a ninth socket', async () => {
    for (let id = 0; id < 3; id++) assert.ok((await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`)).includes(`AT-S.On:127.0.0.1:${id}\r\n`));
    await command('AT+S.SOCKC=1');
    assert.ok((await command(`AT+S.SOCKON=localhost,${peer.port},NULL,t`)).includes('AT-S.On:127.0.0.1:1\r\n'));
    for (let id = 3; id < 8; id++) await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`);
    assert.equal(await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`), lines(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`, 'AT-S.ERROR:75:Too many sockets'));
    assert.equal(sim.openSockets().length, 8);
  });

  it('answers 74 when the peer refuses the connection', async () => {
    const closed = await startPeer();
    const port = closed.port;
    await new Promise((r) => closed.server.close(r));
    assert.equal(await command(`AT+S.SOCKON=127.0.0.1,${port},,t`), lines(`AT+S.SOCKON=127.0.0.1,${port},,t`, 'AT-S.ERROR:74:Failed to open socket'));
  });

  it('checks SOCKON arguments', async () => {
    assert.equal(await command('AT+S.SOCKON=127.0.0.1'), lines('AT+S.SOCKON=127.0.0.1', 'AT-S.ERROR:2:Missing argument(s)'));
    assert.equal(await command('AT+S.SOCKON=127.0.0.1,http,,t'), lines('AT+S.SOCKON=127.0.0.1,http,,t', 'AT-S.ERROR:7:Invalid argument(s)'));
  });

  it('closes every socket when the module resets', async () => {
    await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,t`);
    await until(() => peer.conns.length === 1);
    let peerSawEnd = false;
    peer.conns[0]!.on('close', () => { peerSawEnd = true; });
    sim.hardReset();
    await until(() => peerSawEnd);
    assert.deepEqual(sim.openSockets(), []);
  });

  it('carries UDP datagrams', async () => {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (msg, from) => udp.send(msg, from.port, from.address));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const port = udp.address().port;
    try {
      assert.equal(await command(`AT+S.SOCKON=127.0.0.1,${port},,u`), lines(`AT+S.SOCKON=127.0.0.1,${port},,u`, 'AT-S.On:127.0.0.1:0', 'AT-S.OK'));
      await command('AT+S.SOCKW=0,5', 'ping\r');
      assert.equal(await term.waitFor('Pending Data::0:5:5\r\n'), '+WIND:55:Pending Data::0:5:5\r\n');
      assert.equal(await readSocket('AT+S.SOCKR=0,5'), lines('AT+S.SOCKR=0,5', 'AT-S.Reading:5:5') + 'ping\r' + lines('AT-S.OK'));
      assert.equal(await command('AT+S.SOCKC=0'), lines('AT+S.SOCKC=0', 'AT-S.OK'));
    } finally {
      udp.close();
    }
  });

  it('answers 74 to a TLS open when the peer does not speak TLS', async () => {
    assert.equal(await command(`AT+S.SOCKON=127.0.0.1,${peer.port},,s`), lines(`AT+S.SOCKON=127.0.0.1,${peer.port},,s`, 'AT-S.ERROR:74:Failed to open socket'));
  });
});

describe('sim: client sockets without a link', () => {
  it('SOCKON fails with 74 before the module has joined', async () => {
    const sim = new SimModule({ timing: INSTANT });
    const term = new Terminal(sim);
    sim.powerOn();
    await term.waitFor('+WIND:32:WiFi Hardware Started\r\n');
    try {
      term.send('AT+S.SOCKON=127.0.0.1,80,,t');
      assert.equal(await term.waitFor('Failed to open socket\r\n'), lines('AT+S.SOCKON=127.0.0.1,80,,t', 'AT-S.ERROR:74:Failed to open socket'));
    } finally {
      sim.close();
    }
  });
});
