// Test helpers for the simulator: a terminal that records what the module sends, and the settings of
// a module that has already been configured for the default lab network.

import { SimModule, type SimOptions } from '../../hosts/sim/module';
import type { SimTiming } from '../../hosts/sim/timing';

/** Records the module's output; take() returns what arrived since the previous take(). */
export class Terminal {
  readonly chunks: string[] = [];
  all = '';
  private taken = 0;

  constructor(readonly sim: SimModule) {
    sim.onOutput((bytes) => {
      this.chunks.push(bytes);
      this.all += bytes;
    });
  }

  send(line: string): void {
    this.sim.write(line + '\r');
  }

  take(): string {
    const fresh = this.all.substring(this.taken);
    this.taken = this.all.length;
    return fresh;
  }

  /** Real-timer wait for the next `n` bytes, whatever they are. */
  async waitForBytes(n: number, timeoutMs = 800): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.all.length - this.taken < n) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} bytes`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const fresh = this.all.substring(this.taken, this.taken + n);
    this.taken += n;
    return fresh;
  }

  /** Real-timer wait for the next final line (`AT-S.OK…` or `AT-S.ERROR…`, CR LF included); returns (and
   *  takes) everything up to its end. Not for answers whose raw bytes may hold such a line. */
  async waitForFinal(timeoutMs = 800): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const final = /AT-S\.(OK|ERROR)[^\r\n]*\r\n/g;
    for (;;) {
      final.lastIndex = this.taken;
      const m = final.exec(this.all);
      if (m) {
        const end = m.index + m[0].length;
        const fresh = this.all.substring(this.taken, end);
        this.taken = end;
        return fresh;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for a final line; got ${JSON.stringify(this.all.substring(this.taken))}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Real-timer wait until `text` has arrived since the last take(); returns (and takes) everything up to
   *  the end of that text. */
  async waitFor(text: string, timeoutMs = 800): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.all.indexOf(text, this.taken);
      if (at >= 0) {
        const end = at + text.length;
        const fresh = this.all.substring(this.taken, end);
        this.taken = end;
        return fresh;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(this.all.substring(this.taken))}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

/** Every delay at zero: for tests on real timers. */
export const INSTANT: Partial<SimTiming> = {
  bootMs: 0, hardwareStartMs: 0, resetMs: 0, scanMs: 0, joinMs: 0, associationMs: 0, handshakeMs: 0,
  dhcpMs: 0, ipv6Ms: 0, scanRetryMs: 50, joinRetryMs: 50, radioOffMs: 0, radioOnMs: 0, chunkIntervalMs: 0,
};

/** Flash contents after the AN §3.2.1 sequence for the default network. */
export const LAB_STATION: NonNullable<SimOptions['saved']> = {
  ssid: 'SPWF-Lab',
  config: { wifi_mode: '1', wifi_priv_mode: '2', wifi_wpa_psk_text: 'correct horse battery' },
};

/** Lines as the module sends them. */
export const lines = (...texts: string[]): string => texts.map((t) => t + '\r\n').join('');

/** A module driven by sinon fake timers: boot() powers it on and takes the boot log, command() sends a
 *  line (plus payload) and returns what the module said within `ms`. */
export class FakeClockBench {
  sim!: SimModule;
  term!: Terminal;

  constructor(private readonly clock: { tickAsync(ms: number): Promise<number> }) {}

  async boot(opts: SimOptions = {}, ms = 5000): Promise<string> {
    this.sim = new SimModule(opts);
    this.term = new Terminal(this.sim);
    this.sim.powerOn();
    await this.clock.tickAsync(ms);
    return this.term.take();
  }

  async command(line: string, payload = '', ms = 100): Promise<string> {
    this.sim.write(line + '\r' + payload);
    await this.clock.tickAsync(ms);
    return this.term.take();
  }

  async tick(ms: number): Promise<string> {
    await this.clock.tickAsync(ms);
    return this.term.take();
  }

  close(): void {
    this.sim?.close();
  }
}

/** The boot log of AN §3.2.3 up to WiFi Hardware Started, as the simulated FW 1.1.0 prints it. */
export function bootBanner(firmware = '171117-0328fe3-SPWF04S'): string {
  return lines(
    '+WIND:1:Poweron:' + firmware,
    '+WIND:13:Copyright (c) 2012-2017 STMicroelectronics, Inc.  All rights Reserved:SPWF04SA/C',
    '+WIND:0:Console active',
    '+WIND:3:Watchdog Running:20',
    '+WIND:32:WiFi Hardware Started',
  );
}

/** The rest of the AN §3.2.3 log: scan, join and WiFi Up on the default lab network. */
export const LAB_JOIN_LOG = lines(
  '+WIND:21:WiFi Scanning',
  '+WIND:35:WiFi Scan Complete:00',
  '+WIND:19:WiFi Join:00:11:22:33:44:55',
  '+WIND:25:WiFi Association successful:SPWF-Lab',
  '+WIND:51:WPA Handshake Complete',
  '+WIND:24:WiFi Up:0:192.168.1.42',
  '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1',
);
