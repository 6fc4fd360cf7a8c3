// The Node host: the core's Host port on a desktop, over any byte link (the simulator, or a real
// module behind a USB-UART). Timers are Node's globals, so tests can drive them with sinon.

import * as fs from 'fs';
import { Host, Log, Storage, Uart } from '../../src/host';

/** A byte link to a module: bytes are latin1 "byte strings". */
export interface ByteLink {
  write(bytes: string): void;
  onData(cb: (bytes: string) => void): void;
}

export interface NodeHostOptions {
  log?: Log;
  /** A JSON file that backs the host's flash storage; in memory when absent. */
  storageFile?: string;
  /** Drives the module's reset line (true = held in reset). */
  setReset?: (asserted: boolean) => void;
}

export function createNodeHost(link: ByteLink, opts?: NodeHostOptions): Host {
  const o = opts || {};
  let handler: ((b: string) => void) | null = null;
  link.onData(function (b) {
    if (handler) handler(b);
  });
  const uart: Uart = {
    write: function (bytes) { link.write(bytes); },
    onData: function (h) { handler = h; },
  };
  const host: Host = {
    uart: uart,
    clock: {
      now: function () { return Date.now(); },
      setTimeout: function (fn, ms) { return setTimeout(fn, ms); },
      clearTimeout: function (id) { clearTimeout(id); },
      wallSeconds: function () { return Math.floor(Date.now() / 1000); },
    },
    storage: fileStorage(o.storageFile),
    log: o.log || function () {},
  };
  if (o.setReset) host.pins = { setReset: o.setReset };
  return host;
}

/** Named entries kept in memory, and in a JSON file when one is given (byte strings as latin1). */
export function fileStorage(file?: string): Storage {
  let data: { [name: string]: string } = {};
  if (file && fs.existsSync(file)) data = JSON.parse(fs.readFileSync(file, 'latin1'));
  function save(): boolean {
    if (!file) return true;
    try {
      fs.writeFileSync(file + '.tmp', JSON.stringify(data), 'latin1');
      fs.renameSync(file + '.tmp', file);
      return true;
    } catch (_e) {
      return false;
    }
  }
  return {
    read: function (name) { return Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined; },
    write: function (name, value) { data[name] = value; return save(); },
    erase: function (name) { delete data[name]; save(); },
    list: function (prefix) { return Object.keys(data).filter(function (k) { return k.indexOf(prefix) === 0; }); },
  };
}
