import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { Emitter } from '../src/util/emitter';
import { createConnectivity } from '../src/index';
import { scriptedHost, lines } from './helpers/scripted-host';
import { listenerCount } from './helpers/introspect';

// The emitter every service extends: a listener that throws is reported through `onError`, which is a Log
// (the host's log: the façade needs no closure to report it), and never stops the other listeners.

describe('emitter', () => {
  it('reports a listener that throws through onError as a log line, and runs the others', () => {
    const e = new Emitter();
    const logged: string[] = [];
    e.onError = (level, message) => logged.push(level + ' ' + message);
    const got: any[] = [];
    e.on('x', () => { throw new Error('boom'); });
    e.on('x', (a, b) => got.push([a, b]));
    e.emit('x', 1, 2);
    assert.deepEqual(got, [[1, 2]]);
    assert.deepEqual(logged, ['error listener failed: Error: boom']);
  });

  it('an emit calls the listeners it found: one added or removed by a listener counts from the next emit', () => {
    const e = new Emitter();
    const got: string[] = [];
    const b = () => got.push('b');
    const c = () => got.push('c');
    e.on('x', () => {
      got.push('a');
      e.off('x', b);
      e.on('x', c);
    });
    e.on('x', b);
    e.emit('x');
    assert.deepEqual(got, ['a', 'b']);
    got.length = 0;
    e.emit('x');
    assert.deepEqual(got, ['a', 'c']);
  });

  it('a listener that throws in the middle: the ones after it run, each once', () => {
    const e = new Emitter();
    const logged: string[] = [];
    e.onError = (level, message) => logged.push(message);
    const got: number[] = [];
    e.on('x', () => got.push(1));
    e.on('x', () => { throw new Error('two'); });
    e.on('x', () => got.push(3));
    e.on('x', () => { throw new Error('four'); });
    e.on('x', () => got.push(5));
    e.emit('x');
    assert.deepEqual(got, [1, 3, 5]);
    assert.deepEqual(logged, ['listener failed: Error: two', 'listener failed: Error: four']);
  });

  it('holds nothing until a listener is added, and counts every event', () => {
    const e = new Emitter();
    assert.deepEqual(Object.keys(e), [], 'no table, no field before the first listener');
    e.emit('x'); // nothing to run
    const f = () => undefined;
    e.on('x', f);
    e.on('y', f);
    assert.equal(listenerCount(e), 2);
    e.off('x', f);
    e.off('nothing', f);
    assert.equal(listenerCount(e), 1);
  });

  it("the façade: a throwing 'link' listener is logged by the host's log, and the link goes on", async () => {
    const clock = sinon.useFakeTimers();
    const s = scriptedHost();
    const conn = createConnectivity(s.host);
    try {
      const states: string[] = [];
      conn.on('link', () => { throw new Error('app bug'); });
      conn.on('link', (st) => states.push(st));
      conn.engine.start();
      s.feed(lines('+WIND:0:Console active', '+WIND:24:WiFi Up:0:192.168.1.42'));
      await clock.tickAsync(0);
      assert.equal(conn.link.state, 'up');
      assert.deepEqual(states, ['up']);
      assert.ok(s.logs.some((l) => l.level === 'error' && l.message === 'listener failed: Error: app bug'), JSON.stringify(s.logs));
    } finally {
      conn.stop();
      clock.restore();
    }
  });
});
