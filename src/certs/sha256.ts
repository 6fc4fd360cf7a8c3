// SHA-256 (FIPS 180-4) over a byte string, in the Espruino subset: 32-bit operations on 4-byte words,
// the message read in place (only the last one or two 64-byte blocks are copied, for the padding), the
// round constants decoded for each digest into one Int32Array from a hex string that stays in flash (kept
// between digests they would hold 22 variables for good, for a few joins and certificate checks).

import { toHex } from './der';

/** SHA-256 of a byte string (every char 0..255), as a 32-byte byte string. The round constants and the
 *  block function are local: sha256 is in the core (shared by optional modules), where each top-level
 *  function would be variables held for good on the board. */
export function sha256(data: string): string {
  // The hex string lives in the function: on Espruino a top-level string is copied into RAM at load.
  const K_HEX =
    '428a2f9871374491b5c0fbcfe9b5dba53956c25b59f111f1923f82a4ab1c5ed5d807aa9812835b01243185be550c7dc3' +
    '72be5d7480deb1fe9bdc06a7c19bf174e49b69c1efbe47860fc19dc6240ca1cc2de92c6f4a7484aa5cb0a9dc76f988da' +
    '983e5152a831c66db00327c8bf597fc7c6e00bf3d5a7914706ca63511429296727b70a852e1b21384d2c6dfc53380d13' +
    '650a7354766a0abb81c2c92e92722c85a2bfe8a1a81a664bc24b8b70c76c51a3d192e819d6990624f40e3585106aa070' +
    '19a4c1161e376c082748774c34b0bcb5391c0cb34ed8aa4a5b9cca4f682e6ff3748f82ee78a5636f84c878148cc70208' +
    '90befffaa4506cebbef9a3f7c67178f2';
  const k = new Int32Array(64);
  for (let i = 0; i < 64; i++) k[i] = parseInt(K_HEX.substring(i * 8, i * 8 + 8), 16) | 0;
  const block = function (s: string, off: number, w: Int32Array, h: Int32Array, k: Int32Array): void {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      w[i] = (s.charCodeAt(j) << 24) | (s.charCodeAt(j + 1) << 16) | (s.charCodeAt(j + 2) << 8) | s.charCodeAt(j + 3);
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0];
    let b = h[1];
    let c = h[2];
    let d = h[3];
    let e = h[4];
    let f = h[5];
    let g = h[6];
    let hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + k[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0;
    h[5] = (h[5] + f) | 0;
    h[6] = (h[6] + g) | 0;
    h[7] = (h[7] + hh) | 0;
  };
  const w = new Int32Array(64);
  const h = new Int32Array(8);
  h[0] = 0x6a09e667;
  h[1] = 0xbb67ae85 | 0;
  h[2] = 0x3c6ef372;
  h[3] = 0xa54ff53a | 0;
  h[4] = 0x510e527f;
  h[5] = 0x9b05688c | 0;
  h[6] = 0x1f83d9ab;
  h[7] = 0x5be0cd19;
  const n = data.length;
  const full = n - (n % 64);
  for (let off = 0; off < full; off += 64) block(data, off, w, h, k);
  // Padding: 0x80, zeros up to 56 mod 64, then the length in bits as a 64-bit big-endian number.
  // (The device build writes this byte as the escape \x80: build/build.mjs, charset.)
  let tail = data.substring(full) + '\x80';
  const zeros = (120 - tail.length) % 64;
  for (let i = 0; i < zeros; i++) tail += '\x00';
  const hi = Math.floor(n / 0x20000000);
  const lo = (n * 8) >>> 0;
  tail += String.fromCharCode((hi >>> 24) & 255, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255);
  tail += String.fromCharCode((lo >>> 24) & 255, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255);
  for (let off = 0; off < tail.length; off += 64) block(tail, off, w, h, k);
  let out = '';
  for (let i = 0; i < 8; i++) {
    const v = h[i];
    out += String.fromCharCode((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  }
  return out;
}

/** SHA-256 of a byte string as 64 lower-case hex digits. */
export function sha256Hex(data: string): string {
  return toHex(sha256(data));
}
