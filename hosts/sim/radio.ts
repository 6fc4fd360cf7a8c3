// The Wi-Fi side of the module: hardware start/stop (+WIND:32 / +WIND:38) and, in station mode, the
// scan → join → association → WPA handshake (or WPA2-Enterprise authentication, eap.ts) → DHCP sequence
// of AN §3.2.3, with the failure behaviour of choices.ts for a missing SSID, a security mismatch, a wrong
// passphrase and refused EAP credentials or certificates. The link is kept: an access point that goes off
// the air costs the link (+WIND:33) and the module scans until it is back; one that deauthenticates the
// station is joined again. WPS (AT+S.WPS) enrols with a registrar of the network (network.ts) within the
// walk time. The configuration is read when a join starts, so settings changed meanwhile apply at the next
// WIFI=1 or reboot.

import {
  BEACON_LOSS_MS, DEAUTH_REASON_WRONG_PSK, DHCP_GATEWAY_HOST, DHCP_NETMASK, EAP_FAILURE_DEAUTH_REASON,
  EAP_SERVER_CERT_REJECTED_WIND, EMPTY_SSID_SKIPS_JOIN, LINK_LOSS_REJOINS, MISSING_SSID_RESCANS, SCAN_COMPLETE_PARAM,
  SECURITY_MISMATCH_WIND, WIFI_UP_IPV4_FIELD, WPS_POLL_MS, WPS_SAVES_CREDENTIALS, WPS_START_WIND, WPS_TIMEOUT_WIND,
  WPS_WALK_TIME_MS,
} from './choices';
import type { ModuleClock } from './clock';
import type { ConfigStore } from './config-store';
import { authenticate } from './eap';
import { SIM_EAP_METHODS, type SimAccessPoint, type SimAirEvent, type SimNetwork } from './network';
import type { ConsoleOutput } from './output';
import { SeededRandom } from './prng';
import { Scheduler } from './scheduler';
import type { SimTiming } from './timing';
import { W } from './winds';
import { randomWpsPin } from './wps';

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

const PRIV_MODE = { 'open': 0, 'wpa2-psk': 2, 'wpa2-enterprise': 3 } as const;
const STATION = 1;

/** What the station holds while the link is up. */
export interface Lease {
  ipv4: string;
  netmask: string;
  gateway: string;
  ipv6?: string;
  ap: SimAccessPoint;
}

/** What the radio needs from the rest of the module for WPA2-Enterprise. */
export interface RadioEnvironment {
  clock: ModuleClock;
  /** The WPAECERT items. */
  eapItem(kind: 'ca' | 'cert' | 'key'): { data: Buffer } | undefined;
}

interface JoinSettings {
  ssid: string;
  privMode: number;
  passphrase: string;
  eapType: number;
  identity: string;
  password: string;
  skipDateChecks: boolean;
  useDhcp: boolean;
  staticIp: { ipv4: string; netmask: string; gateway: string };
  useIpv6: boolean;
}

export class Radio {
  private readonly steps = new Scheduler();
  /** The +WIND:38 of a WIFI=0 still to be printed; a WIFI=1 right behind it must not swallow it. */
  private readonly powerDownNotice = new Scheduler();
  private readonly random = new SeededRandom(0x5eed);
  private switchedOn = false;
  private hardwareOn = false;
  private state: number = WifiState.terminatedByUser;
  private currentLease: Lease | undefined;
  /** The access point being joined or joined, and the settings of that join. */
  private ap: SimAccessPoint | undefined;
  private settings: JoinSettings | undefined;

