// What the tests read inside the engine and the emitters. The core has no methods for these on purpose:
// each method of the core is variables held on the board, and only the tests asked.

import type { Engine } from '../../src/at/engine';
import type { Emitter } from '../../src/util/emitter';
import type { Framer } from '../../src/at/framer';

/** A command is in flight. */
export function engineBusy(engine: Engine): boolean {
  return (engine as any).cur !== null;
}

/** Commands waiting behind the one in flight. */
export function engineQueued(engine: Engine): number {
  return (engine as any).queue.length;
}

/** Number of listeners of every event, for leak checks. */
export function listenerCount(emitter: Emitter): number {
  const all = (emitter as any).listeners || {};
  let n = 0;
  for (const k in all) n += all[k].length;
  return n;
}

/** Bytes the framer holds for a partial line (always <= maxLine). */
export function framerPending(framer: Framer): number {
  return (framer as any).buf.length;
}
