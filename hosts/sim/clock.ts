// The module's real-time clock: seconds since 1970 UTC. It starts at 0 at every boot (no battery-
// backed RTC), is set by AT+S.TIME (or a test helper, standing in for NTP), and runs with Date.now(),
// which sinon fake timers drive in tests.

export class ModuleClock {
  private base = 0;
  private baseAtMs = Date.now();

  /** Boot: back to 1970-01-01 00:00:00. */
  reset(): void {
    this.set(0);
  }

  set(seconds: number): void {
    this.base = seconds;
    this.baseAtMs = Date.now();
  }

  /** Whole seconds since 1970. */
  seconds(): number {
    return this.base + Math.floor((Date.now() - this.baseAtMs) / 1000);
  }
}

/** The TIME query's fields for a moment: date YY.MM.DD and time hh.mm.ss, UTC. */
export function dateAndTime(seconds: number): { date: string; time: string } {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${two(d.getUTCFullYear() % 100)}.${two(d.getUTCMonth() + 1)}.${two(d.getUTCDate())}`,
    time: `${two(d.getUTCHours())}.${two(d.getUTCMinutes())}.${two(d.getUTCSeconds())}`,
  };
}
