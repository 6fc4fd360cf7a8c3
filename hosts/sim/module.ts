// The simulated SPWF04S module as the host sees it through its UART: bytes in (write), bytes out
// (onOutput, in chunks of at most chunkSize), a power switch and a reset pin. It wires together the
// console (line assembler, command runner, output, TX line), the configuration store, the radio, the
// clock, the RAM disk, the client and server sockets, and the fault injector (sim.faults).

import {
  INPUT_BEFORE_CONSOLE_ACTIVE_IS_DROPPED, RADIO_ON_AT_BOOT, RAM_DISK_CLEARED_AT_BOOT, RESET_DISCARDS_UNSENT_OUTPUT,
} from './choices';
import { DEFAULT_FIRMWARE, printBootBanner } from './boot';
import { ByteFaults } from './byte-faults';
import { ModuleClock } from './clock';
import type { SimContext } from './command-context';
import { parseCommandLine, payloadLength } from './command-line';
import { fileCommands } from './commands-files';
import { helpCommands } from './commands-help';
import { serverCommands } from './commands-servers';
import { socketCommands } from './commands-sockets';
import { systemCommands } from './commands-system';
import { timeCommands } from './commands-time';
import { wifiCommands } from './commands-wifi';
import { ConfigStore } from './config-store';
import { CommandConsole } from './console';
import { SimFaults } from './faults';
import { RamDisk, type SimFileInfo } from './filesystem';
import { LineAssembler } from './line-assembler';
import { SimNetwork, type SimNetworkOptions } from './network';
import { ConsoleOutput } from './output';
import { Radio } from './radio';
import { Scheduler } from './scheduler';
import { ServerTable, type SimServerInfo } from './servers';
import { SocketTable, type SimSocketInfo } from './sockets';
import { resolveTiming, type SimTiming } from './timing';
import { UartTransmitter } from './uart-tx';

export type { SimTiming } from './timing';
export type { SimAccessPoint, SimNetworkOptions } from './network';

export interface SimOptions {
  /** Output chunk size, default 64 (as Espruino's UART delivers). */
  chunkSize?: number;
  /** Poweron text, default '171117-0328fe3-SPWF04S' (FW 1.1.0). */
  firmware?: string;
  network?: SimNetworkOptions;
  timing?: Partial<SimTiming>;
  /** What the module's flash already holds when the simulator is built, as if set and saved (WCFG)
   *  earlier: `config` in SCFG form (name → value), `ssid` as text (what AT+S.SSIDTXT takes). */
  saved?: { config?: Record<string, string>; ssid?: string };
  /** Seed of the generator behind random byte faults (default 1): same seed, same damage. */
  faultSeed?: number;
  /** The desktop port a server opened with SOCKDON=<port> binds on 127.0.0.1 (default: the same port;
   *  return 0 for any free port, then read it from openServers()). */
  serverPort?: (modulePort: number) => number;
}

type PowerState = 'off' | 'booting' | 'active';

export class SimModule {
  readonly network: SimNetwork;
  readonly timing: SimTiming;
  /** Fault injection: see faults.ts and the README. */
  readonly faults: SimFaults;
  private readonly firmware: string;
  private readonly tx: UartTransmitter;
  private readonly out: ConsoleOutput;
  private readonly config: ConfigStore;
  private readonly radio: Radio;
  private readonly sockets: SocketTable;
  private readonly servers: ServerTable;
  private readonly disk = new RamDisk();
  private readonly clock = new ModuleClock();
  private readonly runner: CommandConsole;
  private readonly input: LineAssembler;
  /** Boot steps, AT+S.RESET and slow commands: everything cancelled by a reboot. */
  private readonly steps = new Scheduler();
  private power: PowerState = 'off';
  private bootedAt = 0;

  constructor(opts: SimOptions = {}) {
    this.timing = resolveTiming(opts.timing);
    this.firmware = opts.firmware ?? DEFAULT_FIRMWARE;
    this.network = new SimNetwork(opts.network);
    this.config = new ConfigStore(opts.saved?.config, opts.saved?.ssid);
    const byteFaults = new ByteFaults(opts.faultSeed ?? 1);
    this.tx = new UartTransmitter(opts.chunkSize ?? 64, this.timing.chunkIntervalMs, (chunk) => byteFaults.apply(chunk));
    this.out = new ConsoleOutput(this.tx, (num) => this.windMasked(num));
    this.faults = new SimFaults(byteFaults, this.tx, this.out);
    this.radio = new Radio(this.out, this.config, this.network, this.timing);
    this.sockets = new SocketTable(this.out);
    this.servers = new ServerTable(this.out, opts.serverPort ?? ((port) => port));
    const ctx: SimContext = {
      config: this.config,
      radio: this.radio,
      sockets: this.sockets,
      servers: this.servers,
      files: this.disk,
      clock: this.clock,
      network: this.network,
      timing: this.timing,
      after: (ms, step) => this.steps.after(ms, step),
      softwareReset: () => this.steps.after(this.timing.resetMs, () => this.reboot(false)),
      uptimeSeconds: () => Math.floor((Date.now() - this.bootedAt) / 1000),
    };
    const commands = {
      ...systemCommands, ...helpCommands, ...timeCommands, ...wifiCommands, ...socketCommands, ...serverCommands,
      ...fileCommands,
    };
    this.runner = new CommandConsole(this.out, ctx, commands, this.faults, () => this.reboot(false));
    this.input = new LineAssembler(
      (line) => payloadLength(parseCommandLine(line, this.config.get('console_delimiter') ?? ',')),
      (request) => this.runner.submit(request),
    );
  }

