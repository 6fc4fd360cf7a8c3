// The core against the simulated module on real timers with short simulated delays: start() boots the
// module, turns echo off and joins the simulated network, ready for end-to-end tests with real peers.

import { SimModule, SimOptions } from '../../hosts/sim/module';
import { createNodeHost } from '../../hosts/node/host';
import { createConnectivity, Connectivity, ConnectivityOptions } from '../../src/index';
import { Host, LogLevel } from '../../src/host';

export const FAST_TIMING = { bootMs: 1, hardwareStartMs: 1, resetMs: 1, scanMs: 1, joinMs: 1, associationMs: 1,
  handshakeMs: 1, dhcpMs: 1, ipv6Ms: 1, scanRetryMs: 20, joinRetryMs: 20, radioOffMs: 1, radioOnMs: 1 };

export interface SimSession {
  sim: SimModule;
  host: Host;
  conn: Connectivity;
  logs: { level: LogLevel; message: string }[];
  /** Lines exchanged (secrets masked), for failure messages. */
  trace: string[];
  close(): void;
}

export function simSession(simOpts?: SimOptions, connOpts?: ConnectivityOptions): SimSession {
  const sim = new SimModule(Object.assign({ chunkSize: 64, serverPort: () => 0 }, simOpts || {}, {
    timing: Object.assign({}, FAST_TIMING, (simOpts && simOpts.timing) || {}),
  }));
  const logs: { level: LogLevel; message: string }[] = [];
  const trace: string[] = [];
  const host = createNodeHost({ write: (b) => sim.write(b), onData: (cb) => sim.onOutput(cb) }, {
    log: (level, message) => { logs.push({ level, message }); },
    setReset: (asserted) => { if (!asserted) sim.hardReset(); },
  });
  const conn = createConnectivity(host, Object.assign({
    trace: (d: string, t: string) => { trace.push(d + ' ' + t); if (trace.length > 200) trace.shift(); },
  }, connOpts || {}));
  return {
    sim, host, conn, logs, trace,
    close: () => {
      conn.stop();
      sim.close();
    },
  };
}

/** Boot and join the default simulated network. */
export function upAndJoined(s: SimSession): Promise<string> {
  return s.conn.start().then(() => s.conn.join({ ssid: 'SPWF-Lab', psk: 'correct horse battery' }));
}
