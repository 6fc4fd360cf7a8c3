// The FOTA key, one rule everywhere (the API's updateFirmware({ key }) and the command line's key files):
// an AES-128 key is 16 raw bytes or 32 hex digits; which one is detected from the length, and anything
// else is refused with the reason. The module's aes128_key takes it as 32 hex digits.
// Written for Espruino: no RegExp (its quantifiers are minimal), one charCodeAt pass over at most 32
// characters. The reasons never quote the key's characters: a key is a secret.

export type FotaKeyResult = { ok: true; hex: string } | { ok: false; reason: string };

const HEX = '0123456789abcdef';

/** Value of a hex digit (either case), or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * A FOTA key given as 32 hex digits (either case) or as a 16-character byte string (each character one
 * byte, 0-255), as the 32 lower-case hex digits aes128_key takes; or why it is not a key.
 */
export function normaliseFotaKey(key: unknown): FotaKeyResult {
  if (typeof key !== 'string') return { ok: false, reason: 'the key must be a string: 32 hex digits or 16 bytes' };
  let hex = '';
  if (key.length === 32) {
    for (let i = 0; i < 32; i++) {
      const d = hexDigit(key.charCodeAt(i));
      if (d < 0) return { ok: false, reason: 'the key is 32 characters but character ' + (i + 1) + ' is not a hex digit' };
      hex += HEX.charAt(d);
    }
    return { ok: true, hex: hex };
  }
  if (key.length === 16) {
    for (let i = 0; i < 16; i++) {
      const c = key.charCodeAt(i);
      if (c > 255) return { ok: false, reason: 'the key is 16 characters but character ' + (i + 1) + ' is not a byte (above 0xFF)' };
      hex += HEX.charAt(c >> 4) + HEX.charAt(c & 15);
    }
    return { ok: true, hex: hex };
  }
  return { ok: false, reason: 'the key is ' + key.length + ' characters: an AES-128 key is 16 bytes or 32 hex digits' };
}