  constructor(
    private readonly out: ConsoleOutput,
    private readonly config: ConfigStore,
    private readonly network: SimNetwork,
    private readonly timing: SimTiming,
    private readonly env?: RadioEnvironment,
  ) {
    network.onAirEvent((ev) => this.onAir(ev));
  }

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
    this.dropLink();
    this.state = WifiState.terminatedByUser;
  }

  /** The access point is gone for a moment (SimModule.loseLink): +WIND:33 at once, the address dropped,
   *  and a new scan after timing.scanRetryMs (LINK_LOSS_REJOINS). False when there was no link. */
  loseLink(): boolean {
    const settings = this.settings;
    if (!this.currentLease || !settings) return false;
    this.steps.cancelAll();
    this.dropLink();
    this.state = WifiState.idle;
    this.out.wind(W.networkLost);
    if (LINK_LOSS_REJOINS) this.steps.after(this.timing.scanRetryMs, () => this.scan(settings));
    return true;
  }

  /** A PIN for AT+S.WPS=2. */
  randomWpsPin(): string {
    return randomWpsPin(this.random);
  }

  /** AT+S.WPS accepted: enrol within the walk time with a registrar whose button was pressed (pin
   *  undefined) or that was given this PIN; then join with the credentials obtained (kept in the running
   *  configuration; WCFG saves them). No registrar in time: +WIND:82, and the radio stays idle. */
  startWps(pin: string | undefined): void {
    this.steps.cancelAll();
    this.dropLink();
    this.state = WifiState.scanning;
    this.out.wind(WPS_START_WIND.num, [], WPS_START_WIND.text);
    const until = Date.now() + WPS_WALK_TIME_MS;
    const look = (): void => {
      const ap = this.network.wpsRegistrar(pin);
      if (ap) {
        this.config.setSsid(ap.ssid);
        this.config.set('wifi_priv_mode', String(PRIV_MODE[ap.security]));
        if (ap.passphrase !== undefined) this.config.set('wifi_wpa_psk_text', ap.passphrase);
        if (WPS_SAVES_CREDENTIALS) this.config.save();
        this.steps.after(this.timing.joinMs, () => this.join(ap, this.readJoinSettings()));
        return;
      }
      if (Date.now() >= until) {
        this.state = WifiState.idle;
        this.out.wind(WPS_TIMEOUT_WIND.num, [], WPS_TIMEOUT_WIND.text);
        return;
      }
      this.steps.after(Math.min(WPS_POLL_MS, until - Date.now()), look);
    };
    this.steps.after(this.timing.scanMs, look);
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
      eapType: c.number('wifi_eap_type'),
      identity: c.get('wifi_eap_identity') ?? '',
      password: c.get('wifi_eap_passwd') ?? '',
      skipDateChecks: c.number('wifi_eap_skip_datechecks') === 1,
      useDhcp: c.number('ip_use_dhcpc') !== 0,
      staticIp: { ipv4: c.get('ip_ipaddr') ?? '', netmask: c.get('ip_netmask') ?? '', gateway: c.get('ip_gw') ?? '' },
      useIpv6: c.number('ip_use_v6') !== 0,
    };
  }

  private dropLink(): void {
    this.currentLease = undefined;
    this.ap = undefined;
  }

  private scan(settings: JoinSettings): void {
    this.settings = settings;
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
      if (PRIV_MODE[ap.security] !== settings.privMode) {
        this.out.wind(SECURITY_MISMATCH_WIND);
        this.steps.after(this.timing.scanRetryMs, () => this.scan(settings));
        return;
      }
      this.steps.after(this.timing.joinMs, () => this.join(ap, settings));
    });
  }

  private join(ap: SimAccessPoint, settings: JoinSettings): void {
    this.ap = ap;
    this.settings = settings;
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
        const refusal = this.authenticate(ap, settings);
        if (refusal) {
          this.state = WifiState.idle;
          refusal();
          this.steps.after(this.timing.joinRetryMs, () => this.rejoin(settings));
          return;
        }
        this.state = WifiState.handshakeComplete;
        this.out.wind(W.wpaHandshakeComplete);
        this.steps.after(this.timing.dhcpMs, () => this.linkUp(ap, settings));
      });
    });
  }

  /** The 4-way handshake, after EAP for WPA2-Enterprise: undefined when it succeeds, else what the module
   *  prints for the refusal. */
  private authenticate(ap: SimAccessPoint, settings: JoinSettings): (() => void) | undefined {
    if (ap.security === 'wpa2-psk') {
      if (settings.passphrase === ap.passphrase) return undefined;
      return () => this.out.wind(W.deauthentication, [DEAUTH_REASON_WRONG_PSK]);
    }
    const env = this.env;
    const outcome = ap.radius && env
      ? authenticate({
        method: SIM_EAP_METHODS[settings.eapType],
        identity: settings.identity,
        password: settings.password,
        skipDateChecks: settings.skipDateChecks,
        moduleSeconds: env.clock.seconds(),
        item: (kind) => env.eapItem(kind)?.data,
      }, ap.radius)
      : { ok: false as const, by: 'server' as const, why: 'no authenticator' };
    if (outcome.ok) return undefined;
    this.lastEapFailure = outcome.why;
    if (outcome.by === 'module') return () => this.out.wind(EAP_SERVER_CERT_REJECTED_WIND.num, [], EAP_SERVER_CERT_REJECTED_WIND.text);
    return () => this.out.wind(W.deauthentication, [EAP_FAILURE_DEAUTH_REASON]);
  }

  /** Why the last WPA2-Enterprise attempt failed (for tests and the sim's users). */
  lastEapFailure: string | undefined;

  /** Join the same network again: the access point if still on the air, else scan for it. */
  private rejoin(settings: JoinSettings): void {
    const ap = this.network.find(settings.ssid);
    if (ap) this.join(ap, settings);
    else this.scan(settings);
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

  /** The air changed: the access point of this station went away, or deauthenticated it. */
  private onAir(ev: SimAirEvent): void {
    const settings = this.settings;
    if (!this.hardwareOn || ev.ap !== this.ap || !settings) return;
    const wasUp = this.currentLease !== undefined;
    if (ev.kind === 'back' || (ev.kind === 'deauth' && !wasUp)) return;
    this.steps.cancelAll();
    this.dropLink();
    this.state = WifiState.idle;
    if (ev.kind === 'deauth') {
      this.out.wind(W.deauthentication, [ev.reason]);
      this.steps.after(this.timing.joinRetryMs, () => this.rejoin(settings));
    } else if (wasUp) {
      this.steps.after(BEACON_LOSS_MS, () => {
        this.out.wind(W.networkLost);
        this.scan(settings);
      });
    } else this.steps.after(this.timing.scanRetryMs, () => this.scan(settings));
  }
}

function dhcpLease(ipv4: string, ap: SimAccessPoint): Lease {
  const octets = ipv4.split('.');
  octets[3] = String(DHCP_GATEWAY_HOST);
  return { ipv4, netmask: DHCP_NETMASK, gateway: octets.join('.'), ap };
}
