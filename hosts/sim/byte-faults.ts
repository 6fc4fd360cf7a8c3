// Damage to the bytes on the module's TX line, for testing how a host copes with a noisy UART: each
// byte may be dropped, duplicated or corrupted, either by chance (per-byte probabilities drawn from a
// seeded generator) or on purpose ("the next N bytes"). Bytes are byte strings (one char per byte).

import { SeededRandom } from './prng';

export interface ByteErrorRates {
  /** Probability (0..1) that a byte is lost. */
  drop?: number;
  /** Probability that a byte arrives twice. */
  duplicate?: number;
  /** Probability that a byte arrives with a different value. */
  corrupt?: number;
}

export class ByteFaults {
  private random: SeededRandom;
  private rates = { drop: 0, duplicate: 0, corrupt: 0 };
  private dropLeft = 0;
  private duplicateLeft = 0;
  private corruptLeft = 0;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  reseed(seed: number): void {
    this.random = new SeededRandom(seed);
  }

  setRates(rates: ByteErrorRates): void {
    const drop = probability(rates.drop);
    const duplicate = probability(rates.duplicate);
    const corrupt = probability(rates.corrupt);
    if (drop + duplicate + corrupt > 1) throw new RangeError('byte error rates add up to more than 1');
    this.rates = { drop, duplicate, corrupt };
  }

  /** The next n bytes put on the wire are lost. */
  dropNext(n: number): void {
    this.dropLeft = count(n);
  }

  /** The next n bytes arrive twice each. */
  duplicateNext(n: number): void {
    this.duplicateLeft = count(n);
  }

  /** The next n bytes arrive with another value. */
  corruptNext(n: number): void {
    this.corruptLeft = count(n);
  }

  clear(): void {
    this.rates = { drop: 0, duplicate: 0, corrupt: 0 };
    this.dropLeft = this.duplicateLeft = this.corruptLeft = 0;
  }

  /** True when apply() would return its input unchanged (and draw nothing from the generator). */
  get idle(): boolean {
    const r = this.rates;
    return this.dropLeft + this.duplicateLeft + this.corruptLeft === 0 && r.drop + r.duplicate + r.corrupt === 0;
  }

  /** What the host receives for these bytes. Targeted counts all run down on the same bytes: a byte in
   *  several windows is dropped if any drop window covers it, else corrupted and/or duplicated. */
  apply(bytes: string): string {
    if (this.idle) return bytes;
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      let drop = false;
      let duplicate = false;
      let corrupt = false;
      if (this.dropLeft > 0 || this.duplicateLeft > 0 || this.corruptLeft > 0) {
        drop = this.dropLeft > 0;
        duplicate = this.duplicateLeft > 0;
        corrupt = this.corruptLeft > 0;
        this.dropLeft = Math.max(0, this.dropLeft - 1);
        this.duplicateLeft = Math.max(0, this.duplicateLeft - 1);
        this.corruptLeft = Math.max(0, this.corruptLeft - 1);
      } else {
        const r = this.random.next();
        const { drop: pd, duplicate: pu, corrupt: pc } = this.rates;
        drop = r < pd;
        duplicate = !drop && r < pd + pu;
        corrupt = !drop && !duplicate && r < pd + pu + pc;
      }
      if (drop) continue;
      let byte = bytes.charCodeAt(i);
      // XOR with 1..255: the value always changes, and stays a byte.
      if (corrupt) byte ^= this.random.int(1, 255);
      const ch = String.fromCharCode(byte);
      out += duplicate ? ch + ch : ch;
    }
    return out;
  }
}

function probability(p: number | undefined): number {
  const v = p ?? 0;
  if (!(v >= 0 && v <= 1)) throw new RangeError('a byte error rate must be between 0 and 1');
  return v;
}

function count(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('a byte count must be a non-negative integer');
  return n;
}
