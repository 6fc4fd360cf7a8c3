// A Host whose UART is scripted by the test: what the core writes is recorded, and the test feeds the
// module's bytes. Timers are Node's globals, so sinon fake timers drive them.

import { Host, LogLevel } from '../../src/host';
import { fileStorage } from '../../hosts/node/host';

export interface ScriptedHost {
  host: Host;
  /** Everything the core wrote, in order. */
  written: string[];
  /** Feed module bytes to the core, optionally in chunks of `chunk` bytes. */
  feed(bytes: string, chunk?: number): void;
  logs: { level: LogLevel; message: string }[];
  /** The last command line written (without CR, without payload). */
  lastLine(): string;
}

export function scriptedHost(): ScriptedHost {
  let handler: ((b: string) => void) | null = null;
  const written: string[] = [];
  const logs: { level: LogLevel; message: string }[] = [];
  const host: Host = {
    uart: {
      write: function (b) { written.push(b); },
      onData: function (h) { handler = h; },
    },
    clock: {
      now: function () { return Date.now(); },
      setTimeout: function (fn, ms) { return setTimeout(fn, ms); },
      clearTimeout: function (id) { clearTimeout(id); },
    },
    storage: fileStorage(),
    log: function (level, message) { logs.push({ level: level, message: message }); },
  };
  return {
    host: host,
    written: written,
    logs: logs,
    feed: function (bytes, chunk) {
      const n = chunk || bytes.length || 1;
      for (let i = 0; i < bytes.length; i += n) handler!(bytes.substring(i, i + n));
    },
    lastLine: function () {
      const w = written[written.length - 1] || '';
      const cr = w.indexOf('\r');
      return cr < 0 ? w : w.substring(0, cr);
    },
  };
}

/** Lines as the module sends them: each ends with CR LF. */
export function lines(...ls: string[]): string {
  return ls.map((l) => l + '\r\n').join('');
}
