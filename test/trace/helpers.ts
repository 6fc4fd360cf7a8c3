// Traces recorded for the trace tests: the demo's (in-process, short simulated delays) and one of a
// module that answers an error, then too late (fake timers), as the Node writer records them.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sinon from 'sinon';
import { runDemo, DemoOptions } from '../../hosts/node/demo';
import { SimModule } from '../../hosts/sim/module';
import { createNodeHost } from '../../hosts/node/host';
import { createTraceFileWriter } from '../../hosts/node/trace/writer';
import { createConnectivity } from '../../src/index';
import { gcfg } from '../../src/at/commands';
import type { Response } from '../../src/at/engine';
import { FAST_TIMING } from '../helpers/sim-session';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The demo with its trace file; resolves with its exit code and what it printed. */
export async function recordDemoTrace(file: string, opts?: Partial<DemoOptions>): Promise<{ code: number; printed: string[] }> {
  const printed: string[] = [];
  const code = await runDemo(Object.assign({ trace: false, traceFile: file, simTiming: FAST_TIMING }, opts || {}), { out: (l) => printed.push(l), err: (l) => printed.push(l) });
  return { code, printed };
}

/** A message long enough that the echo takes many SOCKW/SOCKR exchanges (a data phase to fold). */
export const LONG_MESSAGE = 'The quick brown fox jumps over the lazy dog. '.repeat(70);

function send(conn: ReturnType<typeof createConnectivity>, cmd: ReturnType<typeof gcfg>): Promise<Error | Response> {
  return new Promise((resolve) => conn.engine.send(cmd, (err, res) => resolve(err || res!)));
}

/**
 * Boot, then a command the module refuses (AT-S.ERROR:4, an unknown variable) and one it answers too
 * late (a timeout, the resync probe, the late answer): written to `file` on a fake clock.
 */
export async function recordFaultTrace(file: string): Promise<void> {
  const clock = sinon.useFakeTimers({ now: Date.parse('2026-01-02T03:04:05Z'), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const sim = new SimModule({ chunkSize: 64, timing: FAST_TIMING });
  const writer = createTraceFileWriter(file, { source: 'test' });
  const host = createNodeHost({ write: (b) => sim.write(b), onData: (cb) => sim.onOutput(cb) }, {
    setReset: (asserted) => { if (!asserted) sim.hardReset(); },
  });
  const conn = createConnectivity(host, { trace: writer.trace });
  try {
    const started = conn.start();
    await clock.tickAsync(3000);
    await started;
    writer.note('== an unknown variable');
    const refused = send(conn, gcfg('no_such_variable'));
    await clock.tickAsync(100);
    await refused;
    writer.note('== an answer that comes too late');
    sim.faults.answerNextLate(3000);
    const late = send(conn, gcfg('wifi_mode'));
    await clock.tickAsync(10000);
    await late;
  } finally {
    conn.stop();
    sim.close();
    writer.close();
    clock.restore();
  }
}
