// The slow poll of open, idle streams: one timer for all the streams of an owner (armed only while one
// is open), so that a lost or corrupted pending-data indication (+WIND:55) costs a delay, never data. A
// stream that was queried since the last tick is not asked again (see ModuleStream.hint). The owners of
// streams (client sockets, servers) extend it: it also takes their engine's indications and states to
// one method, `engineEvent`, so that each owner registers no closure.

import { Engine, EngineState } from '../at/engine';
import { WindEvent } from '../at/wind';
import { Clock } from '../host';
import { ModuleStream } from './module-stream';

export abstract class IdlePoll {
  declare private timer: any;

  /** `clock` and `ms` (default 10 s; 0: no poll): the period of the poll. */
  constructor(readonly engine: Engine, private clock?: Clock, private ms?: number) {
    if (ms === undefined) this.ms = 10000;
    engine.onWind(this.engineEvent, this, 1 /* socket traffic */);
    engine.onState(this.engineEvent, this);
  }

  /** The open streams now. */
  abstract list(): ModuleStream[];

  /** A socket indication (an object), or the engine's new state (a string). */
  protected abstract engineEvent(ev: WindEvent | EngineState): void;

  /** Arm the timer if it is not armed (`run`: a stream opened), or stop it (the engine stopped). */
  protected poll(run: boolean): void {
    const self = this;
    const clock = this.clock;
    if (!run) {
      if (this.timer !== undefined) clock!.clearTimeout(this.timer);
      this.timer = undefined;
    } else if (clock && this.ms && this.timer === undefined) {
      this.timer = clock.setTimeout(function () {
        self.timer = undefined;
        let list: ModuleStream[] = [];
        try {
          list = self.list();
          for (let i = 0; i < list.length; i++) list[i].hint(4 /* poll */);
        } catch (e) {
          // nothing escapes a timer callback; the next tick tries again
        }
        if (list.length) self.poll(true);
      }, this.ms);
    }
  }
}
