// The first lines of every boot (AN §3.2.3, doc §4.1), up to and including +WIND:3. +WIND:32 and the
// join that follows belong to the radio.

import { COPYRIGHT_TEXT, COPYRIGHT_VARIANT, WATCHDOG_SECONDS } from './choices';
import type { ConsoleOutput } from './output';
import { W } from './winds';

/** FW 1.1.0's Poweron text: <yymmdd>-<build>-<model>. */
export const DEFAULT_FIRMWARE = '171117-0328fe3-SPWF04S';

/** Prints +WIND:1, 13 and 0; `consoleActive` runs right after +WIND:0, before +WIND:3. */
export function printBootBanner(out: ConsoleOutput, firmware: string, consoleActive: () => void): void {
  out.wind(W.poweron, [firmware]);
  out.wind(W.copyright, [COPYRIGHT_VARIANT], COPYRIGHT_TEXT);
  out.wind(W.consoleActive);
  consoleActive();
  out.wind(W.watchdogRunning, [WATCHDOG_SECONDS]);
}
