// The simulated module behind a pseudo-terminal (socat), as a real one would be behind a USB-UART adapter:
// for the commands that open a serial port (`--port`). Skipped by the callers when socat is absent.

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SimModule, type SimOptions } from '../../hosts/sim/module';
import { TcpUart } from '../../hosts/sim/tcp-uart';

export const SOCAT = '/usr/bin/socat';

/** Polls `condition` every 10 ms for up to `timeoutMs` (waiting on real processes: socat, a port). */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A simulated module whose UART is the pseudo-terminal `<dir>/module-tty`; `stop()` ends it all. */
export async function simOnPty(dir: string, opts?: SimOptions): Promise<{ sim: SimModule; pty: string; stop: () => void }> {
  const sim = new SimModule(opts || {});
  const uart = new TcpUart(sim, () => undefined);
  const port = await uart.listen(0);
  const pty = path.join(dir, 'module-tty');
  const socat = spawn(SOCAT, [`PTY,link=${pty},raw,echo=0`, `TCP:127.0.0.1:${port}`], { stdio: 'ignore' });
  const stop = () => { socat.kill(); uart.close(); sim.close(); };
  try {
    await until(() => fs.existsSync(pty), 'the pty');
  } catch (e) {
    stop();
    throw e;
  }
  return { sim, pty, stop };
}
