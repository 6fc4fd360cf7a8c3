// The ingress benchmark inside the real Espruino engine (run by test/bench/run.ts, which prepends CFG and
// the device harness's prelude, and stores it in the engine's flash beside the device build and
// Espruino's AT module). Every contender gets the same bytes: 64-byte chunks, one UART event each (one
// setTimeout(0) per chunk, as the board's idle loop hands each received chunk to the 'data' handler).
// Answers to the contender's commands are queued and fed between two lines of the stream, never inside one.
// Class members of the device build are reached by their names on the board: M (source name -> short
// name) and SOURCE_NAME (the reverse, with --profile), both prepended by run.ts.
// Prints "@R <stream> <who> <run> <units> <ms>" per measurement and "@HOLD <who> <variables>".
// Espruino JS: var and function only.
// Chunks per turn of the event loop: see step().

var CHUNK = 64;
var payload = "";
while (payload.length < 730) payload += "0123456789abcdefghijklmnopqrstuvwxyz!?";
payload = payload.substr(0, 730);

// ---- the byte source ----------------------------------------------------------------------------------
// One UART: a stream (text repeated until `lines` lines were fed) and answers queued by the fake module.
var U = { running: false, answers: "" };
function uart(handler, block, blockLines, lines, done) {
  U.h = handler; U.block = block; U.blockLines = blockLines; U.left = lines; U.pos = 0; U.done = done; U.fed = 0;
  if (!U.running) { U.running = true; setTimeout(step, 0); }
}
function answer(text) {
  U.answers += text;
  if (!U.running) { U.running = true; setTimeout(step, 0); }
}
function step() {
  var u = U;
  // Up to CFG.batch chunks per turn of the event loop, each its own call of the 'data' handler (as a UART
  // event is); then the loop turns (timers, promise callbacks). Answers only between two blocks of the
  // stream. CFG.batch 1: one setTimeout per chunk, where the engine's idle-loop latency dominates.
  // (k counts what was fed: a turn that fed only answers is not the end of the stream)
  var k = 0;
  while (k < CFG.batch) {
    var c;
    var ended = false;
    if (u.pos === 0 && u.answers.length) {
      c = u.answers.substr(0, CHUNK);
      u.answers = u.answers.substr(CHUNK);
    } else if (u.left > 0 && u.block.length) {
      c = u.block.substr(u.pos, CHUNK);
      u.pos += c.length;
      if (u.pos >= u.block.length) { u.pos = 0; u.left -= u.blockLines; u.fed += u.blockLines; ended = true; }
    } else break;
    k++;
    if (CFG.trace) print("feed " + JSON.stringify(c));
    u.h(c);
    if (ended) break; // a block ended: let the layer answer to it before the next
  }
  if (k === 0) {
    // the stream is fed: wait until the job says it is done (answers to its commands are fed meanwhile);
    // once done and answered (the job may send a command as it ends: a socket's close), the loop stops,
    // and a later answer() starts it again
    if (CFG.trace) print("done? left " + u.left + " fed " + u.fed + " pos " + u.pos);
    if (u.done && u.done()) u.done = null;
    if (!u.done && !u.answers.length) { u.running = false; return; }
  }
  setTimeout(step, 0);
}

// ---- the streams --------------------------------------------------------------------------------------
// (one string, not an array: the benchmark's own memory is the application's, and the heap is tight)
var WIND_BLOCK_LINES = 12;
var WIND_BLOCK = "+WIND:55:Pending Data::0:730:1460\r\n+WIND:24:WiFi Up:0:192.168.1.42\r\n+WIND:33:WiFi Network Lost\r\n" +
  "+WIND:58:Socket Closed:3:1\r\n+WIND:1:Poweron (171117-0328fe3-SPWF04S)\r\n" +
  "+WIND:13:Copyright (c) 2012-2017 STMicroelectronics, Inc. All rights Reserved.\r\n+WIND:0:Console active\r\n" +
  "+WIND:84:NTP Server delivery:26.11.30:4:05.12.44\r\n+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1\r\n" +
  "+WIND:19:WiFi Join:00:11:22:33:44:55\r\n+WIND:25:WiFi Association successful:SPWF-Lab\r\n+WIND:51:WPA Handshake Complete\r\n";

