// A minimal event emitter that runs on every engine (Espruino's built-in one is not on XS or Node).
// A listener that throws is logged through `onError` (the host's log: no closure needed to report it) and
// never stops the others.
// Nothing is stored until a listener is added: on Espruino every emitter (the façade, the link, the clock,
// each socket) would otherwise hold an empty table and a null field from its construction on.

import type { Log } from '../host';

export type Listener = (a?: any, b?: any) => void;

export class Emitter {
  private listeners?: { [event: string]: Listener[] };
  onError?: Log | null;

  on(event: string, fn: Listener): void {
    const all = this.listeners || (this.listeners = {});
    (all[event] || (all[event] = [])).push(fn);
  }

  off(event: string, fn: Listener): void {
    const all = this.listeners;
    const l = all && all[event];
    if (!l) return;
    const i = l.indexOf(fn);
    if (i >= 0) l.splice(i, 1);
    if (!l.length) delete all![event];
  }

  emit(event: string, a?: any, b?: any): void {
    const l = this.listeners && this.listeners[event];
    if (!l) return;
    const copy = l.slice();
    for (let i = 0; i < copy.length; i++) {
      try {
        copy[i](a, b);
      } catch (e) {
        if (this.onError) this.onError('error', 'listener failed: ' + e);
      }
    }
  }
}
