// The Espruino host's own duties on the real engine, with a recording Serial object and recording pin
// functions (Espruino lets a script replace global.pinMode/digitalWrite): loading the module starts
// nothing; start() sets the UART up on the pins given; the reset line is pulsed low and released to an
// input, never driven high.

import { strict as assert } from 'node:assert';
import { assertClean, describeDevice, DeviceFolder } from './harness';

/** A Serial stand-in that records setup() and write(), and the pin functions, recording too. */
const RECORDERS = `
var events = [];
var fakeSerial = {
  setup: function (baud, o) { events.push("setup " + baud + " rx=" + o.rx + " tx=" + o.tx); },
  on: function () {}, removeAllListeners: function () {},
  write: function (d) { events.push("write " + JSON.stringify(d)); }
};
global.pinMode = function (p, m) { events.push(p + " mode " + m); };
global.digitalWrite = function (p, v) { events.push(p + " write " + v); };
`;

describeDevice('the Espruino host on the real engine', function () {
  this.timeout(30000);
  let folder: DeviceFolder | undefined;

  afterEach(() => {
    folder?.remove();
    folder = undefined;
  });

  it('loading the module only defines it: no timer, no serial, no pin', async () => {
    folder = new DeviceFolder();
    const r = await folder.run(RECORDERS + `
var m = require("spwf04");
print("@EXPORTS " + Object.keys(m).sort().join(","));
print("@TIMERS " + Object.keys(global["\\xff"].timers || {}).length);
print("@EVENTS " + JSON.stringify(events));
T.end();
`);
    assertClean(r);
    assert.ok(r.output.indexOf('@TIMERS 0') >= 0, r.output.join('\n'));
    assert.ok(r.output.indexOf('@EVENTS []') >= 0, r.output.join('\n'));
    assert.ok(r.output.some((l) => /^@EXPORTS .*\bstart\b/.test(l)), 'start() is exported');
  });

  it('start() sets the UART up on the pins given and pulses the reset line low, never high', async () => {
    folder = new DeviceFolder();
    const r = await folder.run(RECORDERS + `
var reset = new Pin(7);
var wifi = require("spwf04").start(fakeSerial, { rx: new Pin(10), tx: new Pin(9), reset: reset, resetPulseMs: 20, network: false, log: "none" });
setTimeout(function () {
  print("@EVENTS " + JSON.stringify(events.filter(function (e) { return e.indexOf("write \\"") !== 0; })));
  T.end();
}, 300);
`);
    assertClean(r);
    const line = r.output.find((l) => l.indexOf('@EVENTS ') === 0);
    assert.ok(line, r.output.join('\n'));
    const events: string[] = JSON.parse(line!.slice(8));
    assert.equal(events[0], 'setup 115200 rx=D10 tx=D9');
    const pin = events.filter((e) => e.indexOf('D7 ') === 0);
    assert.ok(pin.indexOf('D7 mode output') >= 0, 'the module was never reset: ' + pin.join(', '));
    assert.equal(pin[pin.length - 1], 'D7 mode input', 'the reset line was left asserted');
    assert.deepEqual(pin.filter((e) => e === 'D7 write 1'), [], 'the reset line was driven high');
  });

  it('host timers: a callback that throws is logged and the others run; clearing undefined or a fired id clears nothing else', async () => {
    folder = new DeviceFolder();
    const r = await folder.run(RECORDERS + `
var logs = [];
var host = require("spwf04").createHost(fakeSerial, { log: function (level, message) { logs.push(level + " " + message); } });
var ran = [];
var fired = host.clock.setTimeout(function () { ran.push("first"); throw new Error("boom"); }, 5);
var cleared = host.clock.setTimeout(function () { ran.push("cleared"); }, 30);
host.clock.setTimeout(function () {
  host.clock.clearTimeout(undefined);
  host.clock.clearTimeout(null);
  host.clock.clearTimeout(fired);
  host.clock.clearTimeout(cleared);
}, 15);
host.clock.setTimeout(function () { ran.push("last"); }, 50);
setTimeout(function () {
  print("@RAN " + JSON.stringify(ran));
  print("@LOGS " + JSON.stringify(logs));
  T.end();
}, 100);
`);
    assertClean(r);
    assert.ok(r.output.indexOf('@RAN ["first","last"]') >= 0, r.output.join('\n'));
    assert.ok(r.output.indexOf('@LOGS ["error timer handler failed: Error: boom"]') >= 0, r.output.join('\n'));
  });
});
