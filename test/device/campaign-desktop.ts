// The fault campaign (campaign.ts) against the desktop build in Node, without the engine: the same device
// script, fault plan and analysis, the layer running in this process on the simulator. It checks the
// campaign itself, and shows what the layer does under these faults apart from Espruino's memory.
//   npx tsx test/device/campaign-desktop.ts [cycles]      (default: the whole campaign)
import { simSession, upAndJoined } from '../helpers/sim-session';
import { linePeer } from './peers';
import { analyse, campaign, cycleScript, injector } from './campaign';
(async () => {
  const N = Number(process.argv[2] || campaign().length);
  const plan = campaign().slice(0, N);
  const s = simSession();
  await upAndJoined(s);
  const peer = await linePeer();
  // hook SOCKR commands for reset-in-read
  const watchers: { prefix: string; fn: (l: string) => void }[] = [];
  const origWrite = s.sim.write.bind(s.sim);
  (s.sim as any).write = (b: string) => {
    for (const w of watchers.slice()) if (b.indexOf(w.prefix) === 0) { watchers.splice(watchers.indexOf(w), 1); w.fn(b); }
    origWrite(b);
  };
  const inj = injector(s.sim, (prefix, fn) => watchers.push({ prefix, fn }));
  const output: string[] = [];
  const mem: { [l: string]: number } = {}; // no Espruino memory here: every sample is the same
  let finished!: () => void;
  const end = new Promise<void>((r) => { finished = r; });
  let slotsHeld = 0; // the module's socket slots in use between cycles (see faults.test.ts)
  const onLine = (line: string) => {
    output.push(line);
    if (process.env.CAMPAIGN_TRACE && /^@(DONE|RETRY|WERR|GONE)/.test(line)) console.log(line, '| link', s.conn.link.state);
    if (line.indexOf('@ERR') === 0) console.log(line, '| module: ipv4', s.sim.ipv4, 'wifi_state', s.sim.wifiState, '| link', s.conn.link.state);
    if (line.indexOf('@READY ') === 0) {
      const k = Number(line.slice(7));
      slotsHeld = Math.max(slotsHeld, s.sim.openSockets().length);
      if (k >= plan.length) { setImmediate(() => (global as any).FINAL()); return; }
      inj.inject(k, plan[k]!);
      setImmediate(() => (global as any).GO(k));
    }
  };
  const T = { mem: (l: string) => { mem[l] = 1000; }, ok: (l: string) => onLine('@OK ' + l), fail: (l: string, e: any) => onLine('@FAIL ' + l + ' ' + (e && e.message)), end: () => { onLine('@END'); finished(); } };
  const fn = new Function('T', 'wifi', 'print', 'echo', cycleScript(peer.port));
  const t0 = Date.now();
  fn(T, s.conn, onLine, () => undefined);
  onLine('@READY 0');
  await end;
  inj.stop();
  const f = analyse(output, mem, plan, peer, inj);
  f.summary.push(`module socket slots in use between cycles: at most ${slotsHeld} of 8`);
  if (slotsHeld > 2) f.problems.push(`the module held ${slotsHeld} sockets between cycles: failed sockets left open`);
  console.log(f.summary.join('\n'));
  console.log(f.problems.length ? 'problems:\n' + f.problems.join('\n') : 'no problem found');
  console.log('took', Date.now() - t0, 'ms');
  console.log(output.filter((l) => /^@(WERR|ERR|GONE|FAIL)/.test(l)).slice(0, 60).join('\n'));
  s.close(); await peer.close();
  process.exit(f.problems.length ? 1 : 0);
})();
