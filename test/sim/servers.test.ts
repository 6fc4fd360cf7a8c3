import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { SimModule } from '../../hosts/sim/module';
import { INSTANT, LAB_STATION, lines, Terminal } from './helpers';

// Server sockets on real Node sockets on 127.0.0.1, real timers (every simulator delay at zero). The
// module's servers bind any free port (serverPort: () => 0); tests read it from openServers().

async function until(condition: () => boolean, timeoutMs = 800): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
}

function connectTo(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => resolve(c));
    c.once('error', reject);
  });
}

describe('sim: server sockets', () => {
  let sim: SimModule;
  let term: Terminal;
  const clients: net.Socket[] = [];

  async function command(line: string, payload = ''): Promise<string> {
    sim.write(line + '\r' + payload);
    return term.waitForFinal();
  }

  async function read(line: string): Promise<string> {
    sim.write(line + '\r');
    const head = await term.waitFor('AT-S.Reading:');
    const counts = await term.waitFor('\r\n');
    return head + counts + (await term.waitForBytes(Number(counts.split(':')[0]))) + (await term.waitFor('AT-S.OK\r\n'));
  }

  async function client(port: number): Promise<net.Socket> {
    const c = await connectTo(port);
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  }

  const localPort = (sid: number) => sim.openServers().find((s) => s.sid === sid)!.localPort;

  beforeEach(async () => {
    sim = new SimModule({ saved: LAB_STATION, timing: INSTANT, serverPort: () => 0 });
    term = new Terminal(sim);
    sim.powerOn();
    await term.waitFor('+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1\r\n');
    await command('AT+S.SCFG=console_echo,0');
  });
  afterEach(() => {
    sim.close();
    for (const c of clients.splice(0)) c.destroy();
  });

  it('TCP: opens, announces a client and its data, reads, writes, and reports the client gone', async () => {
    assert.equal(await command('AT+S.SOCKDON=8080,t'), lines('AT-S.On:0', 'AT-S.OK'));
    const c = await client(localPort(0));
    const incoming = await term.waitFor(':0:0\r\n');
    assert.equal(incoming, lines(`+WIND:61:Incoming Socket Client:127.0.0.1:${c.localPort}:0:0`));

    c.write('hello\r\nAT-S.OK\r\n');
    assert.equal(await term.waitFor(':16:16\r\n'), lines('+WIND:55:Pending Data:0:0:16:16'));
    assert.equal(await command('AT+S.SOCKDQ=0,0'), lines('AT-S.Query:16', 'AT-S.OK'));
    assert.equal(await read('AT+S.SOCKDR=0,0,7'), lines('AT-S.Reading:7:16') + 'hello\r\n' + lines('AT-S.OK'));
    assert.equal(await read('AT+S.SOCKDR=0,0,'), lines('AT-S.Reading:9:9') + 'AT-S.OK\r\n' + lines('AT-S.OK'));

    const got: Buffer[] = [];
    c.on('data', (d) => got.push(d));
    assert.equal(await command('AT+S.SOCKDW=0,0,4', '\x00\xffok'), lines('AT-S.OK'));
    await until(() => Buffer.concat(got).length === 4);
    assert.deepEqual(Buffer.concat(got), Buffer.from('\x00\xffok', 'latin1'));

    const clientPort = c.localPort;
    c.end();
    assert.equal(await term.waitFor('\r\n'), `+WIND:62:Socket Client Gone:127.0.0.1:${clientPort}:0:0:0\r\n`);
    assert.deepEqual(sim.openServers()[0]!.clients, [], 'nothing unread: the cid is free again');
    assert.equal(await command('AT+S.SOCKDQ=0,0'), lines('AT-S.ERROR:76:Illegal Socket ID'));
  });

  it('keeps a gone client with unread data until the host reads it and closes it (77 before)', async () => {
    await command('AT+S.SOCKDON=8080,t');
    const c = await client(localPort(0));
    await term.waitFor('+WIND:61');
    c.end('last words');
    await term.waitFor('Socket Client Gone');
    await term.waitFor('\r\n');
    assert.equal(await command('AT+S.SOCKDW=0,0,1', 'x'), lines('AT-S.ERROR:78:Socket not connected'));
    assert.equal(await command('AT+S.SOCKDC=0,0'), lines('AT-S.ERROR:77:Pending data'));
    assert.equal(await command('AT+S.SOCKDC=0'), lines('AT-S.ERROR:77:Pending data'));
    assert.equal(await read('AT+S.SOCKDR=0,0'), lines('AT-S.Reading:10:10') + 'last words' + lines('AT-S.OK'));
    assert.equal(await command('AT+S.SOCKDC=0,0'), lines('AT-S.OK'));
    assert.equal(await command('AT+S.SOCKDL'), lines('AT-S.OK'));
  });

  it('lists clients with SOCKDL and closes the whole server with SOCKDC=<sid>', async () => {
    await command('AT+S.SOCKDON=8080,t');
    const a = await client(localPort(0));
    const b = await client(localPort(0));
    await term.waitFor(':0:1\r\n');
    assert.equal(await command('AT+S.SOCKDL'), lines(
      `AT-S.List:0:0:0:0:127.0.0.1:${a.localPort}`,
      `AT-S.List:0:1:0:0:127.0.0.1:${b.localPort}`,
      'AT-S.OK',
    ));
    assert.equal(await command('AT+S.SOCKDL=0'), lines(`AT-S.List:0:0:0:0:127.0.0.1:${a.localPort}`, `AT-S.List:0:1:0:0:127.0.0.1:${b.localPort}`, 'AT-S.OK'));
    assert.equal(await command('AT+S.SOCKDL=1'), lines('AT-S.ERROR:76:Illegal Socket ID'));
    let closed = 0;
    a.on('close', () => closed++);
    b.on('close', () => closed++);
    const port = localPort(0);
    assert.equal(await command('AT+S.SOCKDC=0'), lines('AT-S.OK'));
    await until(() => closed === 2);
    assert.deepEqual(sim.openServers(), []);
    await assert.rejects(connectTo(port));
    assert.ok(!term.all.includes('+WIND:62'), 'a close the host asked for prints no WIND:62');
  });

  it('allows two servers, then answers 75; a taken port answers 73', async () => {
    assert.equal(await command('AT+S.SOCKDON=80,t'), lines('AT-S.On:0', 'AT-S.OK'));
    assert.equal(await command('AT+S.SOCKDON=80,u'), lines('AT-S.ERROR:73:Port already opened'));
    assert.equal(await command('AT+S.SOCKDON=81,u'), lines('AT-S.On:1', 'AT-S.OK'));
    assert.equal(await command('AT+S.SOCKDON=82,t'), lines('AT-S.ERROR:75:Too many sockets'));
    await command('AT+S.SOCKDC=0');
    assert.equal(await command('AT+S.SOCKDON=82,t'), lines('AT-S.On:0', 'AT-S.OK'), 'lowest free sid');
  });

  it('answers 73 when the desktop port cannot be bound', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    const other = new SimModule({ saved: LAB_STATION, timing: INSTANT, serverPort: () => taken });
    const t = new Terminal(other);
    try {
      other.powerOn();
      await t.waitFor('+WIND:24:WiFi Up::');
      t.send('AT+S.SOCKDON=9000,t');
      assert.ok((await t.waitFor('Port already opened\r\n')).endsWith('AT-S.ERROR:73:Port already opened\r\n'));
    } finally {
      other.close();
      blocker.close();
    }
  });

  it('checks SOCKDON arguments; TLS servers (s1, s2) answer 74 without a certificate and key in the store', async () => {
    assert.equal(await command('AT+S.SOCKDON=80'), lines('AT-S.ERROR:2:Missing argument(s)'));
    assert.equal(await command('AT+S.SOCKDON=0,t'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.SOCKDON=80,x'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.SOCKDON=80,t,1'), lines('AT-S.ERROR:6:Too many argument(s)'));
    assert.equal(await command('AT+S.SOCKDON=443,s1'), lines('AT-S.ERROR:74:Failed to open socket'));
    assert.equal(await command('AT+S.SOCKDON=443,S2'), lines('AT-S.ERROR:74:Failed to open socket'));
    assert.equal(await command('AT+S.SOCKDQ=0,0'), lines('AT-S.ERROR:76:Illegal Socket ID'));
    assert.equal(await command('AT+S.SOCKDR=1,0'), lines('AT-S.ERROR:76:Illegal Socket ID'));
  });

  it('drops a ninth TCP client with +WIND:83 (which console_wind_off_high bit 19 masks)', async () => {
    await command('AT+S.SOCKDON=8080,t');
    const port = localPort(0);
    for (let i = 0; i < 8; i++) await client(port);
    await term.waitFor(':0:7\r\n');
    const ninthPort = (await client(port)).localPort;
    assert.equal(await term.waitFor('\r\n'), `+WIND:83:Sockd Dropping Client:127.0.0.1:${ninthPort}:0\r\n`);
    await command('AT+S.SCFG=console_wind_off_high,0x00080000');
    const tenth = await client(port);
    await new Promise((r) => tenth.once('close', r));
    assert.equal(await command('AT'), lines('AT-S.OK'), 'no +WIND:83 ahead of the answer');
    assert.equal(sim.openServers()[0]!.clients.length, 8);
  });

  it('masks its indications with console_wind_off_medium (55 → bit 23, 61 → 29, 62 → 30)', async () => {
    await command('AT+S.SCFG=console_wind_off_medium,0x60800000');
    await command('AT+S.SOCKDON=8080,t');
    const c = await client(localPort(0));
    c.write('abc');
    await until(() => sim.openServers()[0]?.clients[0]?.pending === 3);
    c.end();
    await until(() => sim.openServers()[0]?.clients[0]?.connected === false);
    assert.equal(await command('AT'), lines('AT-S.OK'), 'no +WIND:61/55/62 ahead of the answer');
  });

  it('UDP: each peer is a client; datagrams are announced, read and answered', async () => {
    assert.equal(await command('AT+S.SOCKDON=5000,u'), lines('AT-S.On:0', 'AT-S.OK'));
    const peer = dgram.createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const replies: string[] = [];
    peer.on('message', (m) => replies.push(m.toString('latin1')));
    try {
      peer.send('ping', localPort(0), '127.0.0.1');
      assert.equal(await term.waitFor(':4:4\r\n'), lines(
        `+WIND:61:Incoming Socket Client:127.0.0.1:${peer.address().port}:0:0`,
        '+WIND:55:Pending Data:0:0:4:4',
      ));
      peer.send('pong', localPort(0), '127.0.0.1');
      assert.equal(await term.waitFor('\r\n'), '+WIND:55:Pending Data:0:0:4:8\r\n');
      assert.equal(await read('AT+S.SOCKDR=0,0,8'), lines('AT-S.Reading:8:8') + 'pingpong' + lines('AT-S.OK'));
      assert.equal(await command('AT+S.SOCKDW=0,0,5', 'reply'), lines('AT-S.OK'));
      await until(() => replies.length === 1);
      assert.equal(replies[0], 'reply');
      assert.equal(await command('AT+S.SOCKDC=0,0'), lines('AT-S.OK'));
    } finally {
      peer.close();
    }
  });

  it('closes its servers when the module resets', async () => {
    await command('AT+S.SOCKDON=8080,t');
    const port = localPort(0);
    sim.hardReset();
    await until(() => sim.openServers().length === 0);
    await assert.rejects(connectTo(port));
  });
});

describe('sim: server sockets without a link', () => {
  it('SOCKDON answers 74 before the module has joined', async () => {
    const sim = new SimModule({ timing: INSTANT, serverPort: () => 0 });
    const term = new Terminal(sim);
    sim.powerOn();
    await term.waitFor('+WIND:32:WiFi Hardware Started\r\n');
    try {
      term.send('AT+S.SOCKDON=8080,t');
      assert.equal(await term.waitFor('Failed to open socket\r\n'), lines('AT+S.SOCKDON=8080,t', 'AT-S.ERROR:74:Failed to open socket'));
    } finally {
      sim.close();
    }
  });
});
