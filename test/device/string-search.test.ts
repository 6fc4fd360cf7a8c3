// Espruino's searches in strings, on the real engine: indexOf past the end, and RegExp alternation. Its String indexOf (and includes, and replace
// with a string) reports a needle whose start only is at the end of the string: "abc".indexOf("cx") is 2.
// build/check-string-search.mjs refuses such searches in the device sources; these runs measure the forms
// it allows, and the layer's searches that were wrong on the board: a raw block (an HTTP body) cut short at a
// chunk that ended with "A", every option of start() kept by the layer (the passphrase too), and an unknown
// log level that silenced the log instead of falling back to "warn". Its RegExp, in a pattern anchored with
// `^`, tries only the first alternative of a group that follows something matched, and anchors every
// top-level alternative: the rule regexp-alternation of build/check-espruino-syntax.mjs refuses those
// patterns, and a run here measures the ones it flags and the ones it passes.

import { strict as assert } from 'node:assert';
import { regExpAlternationProblems } from '../../build/check-espruino-syntax.mjs';
import { assertClean, describeDevice, DeviceFolder, onBoard } from './harness';

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

  it('RegExp anchored with `^`: only the first alternative of a group after something matched is tried, and a top-level alternation is anchored whole (the build refuses both)', async () => {
    folder = new DeviceFolder();
    // [pattern, text that it matches in JavaScript]: patterns the rule regexp-alternation flags, and ones it passes.
    const cases: [string, string][] = [
      ['^a(b|cd)', 'acd'], ['^AT-S\\.(OK|ERROR)', 'AT-S.ERROR:2'], ['^(x)a(b|c)', 'xac'], ['^x(?:ab|c)', 'xc'], ['^[a]b(c|d)', 'abd'], ['^ab|cd', 'xcd'],
      ['^(b|cd)', 'cd'], ['a(b|cd)', 'acd'], ['^(GET|POST)$', 'POST'], ['^(x|y)a(b|c)', 'xac'], ['^a(cd|b)', 'ab'],
    ];
    const r = await folder.run(`
var C = ${JSON.stringify(cases)};
print("@RE " + C.map(function (c) { return new RegExp(c[0]).test(c[1]) ? 1 : 0; }).join(""));
T.end();
`);
    assertClean(r);
    const got = r.output.find((l) => l.startsWith('@RE '))!.substring(4).split('').map(Number);
    const flagged = cases.map(([p]) => regExpAlternationProblems(p).length > 0);
    for (let i = 0; i < cases.length; i++) {
      assert.ok(new RegExp(cases[i]![0]).test(cases[i]![1]), 'matches in JavaScript: ' + cases[i]);
      // A pattern the rule lets pass matches on Espruino too; the ones it flags do not (should Espruino fix
      // its RegExp, these fail: the rule may then be dropped).
      assert.equal(got[i], flagged[i] ? 0 : 1, '/' + cases[i]![0] + '/ on ' + JSON.stringify(cases[i]![1]) + (flagged[i] ? ' (flagged)' : ''));
    }
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
