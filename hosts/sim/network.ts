// The simulated radio environment: the access points on the air and the addresses the station gets.
//
// Default network: one WPA2-PSK access point
//   ssid 'SPWF-Lab', bssid '00:11:22:33:44:55', passphrase 'correct horse battery'
// and the station's lease ipv4 '192.168.1.42', ipv6 'fe80::280:e1ff:fe00:1'.

export interface SimAccessPoint {
  ssid: string;
  bssid: string;
  security: 'open' | 'wpa2-psk';
  passphrase?: string;
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

  constructor(opts: SimNetworkOptions = {}) {
    this.accessPoints = (opts.accessPoints ?? [DEFAULT_ACCESS_POINT]).map((ap) => ({ ...ap }));
    this.ipv4 = opts.ipv4 ?? DEFAULT_IPV4;
    this.ipv6 = opts.ipv6 ?? DEFAULT_IPV6;
  }

  find(ssid: string): SimAccessPoint | undefined {
    return this.accessPoints.find((ap) => ap.ssid === ssid);
  }
}
