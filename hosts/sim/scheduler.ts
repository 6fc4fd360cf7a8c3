// Timers owned by one part of the simulator, so that a reset or close() can cancel exactly that part's
// pending steps. Uses the global setTimeout, which sinon fake timers replace in tests.

export class Scheduler {
  private timers = new Set<ReturnType<typeof setTimeout>>();

  after(ms: number, step: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      step();
    }, ms);
    this.timers.add(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  get pending(): number {
    return this.timers.size;
  }
}
