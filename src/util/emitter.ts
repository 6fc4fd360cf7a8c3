// A minimal event emitter that runs on every engine (Espruino's built-in one is not on XS or Node).
// A listener that throws is logged through `onError` and never stops the others.

export type Listener = (a?: any, b?: any) => void;

export class Emitter {
  private listeners: { [event: string]: Listener[] } = {};
  onError: ((e: any) => void) | null = null;

  on(event: string, fn: Listener): void {
    const l = this.listeners[event] || (this.listeners[event] = []);
    l.push(fn);
  }

  off(event: string, fn: Listener): void {
    const l = this.listeners[event];
    if (!l) return;
    const i = l.indexOf(fn);
    if (i >= 0) l.splice(i, 1);
    if (!l.length) delete this.listeners[event];
  }

  /** Number of listeners, for leak checks. */
  listenerCount(event?: string): number {
    if (event !== undefined) return (this.listeners[event] || []).length;
    let n = 0;
    const keys = Object.keys(this.listeners);
    for (let i = 0; i < keys.length; i++) n += this.listeners[keys[i]].length;
    return n;
  }

  emit(event: string, a?: any, b?: any): void {
    const l = this.listeners[event];
    if (!l) return;
    const copy = l.slice();
    for (let i = 0; i < copy.length; i++) {
      try {
        copy[i](a, b);
      } catch (e) {
        if (this.onError) this.onError(e);
      }
    }
  }
}
