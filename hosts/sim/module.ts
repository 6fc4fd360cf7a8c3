// The simulated SPWF04S module as the host sees it through its UART: bytes in (write), bytes out
// (onOutput, in chunks of at most chunkSize), a power switch and a reset pin. It wires together the
// console (line assembler, command runner, output, TX line), the configuration store, the radio, the
// clock, the RAM disk, the client and server sockets, and the fault injector (sim.faults).

import {
  HARD_FAULT_DETAIL, HARD_FAULT_WATCHDOG_MS, INPUT_BEFORE_CONSOLE_ACTIVE_IS_DROPPED, RADIO_ON_AT_BOOT,
  RAM_DISK_CLEARED_AT_BOOT, RESET_DISCARDS_UNSENT_OUTPUT,
} from './choices';
import { DEFAULT_FIRMWARE, printBootBanner } from './boot';
import { ByteFaults } from './byte-faults';
import { CertificateFlash, type CertFamily, type SimCertItem, type SimTlsCredentials } from './cert-store';
import { ModuleClock } from './clock';
import type { SimContext } from './command-context';
import { parseCommandLine, payloadLength } from './command-line';
import { certCommands } from './commands-certs';
import { fileCommands } from './commands-files';
import { fotaCommands } from './commands-fota';
import { helpCommands } from './commands-help';
import { httpCommands } from './commands-http';
import { serverCommands } from './commands-servers';
import { smtpCommands } from './commands-smtp';
import { socketCommands } from './commands-sockets';
import { systemCommands } from './commands-system';
import { timeCommands } from './commands-time';
import { wifiCommands } from './commands-wifi';
import { ConfigStore } from './config-store';
import { CommandConsole } from './console';
import { SimFaults } from './faults';
import { RamDisk, type SimFileInfo } from './filesystem';
import { SimFota } from './fota';
import { LineAssembler } from './line-assembler';
import { SimNtp, watchLinkUp } from './ntp';
import { SimNetwork, type SimNetworkOptions } from './network';
import { ConsoleOutput } from './output';
import { Radio } from './radio';
import { Scheduler } from './scheduler';
import { ServerTable, type SimServerInfo } from './servers';
import { ServiceSessions } from './sessions';
import { SocketTable, type SimSocketInfo } from './sockets';
import type { SimTlsEvent } from './tls-trust';
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
  /** The NTP server behind the simulated network; `answers: false` = it never answers (default true). */
  ntp?: { answers?: boolean };
}

type PowerState = 'off' | 'booting' | 'active';

/** Verdicts kept in SimModule.tlsLog. */
const TLS_LOG_SIZE = 50;

export class SimModule {
  readonly network: SimNetwork;
  readonly timing: SimTiming;
  /** Fault injection: see faults.ts and the README. */
  readonly faults: SimFaults;
  /** Firmware over the air: /fw.fota, its check at boot and the firmware the module runs (fota.ts). */
  readonly fota: SimFota;
  private readonly tx: UartTransmitter;
  private readonly out: ConsoleOutput;
  private readonly config: ConfigStore;
  private readonly radio: Radio;
  private readonly sockets: SocketTable;
  private readonly servers: ServerTable;
  private readonly disk = new RamDisk();
  private readonly clock = new ModuleClock();
  /** TLSCERT / WPAECERT items: kept across resets. */
  private readonly certFlash = new CertificateFlash();
  /** Connections of HTTPGET/HTTPPOST/SMTP/FWUPDATE in progress. */
  private readonly sessions = new ServiceSessions();
  /** The module's TLS verdicts (SOCKON, s1/s2 clients, HTTPS, SMTP), newest last, at most TLS_LOG_SIZE. */
  readonly tlsLog: SimTlsEvent[] = [];
  /** The module's NTP client: sets the clock a while after WiFi Up (`answers = false`: never). */
  readonly ntp: SimNtp;
  private readonly runner: CommandConsole;
  private readonly input: LineAssembler;
  /** Boot steps, AT+S.RESET and slow commands: everything cancelled by a reboot. */
  private readonly steps = new Scheduler();
  private power: PowerState = 'off';
  private readonly inputListeners: ((bytes: string) => void)[] = [];
  private bootedAt = 0;

