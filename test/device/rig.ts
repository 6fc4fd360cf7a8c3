// One device run's set-up: a temporary folder with the build in its flash, the simulated module on a
// pseudo-terminal there, and cleanup of both (and of any peer the test registers).

import type { SimOptions } from '../../hosts/sim/module';
import { DeviceFolder, type DeviceRun, type RunOptions } from './harness';
import { PtyModule } from './pty-module';

/** Module timing for the flows: the NTP answer soon after WiFi Up (the clock gate of TLS waits for it),
 *  a quick firmware check at boot, TLS and service timeouts shorter than the layer's. */
export const FLOW_SIM = { timing: { ntpMs: 100, fotaInstallMs: 50, tlsHandshakeTimeoutMs: 4000, serviceTimeoutMs: 4000 } };

export class DeviceRig {
  private cleanups: (() => unknown)[] = [];

  private constructor(readonly folder: DeviceFolder, readonly module: PtyModule) {}

  static async open(simOpts: SimOptions = {}): Promise<DeviceRig> {
    const folder = new DeviceFolder();
    let module: PtyModule;
    try {
      module = await PtyModule.open(folder.pty, simOpts);
    } catch (e) {
      folder.remove();
      throw e;
    }
    return new DeviceRig(folder, module);
  }

  get pty(): string {
    return this.folder.pty;
  }

  get sim() {
    return this.module.sim;
  }

  /** Something to stop at close() (a peer server, an openssl process). */
  later<T extends { close(): unknown } | { stop(): unknown }>(thing: T): T {
    this.cleanups.push(() => ('close' in thing ? thing.close() : (thing as { stop(): unknown }).stop()));
    return thing;
  }

  run(script: string, opts?: RunOptions): Promise<DeviceRun> {
    return this.folder.run(script, opts);
  }

  async close(): Promise<void> {
    for (const c of this.cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        // best effort: the rest must still stop
      }
    }
    await this.module.close();
    this.folder.remove();
  }
}

/** For the tests of a describe() that each open one rig: call it in the describe(), open with
 *  `const rig = await rigs.open(...)`; the rig is closed after each test, passed or failed. */
export function rigPerTest(): { open(simOpts?: SimOptions): Promise<DeviceRig> } {
  let rig: DeviceRig | undefined;
  afterEach(async () => {
    const r = rig;
    rig = undefined;
    await r?.close();
  });
  return {
    open: async (simOpts) => (rig = await DeviceRig.open(simOpts)),
  };
}
