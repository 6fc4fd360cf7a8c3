// The simulated radio environment: the access points on the air (open, WPA2-PSK, WPA2-Enterprise with an
// authenticator behind them, WPS registrars) and the addresses the station gets, plus the faults of the
// air: an access point that disappears and returns, and one that deauthenticates the station.
//
// Default network: one WPA2-PSK access point
//   ssid 'SPWF-Lab', bssid '00:11:22:33:44:55', passphrase 'correct horse battery'
// and the station's lease ipv4 '192.168.1.42', ipv6 'fe80::280:e1ff:fe00:1'.

import { AP_DEAUTH_REASON, WPS_WALK_TIME_MS } from './choices';

export type SimSecurity = 'open' | 'wpa2-psk' | 'wpa2-enterprise';

/** WPA2-Enterprise methods, in wifi_eap_type order (AN table 10). */
export const SIM_EAP_METHODS = ['tls', 'ttls-md5', 'ttls-mschapv2', 'peap-md5', 'peap-mschapv2'] as const;
export type SimEapMethod = (typeof SIM_EAP_METHODS)[number];

/** The RADIUS server behind a WPA2-Enterprise access point (see eap.ts). */
export interface SimRadius {
  /** Methods it accepts (default: all five). */
  methods?: SimEapMethod[];
  /** TTLS/PEAP users: the inner method checks identity and password. */
  users?: { identity: string; password: string }[];
  /** Its certificate (PEM; intermediates may follow the leaf): the module validates it against the CA in
   *  its WPAECERT flash. */
  serverCert: string;
  /** EAP-TLS: the CA (PEM) that client certificates must chain to. */
  clientCa?: string;
}

export interface SimAccessPoint {
  ssid: string;
  bssid: string;
  security: SimSecurity;
  /** WPA2-PSK passphrase. */
  passphrase?: string;
  /** WPA2-Enterprise: the authenticator. */
  radius?: SimRadius;
  /** A WPS registrar (push button and PIN); only for open and WPA2-PSK networks. */
  wps?: boolean;
  /** Shown by AT+S.SCAN; default 6. */
  channel?: number;
  /** dBm shown by AT+S.SCAN; default -45. */
  rssi?: number;
}

export interface SimNetworkOptions {
  accessPoints?: SimAccessPoint[];
  ipv4?: string;
  ipv6?: string;
}

/** What happens on the air, for the radio: an access point goes off the air or comes back, or
 *  deauthenticates the station. */
export type SimAirEvent =
  | { kind: 'gone' | 'back'; ap: SimAccessPoint }
  | { kind: 'deauth'; ap: SimAccessPoint; reason: number };

export const DEFAULT_ACCESS_POINT: Readonly<SimAccessPoint> = {
  ssid: 'SPWF-Lab',
  bssid: '00:11:22:33:44:55',
  security: 'wpa2-psk',
  passphrase: 'correct horse battery',
};
export const DEFAULT_IPV4 = '192.168.1.42';
export const DEFAULT_IPV6 = 'fe80::280:e1ff:fe00:1';

/** The environment; access points may be added or removed while the simulator runs (the radio looks
 *  them up at every scan). */
export class SimNetwork {
  readonly accessPoints: SimAccessPoint[];
  ipv4: string;
  ipv6: string;
  private readonly offAir = new Set<SimAccessPoint>();
  private readonly listeners: ((ev: SimAirEvent) => void)[] = [];
  /** WPS registrar sessions: the push button's window, or a PIN entered on the AP, until a time (ms). */
  private readonly wpsSessions = new Map<SimAccessPoint, { pin?: string; until: number }>();

  constructor(opts: SimNetworkOptions = {}) {
    this.accessPoints = (opts.accessPoints ?? [DEFAULT_ACCESS_POINT]).map((ap) => ({ ...ap }));
    this.ipv4 = opts.ipv4 ?? DEFAULT_IPV4;
    this.ipv6 = opts.ipv6 ?? DEFAULT_IPV6;
  }

  /** The access point on the air with this SSID. */
  find(ssid: string): SimAccessPoint | undefined {
    return this.accessPoints.find((ap) => ap.ssid === ssid && !this.offAir.has(ap));
  }

  /** Access points on the air. */
  onAir(): SimAccessPoint[] {
    return this.accessPoints.filter((ap) => !this.offAir.has(ap));
  }

  /** Fault: the access point goes off the air (power cut, out of range); a station joined to it loses the
   *  link (+WIND:33) and keeps scanning. */
  takeDown(ssid: string): void {
    const ap = this.named(ssid);
    if (this.offAir.has(ap)) return;
    this.offAir.add(ap);
    this.tell({ kind: 'gone', ap });
  }

  /** The access point is back on the air; a station looking for it finds it at its next scan. */
  bringBack(ssid: string): void {
    const ap = this.named(ssid);
    if (!this.offAir.delete(ap)) return;
    this.tell({ kind: 'back', ap });
  }

  /** Fault: the access point deauthenticates the station (+WIND:40:<reason>); the module rejoins. */
  deauthenticate(ssid: string, reason: number = AP_DEAUTH_REASON): void {
    this.tell({ kind: 'deauth', ap: this.named(ssid), reason });
  }

  /** Someone presses the WPS button of the access point: it registers a station for the walk time. */
  pressWpsButton(ssid: string, walkTimeMs: number = WPS_WALK_TIME_MS): void {
    this.wpsSessions.set(this.wpsCapable(ssid), { until: Date.now() + walkTimeMs });
  }

  /** Someone types a station's 8-digit PIN into the access point's configuration page. */
  enterWpsPin(ssid: string, pin: string, walkTimeMs: number = WPS_WALK_TIME_MS): void {
    this.wpsSessions.set(this.wpsCapable(ssid), { pin, until: Date.now() + walkTimeMs });
  }

  /** The access point whose registrar would enrol a station now: push button (no pin), or this PIN. */
  wpsRegistrar(pin: string | undefined): SimAccessPoint | undefined {
    const now = Date.now();
    for (const [ap, s] of this.wpsSessions) {
      if (s.until <= now) this.wpsSessions.delete(ap);
      else if (!this.offAir.has(ap) && s.pin === pin) {
        this.wpsSessions.delete(ap);
        return ap;
      }
    }
    return undefined;
  }

  /** The radio listens to the air. */
  onAirEvent(listener: (ev: SimAirEvent) => void): void {
    this.listeners.push(listener);
  }

  private tell(ev: SimAirEvent): void {
    for (const l of this.listeners) l(ev);
  }

  private named(ssid: string): SimAccessPoint {
    const ap = this.accessPoints.find((a) => a.ssid === ssid);
    if (!ap) throw new Error(`no simulated access point "${ssid}"`);
    return ap;
  }

  private wpsCapable(ssid: string): SimAccessPoint {
    const ap = this.named(ssid);
    if (!ap.wps || ap.security === 'wpa2-enterprise') throw new Error(`"${ssid}" is not a WPS registrar`);
    return ap;
  }
}
