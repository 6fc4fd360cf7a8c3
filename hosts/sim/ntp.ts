// The module's NTP client: a while after the link comes up (timing.ntpMs) it sets the module clock from
// the desktop's real time and prints +WIND:84. `answers = false` makes the NTP server unreachable: no
// indication, the clock stays at 1970 (for testing what a host does when the time never comes).

import { NTP_AFTER_WIFI_UP, ntpDeliveryParams } from './choices';
import type { ModuleClock } from './clock';
import type { ConsoleOutput } from './output';
import { Scheduler } from './scheduler';
import type { SimTiming } from './timing';
import { W } from './winds';

export class SimNtp {
  /** false: the server never answers (until set back, and then from the next WiFi Up). */
  answers: boolean;
  private readonly steps = new Scheduler();

  constructor(
    private readonly clock: ModuleClock,
    private readonly out: ConsoleOutput,
    private readonly timing: SimTiming,
    /** The link is still up when the answer would come (WIFI=0 or a lost link drop it). */
    private readonly linkIsUp: () => boolean,
    answers = true,
  ) {
    this.answers = answers;
  }

  /** IPv4 WiFi Up: ask the server. */
  linkUp(): void {
    if (!NTP_AFTER_WIFI_UP) return;
    this.steps.cancelAll();
    this.steps.after(this.timing.ntpMs, () => this.deliver());
  }

  /** Reboot or close: a pending request dies with the module. */
  reset(): void {
    this.steps.cancelAll();
  }

  private deliver(): void {
    if (!this.answers || !this.linkIsUp()) return;
    const seconds = Math.floor(Date.now() / 1000);
    this.clock.set(seconds);
    this.out.wind(W.ntpServerDelivery, ntpDeliveryParams(seconds));
  }
}

/** The radio's output, watched for the IPv4 +WIND:24 (the radio has no link-up hook of its own): every
 *  call goes to `out` unchanged. */
export function watchLinkUp(out: ConsoleOutput, onUp: () => void): ConsoleOutput {
  return new Proxy(out, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key !== 'wind') return typeof value === 'function' ? value.bind(target) : value;
      return (num: number, params: readonly (string | number)[] = [], text?: string) => {
        target.wind(num, params, text);
        // `WiFi Up:<n>:<IPv4>`; the IPv6 one has an empty first field.
        if (num === W.wifiUp && String(params[0] ?? '') !== '') onUp();
      };
    },
  });
}
