import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { Engine } from '../src/at/engine';
import { Sockets, Socket } from '../src/net/sockets';
import { scriptedHost, lines, ScriptedHost } from './helpers/scripted-host';

describe('client sockets (scripted module)', () => {
  let clock: sinon.SinonFakeTimers;
  let s: ScriptedHost;
  let engine: Engine;
  let sockets: Sockets;

  beforeEach(() => {
    clock = sinon.useFakeTimers();
    s = scriptedHost();
    engine = new Engine(s.host);
    sockets = new Sockets(engine);
    engine.start();
    s.feed(lines('+WIND:0:Console active'));
  });

  afterEach(() => {
    engine.stop();
    clock.restore();
  });

  async function expectLine(line: string, ...answer: string[]): Promise<void> {
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), line);
    s.feed(lines(...answer));
    await clock.tickAsync(0);
  }

  async function open(): Promise<Socket> {
    const p = sockets.open('echo.example', 7, 't');
    await expectLine('AT+S.SOCKON=echo.example,7,,t', 'AT-S.On:93.184.216.34:2', 'AT-S.OK');
    const sock = await p;
    assert.equal(sock.id, 2);
    assert.equal(sock.remoteIp, '93.184.216.34');
    return sock;
  }

  it('splits a write into 730-byte segments, in order', async () => {
    const sock = await open();
    const data = 'a'.repeat(730) + 'b'.repeat(730) + 'c'.repeat(5);
    assert.equal(sock.write(data), true, '735 bytes wait: under the 1460-byte bound');
    for (const part of ['a'.repeat(730), 'b'.repeat(730), 'ccccc']) {
      await clock.tickAsync(0);
      assert.equal(s.written[s.written.length - 1], 'AT+S.SOCKW=2,' + part.length + '\r' + part);
      s.feed(lines('AT-S.OK'));
    }
    await clock.tickAsync(0);
    assert.equal(sock.bytesWritten, data.length);
  });

  /** Answer the read in flight with `n` bytes of `ch`, its header saying `pending` were pending before it;
   *  then the next command must be `next`. */
  async function readAnswer(n: number, pending: number, ch: string, next: string): Promise<void> {
    s.feed(lines('AT-S.Reading:' + n + ':' + pending) + ch.repeat(n) + lines('AT-S.OK'), 64);
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), next);
  }

  for (const counted of [true, false]) {
    it(counted ? 'reads what a pending-data indication reports, in segments, then asks the module before resting'
      : 'an indication without a count: the module is asked (SOCKQ), and what it reports is read', async () => {
      const sock = await open();
      const got: string[] = [];
      sock.on('data', (d) => got.push(d));
      if (counted) {
        // The indication's count is read without a query first.
        s.feed(lines('+WIND:55:Pending Data::2:800:800'));
        await clock.tickAsync(0);
      } else {
        s.feed(lines('+WIND:55:Pending Data::2'));
        await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:800', 'AT-S.OK');
      }
      assert.equal(s.lastLine(), 'AT+S.SOCKR=2,730');
      // The 70 bytes left are read without asking again.
      await readAnswer(730, 800, 'x', 'AT+S.SOCKR=2,70');
      await readAnswer(70, 70, 'y', 'AT+S.SOCKQ=2');
      await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:0', 'AT-S.OK');
      assert.deepEqual(got, ['x'.repeat(730), 'y'.repeat(70)]);
    });
  }

  it('a read of an indication\'s count that the module refuses: it is asked at once (SOCKQ), no error', async () => {
    const sock = await open();
    const got: string[] = [];
    let failed: unknown;
    sock.on('data', (d) => got.push(d));
    sock.on('error', (e) => { failed = e; });
    // A damaged count: more than the module holds, and a module that does not cap the read refuses it.
    s.feed(lines('+WIND:55:Pending Data::2:9:900'));
    await expectLine('AT+S.SOCKR=2,730', 'AT-S.ERROR:7:Invalid arguments');
    await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:9', 'AT-S.OK');
    assert.equal(s.lastLine(), 'AT+S.SOCKR=2,9');
    await readAnswer(9, 9, 'z', 'AT+S.SOCKQ=2');
    await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:0', 'AT-S.OK');
    assert.deepEqual(got, ['z'.repeat(9)]);
    assert.equal(failed, undefined);
    assert.equal(sock.closed, false);
  });

  it('reads on without a query while a read says more was pending than it delivered', async () => {
    const sock = await open();
    const got: string[] = [];
    sock.on('data', (d) => got.push(d));
    s.feed(lines('+WIND:55:Pending Data::2'));
    await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:730', 'AT-S.OK');
    assert.equal(s.lastLine(), 'AT+S.SOCKR=2,730');
    // 1500 bytes were pending when the module read (more arrived after the query): 770 are left.
    await readAnswer(730, 1500, 'a', 'AT+S.SOCKR=2,730');
    await readAnswer(730, 770, 'b', 'AT+S.SOCKR=2,40');
    // Nothing is known to be left: asked again before resting.
    await readAnswer(40, 40, 'c', 'AT+S.SOCKQ=2');
    await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:0', 'AT-S.OK');
    assert.deepEqual(got, ['a'.repeat(730), 'b'.repeat(730), 'c'.repeat(40)]);
    assert.equal(s.written.filter((w) => w.startsWith('AT+S.SOCKQ')).length, 2);
  });

  it('closes after reading what the module still holds (error 77), bounded', async () => {
    const sock = await open();
    const got: string[] = [];
    sock.on('data', (d) => got.push(d));
    let closed = false;
    sock.on('close', () => { closed = true; });
    const c = sock.close();
    await expectLine('AT+S.SOCKC=2', 'AT-S.ERROR:77:Pending data');
    await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:3', 'AT-S.OK');
    await clock.tickAsync(0);
    s.feed(lines('AT-S.Reading:3:3') + 'end' + lines('AT-S.OK'));
    await expectLine('AT+S.SOCKC=2', 'AT-S.OK');
    await c;
    assert.ok(closed);
    assert.deepEqual(got, ['end']);
    assert.equal(sockets.list().length, 0);
  });

  it('a close retry reads only what the module reported pending, however much keeps arriving', async () => {
    const sock = await open();
    const got: string[] = [];
    sock.on('data', (d) => got.push(d));
    const c = sock.close().catch((e) => e);
    for (let i = 0; i < 3; i++) {
      await expectLine('AT+S.SOCKC=2', 'AT-S.ERROR:77:Pending data');
      if (i === 2) break;
      await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:4', 'AT-S.OK');
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKR=2,4');
      // More arrives meanwhile: only the 4 bytes reported are read, then the close is tried again.
      // (its header says 9 were pending by then: not read either)
      s.feed(lines('AT-S.Reading:4:9') + 'abcd' + lines('AT-S.OK') + lines('+WIND:55:Pending Data::2:9:9'));
    }
    assert.equal((await c).moduleCode, 77);
    assert.deepEqual(got, ['abcd', 'abcd']);
  });

  it('gives up closing after three refusals from a peer that keeps streaming', async () => {
    const sock = await open();
    const c = sock.close().catch((e) => e);
    for (let i = 0; i < 3; i++) {
      await expectLine('AT+S.SOCKC=2', 'AT-S.ERROR:77:Pending data');
      if (i < 2) {
        await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:0', 'AT-S.OK');
      }
    }
    const err = await c;
    assert.equal(err.moduleCode, 77);
  });

  it('delivers the rest and ends when the peer closes, keeping the socket until close()', async () => {
    const sock = await open();
    let ended = false;
    sock.on('end', () => { ended = true; });
    s.feed(lines('+WIND:58:Socket Closed:2:1'));
    await expectLine('AT+S.SOCKQ=2', 'AT-S.Query:0', 'AT-S.OK');
    assert.ok(ended);
    assert.ok(sock.peerClosed);
    assert.equal(sockets.list().length, 1);
    const c = sock.close();
    await expectLine('AT+S.SOCKC=2', 'AT-S.OK');
    await c;
    assert.equal(sockets.list().length, 0);
  });

  it('refuses to write on a closed socket', async () => {
    const sock = await open();
    const c = sock.close();
    await expectLine('AT+S.SOCKC=2', 'AT-S.OK');
    await c;
    assert.throws(() => sock.write('late'), /closed/);
  });

  it('closes every socket with an error when the module restarts', async () => {
    const sock = await open();
    const errors: any[] = [];
    let closed = false;
    sock.on('error', (e) => errors.push(e));
    sock.on('close', () => { closed = true; });
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
    assert.ok(closed);
    assert.equal(errors[0].code, 'SocketClosed');
    assert.equal(sockets.list().length, 0);
  });

  it('refuses a third TLS socket before the module has to', async () => {
    const opened = [];
    for (let i = 0; i < 2; i++) {
      const p = sockets.open('secure.example', 443, 's');
      await expectLine('AT+S.SOCKON=secure.example,443,,s', 'AT-S.On:10.0.0.1:' + i, 'AT-S.OK');
      opened.push(await p);
    }
    const before = s.written.length;
    await assert.rejects(sockets.open('secure.example', 443, 's'), (e: any) => e.code === 'Limit' && /at most 2 TLS/.test(e.message));
    assert.equal(s.written.length, before, 'nothing sent');
    const tcp = sockets.open('plain.example', 80, 't');
    await expectLine('AT+S.SOCKON=plain.example,80,,t', 'AT-S.On:10.0.0.2:2', 'AT-S.OK');
    assert.equal((await tcp).tls, false);
  });
});