// ---- a fake Serial for our layer: captures 'data', answers commands as the module would ---------------
function fakeSerial(reads) {
  var s = { h: null, line: "", reads: reads || null };
  s.setup = function () {};
  s.removeAllListeners = function () { s.h = null; };
  s.on = function (ev, fn) { if (ev === "data") s.h = fn; };
  s.write = function (d) {
    s.line += d;
    var i = s.line.indexOf("\r");
    while (i >= 0) {
      var cmd = s.line.substr(0, i);
      s.line = s.line.substr(i + 1);
      respond(s, cmd);
      i = s.line.indexOf("\r");
    }
  };
  return s;
}
function respond(s, cmd) {
  if (CFG.trace) print("cmd " + cmd);
  if (cmd.indexOf("AT+S.SOCKON=") === 0) answer("AT-S.On:10.0.0.1:0\r\nAT-S.OK\r\n");
  // What is pending: 730 bytes for each read the burst has left. A read's header says what it delivers and
  // what was pending before it (spwf04s-protocol.md 3.2, as the simulator answers).
  else if (cmd.indexOf("AT+S.SOCKQ=") === 0) answer("AT-S.Query:" + (s.reads ? 730 * s.reads.left : 0) + "\r\nAT-S.OK\r\n");
  else if (cmd.indexOf("AT+S.SOCKR=") === 0) {
    if (s.reads && s.reads.left > 0) { answer("AT-S.Reading:730:" + 730 * s.reads.left-- + "\r\n" + payload + "AT-S.OK\r\n"); }
    else answer("AT-S.Reading:0:0\r\nAT-S.OK\r\n");
  } else answer("AT-S.OK\r\n");
}

// ---- contenders -----------------------------------------------------------------------------------------
var ours = null;   // { wifi, ser }
var oursEngine = null; // { h, events }
var at = null;     // { at, ser, h, lines }

function startOurs(then) {
  var ser = fakeSerial({ left: 0 });
  var before = T.now();
  var wifi = require("spwf04").start(ser, { network: false, log: "none" });
  ours = { wifi: wifi, ser: ser };
  // the module boots and answers echo-off; the link is up (a module that joined by itself at boot)
  uart(function (c) { ser.h(c); }, "+WIND:1:Poweron (171117-0328fe3-SPWF04S)\r\n+WIND:0:Console active\r\n+WIND:24:WiFi Up:0:10.0.0.9\r\n", 3, 3,
    function () { return wifi.link.state === "up"; });
  var wait = setInterval(function () {
    if (wifi.link.state !== "up" || U.answers.length) return;
    clearInterval(wait);
    print("@HOLD ours " + (T.now() - before));
    if (CFG.prof) profile(wifi.engine);
    then();
  }, 5);
}

var PROF = { t: {}, n: {} };
function profile(e) {
  var arrs = [];
  for (var k in e) if (Array.isArray(e[k]) && e[k].length >= 2 && typeof e[k][0] === "function") arrs.push(k);
  arrs.forEach(function (k, ai) {
    var a = e[k];
    var step = ai ? 2 : 3; // wind handlers in threes (fn, ctx, wants), state handlers in pairs
    for (var i = 0; i < a.length; i += step) (function (f, name) {
      a[i] = function (x) { var t0 = getTime(); f.call(this, x); var d = getTime() - t0; PROF.t[name] = (PROF.t[name] || 0) + d; PROF.n[name] = (PROF.n[name] || 0) + 1; };
    })(a[i], (ai ? "state" : "wind") + i / step);
  });
  // every method of the engine and its framer: inclusive time and calls
  [e, e[M.framer]].forEach(function (o, oi) {
    var proto = Object.getPrototypeOf(o);
    Object.getOwnPropertyNames(proto).forEach(function (k) {
      var f = proto[k];
      if (typeof f !== "function" || k === "constructor") return;
      var name = (oi ? "framer." : "engine.") + (SOURCE_NAME[k] || k);
      o[k] = function () { var t0 = getTime(); var r = f.apply(this, arguments); PROF.t[name] = (PROF.t[name] || 0) + getTime() - t0; PROF.n[name] = (PROF.n[name] || 0) + 1; return r; };
    });
  });
  var w = ours.ser.h; ours.ser.h = function (c) { var t0 = getTime(); w(c); PROF.t.data = (PROF.t.data || 0) + getTime() - t0; };
}
function startOursEngine() {
  var E0 = ours.wifi.engine && ours.wifi.engine.constructor;
  if (typeof E0 !== "function") return false;
  var h = null;
  var host = {
    uart: { write: function () {}, onData: function (f) { h = f; } },
    clock: { now: function () { return Date.now(); }, setTimeout: function (f, ms) { return setTimeout(f, ms); },
      clearTimeout: function (id) { if (id) try { clearTimeout(id); } catch (e) {} } },
    log: function () {}
  };
  var before = T.now();
  var e = new E0(host);
  oursEngine = { e: e, events: 0, h: function (c) { h(c); } };
  if (typeof e[M.onWind] !== "function") { print("@NOTE the engine has no onWind (as " + M.onWind + "): the build's member names changed"); return false; }
  e[M.onWind](function () { oursEngine.events++; });
  e.start();
  h("+WIND:0:Console active\r\n");
  print("@HOLD ours-engine " + (T.now() - before));
  return true;
}

