// The slow poll of open, idle streams: one timer for all of them (armed only while one is open), so
// that a lost or corrupted pending-data indication (+WIND:55) costs a delay, never data. A stream that
// was queried since the last tick is not asked again (see ModuleStream.idlePoll).

import { Clock } from '../host';
import { ModuleStream } from './module-stream';

/** Period of the idle poll. */
export const IDLE_POLL_MS = 10000;

export class IdlePoll {
  private timer: any = null;

  /** `streams`: the open streams now (empty: the timer stops). */
  constructor(private clock: Clock, private streams: () => ModuleStream[], private ms: number) {}

  /** Stop polling (the engine stopped); arm() starts again. */
  stop(): void {
    if (this.timer === null) return;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Arm the timer if it is not armed (call when a stream opens). */
  arm(): void {
    if (this.timer !== null) return;
    const self = this;
    this.timer = this.clock.setTimeout(function () {
      self.timer = null;
      let list: ModuleStream[] = [];
      try {
        list = self.streams();
        for (let i = 0; i < list.length; i++) list[i].idlePoll();
      } catch (e) {
        // nothing escapes a timer callback; the next tick tries again
      }
      if (list.length) self.arm();
    }, this.ms);
  }
}
