// The Moddable XS host: the core's Host port on ECMA-419 serial (embedded:io/serial, "buffer" format,
// onReadable/onWritable), Timer, Time.ticks, Preference (storage) and embedded:io/digital (reset line).
// Built by build/build.mjs into build/out/moddable/spwf04.js (an ES module); manifest.json at the
// repository root names it, so an application includes that manifest and writes:
//
//   import { start } from "spwf04";
//   const wifi = start({ port: 1, receive: 16, transmit: 17, reset: 5,
//                        ssid: "SPWF-Lab", psk: "correct horse battery" });
//   wifi.on("up", (ip) => trace(`up ${ip}\n`));
//   wifi.on("error", (e) => trace(`${e.code}: ${e.message}\n`));

import Serial from 'embedded:io/serial';
import Digital from 'embedded:io/digital';
import Timer from 'timer';
import Time from 'time';
import Preference from 'preference';
import { createConnectivity, Connectivity, ConnectivityOptions } from '../../src/index';
import { Host, LogLevel, Storage as HostStorage } from '../../src/host';

export interface ModdableOptions extends ConnectivityOptions {
  /** UART: the port (a number on ESP32; a devicetree UART name on Zephyr) and the pins. */
  port?: number | string;
  /** Host pin that receives from the module (module TX). */
  receive: number;
  /** Host pin that sends to the module (module RX). */
  transmit: number;
  /** UART speed; the module's factory default is 115200. */
  baud?: number;
  /** GPIO of the module's reset line: pulled low to reset, released (open drain / input) otherwise, never
   *  driven high. Leave it out when the board's reset line does not work. */
  reset?: number;
  ssid?: string;
  psk?: string;
  /** trace() threshold ('debug' | 'info' | 'warn' | 'error' | 'none', default 'warn'), or a function. */
  log?: LogLevel | 'none' | ((level: LogLevel, message: string) => void);
  /** Preference domain for stored entries (default "spwf04"). Keys are limited (15 chars on ESP32). */
  storageDomain?: string;
  /** Host storage to use instead of Preference (e.g. on Zephyr, which has no Preference). */
  storage?: HostStorage;
}

const LEVELS = ['debug', 'info', 'warn', 'error', 'none'];

function traceLog(threshold: string): (level: LogLevel, message: string) => void {
  const min = LEVELS.indexOf(threshold) < 0 ? 2 : LEVELS.indexOf(threshold);
  return function (level, message) {
    if (LEVELS.indexOf(level) >= min) trace('[spwf04] ' + level + ': ' + message + '\n');
  };
}

/** Bytes -> byte string, in slices (apply takes a bounded argument list). */
function bytesToString(u8: Uint8Array): string {
  let s = '';
  for (let i = 0; i < u8.length; i += 256) {
    s += String.fromCharCode.apply(null, u8.subarray(i, i + 256) as unknown as number[]);
  }
  return s;
}

function stringToBytes(s: string, n: number): Uint8Array {
  const u8 = new Uint8Array(n);
  for (let i = 0; i < n; i++) u8[i] = s.charCodeAt(i) & 255;
  return u8;
}

/** Named entries in Preference, kept as ArrayBuffers so that byte strings round-trip exactly. */
export function preferenceStorage(domain: string): HostStorage {
  return {
    read: function (name) {
      const v = Preference.get(domain, name);
      if (v === undefined) return undefined;
      if (v instanceof ArrayBuffer) return bytesToString(new Uint8Array(v));
      return String(v);
    },
    write: function (name, data) {
      try {
        Preference.set(domain, name, stringToBytes(data, data.length).buffer as ArrayBuffer);
        return true;
      } catch (e) {
        return false;
      }
    },
    erase: function (name) {
      try {
        Preference.delete(domain, name);
      } catch (e) {
        // absent: nothing to erase
      }
    },
    list: function (prefix) {
      return Preference.keys(domain).filter(function (k) { return k.indexOf(prefix) === 0; });
    },
  };
}

/** A reset line that is only ever pulled low: open drain where supported, else input <-> output-low. */
function resetLine(pin: number): (asserted: boolean) => void {
  try {
    const od = new Digital({ pin: pin, mode: Digital.OutputOpenDrain });
    od.write(1); // released (Hi-Z)
    return function (asserted) { od.write(asserted ? 0 : 1); };
  } catch (e) {
    let io: Digital = new Digital({ pin: pin, mode: Digital.Input });
    return function (asserted) {
      io.close();
      if (asserted) {
        io = new Digital({ pin: pin, mode: Digital.Output });
        io.write(0);
      } else io = new Digital({ pin: pin, mode: Digital.Input });
    };
  }
}

export function createHost(opts: ModdableOptions): Host {
  const o = opts;
  const log = typeof o.log === 'function' ? o.log : traceLog(o.log || 'warn');
  let handler: ((bytes: string) => void) | null = null;
  let pending = ''; // bytes waiting for room in the UART's transmit buffer
  let room = 0;

  const serial: Serial = new Serial({
    port: o.port === undefined ? 1 : (o.port as number),
    receive: o.receive,
    transmit: o.transmit,
    baud: o.baud || 115200,
    format: 'buffer',
    onReadable: function (this: Serial) {
      const data = this.read() as ArrayBuffer | undefined;
      if (!data || !handler) return;
      try {
        handler(bytesToString(new Uint8Array(data)));
      } catch (e) {
        log('error', 'uart handler failed: ' + e);
      }
    },
    onWritable: function (count: number) {
      room = count;
      flush();
    },
  });

  // write() throws when the bytes do not fit: send what fits and resume from onWritable.
  function flush(): void {
    while (pending.length) {
      const n = Math.min(pending.length, room > 0 ? room : 64);
      try {
        serial.write(stringToBytes(pending, n));
      } catch (e) {
        room = 0;
        return;
      }
      pending = pending.substring(n);
      room = room > n ? room - n : 0;
    }
  }

  const host: Host = {
    uart: {
      write: function (bytes) {
        pending += bytes;
        flush();
      },
      onData: function (h) { handler = h; },
    },
    clock: {
      now: function () { return Time.ticks; },
      setTimeout: function (fn, ms) {
        return Timer.set(function () {
          try {
            fn();
          } catch (e) {
            log('error', 'timer handler failed: ' + e);
          }
        }, ms);
      },
      clearTimeout: function (id) {
        if (id) Timer.clear(id);
      },
    },
    storage: o.storage || preferenceStorage(o.storageDomain || 'spwf04'),
    log: log,
  };
  if (o.reset !== undefined) host.pins = { setReset: resetLine(o.reset) };
  return host;
}

/**
 * Start the layer: resets the module when a reset pin is given, waits for it, turns echo off and, when
 * `ssid` is given, joins that network. Returns the Connectivity at once; it emits 'ready', 'up' (with
 * the IPv4 address) and 'error' (an Error with a `code`).
 */
export function start(opts: ModdableOptions): Connectivity {
  const host = createHost(opts);
  const conn = createConnectivity(host, opts);
  if (opts.ssid === undefined) conn.bringUp();
  else {
    const net: { ssid: string; psk?: string } = { ssid: opts.ssid };
    if (opts.psk !== undefined) net.psk = opts.psk;
    conn.bringUp(net);
  }
  return conn;
}

export { createConnectivity };
