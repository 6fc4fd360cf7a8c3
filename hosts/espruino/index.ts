// The Espruino host: the core's Host port on Espruino's own APIs (a Serial device, setTimeout, getTime,
// require('Storage'), pinMode/digitalWrite, console.log). It is the entry of the core Storage module
// build/out/espruino/spwf04.js, which only defines the library; nothing runs until the application calls
// start(). `spwf04 flash` uploads it with the optional modules (spwf04-<feature>, loaded on first use), so
// that their functions run from flash, then:
//
//   var wifi = require("spwf04").start(Serial1, {
//     rx: A10, tx: A9,            // USART1 on the Arduino header: module TX on D2 (PA10), host TX on D8 (PA9)
//     reset: Nucleo.D7,           // the module's reset line; leave it out on IDW04A1 boards without the
//                                 // WIFI_RST fix (the module is then started without a reset pulse)
//     ssid: "SPWF-Lab", psk: "correct horse battery"
//   });
//   wifi.on("up", function (ip) {
//     wifi.open("192.168.1.10", 7, "t").then(function (sock) {
//       sock.on("data", function (d) { console.log("echo", d); sock.close(); });
//       sock.write("hello");
//     });
//   });
//   wifi.on("error", function (e) { console.log("wifi", e.code, e.message); });
//   // With { network: true } (module spwf04-net), Espruino's own modules use the module's sockets (and its
//   // TLS for "https:"):
//   require("http").get("https://example.org/", function (res) { res.on("data", print); });
//
// Written in the Espruino subset (../../../shared/espruino-language.md): no default/rest parameters, no
// spread, no destructuring, no `?.`, no async, and nothing used at the top level before its definition.

import { Connectivity, ConnectivityOptions } from '../../src/connectivity';
import { Host, LogLevel, Storage as HostStorage } from '../../src/host';
import type { TraceFn } from '../../src/at/engine';

export interface EspruinoOptions extends Omit<ConnectivityOptions, 'trace'> {
  /** The exchange with the module as a trace (docs/trace-format.md): "console", the name of a Storage file
   *  to append to (16 KB at most; read it on a desktop with `spwf04 trace`), or a function. */
  trace?: 'console' | string | TraceFn;
  /** Host pin that receives from the module (module TX). IDW04A1 on a Nucleo-64: A10 (D2). */
  rx: Pin;
  /** Host pin that sends to the module (module RX). IDW04A1 on a Nucleo-64: A9 (D8). */
  tx: Pin;
  /** UART speed; the module's factory default is 115200. */
  baud?: number;
  /** Espruino for Linux only: the serial device or pseudo-terminal to open (e.g. a simulator's pty). */
  path?: string;
  /** The module's reset line, held low to reset and left floating (input) otherwise: it is never driven
   *  high. Leave it out when the board's reset line does not work (IDW04A1 without the WIFI_RST fix). */
  reset?: Pin;
  /** Join this network once the module answers. */
  ssid?: string;
  /** WPA2 passphrase (8-63 characters or 64 hex digits); leave it out for an open network. */
  psk?: string;
  /** Console log threshold ('debug' | 'info' | 'warn' | 'error' | 'none', default 'warn'), or a function. */
  log?: LogLevel | 'none' | ((level: LogLevel, message: string) => void);
  /** Prefix of the Storage files this layer keeps (default "spwf."); Storage names are at most 28 chars. */
  storagePrefix?: string;
  /** Register with NetworkJS so that require("net") and require("http") use the module (needs the Storage
   *  module spwf04-net; default false). */
  network?: boolean;
  /** Treat getTime() as a trusted wall clock (only when the application sets the time from a trusted
   *  source): the clock gate then sets the module's clock from it when the module's own is not set (a
   *  WPA2-Enterprise join before any network has given NTP a chance). Otherwise the core relies on the
   *  module's own clock (NTP). Same as clock: { trustHostClock: true } with getTime() as the host clock. */
  trustClock?: boolean;
}

