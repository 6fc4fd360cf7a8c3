// The host port: the only way out of the platform-neutral core.
// Every effect (UART, timers, clock, storage, pins, log) goes through it, so that the same core runs on
// Espruino, Moddable XS, QuickJS and Node. Bytes are carried as "byte strings": one char per byte
// (0..255), which Espruino's UART delivers natively and which native indexOf/substring search fast.

export type TimerId = any;

export interface Uart {
  /** Send bytes (a byte string) to the module. */
  write(bytes: string): void;
  /** Register the single receiver of bytes from the module (chunks of any size, byte strings). It never
   *  throws (the engine's catches what it calls): a host calls it as it is. */
  onData(handler: (bytes: string) => void): void;
}

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  /** The core only clears timers that have not fired yet: on Espruino a fired timer's id can be given to a
   *  later timer (the application's too), and the Espruino host keeps no record per timer to tell them apart. */
  clearTimeout(id: TimerId): void;
  /** Wall-clock seconds since 1970-01-01 UTC if the host has a trusted clock, else undefined. */
  wallSeconds?(): number | undefined;
}

export interface Storage {
  /** Read a named entry (byte string) or undefined when absent. */
  read(name: string): string | undefined;
  /** Write a named entry; returns false when the write failed. */
  write(name: string, data: string): boolean;
  erase(name: string): void;
  list(prefix: string): string[];
}

export interface Pins {
  /** Drive the module's reset line: true = held in reset (low), false = released (Hi-Z). */
  setReset?(asserted: boolean): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Log {
  (level: LogLevel, message: string): void;
}

export interface Host {
  uart: Uart;
  clock: Clock;
  storage?: Storage;
  pins?: Pins;
  log: Log;
}