  constructor(opts: SimOptions = {}) {
    this.timing = resolveTiming(opts.timing);
    this.fota = new SimFota(opts.firmware ?? DEFAULT_FIRMWARE);
    this.network = new SimNetwork(opts.network);
    this.config = new ConfigStore(opts.saved?.config, opts.saved?.ssid);
    const byteFaults = new ByteFaults(opts.faultSeed ?? 1);
    this.tx = new UartTransmitter(opts.chunkSize ?? 64, this.timing.chunkIntervalMs, (chunk) => byteFaults.apply(chunk));
    this.out = new ConsoleOutput(this.tx, (num) => this.windMasked(num));
    this.faults = new SimFaults(byteFaults, this.tx, this.out);
    this.ntp = new SimNtp(this.clock, this.out, this.timing, () => this.radio.lease !== undefined, opts.ntp?.answers ?? true);
    this.radio = new Radio(watchLinkUp(this.out, () => this.ntp.linkUp()), this.config, this.network, this.timing, {
      clock: this.clock,
      eapItem: (kind) => this.certFlash.get('eap', kind),
    });
    // A firmware download needs the link: whatever on the air drops it (access point gone, deauthentication) fails it.
    this.network.onAirEvent(() => { if (this.fota.downloading && !this.radio.lease) this.fota.linkLost(); });
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
      tlsCredentials: () => this.certFlash.tlsCredentials(this.disk),
      noteTls: (ev) => {
        this.tlsLog.push(ev);
        if (this.tlsLog.length > TLS_LOG_SIZE) this.tlsLog.shift();
      },
      sessions: this.sessions,
    };
    const commands = {
      ...systemCommands, ...helpCommands, ...timeCommands, ...wifiCommands, ...socketCommands, ...serverCommands,
      ...fileCommands, ...certCommands(this.certFlash), ...fotaCommands(this.fota),
      ...httpCommands, ...smtpCommands,
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

  /** Sees every host → module byte string as it arrives (a trace tap), before the module takes it. */
  onInput(cb: (bytes: string) => void): void {
    this.inputListeners.push(cb);
  }

  /** Host → module bytes (byte string), any chunking. */
  write(bytes: string): void {
    for (const cb of this.inputListeners) cb(bytes);
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

  /** The access point vanishes for a moment: +WIND:33, the address is gone (a firmware download in progress
   *  fails), and the module rejoins by itself when it can (choices.ts LINK_LOSS_REJOINS). False without a link. */
  loseLink(): boolean {
    if (!this.radio.loseLink()) return false;
    this.fota.linkLost();
    return true;
  }

  /** Supply off: sockets, timers and unsent output are dropped; flash is kept, powerOn() boots again. */
  /** Fault: the firmware hard-faults: +WIND:8, then nothing (console, radio, sockets dead) until the reset
   *  pin, a power cycle, or its watchdog after `watchdogMs` restarts it (choices.ts). */
  hardFault(detail: string = HARD_FAULT_DETAIL, watchdogMs: number = HARD_FAULT_WATCHDOG_MS): void {
    if (this.power !== 'active') return;
    this.out.wind(8, [detail], 'Hard Fault');
    this.shutDown(false);
    this.power = 'booting'; // input is dropped, as before Console active
    this.steps.after(watchdogMs, () => this.reboot(false));
  }

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

  /** An item of the certificate flash (TLSCERT / WPAECERT), as uploaded. */
  certificate(family: CertFamily, kind: 'ca' | 'cert' | 'key' | 'auth'): SimCertItem | undefined {
    return this.certFlash.get(family, kind);
  }

  /** What a TLS implementation works with: the flash's TLS items and the filesystem convention files. */
  tlsCredentials(): SimTlsCredentials {
    return this.certFlash.tlsCredentials(this.disk);
  }

  /** Set the module clock, as AT+S.TIME or an NTP answer would. */
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
    this.fota.abort();
    this.ntp.reset();
    this.radio.reset();
    this.sockets.destroyAll();
    this.servers.destroyAll();
    this.sessions.destroyAll();
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
    // A downloaded firmware packet is checked (and installed) with the saved key before anything is printed.
    const booting = this.fota.boot(this.config.get('aes128_key'));
    this.steps.after(this.timing.bootMs + (booting.checked ? this.timing.fotaInstallMs : 0), () => {
      this.bootedAt = Date.now();
      printBootBanner(this.out, booting.firmware, () => { this.power = 'active'; });
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
