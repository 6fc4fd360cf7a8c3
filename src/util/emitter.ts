// A minimal event emitter that runs on every engine (Espruino's built-in one is not on XS or Node).
// A listener that throws is logged through `onError` (the host's log: no closure needed to report it) and
// never stops the others.
// Nothing is stored until a listener is added: on Espruino every emitter (the façade, the link, the clock,
// each socket) would otherwise hold an empty table and a null field from its construction on.
// The lists are never changed in place: on() and off() (rare) make a new one, so that emit() (at every
// state change and every read) walks the list it found without copying it, and a listener added or removed
// during an emit does not change who that emit calls.

import type { Log } from '../host';

export type Listener = (a?: any, b?: any) => void;

export class Emitter {
  protected listeners?: { [event: string]: Listener[] };
  onError?: Log | null;

  on(event: string, fn: Listener): void {
    const all = this.listeners || (this.listeners = {});
    all[event] = (all[event] || []).concat([fn]);
  }

  off(event: string, fn: Listener): void {
    const all = this.listeners;
    const l = all && all[event];
    const i = l ? l.indexOf(fn) : -1;
    if (i < 0) return;
    if (l!.length > 1) all![event] = l!.slice(0, i).concat(l!.slice(i + 1));
    else delete all![event];
  }

  emit(event: string, a?: any, b?: any): void {
    const l = this.listeners && this.listeners[event];
    if (!l) return;
    // One try for the whole list, not one per listener (each costs on Espruino): after a listener that
    // throws, the others are called.
    let i = 0;
    while (i < l.length) {
      try {
        while (i < l.length) l[i++](a, b);
      } catch (e) {
        if (this.onError) this.onError('error', 'listener failed: ' + e);
      }
    }
  }
}
