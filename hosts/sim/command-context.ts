// What a command handler gets: the module's parts, the parsed request and a way to answer.

import type { SimTlsCredentials } from './cert-store';
import type { ModuleClock } from './clock';
import type { CommandLine } from './command-line';
import type { ConfigStore } from './config-store';
import type { RamDisk } from './filesystem';
import type { SimNetwork } from './network';
import type { Radio } from './radio';
import type { ServerTable } from './servers';
import type { ServiceSessions, SimServiceEnvironment } from './sessions';
import type { SocketTable } from './sockets';
import type { SimTiming } from './timing';
import type { SimTlsEvent } from './tls-trust';

export interface SimContext {
  readonly config: ConfigStore;
  readonly radio: Radio;
  readonly sockets: SocketTable;
  readonly servers: ServerTable;
  readonly files: RamDisk;
  readonly clock: ModuleClock;
  readonly network: SimNetwork;
  readonly timing: SimTiming;
  /** Run a step of a slow command later; cancelled if the module reboots or closes first. */
  after(ms: number, step: () => void): void;
  /** AT+S.RESET: reboot after timing.resetMs. */
  softwareReset(): void;
  /** Seconds since the last boot. */
  uptimeSeconds(): number;
  /** The TLS store as it is now (certificate flash and filesystem convention files). */
  tlsCredentials(): SimTlsCredentials;
  /** Record a verdict of the module's TLS (SimModule.tlsLog). */
  noteTls(ev: SimTlsEvent): void;
  /** Connections of HTTPGET/HTTPPOST/SMTP/FWUPDATE, ended by a reset. */
  readonly sessions: ServiceSessions;
}

export interface CommandRequest {
  cmd: CommandLine;
  /** Payload bytes of a data-carrying command ('' otherwise). */
  payload: string;
}

/** Exactly one of ok(), error() or end() finishes a command; anything after that is ignored. */
export interface Reply {
  /** An intermediate line (CR LF appended). */
  line(text: string): void;
  /** Raw bytes (SOCKR, SOCKDR, FSP data). */
  raw(bytes: string): void;
  ok(): void;
  error(code: number): void;
  /** The command finishes without a final line (AT+S.RESET). */
  end(): void;
}

export type CommandHandler = (ctx: SimContext, req: CommandRequest, reply: Reply) => void | Promise<void>;
export type CommandTable = Readonly<Record<string, CommandHandler>>;

/** The environment of the module's own clients (HTTP, SMTP, FOTA): its TLS store and clock, its timings. */
export function serviceEnvironment(ctx: SimContext): SimServiceEnvironment {
  return {
    credentials: () => ctx.tlsCredentials(),
    clockSeconds: () => ctx.clock.seconds(),
    connectTimeoutMs: ctx.timing.connectTimeoutMs,
    handshakeTimeoutMs: ctx.timing.tlsHandshakeTimeoutMs,
    serviceTimeoutMs: ctx.timing.serviceTimeoutMs,
    sessions: ctx.sessions,
    noteTls: (ev) => ctx.noteTls(ev),
  };
}