function startAt() {
  var ser = { h: null, line: "" };
  ser.on = function (ev, fn) { if (ev === "data") ser.h = fn; };
  ser.write = function (d) {
    ser.line += d;
    var i = ser.line.indexOf("\r");
    while (i >= 0) {
      var cmd = ser.line.substr(0, i);
      ser.line = ser.line.substr(i + 1);
      respond(ser, cmd);
      i = ser.line.indexOf("\r");
    }
  };
  var before = T.now();
  var a = require("AT").connect(ser);
  at = { at: a, ser: ser, lines: 0, bytes: 0 };
  // a driver's unsolicited-line handler: one split(":") per line
  a.registerLine("+WIND", function (l) { var p = l.split(":"); at.lines++; if (p[1] === "55" && at.onPending) at.onPending(); });
  // the raw block of a read: header line, then getData for its count
  a.register("AT-S.Reading:", function (l) {
    var e = l.indexOf("\r\n");
    if (e < 0) return l; // needs more data
    var n = parseInt(l.substring(13, l.indexOf(":", 13)), 10);
    var rest = l.substr(e + 2);
    if (n > 0) a.getData(n, function (d) { at.bytes += d.length; });
    return rest;
  });
  print("@HOLD at " + (T.now() - before));
}

// ---- measurements -------------------------------------------------------------------------------------
function now() { return getTime() * 1000; }

function measureWinds(who, run, then) {
  var t0 = now();
  var h;
  if (who === "ours") h = function (c) { ours.ser.h(c); };
  else if (who === "ours-engine") h = oursEngine.h;
  else h = function (c) { at.ser.h(c); };
  uart(h, WIND_BLOCK, WIND_BLOCK_LINES, CFG.windLines, function () {
    // the stream is fed; with the answers it caused
    if (U.answers.length) return false;
    if (CFG.prof && who === "ours") { for (var k in PROF.t) print("@NOTE prof " + k + " " + (PROF.t[k] * 1000).toFixed(1) + " ms " + (PROF.n[k] || "")); PROF.t = {}; PROF.n = {}; }
    if (U.fed > 0) print("@R winds " + who + " " + run + " " + U.fed + " " + (now() - t0).toFixed(1));
    else print("@NOTE run " + run + " of the +WIND stream for " + who + " fed nothing: left out");
    setTimeout(then, 20);
    return true;
  });
}

function linkUp(then) {
  // the mixed stream leaves the link lost or recovering: the module reports WiFi Up again
  if (CFG.trace) print("link " + ours.wifi.link.state + " engine " + ours.wifi.engine.state);
  if (ours.wifi.link.state === "up") return then();
  uart(function (c) { ours.ser.h(c); }, "+WIND:1:Poweron (171117-0328fe3-SPWF04S)\r\n+WIND:0:Console active\r\n+WIND:24:WiFi Up:0:10.0.0.9\r\n", 3, 3, function () {
    if (U.answers.length) return false;
    if (ours.wifi.link.state !== "up") return false;
    then();
    return true;
  });
}

