// A bench for the link against the simulated module, on sinon fake timers: the façade (Connectivity) on a
// Node host whose UART is the simulator, a reset pin that works, does nothing (the IDW04A1 defect) or is
// absent, a record of the link's events, the exchange (secrets masked) and the logs.

import * as sinon from 'sinon';
import { SimModule, type SimOptions } from '../../hosts/sim/module';
import { createNodeHost } from '../../hosts/node/host';
import { createConnectivity, Connectivity, ConnectivityOptions } from '../../src/index';
import { Host, LogLevel } from '../../src/host';
import { Link } from '../../src/wifi/link';
import { SeededRandom } from '../../hosts/sim/prng';

/** Delays of a module that answers quickly but not at once (ms). */
export const QUICK = {
  bootMs: 20, hardwareStartMs: 20, resetMs: 5, scanMs: 50, joinMs: 10, associationMs: 20, handshakeMs: 20,
  dhcpMs: 20, ipv6Ms: 10, scanRetryMs: 1000, joinRetryMs: 1000, radioOffMs: 5, radioOnMs: 10, ntpMs: 5000,
};

export interface Bench {
  sim: SimModule;
  host: Host;
  conn: Connectivity;
  link: Link;
  /** 'state' events of the link: [state, info]. */
  events: [string, any][];
  /** Lines exchanged, '>' host to module, '<' module to host. */
  trace: string[];
  logs: { level: LogLevel; message: string }[];
  /** Pulses on the reset pin (asserted, then released). */
  pulses: number;
  /** Commands sent since `from` (index into trace). */
  sent(from?: number): string[];
  close(): void;
}

export interface BenchOptions {
  sim?: SimOptions;
  conn?: ConnectivityOptions;
  /** 'usable' (default): the pin resets the module; 'broken': it does nothing (IDW04A1 without the
   *  WIFI_RST fix); 'none': the host has no reset pin. */
  pin?: 'usable' | 'broken' | 'none';
  /** Seed of the jitter source (deterministic). */
  seed?: number;
  /** Keep only the last n trace lines, logs and events (long runs). */
  keep?: number;
}

export function bench(o: BenchOptions = {}): Bench {
  const sim = new SimModule(Object.assign({ chunkSize: 64 }, o.sim || {}, { timing: Object.assign({}, QUICK, (o.sim && o.sim.timing) || {}) }));
  const logs: { level: LogLevel; message: string }[] = [];
  const trace: string[] = [];
  const keep = o.keep || Infinity;
  const push = <T>(list: T[], item: T) => { list.push(item); if (list.length > keep) list.shift(); };
  const pin = o.pin || 'usable';
  const b = { pulses: 0 } as Bench;
  const host = createNodeHost({ write: (x) => sim.write(x), onData: (cb) => sim.onOutput(cb) }, {
    log: (level, message) => { push(logs, { level, message }); },
    setReset: pin === 'none' ? undefined : (asserted) => {
      if (asserted) b.pulses++;
      else if (pin === 'usable') sim.hardReset();
    },
  });
  const random = new SeededRandom(o.seed || 7);
  const connOpts: ConnectivityOptions = Object.assign({ trace: (d: string, t: string) => { push(trace, d + ' ' + t); } }, o.conn || {});
  connOpts.link = Object.assign({ random: () => random.next() }, connOpts.link || {});
  const conn = createConnectivity(host, connOpts);
  // Without a working reset pin, start() cannot boot the module: it is powered with the board.
  if (pin !== 'usable') sim.powerOn();
  const events: [string, any][] = [];
  conn.link.on('state', (s, info) => push(events, [s, info] as [string, any]));
  return Object.assign(b, {
    sim, host, conn, link: conn.link, events, trace, logs,
    sent: (from = 0) => trace.slice(from).filter((l) => l.startsWith('> ')).map((l) => l.substring(2)),
    close: () => { conn.stop(); sim.close(); },
  });
}

/** Advance fake time until `done()` or `maxMs`, in steps; returns the time spent. */
export async function until(clock: sinon.SinonFakeTimers, done: () => boolean, maxMs: number, stepMs = 100): Promise<number> {
  let spent = 0;
  while (!done() && spent < maxMs) {
    await clock.tickAsync(stepMs);
    spent += stepMs;
  }
  return spent;
}

/** Start the module and join; resolves with the IPv4 address or the error, while fake time runs. */
export async function startAndJoin(clock: sinon.SinonFakeTimers, b: Bench, net: Parameters<Connectivity['join']>[0], maxMs = 120000): Promise<any> {
  let result: any;
  let finished = false;
  b.conn.start().then(() => b.conn.join(net)).then((ip) => { result = ip; finished = true; }, (e) => { result = e; finished = true; });
  await until(clock, () => finished, maxMs);
  if (!finished) throw new Error('join did not finish in ' + maxMs + ' ms; trace:\n' + b.trace.slice(-30).join('\n'));
  return result;
}

/** Join on a started module. */
export async function join(clock: sinon.SinonFakeTimers, b: Bench, net: Parameters<Connectivity['join']>[0], maxMs = 120000): Promise<any> {
  let result: any;
  let finished = false;
  b.conn.join(net).then((ip) => { result = ip; finished = true; }, (e) => { result = e; finished = true; });
  await until(clock, () => finished, maxMs);
  if (!finished) throw new Error('join did not finish in ' + maxMs + ' ms; trace:\n' + b.trace.slice(-30).join('\n'));
  return result;
}

export const LAB = { ssid: 'SPWF-Lab', psk: 'correct horse battery' };
