// A Moddable XS application: `import { start } from "spwf04"` (the manifest.json at the root of this
// repository adds the module). Use with @moddable/typings.
/// <reference path="./spwf04.d.ts" />

declare namespace Spwf04 {
  interface ModdableOptions extends CommonOptions {
    /** The UART: a number on ESP32; on Zephyr (the only way to an STM32) the devicetree name, e.g. "usart1". */
    port?: number | string;
    /** Host pin that receives from the module (module TX); ignored on Zephyr (the devicetree sets it). */
    receive: number;
    /** Host pin that sends to the module (module RX); ignored on Zephyr. */
    transmit: number;
    /** GPIO of the module's reset line (pulled low to reset, never driven high). */
    reset?: number;
    /** Preference domain for stored entries (default "spwf04"). */
    storageDomain?: string;
    /** Storage to use instead of Preference (Zephyr has no Preference). */
    storage?: {
      read(name: string): string | undefined;
      write(name: string, data: string): boolean;
      erase(name: string): void;
      list(prefix: string): string[];
    };
  }
}

declare module 'spwf04' {
  export function start(options: Spwf04.ModdableOptions): Spwf04.Connectivity;
}
