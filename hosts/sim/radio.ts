// The Wi-Fi side of the module: hardware start/stop (+WIND:32 / +WIND:38) and, in station mode, the
// scan → join → association → WPA handshake → DHCP sequence of AN §3.2.3, with the failure behaviour
// of choices.ts for a missing SSID, a security mismatch and a wrong passphrase. The configuration is
// read when a join starts, so settings changed meanwhile apply at the next WIFI=1 or reboot.

import {
  DEAUTH_REASON_WRONG_PSK, DHCP_GATEWAY_HOST, DHCP_NETMASK, EMPTY_SSID_SKIPS_JOIN, MISSING_SSID_RESCANS,
  SCAN_COMPLETE_PARAM, SECURITY_MISMATCH_WIND, WIFI_UP_IPV4_FIELD,
} from './choices';
import type { ConfigStore } from './config-store';
import type { SimAccessPoint, SimNetwork } from './network';
import type { ConsoleOutput } from './output';
import { Scheduler } from './scheduler';
import type { SimTiming } from './timing';
import { W } from './winds';

/** wifi_state values (doc §2), as STS and the verbose OK report them. */
export const WifiState = {
  hwPowerUp: 0,
  terminatedByUser: 2,
  idle: 3,
  scanning: 4,
  scanComplete: 5,
  joining: 6,
  joined: 7,
  handshakeComplete: 9,
  readyToTransmit: 10,
} as const;

const WPA_PSK = 2;
const NO_SECURITY = 0;
const STATION = 1;

/** What the station holds while the link is up. */
export interface Lease {
  ipv4: string;
  netmask: string;
  gateway: string;
  ipv6?: string;
  ap: SimAccessPoint;
}

interface JoinSettings {
  ssid: string;
  privMode: number;
  passphrase: string;
  useDhcp: boolean;
  staticIp: { ipv4: string; netmask: string; gateway: string };
  useIpv6: boolean;
}

export class Radio {
  private readonly steps = new Scheduler();
  /** The +WIND:38 of a WIFI=0 still to be printed; a WIFI=1 right behind it must not swallow it. */
  private readonly powerDownNotice = new Scheduler();
  private switchedOn = false;
  private hardwareOn = false;
  private state: number = WifiState.terminatedByUser;
  private currentLease: Lease | undefined;

  constructor(
    private readonly out: ConsoleOutput,
    private readonly config: ConfigStore,
    private readonly network: SimNetwork,
    private readonly timing: SimTiming,
  ) {}

  get wifiState(): number {
    return this.state;
  }

  /** True from start() (boot, WIFI=1) until stop() or reset(). */
  get enabled(): boolean {
    return this.switchedOn;
  }

  /** True from +WIND:32 until the radio is stopped. */
  get running(): boolean {
    return this.hardwareOn;
  }

  /** Set from the IPv4 +WIND:24 until the link is lost. */
  get lease(): Lease | undefined {
    return this.currentLease;
  }

  /** Start the hardware after `delayMs`, print +WIND:32 and, in station mode, join. */
  start(delayMs: number): void {
    if (this.powerDownNotice.pending > 0) this.printPowerDown();
    this.steps.cancelAll();
    this.switchedOn = true;
    this.state = WifiState.hwPowerUp;
    this.steps.after(delayMs, () => {
      this.hardwareOn = true;
      this.state = WifiState.idle;
      this.out.wind(W.hardwareStarted);
      const settings = this.readJoinSettings();
      if (this.config.number('wifi_mode') !== STATION) return;
      if (settings.ssid === '' && EMPTY_SSID_SKIPS_JOIN) return;
      this.scan(settings);
    });
  }

  /** AT+S.WIFI=0: drop the link and print +WIND:38 after `delayMs`. */
  stop(delayMs: number): void {
    this.reset();
    this.powerDownNotice.after(delayMs, () => this.out.wind(W.poweredDown));
  }

