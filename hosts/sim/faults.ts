// Fault injection: ways to make the simulated module misbehave on purpose, so that a host's error
// handling can be tested deterministically (random damage comes from a seeded generator). Reached as
// `sim.faults`; every fault is off until asked for, and clear() turns them all off.

import { ByteFaults, type ByteErrorRates } from './byte-faults';
import type { ConsoleOutput } from './output';
import type { UartTransmitter } from './uart-tx';
import { W } from './winds';

export type { ByteErrorRates } from './byte-faults';

/** What the console does to the next command instead of answering it normally. */
export type CommandFault = { kind: 'reset' } | { kind: 'late'; ms: number };

export class SimFaults {
  private nextCommand: CommandFault | undefined;
  private silent = false;
  private readonly initialChunkSize: number;

  constructor(
    private readonly bytes: ByteFaults,
    private readonly tx: UartTransmitter,
    private readonly out: ConsoleOutput,
  ) {
    this.initialChunkSize = tx.chunkSize;
  }

  /** Restart the generator behind the random byte damage. */
  reseed(seed: number): void {
    this.bytes.reseed(seed);
  }

  /** Per-byte probabilities of loss, duplication and corruption on the TX line, until changed. */
  setByteErrorRates(rates: ByteErrorRates): void {
    this.bytes.setRates(rates);
  }

  /** The next n bytes the host would receive are lost (bytes already queued count). */
  dropNextBytes(n: number): void {
    this.bytes.dropNext(n);
  }

  /** The next n bytes the host receives arrive twice each. */
  duplicateNextBytes(n: number): void {
    this.bytes.duplicateNext(n);
  }

  /** The next n bytes the host receives have another value. */
  corruptNextBytes(n: number): void {
    this.bytes.corruptNext(n);
  }

  /** Output chunk size from the next chunk on (1 byte or more). */
  setChunkSize(n: number): void {
    this.tx.chunkSize = n;
  }

  /** Everything the module outputs from now on reaches the host ms later (0 to stop). */
  delayLines(ms: number): void {
    this.tx.delayMs = ms;
  }

  /** Put `+WIND:<num>:…` inside the next response — which the real module never does — right after the
   *  response's first piece (its echo, or its first line or raw block), or just before its final line
   *  when the response is that line alone. The console_wind_off_* masks still apply. */
  windInNextResponse(num: number = W.wifiSignalOk, params: readonly (string | number)[] = []): void {
    this.out.interleaveIntoNextAnswer(num, params);
  }

  /** The next command is echoed (if echo is on), then the module reboots instead of answering it. */
  resetInNextCommand(): void {
    this.nextCommand = { kind: 'reset' };
  }

  /** The next command's answer (and effect) comes ms later than normal; commands sent meanwhile wait. */
  answerNextLate(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('a delay must be 0 ms or more');
    this.nextCommand = { kind: 'late', ms };
  }

  /** While on, the module swallows every command line (and payload) without echo, effect or answer;
   *  indications still come. Survives resets until turned off. */
  silence(on = true): void {
    this.silent = on;
  }

  get silenced(): boolean {
    return this.silent;
  }

  /** Every fault off: no damage, original chunk size, no delay, nothing armed, not silent. */
  clear(): void {
    this.bytes.clear();
    this.tx.chunkSize = this.initialChunkSize;
    this.tx.delayMs = 0;
    this.nextCommand = undefined;
    this.silent = false;
    this.out.cancelInterleave();
  }

  /** For the console: the fault armed for the command it is starting, if any (used once). */
  takeCommandFault(): CommandFault | undefined {
    const fault = this.nextCommand;
    this.nextCommand = undefined;
    return fault;
  }
}
