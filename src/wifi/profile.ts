// What the application asks to join, checked before anything is sent. The module settings that a network
// needs are made where they are written: configure.ts (open and WPA2-PSK, the module "join"), wps-join.ts and
// eap-join.ts.

import { checkParam } from '../at/commands';
import { spwfError, SpwfError } from '../errors';

/** WPA2-Enterprise methods, by wifi_eap_type (application note, table 10). */
export type EapMethod = 'tls' | 'ttls-md5' | 'ttls-mschapv2' | 'peap-md5' | 'peap-mschapv2';

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
 * - `{ ssid, eap: {...} }` WPA2-Enterprise (optional module "eap");
 * - `{ wps: 'button' }` WPS push button; `{ wps: 'pin', pin }` WPS with a fixed PIN (7 digits, the
 *   checksum is computed; or 8 with a valid checksum); `{ wps: 'pin' }` with a PIN the module generates
 *   (optional module "wps"). The PIN is handed over in the link's 'wps-pin' event. PIN mode is weak
 *   (application note 2.1.1: the PIN falls in about 11000 attempts); prefer the push button.
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

/** WPA2-Enterprise certificates to put into the module (PEM text or DER bytes). */
export interface EapItems {
  ca?: string;
  cert?: string;
  key?: string;
}

/** How WPA2-Enterprise certificates reach the module (eap-certs.ts). */
export interface EapCertificates {
  /** Make the module hold these items (an item not given is removed). With no item at all, the module's
   *  certificates are the application's business. */
  provide(items: EapItems): Promise<void>;
}

/** One module setting: an SCFG variable, or the SSID (name ''). Secrets are never read back. */
export interface Setting {
  name: string;
  value: string;
  secret?: boolean;
  numeric?: boolean;
}

/** Refuse what the module would refuse, before anything is sent: the SSID and the passphrase, and that
 *  WPS, PSK and WPA2-Enterprise are not mixed. The WPS PIN and the EAP credentials are checked by their
 *  modules. */
export function checkNetwork(net: Network): SpwfError | null {
  if (!net || typeof net !== 'object') return spwfError('InvalidParameter', 'no network given');
  try {
    if (net.wps !== undefined) {
      if (net.wps !== 'button' && net.wps !== 'pin') return spwfError('InvalidParameter', 'wps must be "button" or "pin"');
      if (net.psk !== undefined || net.eap !== undefined) return spwfError('InvalidParameter', 'WPS obtains the credentials itself: give no psk or eap');
      if (net.pin !== undefined && net.wps !== 'pin') return spwfError('InvalidParameter', 'a WPS PIN goes with wps: "pin"');
      return null;
    }
    const ssid = net.ssid;
    if (typeof ssid !== 'string' || !ssid.length || ssid.length > 32) return spwfError('InvalidParameter', 'SSID must be 1 to 32 bytes');
    checkParam('SSID', ssid, true);
    const p = net.psk;
    if (p !== undefined) {
      if (net.eap !== undefined) return spwfError('InvalidParameter', 'give either psk or eap');
      const hex = p.length === 64 && /^[0-9a-fA-F]+$/.test(p);
      if (!hex && (p.length < 8 || p.length > 63)) return spwfError('InvalidParameter', 'passphrase must be 8 to 63 characters, or 64 hex digits');
      checkParam('passphrase', p, true);
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
