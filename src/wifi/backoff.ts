// Capped exponential backoff with jitter, for the link's recovery: the wait before attempt n (n >= 1) is
// min(cap, base * 2^(n-1)), shortened by up to `jitter` (0..1) of itself, at random. The random source is
// injected so that tests are deterministic. No `**` (Espruino lacks it).

export interface BackoffOptions {
  /** The first wait (default 2 s). */
  baseMs?: number;
  /** The longest wait (default 5 min). */
  capMs?: number;
  /** Fraction of the wait that is random (default 0.5): waits fall in [d * (1 - jitter), d]. */
  jitter?: number;
}

/** The wait before attempt n, in ms. `random` returns a number in [0, 1). */
export function backoffDelay(n: number, o: BackoffOptions, random: () => number): number {
  const cap = o.capMs || 300000;
  let d = o.baseMs || 2000;
  for (let i = 1; i < n && d < cap; i++) d *= 2;
  if (d > cap) d = cap;
  const j = o.jitter === undefined ? 0.5 : Math.min(Math.max(o.jitter, 0), 1);
  return Math.round(d * (1 - j * random()));
}
