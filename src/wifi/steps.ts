// Commands one after the other, and the radio's off and on: what the link, its recovery and the optional
// joins share (in the core; ./configure is loaded only while a join writes settings).

import { Engine, Command } from '../at/engine';

export { wifiOff, wifiOn } from '../at/commands';

/** Run commands one after the other; `cb` (or the promise returned without one) settles after the last, or at
 *  the first failure. One step at a time, by callbacks: on Espruino a chain of promises built up front, or a
 *  promise per step, would stay alive with everything its handlers hold until the whole sequence ends. */
export function sequence(e: Engine, cmds: (() => Command)[]): Promise<void>;
export function sequence(e: Engine, cmds: (() => Command)[], cb: (err: any) => void): void;
export function sequence(e: Engine, cmds: (() => Command)[], cb?: (err: any) => void): Promise<void> | void {
  if (!cb) {
    return new Promise<void>(function (resolve, reject) {
      sequence(e, cmds, function (err) {
        if (err) reject(err);
        else resolve();
      });
    });
  }
  const done = cb;
  let i = 0;
  function next(err?: any): void {
    if (err || i >= cmds.length) {
      done(err || null);
      return;
    }
    let c: Command;
    try {
      c = cmds[i++]();
    } catch (x) {
      done(x); // a parameter the builder refused
      return;
    }
    e.send(c, next);
  }
  next();
}
