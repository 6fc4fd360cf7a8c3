// What the module accepts as an SSID and a WPA2 passphrase (IEEE 802.11: an SSID is 1 to 32 bytes; a
// passphrase 8 to 63 printable ASCII characters, or the 256-bit key as 64 hex digits), shared by the
// simulated console (SSIDTXT, SCFG wifi_wpa_psk_text) and the simulator's command line. A control
// character (CR, LF, NUL, …) in either would be a line break or a terminator on the module's console:
// refused. Values are byte strings (one char per byte).

import { OVERSIZE_ARGUMENT_ERROR } from './choices';
import { E } from './errors';

export const MAX_SSID_BYTES = 32;

export interface ParamProblem {
  /** The module's error code (AT-S.ERROR:<code>). */
  code: number;
  /** Why, in words (never the value itself: a passphrase is a secret). */
  why: string;
}

function controlChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return i;
  }
  return -1;
}

/** Why the module refuses this SSID, or undefined. */
export function ssidProblem(ssid: string): ParamProblem | undefined {
  if (ssid.length === 0) return { code: E.missingArguments, why: 'an SSID cannot be empty' };
  if (ssid.length > MAX_SSID_BYTES) return { code: OVERSIZE_ARGUMENT_ERROR, why: `an SSID is at most ${MAX_SSID_BYTES} bytes, not ${ssid.length}` };
  const at = controlChar(ssid);
  if (at >= 0) return { code: E.invalidArguments, why: `the SSID has a control character (byte ${ssid.charCodeAt(at)} at ${at})` };
  return undefined;
}

/** Why the module refuses this WPA2 passphrase, or undefined. */
export function passphraseProblem(psk: string): ParamProblem | undefined {
  if (psk.length === 64) {
    return /^[0-9a-fA-F]{64}$/.test(psk) ? undefined
      : { code: E.invalidArguments, why: 'a 64-character passphrase must be 64 hex digits (the key itself)' };
  }
  if (psk.length > 64) return { code: OVERSIZE_ARGUMENT_ERROR, why: `a passphrase is 8 to 63 characters (or 64 hex digits), not ${psk.length}` };
  if (psk.length < 8 || psk.length > 63) return { code: E.invalidArguments, why: `a passphrase is 8 to 63 characters (or 64 hex digits), not ${psk.length}` };
  for (let i = 0; i < psk.length; i++) {
    const c = psk.charCodeAt(i);
    if (c < 32 || c > 126) return { code: E.invalidArguments, why: `a passphrase is printable ASCII; character ${i + 1} is not` };
  }
  return undefined;
}
