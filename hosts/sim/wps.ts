// WPS on the station side (AN §2.1.1, §3.2.1.1): the PIN checksum, and the PIN the module makes up for
// AT+S.WPS=2. The enrolment itself runs in the radio; the registrar side is the access point's
// (network.ts: pressWpsButton, enterWpsPin).

import type { SeededRandom } from './prng';

/** The checksum digit of a PIN's first seven digits (weights 3,1,3,1,3,1,3; complement to 10). */
export function wpsChecksum(seven: string): number {
  let acc = 0;
  for (let i = 0; i < 7; i++) acc += Number(seven[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (acc % 10)) % 10;
}

/** wifi_wps_pin's 7 digits -> the 8-digit PIN, or undefined when they are not 7 digits. */
export function fullWpsPin(seven: string): string | undefined {
  return /^\d{7}$/.test(seven) ? seven + wpsChecksum(seven) : undefined;
}

/** A random valid 8-digit PIN. */
export function randomWpsPin(random: SeededRandom): string {
  return fullWpsPin(String(random.int(0, 9999999)).padStart(7, '0'))!;
}