  /** Module → host bytes (byte strings), in chunks of at most chunkSize, delivered from timers. */
  onOutput(cb: (bytes: string) => void): void {
    this.tx.onOutput(cb);
  }

  /** Host → module bytes (byte string), any chunking. */
  write(bytes: string): void {
    if (this.power !== 'active' && INPUT_BEFORE_CONSOLE_ACTIVE_IS_DROPPED) return;
    this.input.feed(bytes);
  }

  /** Supply on: boots. Does nothing if the module is already on. */
  powerOn(): void {
    if (this.power === 'off') this.reboot(true);
  }

  /** A pulse on the reset pin: the module reboots at once (and boots if it was off). */
  hardReset(): void {
    this.reboot(RESET_DISCARDS_UNSENT_OUTPUT);
  }

  /** Supply off: sockets, timers and unsent output are dropped; flash is kept, powerOn() boots again. */
  powerOff(): void {
    this.shutDown(true);
    this.power = 'off';
  }

  /** Power off for good: sockets, timers, output and output listeners are dropped. */
  close(): void {
    this.shutDown(true);
    this.tx.close();
    this.power = 'off';
  }

  // ---- introspection, for tests and tools --------------------------------------------------------

  get powerState(): PowerState {
    return this.power;
  }

  /** Running value of a configuration variable, as GCFG prints it. */
  configValue(name: string): string | undefined {
    return this.config.get(name);
  }

  /** Value saved in flash (what the next boot loads). */
  savedConfigValue(name: string): string | undefined {
    return this.config.getSaved(name);
  }

  /** The SSID as text. */
  get ssid(): string {
    return this.config.ssid();
  }

  /** wifi_state (doc §2): 10 once the link is up. */
  get wifiState(): number {
    return this.radio.wifiState;
  }

  /** The station's IPv4 address while the link is up. */
  get ipv4(): string | undefined {
    return this.radio.lease?.ipv4;
  }

  /** Open client sockets (ids 0..7). */
  openSockets(): SimSocketInfo[] {
    return this.sockets.list();
  }

  /** Open server sockets (sids 0..1) with their clients. */
  openServers(): SimServerInfo[] {
    return this.servers.list();
  }

  /** Files on the RAM disk. */
  files(): SimFileInfo[] {
    return this.disk.list();
  }

  /** The module clock, in seconds since 1970 (0 at every boot). */
  get clockSeconds(): number {
    return this.clock.seconds();
  }

  /** Set the module clock, as AT+S.TIME or an NTP answer would (NTP is not simulated). */
  setClock(secondsSince1970: number): void {
    this.clock.set(secondsSince1970);
  }

  /** Bytes produced but not yet delivered through onOutput. */
  get outputBacklog(): number {
    return this.tx.backlog;
  }

  // ---- internals ---------------------------------------------------------------------------------

  private shutDown(discardOutput: boolean): void {
    this.steps.cancelAll();
    this.radio.reset();
    this.sockets.destroyAll();
    this.servers.destroyAll();
    this.runner.reset();
    this.out.interruptAnswer();
    this.input.reset();
    if (discardOutput) this.tx.discardUnsent();
  }

  private reboot(discardOutput: boolean): void {
    this.shutDown(discardOutput);
    this.config.loadSaved();
    this.clock.reset();
    if (RAM_DISK_CLEARED_AT_BOOT) this.disk.clear();
    this.power = 'booting';
    this.steps.after(this.timing.bootMs, () => {
      this.bootedAt = Date.now();
      printBootBanner(this.out, this.firmware, () => { this.power = 'active'; });
      if (RADIO_ON_AT_BOOT) this.radio.start(this.timing.hardwareStartMs);
    });
  }

  /** console_wind_off_low/medium/high: bit k masks WIND k, 32+k, 64+k (doc §4.3). */
  private windMasked(num: number): boolean {
    const word = ['console_wind_off_low', 'console_wind_off_medium', 'console_wind_off_high'][num >> 5];
    if (word === undefined) return false;
    return ((this.config.number(word) >>> (num & 31)) & 1) === 1;
  }
}
