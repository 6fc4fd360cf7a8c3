// The engine check: build/out/espruino/spwf04.js runs in QuickJS with a memory cap (see DEFAULT_MEMORY_LIMIT for
// why it is 512 KB and what bounds the flow's own allocations) and without the
// built-ins Espruino lacks, loaded as an Espruino module and started with the documented call, against
// the simulated SPWF04S and a real TCP echo server on 127.0.0.1. Real time, small simulator delays;
// nothing here asserts a duration.

import { strict as assert } from 'assert';
import { buildEspruino } from '../../build/build.mjs';
import { DEFAULT_MEMORY_LIMIT, FLOW_MEMORY_LIMIT, EspruinoSandbox, RESET_PIN, runEchoFlow } from './quickjs-harness';

describe('Espruino bundle in QuickJS (engine check)', function () {
  this.timeout(60000);

  before(async function () {
    // The file under test is the real build output, fresh from the sources.
    await buildEspruino();
  });

  describe('the sandbox', function () {
    let sb: EspruinoSandbox;
    beforeEach(async function () {
      sb = await EspruinoSandbox.create();
    });
    afterEach(function () {
      sb.dispose();
    });

    it('has none of the built-ins that Espruino lacks', function () {
      const present = sb.evalOrThrow(`[
        typeof Map, typeof Set, typeof WeakMap, typeof Symbol, typeof Proxy, typeof Reflect, typeof BigInt,
        typeof TextEncoder, typeof queueMicrotask, typeof RangeError, typeof Array.from, typeof Array.of,
        typeof [].lastIndexOf, typeof [].flat, typeof [].at, typeof Promise.prototype.finally, typeof Promise.race,
        typeof Object.freeze, typeof Object.is, typeof Number.isInteger, typeof "".trimStart, typeof "".codePointAt,
        typeof Math.trunc, typeof Date.UTC, typeof Uint8Array.from, typeof new Uint8Array(1).lastIndexOf
      ].filter(function (t) { return t !== 'undefined'; }).length`, 'probe.js');
      assert.equal(present, 0);
    });

    it('behaves like Espruino where the bundle depends on it', function () {
      assert.equal(sb.evalOrThrow('"a,b,c".split(",", 1).length', 'split.js'), 3); // limit ignored
      assert.throws(() => sb.evalOrThrow('clearTimeout(12345)', 'clear.js'), /Unknown Timeout/);
      sb.evalOrThrow('setTimeout(function () {}, 1000); setTimeout(function () {}, 1000); clearTimeout()', 'clearall.js');
      assert.equal(sb.pendingTimers(), 0); // clearTimeout() with no id clears every timer
      assert.equal(sb.evalOrThrow('E.toString([104, 105], "!")', 'e.js'), 'hi!');
      assert.equal(sb.evalOrThrow('Nucleo.D7 === A8 && String(Nucleo.D2) === "A10"', 'pins.js'), true);
    });
  });

  it('starts, joins, echoes over TCP and closes, with the reset pin', async function () {
    const message = 'Hello from Espruino in QuickJS';
    const r = await runEchoFlow({ message });
    const mem = 'QuickJS memory in use after the flow: ' + r.memoryUsedBytes + ' bytes of ' + r.memoryLimitBytes +
      ' (after loading the module: ' + r.memoryAfterLoadBytes + '; the flow added ' + (r.memoryUsedBytes - r.memoryAfterLoadBytes) + ')';
    console.log('      ' + mem);

    assert.equal(r.error, undefined, 'flow error: ' + r.error + '\n' + r.logs.join('\n'));
    assert.deepEqual(r.uncaught, []);
    assert.ok(r.ok, 'the echo did not come back: ' + JSON.stringify(r.echoed));
    assert.equal(r.echoed, message);
    assert.equal(r.closed, true);
    assert.equal(r.ip, '192.168.1.42');
    assert.ok(r.memoryUsedBytes > 0 && r.memoryUsedBytes <= DEFAULT_MEMORY_LIMIT, mem);
    assert.ok(r.memoryUsedBytes - r.memoryAfterLoadBytes <= FLOW_MEMORY_LIMIT, mem);
  });

  it('only defines the library when loaded: it starts nothing', async function () {
    const r = await runEchoFlow();
    assert.deepEqual(r.exportsSeen.slice().sort(), ['$', 'createConnectivity', 'createHost', 'start']);
    assert.equal(r.timersAfterLoad, 0);
    assert.equal(r.serialBytesAfterLoad, 0);
    assert.equal(r.pinEventsAfterLoad, 0);
  });

  it('sets the UART up on the given pins and never drives the reset line high', async function () {
    const r = await runEchoFlow();
    assert.deepEqual(r.serialSetups, [{ port: 'Serial1', baud: '115200', rx: 'A10', tx: 'A9' }]);
    assert.deepEqual(r.drivenHigh, []);
    const resetEvents = r.pinEvents.filter((e) => e.indexOf(RESET_PIN + ' ') === 0);
    assert.ok(resetEvents.includes(RESET_PIN + ' mode output'), 'the module was never reset: ' + resetEvents.join(', '));
    assert.equal(resetEvents[resetEvents.length - 1], RESET_PIN + ' mode input', 'the reset line was left asserted');
  });

  it('works without a reset pin (module already powered)', async function () {
    const r = await runEchoFlow({ useResetPin: false, message: 'no reset pin' });
    assert.deepEqual(r.uncaught, []);
    assert.equal(r.error, undefined, 'flow error: ' + r.error);
    assert.equal(r.echoed, 'no reset pin');
    assert.deepEqual(r.pinEvents, []);
  });
});
