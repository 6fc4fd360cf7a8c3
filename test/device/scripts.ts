// Pieces of the Espruino scripts the device tests run (Espruino JS, in the subset: var, function, no
// arrows). Every flow starts the same way: the memory sampler, the baseline, require("spwf04") and start()
// as the README says, with the serial path of the simulator's pseudo-terminal instead of the Nucleo pins.

export const NETWORK = { ssid: 'SPWF-Lab', psk: 'correct horse battery' };

/**
 * The application's start, measured: @MEM base (before require), required, start-called, started.
 * Defines `wifi`, `up(next)` (the documented `wifi.start()`), `join(next)`, `failAndEnd(label)`.
 * Set DEVICE_UP=ready to wait for the 'ready' event instead of calling start() a second time: a way to
 * see past the double-start defect of issue 10 when measuring today's build; the tests use start().
 */
export function bringUp(pty: string, extraOptions = ''): string {
  const upByReady = process.env.DEVICE_UP === 'ready';
  // startTimeoutMs: the simulator boots in milliseconds; a start() that cannot succeed fails in 8 s, not 20.
  const options = 'startTimeoutMs: 8000' + (extraOptions ? ', ' + extraOptions : '');
  // The script's own functions come before the baseline: they are the application's variables, not the
  // layer's (about 40 of them).
  return `
var wifi;
function failAndEnd(label) { return function (e) { T.fail(label, e); T.end(); }; }
// up(next) and join(next) nest, as an application on the board should: each pending link of a promise
// chain is about 20 variables of the application's until the chain ends (the flows' scripts chained six
// of them, about 130 variables, and their peak counted them as the layer's). Without next, a promise.
function up(next) {
${upByReady
    ? '  var p = new Promise(function (resolve) { wifi.on("ready", function () { resolve(); }); });'
    : '  var p = wifi.start();'}
  if (next) { p.then(function () { T.mem("started"); next(); }, failAndEnd("start")); return; }
  return p.then(function () { T.mem("started"); });
}
function join(next) {
  var p = wifi.join({ ssid: ${JSON.stringify(NETWORK.ssid)}, psk: ${JSON.stringify(NETWORK.psk)} });
  if (next) { p.then(function (ip) { T.mem("joined"); T.ok("joined " + ip); next(ip); }, failAndEnd("join")); return; }
  return p.then(function (ip) {
    T.mem("joined");
    T.ok("joined " + ip);
    return ip;
  });
}
T.sample(5);
T.base();
var mod = require("spwf04");
T.mem("required");
wifi = mod.start(Serial1, { path: ${JSON.stringify(pty)}, ${options} });
T.mem("start-called");
`;
}

/** Reads a socket until it has `text`: resolves with all it got. */
export const RECEIVE_UNTIL = `
function receiveUntil(s, text) {
  return new Promise(function (resolve) {
    var got = "";
    var onData = function (d) {
      got += d;
      if (got.indexOf(text) >= 0) { s.off("data", onData); resolve(got); }
    };
    s.on("data", onData);
  });
}
`;

/** What a Node-streams writer does: write until write() returns false, then wait for 'drain'. A write
 *  that returns a Promise (today's socket API) is waited for, so the writer never floods the layer. */
export const PUMP = `
function pump(s, total, blockSize, onBlock) {
  return new Promise(function (resolve, reject) {
    var sent = 0;
    var blocks = 0;
    var errored = false;
    s.on("error", function (e) { errored = true; reject(e); });
    function next() {
      while (sent < total && !errored) {
        var n = Math.min(blockSize, total - sent);
        var r = s.write(patternAt(sent, n));
        sent += n;
        blocks++;
        if (onBlock) onBlock(blocks, sent);
        if (r === false) { s.on("drain", once); return; }
        if (r && typeof r.then === "function") { r.then(next, reject); return; }
      }
      if (!errored && sent >= total) resolve(sent);
    }
    function once() { s.off("drain", once); next(); }
    next();
  });
}
`;

/** The byte pattern of the stream peers: byte i is "a" + i % 26. PATTERN.substr(p % 26, n) for n <= 256
 *  (kept short: it is the application's memory, ~25 variables). */
export const PATTERN_JS = `
var PATTERN = "abcdefghijklmnopqrstuvwxyz";
while (PATTERN.length < 26 + 256) PATTERN += "abcdefghijklmnopqrstuvwxyz";
function patternAt(pos, n) {
  var out = "";
  while (out.length < n) out += PATTERN.substr((pos + out.length) % 26, Math.min(256, n - out.length));
  return out;
}
function checkPattern(pos, d) {
  for (var o = 0; o < d.length; o += 256) {
    var part = d.substr(o, 256);
    if (part !== PATTERN.substr((pos + o) % 26, part.length)) return false;
  }
  return true;
}
`;

export function patternBytes(from: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = 97 + ((from + i) % 26);
  return b;
}