function measureReadsOurs(run, then) {
  var got = 0;
  var target = CFG.reads * 730;
  // (defined before it is called: Espruino does not hoist, and the link may already be up)
  var openAndRead = function () { ours.wifi.open("10.0.0.1", 7, "t").then(function (s) {
    sock = s;
    s.on("data", function (d) { got += d.length; });
    var t0 = now();
    var bursts = 0;
    ours.ser.reads.left = 0;
    uart(function (c) { ours.ser.h(c); }, "", 1, 0, function () {
      if (U.answers.length) return false;
      if (got >= target) {
        if (CFG.prof) { for (var k in PROF.t) print("@NOTE prof " + k + " " + (PROF.t[k] * 1000).toFixed(1) + " ms " + (PROF.n[k] || "")); PROF.t = {}; PROF.n = {}; }
        print("@R reads ours " + run + " " + got + " " + (now() - t0).toFixed(1));
        s.close().then(function () { setTimeout(then, 20); }, function () { setTimeout(then, 20); });
        return true;
      }
      // next burst: the module has CFG.burst reads of data and says so
      if (ours.ser.reads.left === 0 && got >= bursts * CFG.burst * 730) {
        bursts++;
        ours.ser.reads.left = CFG.burst;
        answer("+WIND:55:Pending Data::0:730:" + (730 * CFG.burst) + "\r\n");
      }
      return false;
    });
  }, function (e) { T.fail("reads-open", e); T.end(); }); };
  linkUp(openAndRead);
}

function measureReadsAt(run, then) {
  var target = CFG.reads * 730;
  at.bytes = 0;
  at.ser.reads = { left: 0 };
  var t0 = now();
  var bursts = 0;
  // the driver: on pending data, query; while data is there, read 730 and query again
  function query() {
    at.at.cmd("AT+S.SOCKQ=0\r", 1000, function q(l) {
      if (l === undefined) return; // timeout
      if (l.indexOf("AT-S.Query:") === 0) { query.n = parseInt(l.substr(11), 10); return q; }
      if (l === "AT-S.OK") { if (query.n > 0) read(); }
    });
  }
  function read() {
    at.at.cmd("AT+S.SOCKR=0,730\r", 1000, function r(l) {
      if (l === undefined) return;
      if (l === "AT-S.OK") query();
      else return r;
    });
  }
  at.onPending = query;
  uart(function (c) { at.ser.h(c); }, "", 1, 0, function () {
    if (U.answers.length || at.at.isBusy()) return false;
    if (at.bytes >= target) {
      print("@R reads at " + run + " " + at.bytes + " " + (now() - t0).toFixed(1));
      at.onPending = null;
      setTimeout(then, 20);
      return true;
    }
    if (at.ser.reads.left === 0 && at.bytes >= bursts * CFG.burst * 730) {
      bursts++;
      at.ser.reads.left = CFG.burst;
      answer("+WIND:55:Pending Data::0:730:" + (730 * CFG.burst) + "\r\n");
    }
    return false;
  });
}

// ---- the plan: run r, step k (a counter, not a list of closures: memory) ---------------------------------
var STEPS = 6;
var at_i = 0;
var engineOk = false;
function next() {
  var i = at_i++;
  var r = Math.floor(i / STEPS) + 1;
  if (r > CFG.runs) { T.end(); return; }
  switch (i % STEPS) {
    case 0: if (CFG.at) return measureWinds("at", r, next); break;
    case 1: if (CFG.whole) return measureWinds("ours", r, next); break;
    case 2: if (engineOk) return measureWinds("ours-engine", r, next); break;
    case 3: if (CFG.at) return measureReadsAt(r, next); break;
    case 4: if (CFG.whole) return measureReadsOurs(r, next); break;
    case 5: T.mem("after run " + r); break;
  }
  next();
}

T.base();
if (CFG.at) startAt();
if (CFG.skipOurs) next();
else startOurs(function () {
  engineOk = CFG.engineAlone && startOursEngine();
  if (CFG.engineAlone && !engineOk) print("@NOTE the engine alone is not reachable through the public API");
  next();
});