  /** Reboot or close: everything stops silently. */
  reset(): void {
    this.steps.cancelAll();
    this.powerDownNotice.cancelAll();
    this.switchedOn = false;
    this.hardwareOn = false;
    this.currentLease = undefined;
    this.state = WifiState.terminatedByUser;
  }

  private printPowerDown(): void {
    this.powerDownNotice.cancelAll();
    this.out.wind(W.poweredDown);
  }

  private readJoinSettings(): JoinSettings {
    const c = this.config;
    return {
      ssid: c.ssid(),
      privMode: c.number('wifi_priv_mode'),
      passphrase: c.get('wifi_wpa_psk_text') ?? '',
      useDhcp: c.number('ip_use_dhcpc') !== 0,
      staticIp: { ipv4: c.get('ip_ipaddr') ?? '', netmask: c.get('ip_netmask') ?? '', gateway: c.get('ip_gw') ?? '' },
      useIpv6: c.number('ip_use_v6') !== 0,
    };
  }

  private scan(settings: JoinSettings): void {
    this.state = WifiState.scanning;
    this.out.wind(W.wifiScanning);
    this.steps.after(this.timing.scanMs, () => {
      this.state = WifiState.scanComplete;
      this.out.wind(W.scanComplete, [SCAN_COMPLETE_PARAM]);
      const ap = this.network.find(settings.ssid);
      if (!ap) {
        if (MISSING_SSID_RESCANS) this.steps.after(this.timing.scanRetryMs, () => this.scan(settings));
        return;
      }
      if (!securityFits(ap, settings.privMode)) {
        this.out.wind(SECURITY_MISMATCH_WIND);
        this.steps.after(this.timing.scanRetryMs, () => this.scan(settings));
        return;
      }
      this.steps.after(this.timing.joinMs, () => this.join(ap, settings));
    });
  }

  private join(ap: SimAccessPoint, settings: JoinSettings): void {
    this.state = WifiState.joining;
    this.out.wind(W.wifiJoin, [ap.bssid]);
    this.steps.after(this.timing.associationMs, () => {
      this.state = WifiState.joined;
      this.out.wind(W.associationSuccessful, [ap.ssid]);
      if (ap.security === 'open') {
        this.steps.after(this.timing.dhcpMs, () => this.linkUp(ap, settings));
        return;
      }
      this.steps.after(this.timing.handshakeMs, () => {
        if (settings.passphrase !== ap.passphrase) {
          this.state = WifiState.idle;
          this.out.wind(W.deauthentication, [DEAUTH_REASON_WRONG_PSK]);
          this.steps.after(this.timing.joinRetryMs, () => this.join(ap, settings));
          return;
        }
        this.state = WifiState.handshakeComplete;
        this.out.wind(W.wpaHandshakeComplete);
        this.steps.after(this.timing.dhcpMs, () => this.linkUp(ap, settings));
      });
    });
  }

  private linkUp(ap: SimAccessPoint, settings: JoinSettings): void {
    const lease: Lease = settings.useDhcp ? dhcpLease(this.network.ipv4, ap) : { ...settings.staticIp, ap };
    this.currentLease = lease;
    this.state = WifiState.readyToTransmit;
    this.out.wind(W.wifiUp, [WIFI_UP_IPV4_FIELD, lease.ipv4]);
    if (!settings.useIpv6) return;
    this.steps.after(this.timing.ipv6Ms, () => {
      lease.ipv6 = this.network.ipv6;
      this.out.wind(W.wifiUp, ['', lease.ipv6]);
    });
  }
}

function securityFits(ap: SimAccessPoint, privMode: number): boolean {
  return ap.security === 'open' ? privMode === NO_SECURITY : privMode === WPA_PSK;
}

function dhcpLease(ipv4: string, ap: SimAccessPoint): Lease {
  const octets = ipv4.split('.');
  octets[3] = String(DHCP_GATEWAY_HOST);
  return { ipv4, netmask: DHCP_NETMASK, gateway: octets.join('.'), ap };
}
