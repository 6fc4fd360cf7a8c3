// The Wi-Fi link: joins a network with the application note's sequence (§3.2.1) and follows the link
// state from indications only. This is the PSK/open join; WPS, Enterprise and recovery build on it.

import { Engine } from '../at/engine';
import { WindEvent } from '../at/wind';
import { Clock } from '../host';
import * as at from '../at/commands';
import { run } from '../at/run';
import { spwfError, SpwfError } from '../errors';
import { Emitter } from '../util/emitter';

export type LinkState = 'down' | 'joining' | 'up';

export interface PskNetwork {
  ssid: string;
  /** WPA2 passphrase (8-63 characters) or 64 hex digits; absent for an open network. */
  psk?: string;
}

export interface LinkOptions {
  /** How long a join may take before it fails (WCFG + RESET -> WiFi Up); mbed uses 60 s. */
  joinTimeoutMs?: number;
  /** Deauthentications during one join that mean the passphrase was refused; mbed uses 3. */
  maxDeauths?: number;
}

export class Link extends Emitter {
  state: LinkState = 'down';
  ip = '';
  ipv6 = '';
  private joinDone: ((err: SpwfError | null) => void) | null = null;
  private joinTimer: any = null;
  private deauths = 0;
  private sawJoin = false;
  private sawAssoc = false;
  private joinTimeoutMs: number;
  private maxDeauths: number;

  constructor(private engine: Engine, private clock: Clock, opts?: LinkOptions) {
    super();
    const o = opts || {};
    this.joinTimeoutMs = o.joinTimeoutMs || 60000;
    this.maxDeauths = o.maxDeauths || 3;
    const self = this;
    engine.onWind(function (ev) { self.onWind(ev); });
  }

  /** Join a WPA2-PSK (or open) network; resolves with the IPv4 address once the link is up. */
  join(net: PskNetwork): Promise<string> {
    const self = this;
    const e = this.engine;
    let err = checkNetwork(net);
    if (err) return Promise.reject(err);
    if (this.joinDone) return Promise.reject(spwfError('Busy', 'a join is already in progress'));
    this.setState('joining');
    return run(e, function () { return at.wifi(false); })
      .then(function () { return run(e, function () { return at.scfg('wifi_mode', 1); }); })
      .then(function () { return run(e, function () { return at.scfg('wifi_priv_mode', net.psk ? 2 : 0); }); })
      .then(function () { return run(e, function () { return at.ssidtxt(net.ssid); }); })
      .then(function () {
        if (net.psk) return run(e, function () { return at.scfg('wifi_wpa_psk_text', net.psk!); });
        return undefined;
      })
      .then(function () { return run(e, function () { return at.wifi(true); }); })
      .then(function () { return run(e, function () { return at.wcfg(); }); })
      .then(function () {
        // The join indications follow the reboot: watch for them before resetting.
        const done = self.watchJoin(net.ssid);
        done.catch(function () { /* consumed below; avoids an unhandled rejection while RESET runs */ });
        return run(e, function () { return at.reset(); }).then(function () { return done; });
      })
      .then(function () { return self.ip; }, function (err) {
        self.endJoin();
        if (self.state === 'joining') self.setState('down');
        throw err;
      });
  }

  private watchJoin(ssid: string): Promise<void> {
    const self = this;
    this.deauths = 0;
    this.sawJoin = false;
    this.sawAssoc = false;
    return new Promise<void>(function (resolve, reject) {
      self.joinDone = function (err) {
        if (err) reject(err);
        else resolve();
      };
      self.joinTimer = self.clock.setTimeout(function () {
        self.joinTimer = null;
        const reason = !self.sawJoin
          ? 'network "' + ssid + '" not found'
          : !self.sawAssoc ? 'association with "' + ssid + '" failed' : 'no IP address obtained';
        self.failJoin(spwfError('JoinFailed', 'join failed: ' + reason, { reasons: [reason] }));
      }, self.joinTimeoutMs);
    });
  }

  private failJoin(err: SpwfError): void {
    const done = this.joinDone;
    this.endJoin();
    this.setState('down');
    if (done) done(err);
  }

  private endJoin(): void {
    if (this.joinTimer !== null) this.clock.clearTimeout(this.joinTimer);
    this.joinTimer = null;
    this.joinDone = null;
  }

  private setState(s: LinkState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
    this.emit(s);
  }

  private onWind(ev: WindEvent): void {
    switch (ev.kind) {
      case 'Join':
        this.sawJoin = true;
        break;
      case 'Associated':
        this.sawAssoc = true;
        break;
      case 'Deauthentication':
        if (this.joinDone && ++this.deauths >= this.maxDeauths) {
          this.failJoin(spwfError('JoinFailed', 'join failed: the access point refused the passphrase', {
            reasons: ['wrong passphrase (' + this.deauths + ' deauthentications during the handshake)'],
          }));
        }
        break;
      case 'WifiUp':
        if (ev.ipv6) this.ipv6 = ev.ip || '';
        else {
          this.ip = ev.ip || '';
          const done = this.joinDone;
          this.endJoin();
          this.setState('up');
          if (done) done(null);
        }
        break;
      case 'NetworkLost':
      case 'PoweredDown':
      case 'PowerOn':
        if (this.state === 'up') {
          this.ip = '';
          this.ipv6 = '';
          this.setState('down');
        }
        break;
    }
  }
}

function checkNetwork(net: PskNetwork): SpwfError | null {
  if (!net || typeof net.ssid !== 'string' || !net.ssid.length || net.ssid.length > 32) {
    return spwfError('InvalidParameter', 'SSID must be 1 to 32 bytes');
  }
  const p = net.psk;
  if (p !== undefined) {
    const hex = p.length === 64 && /^[0-9a-fA-F]+$/.test(p);
    if (!hex && (p.length < 8 || p.length > 63)) {
      return spwfError('InvalidParameter', 'passphrase must be 8 to 63 characters, or 64 hex digits');
    }
  }
  return null;
}
