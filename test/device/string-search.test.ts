// Espruino's string search past the end, on the real engine. Its String indexOf (and includes, and replace
// with a string) reports a needle whose start only is at the end of the string: "abc".indexOf("cx") is 2.
// build/check-string-search.mjs refuses such searches in the device sources; these runs measure the forms
// it allows, and the layer's searches that were wrong on the board: a raw block (an HTTP body) cut short at a
// chunk that ended with "A", every option of start() kept by the layer (the passphrase too), and an unknown
// log level that silenced the log instead of falling back to "warn".

import { strict as assert } from 'node:assert';
import { mangledMemberNames, shortMemberNames } from '../../build/build.mjs';
import { assertClean, describeDevice, DeviceFolder } from './harness';

/** The name a class member has on the board (the device build shortens private names). */
function onBoard(member: string): string {
  return shortMemberNames(mangledMemberNames())[member] || member;
}

describeDevice('string searches on the real engine', function () {
  this.timeout(60000);
  let folder: DeviceFolder | undefined;

  afterEach(() => {
    folder?.remove();
    folder = undefined;
  });

  it('the searches the check allows are exact; indexOf, includes and replace are not', async () => {
    folder = new DeviceFolder();
    // A reference search in JS, and each built-in compared with it over every start of a few strings.
    const r = await folder.run(`
function ref(h, x, from) { for (var i = from; i + x.length <= h.length; i++) if (h.substr(i, x.length) === x) return i; return -1; }
function refLast(h, x) { for (var i = h.length - x.length; i >= 0; i--) if (h.substr(i, x.length) === x) return i; return -1; }
var H = "abcabdabc", NEEDLES = ["a", "c", "ab", "bc", "cX", "cab", "abd", "dab", "ca", "Xa", "abcabdabcX"];
var wrong = { indexOf: 0, includes: 0, lastIndexOf: 0, oneChar: 0, atZero: 0, fitChecked: 0, startsWith: 0, endsWith: 0, replace: 0 };
for (var n = 0; n <= H.length; n++) {
  var h = H.substr(0, n);
  for (var j = 0; j < NEEDLES.length; j++) {
    var x = NEEDLES[j];
    for (var f = 0; f <= n; f++) {
      var got = h.indexOf(x, f), want = ref(h, x, f);
      if (got !== want) wrong[x.length === 1 ? "oneChar" : "indexOf"]++;
      if (got >= 0 && got + x.length > h.length) got = -1; // the fit check
      if (got !== want) wrong.fitChecked++;
    }
    if ((h.indexOf(x) === 0) !== (ref(h, x, 0) === 0)) wrong.atZero++;
    if (h.includes(x) !== (want = ref(h, x, 0)) >= 0) wrong.includes++;
    if (h.lastIndexOf(x) !== refLast(h, x)) wrong.lastIndexOf++;
    if (h.startsWith(x) !== (ref(h, x, 0) === 0)) wrong.startsWith++;
    if (h.endsWith(x) !== (h.length >= x.length && h.substr(h.length - x.length) === x)) wrong.endsWith++;
    var i = ref(h, x, 0);
    if (h.replace(x, "#") !== (i < 0 ? h : h.substr(0, i) + "#" + h.substr(i + x.length))) wrong.replace++;
  }
}
// The same on a string in flash (this script runs from Storage): the list of start()'s options.
var LIST = " engine link startTimeoutMs resetPulseMs clock fota tlsStore ";
print("@WRONG " + JSON.stringify(wrong) + " " + LIST.indexOf(" psk ") + " " + LIST.lastIndexOf(" psk "));
T.end();
`);
    assertClean(r);
    const line = r.output.find((l) => l.startsWith('@WRONG '))!;
    const [json, flashIndexOf, flashLast] = line.substring(7).split(' ');
    const wrong = JSON.parse(json!);
    // What the layer relies on: exact.
    for (const k of ['lastIndexOf', 'oneChar', 'atZero', 'fitChecked', 'startsWith', 'endsWith']) assert.equal(wrong[k], 0, k + ' is exact on Espruino');
    assert.equal(flashLast, '-1');
    // What the check refuses. (Should Espruino fix its search, these fail: the check may then be relaxed.)
    for (const k of ['indexOf', 'includes', 'replace']) assert.ok(wrong[k] > 0, k + ' reports a needle that runs past the end');
    assert.equal(flashIndexOf, String(' engine link startTimeoutMs resetPulseMs clock fota tlsStore '.length - 1), 'found " psk " at the last space');
  });

  it('a raw block (an HTTP body) whose chunk ends with the start of "AT-S.OK" or "AT-S.ERROR:" arrives whole', async () => {
    folder = new DeviceFolder();
    // The core's framer, as the engine uses it, fed the chunks of HTTPGET's body after its status line.
    const body = 'x'.repeat(40) + 'A' + 'BC' + 'y'.repeat(20) + 'AT-S.O' + 'K?' + 'z'.repeat(12) + 'AT-S.ERRO' + 'Z';
    const chunks = ['x'.repeat(40) + 'A', 'BC' + 'y'.repeat(20) + 'AT-S.O', 'K?' + 'z'.repeat(12) + 'AT-S.ERRO', 'Z', 'AT-S', '.OK\r\n'];
    const r = await folder.run(`
var wifi = require("spwf04").createConnectivity(require("spwf04").createHost(Serial1, { log: "none" }));
var got = { payload: "", lines: [] };
var sink = { stats: { payloadBytes: 0, overlong: 0, sinkErrors: 0, badHeaders: 0 },
  line: function (t) { got.lines.push(t); }, payload: function (p) { got.payload += p; }, error: function (e) { print("@SINKERR " + e); } };
var Framer = wifi.engine[${JSON.stringify(onBoard('framer'))}].constructor;
var f = new Framer(sink, 256, 4096);
f.raw = -1;
${JSON.stringify(chunks)}.forEach(function (c) { f.push(c); });
print("@GOT " + JSON.stringify(got));
T.end();
`);
    assertClean(r);
    const got = JSON.parse(r.output.find((l) => l.startsWith('@GOT '))!.substring(5));
    assert.equal(got.payload, body);
    assert.deepEqual(got.lines, ['AT-S.OK']);
  });

  it('start() keeps only the layer\'s options (not the passphrase), and an unknown log level logs warnings', async () => {
    folder = new DeviceFolder();
    const r = await folder.run(`
var wifi = require("spwf04").start(Serial1, { path: "/nonexistent", startTimeoutMs: 60000, ssid: "SPWF-Lab",
  psk: "correct horse battery", log: "verbose", storagePrefix: "t.", baud: 115200, trustClock: false });
print("@KEPT " + Object.keys(wifi[${JSON.stringify(onBoard('options'))}]).sort().join(","));
wifi.host.log("warn", "a warning");
wifi.host.log("info", "some information");
T.end();
`);
    assertClean(r);
    assert.deepEqual(r.output.find((l) => l.startsWith('@KEPT '))!.substring(6).split(','), ['feature', 'release', 'startTimeoutMs']);
    assert.ok(r.output.indexOf('[spwf04] warn: a warning') >= 0, 'a warning is logged at the default level');
    assert.ok(!r.output.some((l) => l.indexOf('some information') >= 0), 'information is not');
  });
});
