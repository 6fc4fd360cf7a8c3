import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import fc from 'fast-check';
import { Engine, Response } from '../src/at/engine';
import { SpwfError } from '../src/errors';
import { WindEvent } from '../src/at/wind';
import * as at from '../src/at/commands';
import * as parse from '../src/at/parse';
import { scriptedHost, lines, ScriptedHost } from './helpers/scripted-host';
import { framerPending } from './helpers/introspect';

interface Outcome { err: SpwfError | null; res?: Response }

describe('engine', () => {
  let clock: sinon.SinonFakeTimers;
  let s: ScriptedHost;
  let engine: Engine;
  let winds: WindEvent[];

  function send(c: ReturnType<typeof at.at>): Outcome[] {
    const out: Outcome[] = [];
    engine.send(c, (err, res) => out.push({ err, res }));
    return out;
  }

  /** The module answers the resync probe just written (its variable's value, then OK). */
  function answerProbe(): void {
    const probe = s.lastLine();
    assert.match(probe, /^AT\+S\.GCFG=console_/);
    s.feed(lines('AT-S.Var:' + probe.substring('AT+S.GCFG='.length) + '=1', 'AT-S.OK'));
  }

  function ready(): void {
    engine.start();
    s.feed(lines('+WIND:0:Console active'));
    assert.equal(engine.state, 'ready');
    winds.length = 0;
  }

  beforeEach(() => {
    clock = sinon.useFakeTimers();
    s = scriptedHost();
    engine = new Engine(s.host, { maxQueue: 3 });
    winds = [];
    engine.onWind((ev) => winds.push(ev));
  });

  afterEach(() => {
    engine.stop();
    clock.restore();
  });

  it('waits for Console active before sending anything', () => {
    engine.start();
    const out = send(at.at());
    assert.deepEqual(s.written, []);
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
    assert.deepEqual(s.written, ['AT\r']);
    s.feed(lines('AT-S.OK'));
    assert.equal(out.length, 1);
    assert.equal(out[0].err, null);
    assert.deepEqual(winds.map((w) => w.kind), ['PowerOn', 'ConsoleActive']);
  });

  it('probes a module that is already up when no boot indication comes', () => {
    engine.start();
    clock.tick(8000);
    assert.equal(engine.state, 'resync');
    answerProbe();
    assert.equal(engine.state, 'ready');
  });

  it('started again after stop(), probes the module at once (it is up: stop() does not reset it), not after the boot wait', () => {
    ready();
    const out = send(at.at());
    s.feed(lines('AT-S.OK'));
    assert.equal(out[0]!.err, null);
    engine.stop();
    engine.start();
    assert.equal(engine.state, 'booting');
    clock.tick(1);
    assert.equal(engine.state, 'resync');
    answerProbe();
    assert.equal(engine.state, 'ready');
  });

  it('collects intermediate lines and the final line, skipping an echo', () => {
    ready();
    const out = send(at.gcfg('wifi_mode'));
    s.feed(lines('AT+S.GCFG=wifi_mode', 'AT-S.Var:wifi_mode=1', 'AT-S.OK:34512:7'), 5);
    assert.equal(out[0].err, null);
    assert.deepEqual(out[0].res!.lines, ['AT-S.Var:wifi_mode=1']);
    assert.equal(out[0].res!.final, 'AT-S.OK:34512:7');
    assert.equal(parse.parseVar(out[0].res!, 'wifi_mode'), '1');
    assert.equal(engine.stats.echoes, 1);
  });

  it('turns AT-S.ERROR into a ModuleError with its code, unknown codes kept', () => {
    ready();
    const a = send(at.sockc(1));
    s.feed(lines('AT-S.ERROR:77:Pending data'));
    assert.equal(a[0].err!.code, 'ModuleError');
    assert.equal(a[0].err!.moduleCode, 77);
    assert.equal(a[0].err!.moduleName, 'PendingData');
    assert.equal(a[0].err!.moduleText, 'Pending data');
    assert.match(a[0].err!.message, /Pending data/);
    const b = send(at.at());
    s.feed(lines('AT-S.ERROR:117:Something new'));
    assert.equal(b[0].err!.moduleCode, 117);
    assert.equal(b[0].err!.moduleName, 'Unknown117');
    const c = send(at.at());
    s.feed(lines('AT-S.ERROR'));
    assert.equal(c[0].err!.code, 'ModuleError');
    assert.equal(c[0].err!.moduleCode, -1);
  });

  it('keeps one command in flight and fails a full queue with Busy', () => {
    ready();
    const first = send(at.at());
    const queued = [send(at.at()), send(at.at()), send(at.at())];
    const rejected = send(at.at());
    assert.equal(rejected[0].err!.code, 'Busy');
    assert.equal(s.written.length, 1, 'only the first command is on the wire');
    s.feed(lines('AT-S.OK'));
    assert.equal(first[0].err, null);
    assert.equal(s.written.length, 2);
    s.feed(lines('AT-S.OK', 'AT-S.OK', 'AT-S.OK'));
    assert.ok(queued.every((q) => q.length === 1 && q[0].err === null));
  });

  it('writes a data phase right after the CR, without waiting for a prompt', () => {
    ready();
    const data = 'x\r\nAT-S.OK\r\ny';
    const out = send(at.sockw(0, data));
    assert.equal(s.written[0], 'AT+S.SOCKW=0,' + data.length + '\r' + data);
    s.feed(lines('AT-S.OK'));
    assert.equal(out[0].err, null);
  });

  it('collects a raw block that contains CR LF and AT-S.OK', () => {
    ready();
    const data = 'a\r\nAT-S.OK\r\n+WIND:55:Pending Data::0:1:1\r\nb';
    const out = send(at.sockr(0, data.length));
    s.feed(lines('AT-S.Reading:' + data.length + ':' + data.length) + data + lines('AT-S.OK'), 7);
    assert.equal(out[0].err, null);
    assert.equal(out[0].res!.payload, data);
    assert.deepEqual(winds, []);
  });

  it('times out, resynchronises, and never takes a late answer for the next command', () => {
    ready();
    const slow = send(at.gcfg('wifi_mode'));
    clock.tick(at.TIMEOUT.quick);
    assert.equal(slow[0].err!.code, 'Timeout');
    assert.equal(engine.state, 'resync');
    const next = send(at.gcfg('ip_ipaddr'));
    // The late answer of the timed-out command arrives first: discarded.
    s.feed(lines('AT-S.Var:wifi_mode=1', 'AT-S.OK'));
    assert.equal(engine.state, 'resync');
    assert.equal(next.length, 0);
    answerProbe();
    assert.equal(engine.state, 'ready');
    assert.equal(s.lastLine(), 'AT+S.GCFG=ip_ipaddr');
    s.feed(lines('AT-S.Var:ip_ipaddr=192.168.1.42', 'AT-S.OK'));
    assert.equal(parse.parseVar(next[0].res!, 'ip_ipaddr'), '192.168.1.42');
  });

  it('keeps probing a silent module, one probe per timeout, each for a different variable', () => {
    ready();
    send(at.at());
    clock.tick(at.TIMEOUT.quick);
    const probes = () => s.written.filter((w) => w.indexOf('AT+S.GCFG=console_') === 0);
    assert.equal(probes().length, 1);
    clock.tick(1000);
    assert.equal(probes().length, 2);
    assert.notEqual(probes()[0], probes()[1]);
    // The answer to the first probe arrives late: it does not end the resync.
    s.feed(lines('AT-S.Var:' + probes()[0].substring(10, probes()[0].length - 1) + '=1', 'AT-S.OK'));
    assert.equal(engine.state, 'resync');
  });

  it('fails the command in flight when the module reboots, then carries on', () => {
    ready();
    const out = send(at.gcfg('wifi_mode'));
    const after = send(at.at());
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S'));
    assert.equal(out[0].err!.code, 'ModuleReset');
    assert.equal(engine.state, 'booting');
    assert.equal(s.written.length, 1);
    s.feed(lines('+WIND:13:Copyright', '+WIND:0:Console active'));
    assert.equal(s.lastLine(), 'AT');
    s.feed(lines('AT-S.OK'));
    assert.equal(after[0].err, null);
  });

  it('completes AT+S.RESET when the module is back, with or without an OK first', () => {
    ready();
    const out = send(at.reset());
    s.feed(lines('AT-S.OK', '+WIND:2:Reset', '+WIND:1:Poweron:x', '+WIND:0:Console active'));
    assert.equal(out[0].err, null);
    assert.equal(engine.state, 'ready');
    const again = send(at.reset());
    s.feed(lines('+WIND:1:Poweron:x', '+WIND:0:Console active'));
    assert.equal(again[0].err, null);
  });

  it('delivers indications decoded, between and around commands', () => {
    ready();
    const out = send(at.at());
    s.feed(lines('+WIND:55:Pending Data::3:10:25', 'AT-S.OK', '+WIND:58:Socket Closed:3:1', '+WIND:200:Future:thing'));
    assert.equal(out[0].err, null);
    assert.deepEqual(winds.map((w) => [w.kind, w.socket]), [['PendingData', 3], ['SocketClosed', 3], ['Unknown', undefined]]);
    assert.equal(winds[0].pending, 25);
    assert.equal(winds[2].id, 200);
  });

  it('counts lines nobody asked for and garbage, and stays usable', () => {
    ready();
    s.feed('\x00\xff\xfegarbage\r\nAT-S.OK\r\nrandom line\r\n');
    assert.equal(engine.stats.unknownLines, 3);
    const out = send(at.at());
    s.feed(lines('AT-S.OK'));
    assert.equal(out[0].err, null);
  });

  it('delivers an indication only to the handlers that want it; PowerOn to every one', () => {
    ready();
    const got: string[] = [];
    engine.onWind((ev) => got.push('sockets ' + ev.id), null, 1);
    engine.onWind((ev) => got.push('link ' + ev.id), null, 2);
    engine.onWind((ev) => got.push('time ' + ev.id), null, 4);
    s.feed(lines('+WIND:55:Pending Data::0:10:10', '+WIND:62:Socket Client Gone:10.0.0.9:51000:0:1:0', '+WIND:33:WiFi Network Lost',
      '+WIND:84:NTP Server delivery:26.11.30:4:05.12.44', '+WIND:1:Poweron:171117-0328fe3-SPWF04S'));
    assert.deepEqual(got, ['sockets 55', 'sockets 62', 'link 33', 'link 84', 'time 84', 'sockets 1', 'link 1', 'time 1']);
    assert.deepEqual(winds.map((w) => w.id), [55, 62, 33, 84, 1], 'a handler without wants gets everything');
  });

  it('off() removes an indication handler, and one that removes itself does not make the next miss the indication', () => {
    ready();
    const got: string[] = [];
    const first = (ev: any) => { got.push('first ' + ev.id); engine.off(first); };
    const second = (ev: any) => got.push('second ' + ev.id);
    engine.onWind(first, null, 2);
    engine.onWind(second, null, 2);
    s.feed(lines('+WIND:33:WiFi Network Lost', '+WIND:33:WiFi Network Lost', '+WIND:1:Poweron:171117-0328fe3-SPWF04S'));
    assert.deepEqual(got, ['first 33', 'second 33', 'second 33', 'second 1'], 'first gone from every list, second never skipped');
  });

  it('passes a line starting with + that is not an indication to the command in flight', () => {
    ready();
    const out = send(at.at());
    s.feed(lines('+CWLAP:x', 'AT-S.OK'));
    assert.deepEqual(out[0].res!.lines, ['+CWLAP:x']);
    s.feed(lines('+WIND:abc'));
    assert.equal(engine.stats.unknownLines, 1, 'a malformed indication is counted, never delivered');
    assert.deepEqual(winds, []);
  });

  it('collects a counted block whose chunks are all payload, and survives a payload handler that throws', () => {
    ready();
    const block = '0123456789'.repeat(73);
    const out = send(at.sockr(0, 730));
    s.feed('AT-S.Reading:730:730\r\n');
    for (let i = 0; i < block.length; i += 64) s.feed(block.substring(i, i + 64)); // one UART event per chunk
    s.feed('AT-S.OK\r\n');
    assert.equal(out[0].res!.payload, block);
    assert.equal(engine.framer.stats.payloadBytes, 730);
    const c = at.sockr(0, 730);
    let seen = 0;
    c.onPayload = (chunk) => { seen += chunk.length; if (seen > 64) throw new Error('payload handler bug'); };
    const out2 = send(c);
    s.feed('AT-S.Reading:730:730\r\n');
    for (let i = 0; i < block.length; i += 64) s.feed(block.substring(i, i + 64));
    s.feed('AT-S.OK\r\n');
    assert.equal(seen, 730, 'every chunk still reaches the handler');
    assert.equal(out2[0].err, null, 'the block is still taken as a block: in sync');
    assert.equal(engine.framer.stats.sinkErrors, 11);
    assert.ok(s.logs.some((l) => /payload handler bug/.test(l.message)));
  });

  it('never lets a throwing callback escape the UART handler', () => {
    ready();
    engine.send(at.at(), () => { throw new Error('application bug'); });
    engine.onWind(() => { throw new Error('listener bug'); });
    assert.doesNotThrow(() => s.feed(lines('AT-S.OK', '+WIND:33:WiFi Network Lost')));
    assert.ok(s.logs.some((l) => l.level === 'error' && /application bug/.test(l.message)));
    const out = send(at.at());
    s.feed(lines('AT-S.OK'));
    assert.equal(out[0].err, null);
  });

  it('refuses parameters that would inject a command', () => {
    assert.throws(() => at.ssidtxt('lab\r\nAT+S.FCFG'), /CR/);
    assert.throws(() => at.scfg('wifi_wpa_psk_text', 'pass\nAT+S.FCFG'), /LF/);
    assert.throws(() => at.sockon('host,evil', 80, 't'), /comma/);
    assert.throws(() => at.sockon('host', 70000, 't'), /port/);
    assert.throws(() => at.scfg('x', 'a\0b'), /NUL/);
  });

  it('masks secrets in what it traces', () => {
    ready();
    const traced: string[] = [];
    engine.trace = (d, t) => { traced.push(d + t); };
    send(at.scfg('wifi_wpa_psk_text', 'correct horse battery'));
    assert.deepEqual(traced, ['>AT+S.SCFG=wifi_wpa_psk_text,********']);
    assert.equal(s.written[0], 'AT+S.SCFG=wifi_wpa_psk_text,correct horse battery\r');
  });

  it('fails everything pending with Stopped when stopped', () => {
    ready();
    const a = send(at.at());
    const b = send(at.at());
    engine.stop();
    assert.equal(a[0].err!.code, 'Stopped');
    assert.equal(b[0].err!.code, 'Stopped');
    assert.equal(clock.countTimers(), 0);
  });

  it('streams an HTTP body of any size without holding it, then completes', () => {
    ready();
    let streamed = 0;
    let last = '';
    const c = at.httpGet({ host: 'example.org', path: '/big', tls: 2 });
    c.onPayload = (chunk) => { streamed += chunk.length; last = chunk.length ? chunk : last; };
    const out = send(c);
    assert.equal(s.lastLine(), 'AT+S.HTTPGET=example.org,/big,443,2,,,,');
    const body = 'x'.repeat(100000) + 'END';
    s.feed(lines('AT-S.Http Server Status Code:200') + body + lines('AT-S.OK'), 64);
    assert.equal(out[0].err, null);
    assert.equal(streamed, body.length);
    assert.ok(last.endsWith('END'));
    assert.ok(framerPending(engine.framer) < 64);
  });

  it('fails a collected answer over its bound with Overflow, and stays in sync', () => {
    ready();
    const out = send(at.httpGet({ host: 'example.org' }));
    s.feed(lines('AT-S.Http Server Status Code:200') + 'y'.repeat(5000) + lines('AT-S.OK'));
    assert.equal(out[0].err!.code, 'Overflow');
    const next = send(at.at());
    s.feed(lines('AT-S.OK'));
    assert.equal(next[0].err, null);
  });

  it('traces the size of each block, collected, streamed or over its bound, and counts one nobody can take', () => {
    const traced: string[] = [];
    engine.trace = (dir, text) => { if (dir === '<' && text[0] === '[') traced.push(text); };
    ready();
    const block = lines('AT-S.Reading:5:5') + 'abcde' + lines('AT-S.OK');
    const collected = send({ line: 'AT+S.SOCKR=0,5', timeoutMs: 1000 });
    s.feed(block, 3);
    assert.equal(collected[0].res!.payload, 'abcde');
    let streamed = '';
    send({ line: 'AT+S.SOCKR=0,5', timeoutMs: 1000, onPayload: (c) => { streamed += c; } });
    s.feed(block, 3);
    assert.equal(streamed, 'abcde');
    const over = send({ line: 'AT+S.SOCKR=0,5', timeoutMs: 1000, maxPayload: 4 });
    s.feed(block, 3);
    assert.equal(over[0].err!.code, 'Overflow');
    assert.deepEqual(traced, ['[5 bytes of data]', '[5 bytes of data]', '[5 bytes of data]']);
    // A restart under a reset in flight: the block has no taker (counted, not traced, not collected).
    const stray = engine.stats.strayPayload; // (the bytes over the bound above)
    const reset = send(at.reset());
    // (a chunk that is all payload, in the middle, as most chunks of a read are)
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S') + lines('AT-S.Reading:5:5') + 'ab');
    s.feed('c');
    s.feed('de');
    assert.equal(engine.stats.strayPayload - stray, 5);
    assert.equal(traced.length, 3);
    s.feed(lines('+WIND:0:Console active'));
    assert.equal(reset[0].err, null);
    assert.equal(reset[0].res!.payload, '');
  });

  it('delivers every indication of a large chunk, as a host such as Node hands them over', () => {
    ready();
    const many: string[] = [];
    for (let i = 1; i <= 40; i++) many.push('+WIND:55:Pending Data::0:1:' + i, '+WIND:0');
    s.feed(lines(...many)); // 1,500 bytes at once: more indications than the bound of undelivered ones
    assert.equal(winds.length, 80);
    assert.deepEqual(winds.filter((w) => w.kind === 'PendingData').map((w) => w.pending), many.filter((_l, i) => i % 2 === 0).map((_l, i) => i + 1));
    assert.equal(engine.stats.droppedEvents, 0);
  });

  it('masks passwords of HTTP requests in traces', () => {
    const c = at.httpGet({ host: 'example.org', user: 'me', password: 's3cret' });
    assert.equal(c.line, 'AT+S.HTTPGET=example.org,/,80,0,me,s3cret,,');
    assert.equal(c.show, 'AT+S.HTTPGET=example.org,/,80,0,me,********,,');
  });

  it('backs off its probes so a slow module is caught, and fails what waits on a dead one', () => {
    ready();
    const first = send(at.at());
    clock.tick(at.TIMEOUT.quick); // timeout -> resync, probe 1 (waits 1 s)
    const queued = send(at.gcfg('wifi_mode'));
    const probeTimes: number[] = [];
    const count = () => s.written.filter((w) => w.indexOf('AT+S.GCFG=console_') === 0).length;
    let seen = count();
    for (let t = 0; t < 20000; t += 100) {
      clock.tick(100);
      if (count() > seen) {
        seen = count();
        probeTimes.push(t + 100);
      }
    }
    assert.equal(first[0].err!.code, 'Timeout');
    assert.deepEqual(probeTimes.slice(0, 4), [1000, 3000, 7000, 15000], 'waits of 1, 2, 4, 8 s');
    assert.equal(queued[0].err!.code, 'Timeout', 'queued work fails after three silent probes');
    assert.match(queued[0].err!.message, /not answering/);
    const late = send(at.at());
    assert.equal(late[0].err!.code, 'Timeout', 'new work fails at once while the module is silent');
    // The module answers the current probe: back to normal.
    answerProbe();
    assert.equal(engine.state, 'ready');
    const after = send(at.at());
    s.feed(lines('AT-S.OK'));
    assert.equal(after[0].err, null);
  });

  it('shows the intermediate lines of a long command as they arrive', () => {
    ready();
    const seen: string[] = [];
    const c = at.fwUpdate({ host: 'updates.example', path: '/fw.fota', port: 80 });
    c.onLine = (l) => seen.push(l);
    const out = send(c);
    s.feed(lines('AT-S.Loading:10%'));
    assert.deepEqual(seen, ['AT-S.Loading:10%']);
    assert.equal(out.length, 0);
    s.feed(lines('AT-S.Loading:100%', 'AT-S.OK'));
    assert.deepEqual(seen, ['AT-S.Loading:10%', 'AT-S.Loading:100%']);
    assert.equal(out[0].err, null);
  });

  it('takes a read whole however the UART cuts it: collected, streamed, over its bound, or under a reset (property)', () => {
    // A block that holds what looks like lines and final results, between two indications: the UART
    // handler takes chunks in the middle of a collected block itself, the others through the framer.
    const block = 'ab\r\nAT-S.OK\r\n+WIND:0:x\r\nAT-S.ERROR:1\r\nyz';
    const bytes = lines('+WIND:55:Pending Data::0:' + block.length + ':' + block.length, 'AT-S.Reading:' + block.length + ':' + block.length) +
      block + lines('AT-S.OK', '+WIND:58:Socket Closed:0:1');
    const cutsArb = fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }).map((a) => a.sort((x, y) => x - y));
    const modeArb = fc.constantFrom('collected', 'streamed', 'over', 'reset');
    ready();
    fc.assert(fc.property(cutsArb, modeArb, (cuts, mode) => {
      winds.length = 0;
      const stats = Object.assign({}, engine.stats);
      let streamed = '';
      const c = mode === 'reset' ? at.reset() : { line: 'AT+S.SOCKR=0,' + block.length, timeoutMs: 1000 } as ReturnType<typeof at.at>;
      if (mode === 'streamed') c.onPayload = (chunk) => { streamed += chunk; };
      if (mode === 'over') c.maxPayload = block.length - 1;
      const out = send(c);
      let from = 0;
      for (const cut of cuts.concat([bytes.length])) {
        s.feed(bytes.substring(from, cut));
        from = cut;
      }
      assert.deepEqual(winds.map((w) => w.kind), ['PendingData', 'SocketClosed']);
      assert.equal(engine.stats.payloadBytes - stats.payloadBytes, block.length);
      if (mode === 'reset') {
        assert.equal(out.length, 0, 'a reset completes at Console active, not at the OK');
        assert.equal(engine.stats.strayPayload - stats.strayPayload, block.length, 'a reset in flight takes no payload');
        s.feed(lines('+WIND:1:Poweron:x', '+WIND:0:Console active'));
        assert.equal(out[0].err, null);
        assert.equal(out[0].res!.payload, '');
        return;
      }
      assert.equal(out.length, 1);
      if (mode === 'over') {
        assert.equal(out[0].err!.code, 'Overflow');
        return;
      }
      assert.equal(out[0].err, null);
      assert.deepEqual(out[0].res!.lines, ['AT-S.Reading:' + block.length + ':' + block.length]);
      assert.equal(mode === 'streamed' ? streamed : out[0].res!.payload, block);
      assert.equal(engine.stats.strayPayload, stats.strayPayload);
    }), { numRuns: 300 });
  });
});
