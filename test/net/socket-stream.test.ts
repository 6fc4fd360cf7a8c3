import { strict as assert } from 'node:assert';
import { createHook } from 'node:async_hooks';
import * as net from 'node:net';
import * as sinon from 'sinon';
import { Engine } from '../../src/at/engine';
import * as at from '../../src/at/commands';
import { run } from '../../src/at/run';
import { Sockets, Socket } from '../../src/net/sockets';
import { scriptedHost, lines, ScriptedHost } from '../helpers/scripted-host';
import { simSession, upAndJoined, SimSession } from '../helpers/sim-session';
import { engineQueued } from '../helpers/introspect';

// The socket data path: a flat read loop (one command at a time, no growth per block), bounded writes
// with 'drain', nothing asked after a close, and the slow poll that makes a lost +WIND:55 a delay only.
describe('socket data path (scripted module)', () => {
  let clock: sinon.SinonFakeTimers;
  let s: ScriptedHost;
  let engine: Engine;
  let sockets: Sockets;

  beforeEach(() => {
    clock = sinon.useFakeTimers();
    s = scriptedHost();
    engine = new Engine(s.host);
    sockets = new Sockets(engine, undefined, s.host.clock);
    engine.start();
    s.feed(lines('+WIND:0:Console active'));
  });

  afterEach(() => {
    engine.stop();
    clock.restore();
  });

  async function answer(...ls: string[]): Promise<void> {
    s.feed(lines(...ls));
    await clock.tickAsync(0);
  }

  async function open(id = 2): Promise<Socket> {
    const p = sockets.open('peer.example', 7, 't');
    await clock.tickAsync(0);
    await answer('AT-S.On:10.0.0.9:' + id, 'AT-S.OK');
    return p;
  }

  /** Command lines written from index `from` on (without payloads). */
  function linesFrom(from: number): string[] {
    return s.written.slice(from).map((w) => w.split('\r')[0]);
  }

  /** Answer a SOCKR for `n` bytes of `ch`. */
  function block(n: number, ch = 'x'): string {
    return lines('AT-S.Reading:' + n + ':' + n) + ch.repeat(n) + lines('AT-S.OK');
  }

  describe('reading', () => {
    it('reads a long stream one command at a time, delivering each block and creating no promise per block', async () => {
      const sock = await open();
      let got = 0;
      let blocks = 0;
      sock.on('data', (d: string) => { got += d.length; blocks++; });
      const total = 110 * 730;
      let promises = 0;
      // The hook counts every promise of the process: it is enabled after 10 blocks, once whatever the
      // first blocks load for the first time (the loader makes promises of its own) is loaded.
      const hook = createHook({ init: (_id, type) => { if (type === 'PROMISE') promises++; } });
      s.feed(lines('+WIND:55:Pending Data::2:' + total + ':' + total));
      await clock.tickAsync(0);
      for (let i = 0; i < 110; i++) {
        if (i === 10) hook.enable();
        assert.equal(s.lastLine(), 'AT+S.SOCKR=2,730', 'block ' + i);
        assert.equal(engineQueued(engine), 0, 'nothing queued behind the read');
        s.feed(block(730), 97);
      }
      const perBlock = promises / 100;
      hook.disable();
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKQ=2', 'asked again once the reported bytes are read');
      await answer('AT-S.Query:0', 'AT-S.OK');
      assert.equal(got, total);
      assert.equal(blocks, 110);
      assert.ok(perBlock < 0.05, 'promises per block: ' + perBlock);
    });

    for (const counted of [true, false]) {
      it(counted ? 'an indication during a read is read after it, never two reads at once'
        : 'an indication without a count during a read asks again after it', async () => {
        const sock = await open();
        const got: string[] = [];
        sock.on('data', (d: string) => got.push(d));
        s.feed(lines('+WIND:55:Pending Data::2:5:5'));
        await clock.tickAsync(0);
        assert.equal(s.lastLine(), 'AT+S.SOCKR=2,5');
        const n = s.written.length;
        s.feed(lines(counted ? '+WIND:55:Pending Data::2:3:8' : '+WIND:55:Pending Data::2'));
        await clock.tickAsync(0);
        assert.equal(s.written.length, n, 'nothing sent while the read is in flight');
        s.feed(block(5, 'a'));
        await clock.tickAsync(0);
        if (!counted) {
          assert.equal(s.lastLine(), 'AT+S.SOCKQ=2');
          await answer('AT-S.Query:3', 'AT-S.OK');
        }
        assert.equal(s.lastLine(), 'AT+S.SOCKR=2,3');
        s.feed(block(3, 'b'));
        await clock.tickAsync(0);
        assert.equal(s.lastLine(), 'AT+S.SOCKQ=2', 'asked again once the reported bytes are read');
        await answer('AT-S.Query:0', 'AT-S.OK');
        assert.deepEqual(got, ['aaaaa', 'bbb']);
      });
    }

    it('pause() leaves the data in the module until resume()', async () => {
      const sock = await open();
      sock.pause();
      const n = s.written.length;
      s.feed(lines('+WIND:55:Pending Data::2:5:5'));
      await clock.tickAsync(0);
      assert.equal(s.written.length, n);
      sock.resume();
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKR=2,5');
    });
  });

  describe('writing', () => {
    it('returns false above the bound, sends one 730-byte segment at a time, and emits drain', async () => {
      const sock = await open();
      let drains = 0;
      sock.on('drain', () => drains++);
      const data = 'w'.repeat(730 * 4 + 100);
      assert.equal(sock.write(data), false, 'over 2 segments waiting');
      const from = s.written.length - 1;
      for (let i = 0; i < 5; i++) {
        await clock.tickAsync(0);
        const len = i < 4 ? 730 : 100;
        assert.equal(s.lastLine(), 'AT+S.SOCKW=2,' + len);
        assert.equal(engineQueued(engine), 0, 'one segment at a time');
        if (i < 4) assert.equal(drains, 0, 'no drain while more than the last segment waits');
        await answer('AT-S.OK');
      }
      assert.equal(drains, 1);
      assert.equal(linesFrom(from).filter((l) => l.startsWith('AT+S.SOCKW')).length, 5);
      assert.equal(sock.bytesWritten, data.length);
      assert.equal(sock.write('more'), true);
    });

    it('joins small writes into one segment, in order', async () => {
      const sock = await open();
      sock.write('a'.repeat(10)); // goes at once
      for (let i = 0; i < 100; i++) assert.equal(sock.write('b'.repeat(10)), i < 100, 'write ' + i);
      assert.equal(sock.writableLength, 1000);
      await clock.tickAsync(0);
      await answer('AT-S.OK');
      const w = s.written[s.written.length - 1];
      assert.equal(w, 'AT+S.SOCKW=2,730\r' + 'b'.repeat(730));
      await answer('AT-S.OK');
      assert.equal(s.written[s.written.length - 1], 'AT+S.SOCKW=2,270\r' + 'b'.repeat(270));
    });

    it('the bound is an option (highWater)', async () => {
      const sock = await open();
      const other = await open(3);
      sock.highWater = 100;
      assert.equal(sock.write('x'.repeat(730 + 101)), false);
      assert.equal(other.write('x'.repeat(730 + 101)), true, 'the default is per socket');
    });

    it('a segment whose answer is lost fails the writes: reported, never resent, later writes refused', async () => {
      const sock = await open();
      const errors: any[] = [];
      sock.on('error', (e) => errors.push(e));
      sock.write('q'.repeat(2000));
      await clock.tickAsync(0);
      await clock.tickAsync(at.TIMEOUT.write + 1); // no answer
      assert.equal(errors.length, 1);
      assert.equal(errors[0].code, 'Timeout');
      assert.ok(errors[0].reasons.some((r: string) => /may or may not have reached/.test(r)), errors[0].reasons.join('; '));
      assert.ok(errors[0].reasons.some((r: string) => /1270 more bytes not sent/.test(r)));
      assert.throws(() => sock.write('again'), (e: any) => e.code === 'SocketClosed');
      assert.equal(s.written.filter((w) => w.startsWith('AT+S.SOCKW')).length, 1, 'not resent');
    });
  });

  describe('closing', () => {
    it('closing during a multi-segment read: nothing asked after SOCKC, no error after close', async () => {
      const sock = await open();
      const events: string[] = [];
      sock.on('data', (d: string) => events.push('data ' + d.length));
      sock.on('error', (e: any) => events.push('error ' + e.message));
      sock.on('close', () => events.push('close'));
      const from = s.written.length;
      s.feed(lines('+WIND:55:Pending Data::2'));
      await clock.tickAsync(0);
      await answer('AT-S.Query:2000', 'AT-S.OK');
      assert.equal(s.lastLine(), 'AT+S.SOCKR=2,730');
      const c = sock.close();
      // More data is announced while the first block is read.
      s.feed(lines('+WIND:55:Pending Data::2:500:2500'));
      s.feed(block(730));
      await clock.tickAsync(0);
      while (s.lastLine().startsWith('AT+S.SOCKR')) {
        const n = parseInt(s.lastLine().split(',')[1], 10);
        s.feed(block(n));
        await clock.tickAsync(0);
      }
      assert.equal(s.lastLine(), 'AT+S.SOCKC=2');
      await answer('AT-S.OK');
      await c;
      s.feed(lines('+WIND:55:Pending Data::2:500:500'));
      await clock.tickAsync(20000);
      const sent = linesFrom(from);
      const closeAt = sent.indexOf('AT+S.SOCKC=2');
      assert.deepEqual(sent.slice(closeAt + 1), [], 'nothing after SOCKC: ' + sent.join(' | '));
      assert.equal(events[events.length - 1], 'close');
      assert.ok(!events.some((e) => e.startsWith('error')), events.join(', '));
      assert.equal(sockets.list().length, 0);
    });

    it('close waits for queued writes and refuses new ones', async () => {
      const sock = await open();
      sock.write('z'.repeat(800));
      const c = sock.close();
      assert.throws(() => sock.write('late'), /closed/);
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKW=2,730');
      await answer('AT-S.OK');
      assert.equal(s.lastLine(), 'AT+S.SOCKW=2,70');
      await answer('AT-S.OK');
      assert.equal(s.lastLine(), 'AT+S.SOCKC=2');
      await answer('AT-S.OK');
      await c;
      assert.ok(sock.closed);
    });

    it('a module restart during a read closes the socket with one error, none after', async () => {
      const sock = await open();
      const events: string[] = [];
      sock.on('error', () => events.push('error'));
      sock.on('close', () => events.push('close'));
      s.feed(lines('+WIND:55:Pending Data::2:10:10'));
      await clock.tickAsync(0);
      s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
      await clock.tickAsync(30000);
      assert.deepEqual(events, ['error', 'close']);
    });
  });

  describe('the module restarts', () => {
    it('a close waiting behind a write settles when the module restarts', async () => {
      const sock = await open();
      sock.write('x'.repeat(10));
      const c = sock.close();
      s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
      await clock.tickAsync(0);
      await c;
      assert.ok(sock.closed);
    });
  });

  // Issue 14: a stream that cannot go on says so once, then the layer closes it in the module itself: an
  // application that drops a failed socket must not leave its slot taken (the module has 8; the fault
  // campaign ran out of them: "error 75: Too many sockets").
  describe('failing (error, then closed in the module)', () => {
    /** Answers the engine's resynchronisation probe after a timeout. */
    async function answerProbe(): Promise<void> {
      const probe = s.lastLine();
      assert.match(probe, /^AT\+S\.GCFG=console_/);
      await answer('AT-S.Var:' + probe.substring(10) + '=1', 'AT-S.OK');
    }

    function record(sock: Socket): string[] {
      const events: string[] = [];
      sock.on('data', (d: string) => events.push('data ' + d));
      sock.on('error', (e: any) => events.push('error ' + e.code + ' ' + e.message));
      sock.on('close', () => events.push('close'));
      return events;
    }

    /** An open socket, recorded, with a 5-byte write in flight (SOCKW sent, not answered). */
    async function writing(): Promise<string[]> {
      const sock = await open();
      const events = record(sock);
      sock.write('hello');
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKW=2,5');
      return events;
    }

    /** After the error: the layer closes the socket it gave up in the module (SOCKC, answered), the
     *  application sees only 'close' after the error (no data), and the socket is gone. */
    async function closedInModule(events: string[]): Promise<void> {
      assert.equal(s.lastLine(), 'AT+S.SOCKC=2', 'the layer closes what it gave up');
      await answer('AT-S.OK');
      assert.deepEqual(events.slice(1), ['close'], 'no data after the error');
      assert.equal(sockets.list().length, 0);
    }

    it('a write whose answer is lost: one error saying "unknown", then SOCKC frees the slot, then close', async () => {
      const events = await writing();
      await clock.tickAsync(at.TIMEOUT.write + 1);
      await answerProbe();
      assert.equal(events.length, 1);
      assert.match(events[0]!, /^error Timeout write outcome unknown/);
      await closedInModule(events);
      assert.equal(s.written.filter((w) => w.startsWith('AT+S.SOCKW')).length, 1, 'never resent');
    });

    it('a failed socket reads what an indication said is pending, undelivered, before its close (no 77 first)', async () => {
      const events = await writing();
      await answer('+WIND:55:Pending Data::2:5:5');
      await clock.tickAsync(at.TIMEOUT.write + 1);
      await answerProbe();
      assert.equal(events.length, 1);
      assert.match(events[0]!, /^error Timeout write outcome unknown/);
      assert.equal(s.lastLine(), 'AT+S.SOCKR=2,5');
      s.feed(block(5, 'r'));
      await clock.tickAsync(0);
      await closedInModule(events);
    });

    it('a write the module refuses: the error says it was not sent; closed in the module', async () => {
      const events = await writing();
      await answer('AT-S.ERROR:41:Socket not connected');
      assert.match(events[0]!, /^error ModuleError/);
      await closedInModule(events);
    });

    it('a read whose answer is lost: "unknown" (bytes may be missing), nothing delivered after it, closed in the module', async () => {
      const sock = await open();
      const events = record(sock);
      s.feed(lines('+WIND:55:Pending Data::2:10:10'));
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKR=2,10');
      await clock.tickAsync(at.TIMEOUT.read + 1);
      await answerProbe();
      assert.equal(events.length, 1);
      assert.match(events[0]!, /^error Timeout read outcome unknown: received bytes may be missing/);
      // The module refuses the close over unread data: the layer reads it, drops it, and closes.
      assert.equal(s.lastLine(), 'AT+S.SOCKC=2');
      await answer('AT-S.ERROR:77:Pending data');
      assert.equal(s.lastLine(), 'AT+S.SOCKQ=2');
      await answer('AT-S.Query:4', 'AT-S.OK');
      s.feed(block(4, 'z'));
      await clock.tickAsync(0);
      await closedInModule(events);
    });

    it('a query that fails loses nothing: no error, the idle poll asks again', async () => {
      const sock = await open();
      const events = record(sock);
      s.feed(lines('+WIND:55:Pending Data::2'));
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKQ=2');
      await answer('AT-S.ERROR:17:Invalid arguments'); // a damaged command line
      assert.deepEqual(events, []);
      const from = s.written.length;
      await clock.tickAsync(10000);
      assert.deepEqual(linesFrom(from), ['AT+S.SOCKQ=2']);
      await answer('AT-S.Query:3', 'AT-S.OK');
      s.feed(block(3, 'k'));
      await clock.tickAsync(0);
      await answer('AT-S.Query:0', 'AT-S.OK');
      assert.deepEqual(events, ['data kkk']);
      assert.ok(!sock.closed);
    });

    it('a close whose answer is lost is tried again; "invalid socket id" then means it is closed', async () => {
      const sock = await open();
      const c = sock.close();
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKC=2');
      await clock.tickAsync(at.TIMEOUT.close + 1);
      await answerProbe();
      assert.equal(s.lastLine(), 'AT+S.SOCKC=2');
      await answer('AT-S.ERROR:76:Invalid socket id');
      await c;
      assert.ok(sock.closed);
      assert.equal(sockets.list().length, 0);
    });

    it('a socket lost by a module restart after writes says that their delivery is unknown', async () => {
      const sock = await open();
      const errors: any[] = [];
      sock.on('error', (e) => errors.push(e));
      sock.write('abc');
      await clock.tickAsync(0);
      await answer('AT-S.OK');
      s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
      await clock.tickAsync(0);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].code, 'SocketClosed');
      assert.match(errors[0].message, /delivery unknown for the last of the 3 bytes the module accepted/);
    });

    it('a module restart with a write still waiting (behind a read): the error says those bytes were not sent', async () => {
      // The fault campaign's case: a new socket (the module accepted nothing on it yet), a read in flight,
      // the application's write taken by write() (true) and waiting; the module restarts during the read.
      const sock = await open();
      const errors: any[] = [];
      sock.on('error', (e) => errors.push(e));
      s.feed(lines('+WIND:55:Pending Data::2:10:10'));
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKR=2,10');
      assert.equal(sock.write('W 93 abc\n'), true, 'taken: below the bound');
      const from = s.written.length;
      s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
      await clock.tickAsync(0);
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, /9 bytes waiting to be written were not sent/);
      assert.ok(!linesFrom(from).some((l) => l.startsWith('AT+S.SOCKW')), 'nothing written after the restart');
    });

    it('a module restart during a write: "unknown" for that write and for what the module accepted before; nothing sent after', async () => {
      const sock = await open();
      const events = record(sock);
      sock.write('abc');
      await clock.tickAsync(0);
      await answer('AT-S.OK');
      sock.write('defg');
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), 'AT+S.SOCKW=2,4');
      const from = s.written.length;
      s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
      await clock.tickAsync(0);
      assert.equal(events.length, 2, events.join(' | '));
      assert.match(events[0]!, /^error ModuleReset write outcome unknown: .*delivery unknown for the last of the 3 bytes the module accepted/);
      assert.equal(events[1], 'close');
      assert.deepEqual(linesFrom(from), [], 'no close sent for a socket the restart ended');
      assert.equal(sockets.list().length, 0);
    });

    it('nine sockets failing one after another: each is closed in the module (no slot left taken)', async () => {
      for (let i = 0; i < 9; i++) {
        const sock = await open(i % 8);
        sock.on('error', () => undefined);
        sock.write('x');
        await clock.tickAsync(0);
        await answer('AT-S.ERROR:41:Socket not connected');
        assert.equal(s.lastLine(), 'AT+S.SOCKC=' + (i % 8), 'socket ' + i);
        await answer('AT-S.OK');
        assert.ok(sock.closed);
      }
      assert.equal(sockets.list().length, 0);
    });
  });

  describe('the idle poll (a lost +WIND:55)', () => {
    it('stops with the engine', async () => {
      const timersBefore = clock.countTimers();
      await open();
      assert.equal(clock.countTimers(), timersBefore + 1);
      engine.stop();
      await clock.tickAsync(0);
      assert.equal(clock.countTimers(), 0, 'no timer left');
    });

    it('asks an idle socket every 10 s, so data whose indication was lost is read', async () => {
      const sock = await open();
      const got: string[] = [];
      sock.on('data', (d: string) => got.push(d));
      const n = s.written.length;
      await clock.tickAsync(9999);
      assert.equal(s.written.length, n, 'nothing before the period');
      await clock.tickAsync(1);
      assert.equal(s.lastLine(), 'AT+S.SOCKQ=2');
      await answer('AT-S.Query:4', 'AT-S.OK');
      s.feed(block(4, 'L'));
      await clock.tickAsync(0);
      await answer('AT-S.Query:0', 'AT-S.OK');
      assert.deepEqual(got, ['LLLL']);
    });

    it('one timer for all sockets, none once they are closed; a socket asked recently is not polled', async () => {
      const timersBefore = clock.countTimers();
      const a = await open(1);
      await open(2);
      await open(3);
      assert.equal(clock.countTimers(), timersBefore + 1);
      // Socket 1 was asked just before the tick: only 2 and 3 are polled.
      s.feed(lines('+WIND:55:Pending Data::1:0:0'));
      await clock.tickAsync(0);
      await answer('AT-S.Query:0', 'AT-S.OK');
      const from = s.written.length;
      await clock.tickAsync(10000);
      for (let i = 0; i < 2; i++) await answer('AT-S.Query:0', 'AT-S.OK');
      assert.deepEqual(linesFrom(from), ['AT+S.SOCKQ=2', 'AT+S.SOCKQ=3']);
      for (const id of [1, 2, 3]) {
        const c = sockets.list().find((x) => x.id === id)!.close();
        await clock.tickAsync(0);
        await answer('AT-S.OK');
        await c;
      }
      assert.ok(a.closed);
      await clock.tickAsync(10000);
      assert.equal(clock.countTimers(), timersBefore, 'the poll stops with the last socket');
    });
  });
});