/**
 * The Host for a module on `serial`. Sets the UART up and releases the reset line at once.
 * One object is the whole port but the uart (the Serial object): it is the host, its clock and (with a reset
 * pin) its pins, and its functions are closures over this call. On the board every object and closure made here is held for as
 * long as the layer runs, so there are as few as the port needs.
 */
export function createHost(serial: Serial, o: EspruinoOptions): Host {
  o = o || ({} as EspruinoOptions);
  // Console levels in order of severity: a level is logged when its place is at or after the threshold's.
  // (The levels are a literal in each place: a string kept in this scope would be variables held. lastIndexOf:
  // Espruino's indexOf finds any ' x ' at the last space, see build/check-string-search.mjs.)
  let min = typeof o.log === 'string' ? ' debug info warn error none '.lastIndexOf(' ' + o.log + ' ') : -1;
  if (min < 0) min = 11; // ' warn '
  const log = typeof o.log === 'function' ? o.log : function (level: LogLevel, message: string): void {
    if (' debug info warn error none '.lastIndexOf(' ' + level + ' ') >= min) console.log('[spwf04] ' + level + ': ' + message);
  };
  const reset = o.reset;
  const prefix = o.storagePrefix === undefined ? 'spwf.' : o.storagePrefix;
  // Every timer's callback goes through this one function (Espruino passes setTimeout's extra argument):
  // no closure per pending timer. Nothing thrown escapes into Espruino's timer loop.
  const fire = function (fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log('error', 'timer handler failed: ' + e);
    }
  };
  let last = 0;
  let skew = 0;

  serial.setup(o.baud || 115200, (o.path ? { rx: o.rx, tx: o.tx, path: o.path } : { rx: o.rx, tx: o.tx }) as any);
  serial.removeAllListeners('data');
  // Host.uart is the Serial object itself (its own write, no closure for it) with onData added.
  // The engine's receiver never throws (Espruino removes a 'data' listener that does): it is the listener
  // itself, without a guard around it (a call per chunk, and a closure held).
  (serial as any).onData = function (h: (bytes: string) => void) {
    serial.removeAllListeners('data');
    serial.on('data', h);
  };

  const host: any = {
    uart: serial,
    // Host.clock
    now: function () {
      // getTime() follows setTime(): never let the monotonic clock go backwards.
      const t = getTime() * 1000 + skew;
      if (t < last) {
        skew += last - t;
        return last;
      }
      last = t;
      return t;
    },
    setTimeout: function (fn: () => void, ms: number) {
      return setTimeout(fire, ms, fn);
    },
    clearTimeout: function (id: any) {
      // Espruino's clearTimeout clears EVERY timer when given undefined, and some versions throw "Unknown
      // Timeout" for an id that already fired. The core clears only pending timers (Clock.clearTimeout).
      if (id === undefined || id === null) return;
      try {
        clearTimeout(id);
      } catch (e) {
        // already fired
      }
    },
    // Host.storage: the layer's Storage files, names under `prefix`. Made at each use and not kept here: a
    // join reads its record once and the object goes (about 50 variables); the optional modules that keep
    // files (certificates, firmware updates) hold theirs for as long as they live.
    get storage() {
      return {
        read: function (name: string) {
          try {
            return require('Storage').read(prefix + name);
          } catch (e) {
            return undefined;
          }
        },
        write: function (name: string, data: string) {
          try {
            return require('Storage').write(prefix + name, data);
          } catch (e) {
            return false; // name too long, flash full, ...
          }
        },
        erase: function (name: string) {
          try {
            require('Storage').erase(prefix + name);
          } catch (e) {
            // absent or invalid name: nothing to erase
          }
        },
        list: function (p: string) {
          const all = require('Storage').list();
          const out: string[] = [];
          for (let i = 0; i < all.length; i++) {
            if (all[i].indexOf(prefix + p) === 0) out.push(all[i].substring(prefix.length));
          }
          return out;
        },
      } as HostStorage;
    },
    log: log,
  };
  host.clock = host;
  if (o.trustClock) {
    // 1704067200 = 2024-01-01T00:00:00Z: a clock below this was never set.
    host.wallSeconds = function () {
      const t = getTime();
      return t > 1704067200 ? Math.floor(t) : undefined;
    };
  }
  if (reset) {
    // Hi-Z until a reset is asked for (protocol doc 8.3: never drive RESET high).
    pinMode(reset, 'input');
    host.pins = host;
    host.setReset = function (asserted: boolean) {
      if (asserted) {
        // Output latch low first, then switch to output: the pin goes straight from Hi-Z to low.
        digitalWrite(reset, 0);
        pinMode(reset, 'output');
        digitalWrite(reset, 0);
      } else pinMode(reset, 'input');
    };
  }
  // The closures above keep this call's scope: not the application's options.
  o = undefined as any;
  return host as Host;
}

