import { strict as assert } from 'assert';
import fc from 'fast-check';
import { Framer } from '../src/at/framer';
import { framerPending } from './helpers/introspect';

type Ev = ['line', string] | ['payload', string];

/** Run bytes through a framer in the given chunks; payload chunks are merged so splits compare equal. */
function frame(chunks: string[], maxLine?: number): { events: Ev[]; framer: Framer; maxPending: number } {
  const events: Ev[] = [];
  let maxPending = 0;
  const framer = new Framer({
    line: (t) => events.push(['line', t]),
    payload: (c) => {
      const last = events[events.length - 1];
      if (last && last[0] === 'payload') last[1] += c;
      else events.push(['payload', c]);
    },
  }, maxLine || 256);
  for (const c of chunks) {
    framer.push(c);
    maxPending = Math.max(maxPending, framerPending(framer));
  }
  return { events, framer, maxPending };
}

function splitAt(s: string, cuts: number[]): string[] {
  const out: string[] = [];
  let prev = 0;
  for (const c of cuts) {
    out.push(s.substring(prev, c));
    prev = c;
  }
  out.push(s.substring(prev));
  return out;
}

const BINARY = 'ab\r\nAT-S.OK\r\n\x00\xff+WIND:55:x\r\nz';
// Recorded module output: the boot log of application note 3.2.3, a query, and a socket read whose raw
// block holds CR LF, the text AT-S.OK and a WIND-looking line.
const RECORDED =
  '+WIND:1:Poweron:171117-0328fe3-SPWF04S\r\n' +
  '+WIND:13:Copyright (c) 2012-2017 STMicroelectronics, Inc.  All rights Reserved:SPWF04SA/C\r\n' +
  '+WIND:0:Console active\r\n' +
  '+WIND:3:Watchdog Running:20\r\n' +
  '+WIND:32:WiFi Hardware Started\r\n' +
  '+WIND:24:WiFi Up:0:192.168.1.42\r\n' +
  '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1\r\n' +
  'AT-S.Query:' + BINARY.length + '\r\nAT-S.OK\r\n' +
  'AT-S.Reading:' + BINARY.length + ':' + BINARY.length + '\r\n' + BINARY + 'AT-S.OK\r\n';

const EXPECTED: Ev[] = [
  ['line', '+WIND:1:Poweron:171117-0328fe3-SPWF04S'],
  ['line', '+WIND:13:Copyright (c) 2012-2017 STMicroelectronics, Inc.  All rights Reserved:SPWF04SA/C'],
  ['line', '+WIND:0:Console active'],
  ['line', '+WIND:3:Watchdog Running:20'],
  ['line', '+WIND:32:WiFi Hardware Started'],
  ['line', '+WIND:24:WiFi Up:0:192.168.1.42'],
  ['line', '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1'],
  ['line', 'AT-S.Query:' + BINARY.length],
  ['line', 'AT-S.OK'],
  ['line', 'AT-S.Reading:' + BINARY.length + ':' + BINARY.length],
  ['payload', BINARY],
  ['line', 'AT-S.OK'],
];