describe('socket data path (simulated module, real peer)', () => {
  let s: SimSession;
  let peer: net.Server;
  let port: number;

  beforeEach(async () => {
    s = simSession();
    await upAndJoined(s);
    peer = net.createServer((c) => c.on('data', (d) => c.write(d)));
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
    port = (peer.address() as net.AddressInfo).port;
  });

  afterEach(() => {
    s.close();
    peer.close();
  });

  it('data whose pending-data indications are all lost still arrives (idle poll)', async () => {
    const sockets = new Sockets(s.conn.engine, undefined, s.host.clock, { idlePollMs: 50 });
    // +WIND:55 masked: every pending-data indication is lost.
    await run(s.conn.engine, () => at.scfg('console_wind_off_medium', '0x00800000'));
    const sock = await sockets.open('127.0.0.1', port, 't');
    let got = '';
    const done = new Promise<void>((resolve) => sock.on('data', (d: string) => { got += d; if (got.length >= 3000) resolve(); }));
    const msg = 'e'.repeat(3000);
    sock.write(msg);
    await done;
    assert.equal(got, msg);
    await sock.close();
  });

  it('an application writing 20 KB by the drain rule gets it all echoed, in order', async () => {
    const sock = await s.conn.open('127.0.0.1', port, 't');
    let got = '';
    const total = 20000;
    const done = new Promise<void>((resolve) => sock.on('data', (d: string) => { got += d; if (got.length >= total) resolve(); }));
    let sent = 0;
    let maxWaiting = 0;
    const pump = () => {
      while (sent < total) {
        const part = String.fromCharCode(97 + ((sent / 700) % 26)).repeat(700).substring(0, total - sent);
        sent += part.length;
        const more = sock.write(part);
        maxWaiting = Math.max(maxWaiting, sock.writableLength);
        if (!more) return;
      }
    };
    sock.on('drain', pump);
    pump();
    await done;
    let expect = '';
    for (let i = 0; i < total; i += 700) expect += String.fromCharCode(97 + ((i / 700) % 26)).repeat(700);
    assert.equal(got, expect.substring(0, total));
    assert.ok(maxWaiting <= 1460 + 700, 'waiting bytes stayed bounded: ' + maxWaiting);
    await sock.close();
  });
});
