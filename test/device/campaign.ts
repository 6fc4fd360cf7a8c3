// The fault campaign of issue 14 (see faults.test.ts): its plan, the fault injector, the Espruino script of
// one cycle, and the analysis of a run's output. Apart from the test so that it can be tried on the
// desktop build too (the same script against the layer in Node), which checks the campaign itself.

import type { SimModule } from '../../hosts/sim/module';
import type { PtyModule } from './pty-module';
import type { LinePeer } from './peers';
import { RECOVERY_TOLERANCE_VARS } from './budgets';

export type FaultKind = 'none' | 'link-loss' | 'drop' | 'duplicate' | 'corrupt' | 'reset-in-command' | 'reset-in-read' | 'silence' | 'late';

/** The campaign: 120 link losses, the rest spread over the other kinds, interleaved; cycle 0 has none. */
export function campaign(): FaultKind[] {
  const counts: [FaultKind, number][] = [
    // Byte faults mostly cost the layer a command timeout (10 s for a write): fewer of them, more link
    // losses (cheap), so that the run stays within minutes; 201 faults.
    ['link-loss', 120], ['drop', 20], ['duplicate', 20], ['corrupt', 15], ['reset-in-command', 10], ['reset-in-read', 10],
    ['silence', 3], ['late', 3],
  ];
  const pool: FaultKind[] = [];
  for (const [kind, n] of counts) for (let i = 0; i < n; i++) pool.push(kind);
  // A fixed shuffle (LCG): the same campaign every run.
  let seed = 12345;
  for (let i = pool.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return ['none' as FaultKind].concat(pool);
}

/** Beyond a write's timeout (10 s) and the wait for its reply (14 s) together: a cycle still not ended is
 *  stuck (its write never settled, or the link never came back). */
export const CYCLE_DEADLINE_MS = 30000;
export const PAD = 'abcdefghijklmnopqrstuvwxyz0123456789';


export interface Injector {
  injected: { [kind: string]: number };
  /** Cycles whose bytes a fault damaged on the UART (payload damage the AT protocol cannot see). */
  damagedCycles: Set<number>;
  inject(k: number, kind: FaultKind): void;
  /** Stops what is still pending (a silence's end). */
  stop(): void;
}

/** Arms fault `kind` for cycle k in the simulator (`onNextCommand`: the pseudo-terminal's command hook). */
export function injector(sim: SimModule, onNextCommand: PtyModule['onNextCommand'] | undefined): Injector {
  const injected: { [kind: string]: number } = {};
  const damagedCycles = new Set<number>();
  const silenceTimers: NodeJS.Timeout[] = [];
  const inject = (k: number, kind: FaultKind) => {
    if (kind === 'none') return;
    injected[kind] = (injected[kind] || 0) + 1;
    const n = 1 + (k % 4);
    switch (kind) {
      case 'link-loss': sim.loseLink(); break;
      case 'drop': sim.faults.dropNextBytes(n); damagedCycles.add(k); break;
      case 'duplicate': sim.faults.duplicateNextBytes(n); damagedCycles.add(k); break;
      case 'corrupt':
        // every other one on the answer of a socket read (its header and first payload bytes)
        if (k % 2 && onNextCommand) onNextCommand('AT+S.SOCKR', () => sim.faults.corruptNextBytes(n + 20));
        else sim.faults.corruptNextBytes(n);
        damagedCycles.add(k);
        break;
      case 'reset-in-command': sim.faults.resetInNextCommand(); break;
      case 'reset-in-read': onNextCommand!('AT+S.SOCKR', () => setImmediate(() => sim.hardReset())); break;
      case 'silence':
        sim.faults.silence(true);
        // longer than a quick command's timeout (2 s): the layer must resynchronise
        silenceTimers.push(setTimeout(() => sim.faults.silence(false), 3000));
        break;
      case 'late': sim.faults.answerNextLate(2500); break;
    }
  };
  return { injected, damagedCycles, inject, stop: () => { for (const t of silenceTimers) clearTimeout(t); } };
}

/** The device side of a cycle: GO(k) (one write, its reply awaited, bounded by CYCLE_DEADLINE_MS) and
 *  FINAL(); prints @OPEN/@W/@WERR/@RX/@GONE/@DONE/@READY. Needs `wifi`, T and the peer's port. */
export function cycleScript(port: number): string {
  return `
echo(0);
var S = { sock: null, n: 0, sockN: 0, k: -1, rx: "", deadline: undefined, got: false };
function whenUp() {
  if (wifi.link.state === "up") return Promise.resolve();
  return new Promise(function (resolve) {
    var on = function (s) { if (s === "up") { wifi.off("link", on); resolve(); } };
    wifi.on("link", on);
  });
}
function socket() {
  if (S.sock) return Promise.resolve(S.sock);
  return wifi.open("127.0.0.1", ${port}, "t").then(function (s) {
    // the socket's number in a variable, not a property of the socket: the minified build's own
    // members have one- and two-letter names
    var n = S.sockN = ++S.n;
    S.sock = s;
    print("@OPEN " + S.k + " " + n);
    s.on("data", function (d) {
      S.rx += d;
      var i = S.rx.indexOf("\\n");
      while (i >= 0) {
        var line = S.rx.substr(0, i);
        S.rx = S.rx.substr(i + 1);
        print("@RX " + S.k + " " + line);
        if (line.indexOf("R " + S.k + " ") === 0) S.got = true;
        i = S.rx.indexOf("\\n");
      }
      if (S.rx.length > 256) S.rx = ""; // damaged bytes without a newline: bounded
    });
    // after 'error' the layer closes the socket itself ('close' follows): the application only drops it
    var gone = function (why) { return function (e) { print("@GONE " + S.k + " " + n + " " + why + " " + (e ? e.code + " " + e.message : "")); if (S.sock === s) { S.sock = null; S.rx = ""; } }; };
    s.on("close", gone("close"));
    s.on("error", gone("error"));
    return s;
  });
}
function writeLine(s, text) {
  var r = s.write(text);
  if (r && typeof r.then === "function") return r;
  if (r !== false) return Promise.resolve();
  return new Promise(function (resolve) { var d = function () { s.off("drain", d); resolve(); }; s.on("drain", d); });
}
function finish(k, how) {
  if (S.k !== k || S.deadline === undefined) return;
  clearTimeout(S.deadline);
  S.deadline = undefined;
  var report = function () {
    T.mem("cycle " + k);
    print("@DONE " + k + " " + how + " " + wifi.link.state);
    print("@READY " + (k + 1));
  };
  // memory is compared once the link is back (after the recovery), unless the cycle is stuck
  if (how === "stuck") report();
  else whenUp().then(report);
}
global.GO = function (k) {
  S.k = k;
  S.got = false;
  S.deadline = setTimeout(function () { S.deadline = 1; finish(k, "stuck"); }, ${CYCLE_DEADLINE_MS});
  // An open may fail because the link went just now (the indication is still on its way): the
  // application tries again once the link is up, a few times. A write is never tried again.
  var tries = 0;
  var open = function () {
    return whenUp().then(socket).then(null, function (e) {
      if (++tries >= 5 || S.k !== k) throw e;
      print("@RETRY " + k + " " + (e.code || "?"));
      return open();
    });
  };
  open().then(function (s) {
    var n = S.sockN;
    return writeLine(s, "W " + k + " ${PAD}\\n").then(function () {
      print("@W " + k + " " + n);
      // the reply, until it comes, the socket goes (its data went with it, and the application saw that)
      // or a read's timeout passes: then the cycle ends without it ("no-reply")
      var sock = S.sock;
      var since = Date.now();
      return new Promise(function (resolve) {
        var wait = setInterval(function () {
          if (S.got || S.k !== k || S.sock !== sock || Date.now() - since > 14000) { clearInterval(wait); resolve(); }
        }, 20);
      });
    }, function (e) { print("@WERR " + k + " " + (e.code || "?") + " " + e.message); });
  }).then(function () { finish(k, S.got ? "ok" : "no-reply"); }, function (e) {
    print("@ERR " + k + " " + (e.code || "?") + " " + e.message);
    finish(k, "error");
  });
};
global.FINAL = function () {
  // a command still answers at the end: a last line through a socket, with the link up
  S.k = -2;
  whenUp().then(socket).then(function (s) {
    return writeLine(s, "W -2 final\\n");
  }).then(function () { T.ok("final write"); T.end(); }, function (e) { T.fail("final", e); T.end(); });
};
`;
}

export interface CampaignFigures {
  faults: number;
  cycles: number;
  problems: string[];
  summary: string[];
}

/** What a run's output says, checked against what the peer saw. */
export function analyse(output: string[], mem: { [label: string]: number | undefined }, plan: FaultKind[], peer: LinePeer, inj: Injector): CampaignFigures {
  const injected = inj.injected;
  const damagedCycles = inj.damagedCycles;
  const r = { output, mem };
  const done = new Map<number, string>();
  const writes = new Set<number>();
  /** The socket of each write, and the sockets whose error said the delivery of what they had accepted
   *  is unknown (the module's OK means it took the bytes, not that the peer got them), or that bytes
   *  write() had taken were not sent (waiting behind a read when the module restarted). */
  const writeSocket = new Map<number, number>();
  const unknownSockets = new Set<number>();
  const erroredSockets = new Set<number>();
  const writeErrors = new Map<number, string>();
  const rx: { k: number; line: string }[] = [];
  let opens = 0;
  for (const line of r.output) {
    const p = line.split(' ');
    if (p[0] === '@DONE') done.set(Number(p[1]), p[2]!);
    else if (p[0] === '@W') {
      writes.add(Number(p[1]));
      writeSocket.set(Number(p[1]), Number(p[2]));
    }
    else if (p[0] === '@WERR') writeErrors.set(Number(p[1]), p.slice(2).join(' '));
    else if (p[0] === '@RX') rx.push({ k: Number(p[1]), line: p.slice(2).join(' ') });
    else if (p[0] === '@OPEN') opens++;
    else if (p[0] === '@GONE') {
      if (p[3] === 'error') {
        erroredSockets.add(Number(p[2]));
        if (/unknown|not sent/i.test(p.slice(4).join(' '))) unknownSockets.add(Number(p[2]));
      }
    }
  }
  const peerW = peer.received.filter((l) => /^W \d+ /.test(l)).map((l) => Number(l.split(' ')[1]));
  const cycles = [...done.keys()];
  const faults = Object.values(injected).reduce((a, b) => a + b, 0);
  const stuck = cycles.filter((k) => done.get(k) === 'stuck');
  const linkLossMem = cycles.filter((k) => plan[k] === 'link-loss').map((k) => r.mem['cycle ' + k]!).filter((m) => m !== undefined);
  const baseline = r.mem['cycle 0'];
  const memEnd = r.mem['cycle ' + (plan.length - 1)];
  const bytesChecked = peer.received.reduce((a, l) => a + l.length + 1, 0) + rx.reduce((a, x) => a + x.line.length + 1, 0);

  // Writes: each reached the peer at most once, in order, or failed visibly.
  const duplicates = peerW.filter((k, i) => peerW.indexOf(k) !== i);
  const outOfOrder = peerW.filter((k, i) => i > 0 && k < peerW[i - 1]!);
  const unsettled = cycles.filter((k) => k < plan.length && !writes.has(k) && !writeErrors.has(k) && done.get(k) !== 'error' && done.get(k) !== 'stuck');
  const lostWrites = [...writes].filter((k) => peerW.indexOf(k) < 0 && !damagedCycles.has(k));
  // Written, never arrived, and its socket's error said the delivery was unknown or the bytes not sent:
  // reported honestly.
  const unknownOutcome = lostWrites.filter((k) => unknownSockets.has(writeSocket.get(k)!));
  const silentLoss = lostWrites.filter((k) => !unknownSockets.has(writeSocket.get(k)!));
  const failedButArrived = [...writeErrors.keys()].filter((k) => peerW.indexOf(k) >= 0);
  const arrivedUnflagged = failedButArrived.filter((k) => !/unknown/i.test(writeErrors.get(k)!));
  // Received: in order, nothing repeated, nothing the peer did not send (damaged cycles apart).
  const rxClean = rx.filter((x) => !damagedCycles.has(x.k) && !damagedCycles.has(Number(x.line.split(' ')[1])));
  const notSent = rxClean.filter((x) => peer.sent.indexOf(x.line) < 0);
  const rxNums = rxClean.map((x) => Number(x.line.split(' ')[1]));
  const rxRepeated = rxNums.filter((k, i) => rxNums.indexOf(k) !== i);
  const rxOutOfOrder = rxNums.filter((k, i) => i > 0 && k < rxNums[i - 1]!);
  const damagedRx = rx.length - rxClean.length;

  const summary: string[] = [];
  summary.push(`faults injected: ${faults} (${Object.keys(injected).map((k) => `${k} ${injected[k]}`).join(', ')})`);
  summary.push(`cycles completed: ${cycles.length} of ${plan.length}; ok ${cycles.filter((k) => done.get(k) === 'ok').length}, ` +
    `no reply ${cycles.filter((k) => done.get(k) === 'no-reply').length}, errors ${cycles.filter((k) => done.get(k) === 'error').length}, stuck ${stuck.length}; sockets opened ${opens}`);
  summary.push(`link-loss recoveries: ${linkLossMem.length}; writes seen by the peer ${peerW.length}, failed visibly ${writeErrors.size} ` +
    `(of which arrived anyway ${failedButArrived.length}), lost with an error saying "unknown" or "not sent" ${unknownOutcome.length}; ` +
    `lines received ${rx.length} (damaged-cycle lines ${damagedRx}); bytes checked ${bytesChecked}`);
  summary.push(`memory (usage): baseline after cycle 0 ${baseline ?? '?'}, at the end ${memEnd ?? '?'}, ` +
    `highest after a link-loss recovery ${linkLossMem.length ? Math.max(...linkLossMem) : '?'}; peak ${r.mem.peak ?? '?'}`);

  const problems: string[] = [];
  if (cycles.length < plan.length) problems.push(`only ${cycles.length} of ${plan.length} cycles ran`);
  if (faults < 200) problems.push(`only ${faults} faults were injected`);
  // A cycle may fail by its own fault (an error the application saw); after a link loss, though, the
  // application gets through within the cycle once the link is back (it tries the open again).
  const linkLossFailed = cycles.filter((k) => plan[k] === 'link-loss' && done.get(k) !== 'ok');
  if (linkLossFailed.length) problems.push(`link-loss cycles that did not get through once the link was back: ${linkLossFailed.slice(0, 20).join(', ')}`);
  // A reply the peer sent for a write it got, never received at all (late is allowed: a lost indication
  // costs a delay), without a word: no byte damage in that cycle, and no error on its socket (the AT
  // protocol cannot see payload damage: counted apart).
  const rxReplies = new Set(rx.map((x) => x.line.indexOf('R ') === 0 ? Number(x.line.split(' ')[1]) : NaN));
  const lostReplies = cycles.filter((k) => done.get(k) === 'no-reply' && peerW.indexOf(k) >= 0 && !rxReplies.has(k) &&
    !damagedCycles.has(k) && !erroredSockets.has(writeSocket.get(k)!));
  if (lostReplies.length) problems.push(`replies lost without an error the application saw: ${lostReplies.slice(0, 20).join(', ')}`);
  if (stuck.length) problems.push(`cycles stuck for ${CYCLE_DEADLINE_MS} ms: ${stuck.slice(0, 20).join(', ')}`);
  if (duplicates.length) problems.push(`writes that reached the peer twice: ${duplicates.slice(0, 20).join(', ')}`);
  if (outOfOrder.length) problems.push(`writes out of order at the peer: ${outOfOrder.slice(0, 20).join(', ')}`);
  if (unsettled.length) problems.push(`writes that never settled: ${unsettled.slice(0, 20).join(', ')}`);
  if (silentLoss.length) problems.push(`writes reported done that never reached the peer: ${silentLoss.slice(0, 20).join(', ')}`);
  if (arrivedUnflagged.length) problems.push(`writes reported failed (not as unknown) that reached the peer: ${arrivedUnflagged.slice(0, 20).join(', ')}`);
  if (notSent.length) problems.push(`received lines the peer never sent: ${notSent.slice(0, 5).map((x) => JSON.stringify(x.line)).join(', ')}`);
  if (rxRepeated.length) problems.push(`received lines repeated: ${rxRepeated.slice(0, 20).join(', ')}`);
  if (rxOutOfOrder.length) problems.push(`received lines out of order: ${rxOutOfOrder.slice(0, 20).join(', ')}`);
  if (baseline !== undefined && linkLossMem.length) {
    const grown = Math.max(...linkLossMem) - baseline;
    if (grown > RECOVERY_TOLERANCE_VARS) problems.push(`memory after link-loss recoveries grew by up to ${grown} variables over the baseline ${baseline}`);
  }
  return { faults, cycles: cycles.length, problems, summary };
}