/** Optional features come from Storage modules named spwf04-<feature>, loaded on first use. */
function storageFeature(name: string): any {
  return require('spwf04-' + name);
}

/** A module loaded for a while (the join's) leaves the module cache: its functions are freed once unused. */
function releaseFeature(name: string): void {
  try {
    Modules.removeCached('spwf04-' + name);
  } catch (e) {
    // not cached ("Module ... not found"): nothing to free
  }
}

/** The layer on `serial`, not started yet (see start()). */
export function createConnectivity(host: Host, opts?: ConnectivityOptions): Connectivity {
  return new Connectivity(host, Object.assign({ feature: storageFeature, release: releaseFeature }, opts));
}

/**
 * Start the layer on `serial`: sets the UART up, resets the module when a reset pin is given, waits for
 * it, turns echo off and, when `ssid` is given, joins that network. Returns the Connectivity at once;
 * it emits 'ready' when the module answers, 'up' (with the IPv4 address) when the join succeeded,
 * 'error' (an Error with a `code`) when either failed, and 'link' on every link state change. Calling
 * its start() again is safe: the same promise while it runs, a resolved one afterwards.
 */
export function start(serial: Serial, opts: EspruinoOptions): Connectivity {
  const o = opts || ({} as EspruinoOptions);
  const host = createHost(serial, o);
  // Only the façade's options are kept (for as long as the layer runs): not the pins, the network's
  // passphrase or the host's own settings. A trace named by a string is set up below. (lastIndexOf: on
  // Espruino indexOf would find every ' key ' at the list's last space and keep every option.)
  const co: any = { feature: storageFeature, release: releaseFeature };
  for (const k in o) {
    if (' engine link startTimeoutMs resetPulseMs clock fota tlsStore '.lastIndexOf(' ' + k + ' ') >= 0) co[k] = (o as any)[k];
  }
  if (typeof o.trace === 'function') co.trace = o.trace;
  // trustClock: the host's getTime() is the wall clock (createHost), and the clock gate trusts it.
  if (o.trustClock) co.clock = Object.assign({ trustHostClock: true }, o.clock);
  const conn = new Connectivity(host, co);
  // The trace writer is a Storage module of its own (spwf04-trace): it costs nothing unless asked for.
  if (typeof o.trace === 'string') conn.engine.trace = storageFeature('trace').traceTo(o.trace);
  if (o.network) {
    // Espruino's require("net") and require("http") ("https:" through the module's TLS) use the module.
    try {
      require('NetworkJS').create(conn.feature('net'));
    } catch (e) {
      host.log('warn', 'NetworkJS driver not started: ' + (e && (e as any).message ? (e as any).message : e));
    }
  }
  if (o.ssid === undefined) conn.bringUp();
  else {
    const net: { ssid: string; psk?: string } = { ssid: o.ssid };
    if (o.psk !== undefined) net.psk = o.psk;
    conn.bringUp(net);
  }
  return conn;
}