describe('framer', () => {
  it('frames the recorded module output in one chunk', () => {
    assert.deepEqual(frame([RECORDED]).events, EXPECTED);
  });

  it('frames it identically at every two-way split', () => {
    for (let i = 0; i <= RECORDED.length; i++) {
      assert.deepEqual(frame(splitAt(RECORDED, [i])).events, EXPECTED, 'split at ' + i);
    }
  });

  it('frames it identically one byte at a time and in 64-byte chunks', () => {
    assert.deepEqual(frame(RECORDED.split('')).events, EXPECTED);
    const c64: string[] = [];
    for (let i = 0; i < RECORDED.length; i += 64) c64.push(RECORDED.substring(i, i + 64));
    assert.deepEqual(frame(c64).events, EXPECTED);
  });

  it('frames it identically at every three-way split around the raw block', () => {
    const start = RECORDED.indexOf('AT-S.Reading');
    for (let i = start; i < RECORDED.length; i++) {
      for (let j = i; j <= RECORDED.length; j++) {
        assert.deepEqual(frame(splitAt(RECORDED, [i, j])).events, EXPECTED, 'split at ' + i + ',' + j);
      }
    }
  });

  it('skips blank lines and accepts a bare LF as a line end', () => {
    const r = frame(['\r\n\r\nAT-S.OK\n\nAT-S.Var:a=1\r\n\n']);
    assert.deepEqual(r.events, [['line', 'AT-S.OK'], ['line', 'AT-S.Var:a=1']]);
  });

  it('drops a line over its bound, counts it, and recovers at the next line', () => {
    const long = 'X'.repeat(100);
    const r = frame(['AT-S.OK\r\n', long.substring(0, 60), long.substring(60) + '\r\nAT-S.Var:b=2\r\n'], 50);
    assert.deepEqual(r.events, [['line', 'AT-S.OK'], ['line', 'AT-S.Var:b=2']]);
    assert.equal(r.framer.stats.overlong, 1);
    assert.ok(r.maxPending <= 50);
  });

  it('keeps a line of exactly the bound however the chunks fall, even between its CR and LF', () => {
    const line = 'Z'.repeat(50);
    const whole = line + '\r\nAT-S.OK\r\n';
    for (let cut = 1; cut < whole.length; cut++) {
      const r = frame([whole.substring(0, cut), whole.substring(cut)], 50);
      assert.deepEqual(r.events, [['line', line], ['line', 'AT-S.OK']], 'cut at ' + cut);
      assert.equal(r.framer.stats.overlong, 0, 'cut at ' + cut);
    }
  });

  it('drops an over-long line that arrives whole in one chunk', () => {
    const r = frame(['Y'.repeat(80) + '\r\nAT-S.OK\r\n'], 50);
    assert.deepEqual(r.events, [['line', 'AT-S.OK']]);
    assert.equal(r.framer.stats.overlong, 1);
  });

  it('takes an announced payload for blocks it does not know', () => {
    const events: Ev[] = [];
    const f = new Framer({
      line: (t) => {
        events.push(['line', t]);
        if (t === 'AT-S.Custom:4') f.raw = 4; // the mode field: a payload of 4 bytes follows
      },
      payload: (c) => events.push(['payload', c]),
    }, 100);
    f.push('AT-S.Custom:4\r\n\r\n\r\nAT-S.OK\r\n');
    assert.deepEqual(events, [['line', 'AT-S.Custom:4'], ['payload', '\r\n\r\n'], ['line', 'AT-S.OK']]);
  });

  it('keeps going when a sink callback throws', () => {
    const seen: string[] = [];
    const f = new Framer({
      line: (t) => {
        seen.push(t);
        if (t === 'boom') throw new Error('sink failure');
      },
      payload: () => {},
    }, 100);
    f.push('a\r\nboom\r\nb\r\n');
    assert.deepEqual(seen, ['a', 'boom', 'b']);
    assert.equal(f.stats.sinkErrors, 1);
  });

  it('streams an unbounded raw block up to the final line, at every split', () => {
    const body = 'HTTP/1.0 200 OK\r\n\r\n<html>\r\nAT-S.O\r\nAT-S.ERR\r\n</html>';
    const stream = 'AT-S.Http Server Status Code:200\r\n' + body + 'AT-S.OK\r\n+WIND:33:WiFi Network Lost\r\n';
    for (let i = 0; i <= stream.length; i++) {
      const events: Ev[] = [];
      const f = new Framer({
        line: (t) => {
          events.push(['line', t]);
          if (t.indexOf('AT-S.Http') === 0) f.raw = -1;
        },
        payload: (c) => {
          const last = events[events.length - 1];
          if (last && last[0] === 'payload') last[1] += c;
          else events.push(['payload', c]);
        },
      }, 64);
      for (const c of splitAt(stream, [i])) f.push(c);
      assert.deepEqual(events, [['line', 'AT-S.Http Server Status Code:200'], ['payload', body], ['line', 'AT-S.OK'],
        ['line', '+WIND:33:WiFi Network Lost']], 'split at ' + i);
      assert.ok(framerPending(f) <= 64);
    }
  });

  it('ends an empty unbounded raw block at a final line that comes right after its start, at every split', () => {
    const stream = 'STATUS\r\nAT-S.OK\r\n+WIND:33:WiFi Network Lost\r\n';
    for (let i = 0; i <= stream.length; i++) {
      const lines: string[] = [];
      const ends: [string, number][] = [];
      const f = new Framer({
        line: (t) => { lines.push(t); if (t === 'STATUS') f.raw = -1; },
        payload: (c, remaining) => ends.push([c, remaining]),
      }, 64);
      for (const c of splitAt(stream, [i])) f.push(c);
      assert.deepEqual(lines, ['STATUS', 'AT-S.OK', '+WIND:33:WiFi Network Lost'], 'split at ' + i);
      assert.equal(ends.map((e) => e[0]).join(''), '', 'split at ' + i);
      assert.equal(ends[ends.length - 1]![1], 0, 'the block ends (split at ' + i + ')');
    }
  });

  it('ends an unbounded raw block at an error line too', () => {
    const events: Ev[] = [];
    const f = new Framer({
      line: (t) => { events.push(['line', t]); if (t === 'STATUS') f.raw = -1; },
      payload: (c) => events.push(['payload', c]),
    }, 64);
    f.push('STATUS\r\npartial bodyAT-S.ERROR:65:DNS address failure\r\n');
    assert.deepEqual(events.filter((e) => e[0] === 'line'), [['line', 'STATUS'], ['line', 'AT-S.ERROR:65:DNS address failure']]);
  });

  it('is not confused by an indication before, after or inside the window of a raw block', () => {
    const raw = '+WIND:58:Socket Closed:0:0\r\n';
    const stream = '+WIND:55:Pending Data::0:30:30\r\nAT-S.Reading:' + raw.length + ':' + raw.length + '\r\n' + raw +
      'AT-S.OK\r\n+WIND:55:Pending Data::0:1:1\r\n';
    for (let i = 0; i <= stream.length; i++) {
      assert.deepEqual(frame(splitAt(stream, [i])).events, [['line', '+WIND:55:Pending Data::0:30:30'],
        ['line', 'AT-S.Reading:' + raw.length + ':' + raw.length], ['payload', raw], ['line', 'AT-S.OK'],
        ['line', '+WIND:55:Pending Data::0:1:1']]);
    }
  });

  it('does not obey a damaged or oversized block header', () => {
    // (each count digits only, as the module writes them: no sign, space, fraction, exponent or leading zero)
    for (const bad of ['AT-S.Reading:872', 'AT-S.Reading:88:8', 'AT-S.Reading:9000:9000', 'AT-S.Reading:1x:2', 'AT-S.Reading::5',
      'AT-S.Reading:+5:5', 'AT-S.Reading: 5:5', 'AT-S.Reading:5.0:5', 'AT-S.Reading:-1:5', 'AT-S.Reading:1e1:20',
      'AT-S.Reading:05:5', 'AT-S.Reading:5:5x', 'AT-S.Reading:5:', 'AT-S.Reading:5:1234567']) {
      const r = frame([bad + '\r\nAT-S.OK\r\n'], 256);
      assert.deepEqual(r.events, [['line', bad], ['line', 'AT-S.OK']], bad);
      assert.equal(r.framer.stats.badHeaders, 1, bad);
    }
    const ok = frame(['AT-S.Reading:0:0\r\nAT-S.OK\r\n']);
    assert.deepEqual(ok.events, [['line', 'AT-S.Reading:0:0'], ['line', 'AT-S.OK']]);
  });

  it('gives up a payload when told to, and frames lines again', () => {
    const r = frame(['AT-S.Reading:100:100\r\nabc']);
    r.framer.raw = 0; // the mode field: lines again
    r.framer.push('AT-S.OK\r\n');
    assert.deepEqual(r.events.slice(-1), [['line', 'AT-S.OK']]);
  });

  describe('properties', () => {
    const cutsArb = fc.uniqueArray(fc.integer({ min: 0, max: RECORDED.length }), { maxLength: 40 }).map((a) => a.sort((x, y) => x - y));

    it('any chunking of the recorded output gives the same events', () => {
      fc.assert(fc.property(cutsArb, (cuts) => {
        assert.deepEqual(frame(splitAt(RECORDED, cuts)).events, EXPECTED);
      }), { numRuns: 2000 });
    });

    it('garbage between lines never throws, stays bounded and the lines around it survive', () => {
      const garbage = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((n) => String.fromCharCode(n)), maxLength: 600 });
      fc.assert(fc.property(garbage, cutsArb, (g, cuts) => {
        // Garbage cannot contain an announced raw block header that would swallow what follows.
        fc.pre(g.indexOf('AT-S.Reading:') < 0);
        const stream = 'AT-S.Var:first=1\r\n' + g + '\r\n' + RECORDED;
        const r = frame(splitAt(stream, cuts.filter((c) => c <= stream.length)), 256);
        assert.ok(r.maxPending <= 256);
        assert.deepEqual(r.events[0], ['line', 'AT-S.Var:first=1']);
        assert.deepEqual(r.events.slice(r.events.length - EXPECTED.length), EXPECTED);
      }), { numRuns: 2000 });
    });
  });
});
