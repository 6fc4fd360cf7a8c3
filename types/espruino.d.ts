// An Espruino application written in TypeScript: `require("spwf04")` and the Nucleo pins it needs.
// Use with @types/espruino (which declares Serial1, Pin and the Nucleo names, but not the STM32 port
// pins): "types": ["espruino"], "files": ["types/espruino.d.ts"]; then require("spwf04") (or import).
/// <reference path="./spwf04.d.ts" />

declare namespace Spwf04 {
  interface EspruinoOptions extends CommonOptions {
    /** Host pin that receives from the module (module TX). X-NUCLEO-IDW04A1 on a Nucleo-64: A10 (D2). */
    rx?: Pin;
    /** Host pin that sends to the module (module RX). X-NUCLEO-IDW04A1 on a Nucleo-64: A9 (D8). */
    tx?: Pin;
    /** The module's reset line (Nucleo.D7); leave it out on IDW04A1 boards without the WIFI_RST fix. */
    reset?: Pin;
    /** Espruino for Linux only: the serial device or pseudo-terminal to open. */
    path?: string;
    /** "console", a Storage file name to append the exchange to, or a function. */
    trace?: string | ((dir: string, line: string) => void);
    /** Prefix of the Storage files the layer keeps (default "spwf."). */
    storagePrefix?: string;
    /** Register with NetworkJS so require("net") and require("http") use the module (needs the Storage module
     *  spwf04-net; default false). */
    network?: boolean;
    /** getTime() is a trusted wall clock (the application set it from a trusted source): the module's clock
     *  is set from it when the module's own is not set (before a WPA2-Enterprise join, say). */
    trustClock?: boolean;
  }
}

declare module 'spwf04' {
  /** Sets the UART up and starts the module (and joins, with ssid): the application's one call. */
  export function start(serial: Serial, options: Spwf04.EspruinoOptions): Spwf04.Connectivity;
}

/** PA8, PA9, PA10 on the NUCLEO-F401RE/F411RE: the reset line (D7) and USART1 (D8 = TX, D2 = RX). */
declare var A8: Pin;
declare var A9: Pin;
declare var A10: Pin;

// What @types/espruino (1.95) leaves out and almost every application uses.
declare var console: { log(...args: any[]): void };

/** Espruino's flash file store (the subset an application of this layer needs). */
declare module 'Storage' {
  export function read(name: string, offset?: number, length?: number): string | undefined;
  export function readJSON(name: string, noExceptions?: boolean): any;
  export function write(name: string, data: string, offset?: number, size?: number): boolean;
  export function writeJSON(name: string, data: any): boolean;
  export function erase(name: string): void;
  export function list(pattern?: RegExp | string): string[];
  export function getFree(): number;
}
