// What the application asks to join, checked before anything is sent, and the module settings each kind
// of network needs (application note 3.2.1, 3.2.1.1, 3.2.2), in the note's order.

import { checkParam } from '../at/commands';
import { spwfError, SpwfError } from '../errors';
import { wpsPin } from './wps';

/** WPA2-Enterprise methods, by wifi_eap_type (application note, table 10). */
export type EapMethod = 'tls' | 'ttls-md5' | 'ttls-mschapv2' | 'peap-md5' | 'peap-mschapv2';
export const EAP_METHODS: EapMethod[] = ['tls', 'ttls-md5', 'ttls-mschapv2', 'peap-md5', 'peap-mschapv2'];

export interface EapCredentials {
  method: EapMethod;
  /** wifi_eap_identity: the user name (EAP-TLS: the identity the certificate goes with). */
  identity: string;
  /** wifi_eap_anon_identity: the outer identity of TTLS/PEAP, sent before the tunnel (default "anonymous"). */
  anonymousIdentity?: string;
  /** wifi_eap_passwd: TTLS/PEAP only. */
  password?: string;
  /** The RADIUS server's CA (PEM text or DER bytes). Required for EAP-TLS; optional but recommended for
   *  TTLS/PEAP (without it the module does not authenticate the server). */
  ca?: string;
  /** EAP-TLS: the module's certificate and its private key (not password protected). */
  cert?: string;
  key?: string;
  /** wifi_eap_skip_datechecks=1: certificate dates are not checked. An explicit choice, logged. */
  skipDateChecks?: boolean;
}

/**
 * A network to join:
 * - `{ ssid, psk }` WPA2-PSK (passphrase of 8-63 characters, or 64 hex digits);
 * - `{ ssid }` an open network;
 * - `{ ssid, eap: {...} }` WPA2-Enterprise;
 * - `{ wps: 'button' }` WPS push button; `{ wps: 'pin', pin }` WPS with a fixed PIN (7 digits, the
 *   checksum is computed; or 8 with a valid checksum); `{ wps: 'pin' }` with a PIN the module generates.
 *   The PIN is handed over in the link's 'wps-pin' event. PIN mode is weak (application note 2.1.1: the
 *   PIN falls in about 11000 attempts); prefer the push button.
 */
export interface Network {
  ssid?: string;
  psk?: string;
  eap?: EapCredentials;
  wps?: 'button' | 'pin';
  pin?: string;
}

/** The PSK/open form kept for existing callers. */
export type PskNetwork = Network;

/** One module setting: an SCFG variable, or the SSID (name ''). Secrets are never read back. */
export interface Setting {
  name: string;
  value: string;
  secret?: boolean;
  numeric?: boolean;
}

function invalid(message: string): SpwfError {
  return spwfError('InvalidParameter', message);
}

/** Refuse what the module would refuse, before anything is sent. */
export function checkNetwork(net: Network): SpwfError | null {
  if (!net || typeof net !== 'object') return invalid('no network given');
  try {
    if (net.wps !== undefined) {
      if (net.wps !== 'button' && net.wps !== 'pin') return invalid('wps must be "button" or "pin"');
      if (net.psk !== undefined || net.eap !== undefined) return invalid('WPS obtains the credentials itself: give no psk or eap');
      if (net.pin !== undefined && (net.wps !== 'pin' || !wpsPin(net.pin))) {
        return invalid('a WPS PIN is 7 digits, or 8 whose last one is the checksum (wps: "pin" only)');
      }
      return null;
    }
    const ssid = net.ssid;
    if (typeof ssid !== 'string' || !ssid.length || ssid.length > 32) return invalid('SSID must be 1 to 32 bytes');
    checkParam('SSID', ssid, true);
    const p = net.psk;
    if (p !== undefined) {
      if (net.eap !== undefined) return invalid('give either psk or eap');
      const hex = p.length === 64 && /^[0-9a-fA-F]+$/.test(p);
      if (!hex && (p.length < 8 || p.length > 63)) return invalid('passphrase must be 8 to 63 characters, or 64 hex digits');
      checkParam('passphrase', p, true);
    }
    const e = net.eap;
    if (e !== undefined) {
      if (EAP_METHODS.indexOf(e.method) < 0) return invalid('EAP method must be one of ' + EAP_METHODS.join(', '));
      if (typeof e.identity !== 'string' || !e.identity.length) return invalid('WPA2-Enterprise needs an identity');
      checkParam('identity', e.identity, true);
      if (e.anonymousIdentity !== undefined) checkParam('anonymous identity', e.anonymousIdentity, true);
      if (e.method === 'tls') {
        if (!e.ca || !e.cert || !e.key) return invalid('EAP-TLS needs the RADIUS CA, the client certificate and its key');
      } else {
        if (typeof e.password !== 'string' || !e.password.length) return invalid(e.method + ' needs a password');
        checkParam('password', e.password, true);
      }
    }
  } catch (err) {
    return err as SpwfError;
  }
  return null;
}

/** 'open' | 'wpa2-psk' | 'wpa2-enterprise' | 'wps-button' | 'wps-pin' */
export function securityOf(net: Network): string {
  return net.wps ? 'wps-' + net.wps : net.eap ? 'wpa2-enterprise' : net.psk ? 'wpa2-psk' : 'open';
}

function num(name: string, value: number): Setting {
  return { name: name, value: String(value), numeric: true };
}

/** The settings of a network, in the application note's order (WPS: station mode only). `skipDates`:
 *  date checks are skipped for another reason than eap.skipDateChecks (the clock gate's own option). */
export function settingsOf(net: Network, skipDates?: boolean): Setting[] {
  const out: Setting[] = [num('wifi_mode', 1)];
  if (net.wps) return out;
  const e = net.eap;
  out.push(num('wifi_priv_mode', e ? 3 : net.psk ? 2 : 0));
  if (e) out.push(num('wifi_eap_type', EAP_METHODS.indexOf(e.method)));
  out.push({ name: '', value: net.ssid! });
  if (net.psk) out.push({ name: 'wifi_wpa_psk_text', value: net.psk, secret: true });
  if (e) {
    out.push({ name: 'wifi_eap_identity', value: e.identity });
    if (e.method !== 'tls') {
      out.push({ name: 'wifi_eap_anon_identity', value: e.anonymousIdentity === undefined ? 'anonymous' : e.anonymousIdentity });
      out.push({ name: 'wifi_eap_passwd', value: e.password!, secret: true });
    }
    out.push(num('wifi_eap_skip_datechecks', e.skipDateChecks || skipDates ? 1 : 0));
  }
  return out;
}

/** The SSID as GCFG prints wifi_ssid: colon-separated hex bytes (as the simulator and SPWF01 do), else text. */
export function ssidText(v: string): string {
  const parts = v.split(':');
  for (let i = 0; i < parts.length; i++) if (parts[i].length !== 2 || !/^[0-9A-Fa-f]+$/.test(parts[i])) return v;
  let s = '';
  for (let i = 0; i < parts.length; i++) s += String.fromCharCode(parseInt(parts[i], 16));
  return s;
}

/** Whether the module's value (as GCFG printed it) already is the setting's. */
export function holds(s: Setting, v: string | undefined): boolean {
  if (v === undefined) return false;
  if (s.name === '') return ssidText(v) === s.value;
  if (s.numeric) return v !== '' && parseInt(v, 10) === parseInt(s.value, 10);
  return v === s.value;
}
