// Capped exponential backoff with jitter, for the link's recovery: the wait before attempt n (n >= 1) is
// min(cap, base * 2^(n-1)), shortened by up to `jitter` (0..1) of itself, at random. The random source is
// injected so that tests are deterministic. Math.pow, not `**` (Espruino lacks it).

export interface BackoffOptions {
  /** The first wait (default 2 s). */
  baseMs?: number;
  /** The longest wait (default 5 min). */
  capMs?: number;
  /** Fraction of the wait that is random (default 0.5): waits fall in [d * (1 - jitter), d]. */
  jitter?: number;
}

/** The wait before attempt n, in ms. `random` returns a number in [0, 1). Without options, the defaults. */
export function backoffDelay(n: number, o: BackoffOptions | undefined, random: () => number): number {
  // (no object made for missing options, and one Math.pow instead of a loop: this runs at every loss)
  const cap = (o && o.capMs) || 300000;
  const d = Math.min(cap, ((o && o.baseMs) || 2000) * Math.pow(2, Math.min(n - 1, 30)));
  const jitter = o && o.jitter;
  const j = jitter === undefined ? 0.5 : Math.min(Math.max(jitter, 0), 1);
  return Math.round(d * (1 - j * random()));
}
