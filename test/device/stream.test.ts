// 100 KB received and 100 KB sent on one TCP socket on the real engine, with memory flat: the usage after
// the last 1 KB block is within FLAT_TOLERANCE_VARS of the usage after block 10, each way. The sender
// writes as a Node-streams writer does: until write() returns false, then it waits for 'drain'. Every byte
// is checked against the peer's pattern on both sides.

import { strict as assert } from 'node:assert';
import { FLAT_TOLERANCE_VARS } from './budgets';
import { assertClean, describeDevice, held, printHeld } from './harness';
import { streamPeer } from './peers';
import { rigPerTest, FLOW_SIM } from './rig';
import { bringUp, PATTERN_JS, PUMP, RECEIVE_UNTIL } from './scripts';

const TOTAL = 100 * 1024;
const BLOCK = 1024;

describeDevice('100 KB each way on one socket on the real engine', function () {
  this.timeout(120000);
  const rigs = rigPerTest();

  it(`receives and sends ${TOTAL / 1024} KB with no growth of memory per block`, async () => {
    const rig = await rigs.open(FLOW_SIM);
    const peer = rig.later(await streamPeer());
    // The application's own code and data before the baseline: only the layer is counted.
    const r = await rig.run(PATTERN_JS + PUMP + RECEIVE_UNTIL + bringUp(rig.pty) + `
var TOTAL = ${TOTAL};
var BLOCK = ${BLOCK};
function receiveAll(s) {
  return new Promise(function (resolve, reject) {
    var pos = 0;
    var onData = function (d) {
      if (!checkPattern(pos, d) || pos + d.length > TOTAL) {
        s.off("data", onData);
        reject(new Error("received bytes differ from the peer's from byte " + pos));
        return;
      }
      var before = Math.floor(pos / BLOCK);
      pos += d.length;
      if (before < 10 && pos >= 10 * BLOCK) T.mem("rx after block 10");
      if (pos === TOTAL) { T.mem("rx after the last block"); s.off("data", onData); resolve(s); }
    };
    s.on("data", onData);
    s.on("error", reject);
    s.write("SEND " + TOTAL + "\\n");
  });
}
function sendAll(s) {
  var answer = receiveUntil(s, "\\n");
  var go = s.write("RECV " + TOTAL + "\\n");
  return Promise.resolve(go).then(function () {
    return pump(s, TOTAL, BLOCK, function (blocks) {
      if (blocks === 10) T.mem("tx after block 10");
      if (blocks === TOTAL / BLOCK) T.mem("tx after the last block");
    });
  }).then(function () { return answer; });
}
up().then(join).then(function () { return wifi.open("127.0.0.1", ${peer.port}, "t"); }).then(function (s) {
  T.mem("opened");
  return receiveAll(s).then(sendAll).then(function (answer) {
    T.ok("peer " + answer.trim());
    return s.close();
  });
}).then(function () { T.mem("closed"); T.end(); }, failAndEnd("stream"));
`, { timeoutMs: 100000 });
    printHeld('100 KB each way', r);
    console.log(`      peer: ${peer.log.join(', ')}; bytes it checked ${peer.received}`);
    assertClean(r);
    assert.ok(r.ok.indexOf(`peer GOT ${TOTAL} OK`) >= 0, 'the peer got every byte, in order: ' + r.ok.join('; '));
    const rx = held(r, 'rx after the last block') - held(r, 'rx after block 10');
    const tx = held(r, 'tx after the last block') - held(r, 'tx after block 10');
    assert.ok(rx <= FLAT_TOLERANCE_VARS, `receiving grew by ${rx} variables from block 10 to block ${TOTAL / BLOCK}`);
    assert.ok(tx <= FLAT_TOLERANCE_VARS, `sending grew by ${tx} variables from block 10 to block ${TOTAL / BLOCK}`);
  });
});
