// Optional module "eap" (on Espruino the Storage module "spwf04-eap"): WPA2-Enterprise, EAP-TLS, TTLS and
// PEAP (application note 3.2.2). The link loads it only for a join with `eap` (LinkOptions.feature); see
// EapModule in link.ts for the contract. Before anything is written: the module's clock (NTP cannot answer
// before the link is up), then the certificates (eap-certs.ts); then the link writes the settings given
// here, as for any network. After a module restart the link sets the clock again (Link.initModule).

import { checkParam } from '../at/commands';
import { spwfError, SpwfError } from '../errors';
import { recordedCertificates } from './eap-certs';
import { joinFailure } from './link';
import type { Link } from './link';
import { EapMethod, Network, Setting } from './profile';
import { numeric } from './configure';

/** wifi_eap_type of a method (application note, table 10), -1 for none. */
function eapType(m: EapMethod): number {
  switch (m) {
    case 'tls': return 0;
    case 'ttls-md5': return 1;
    case 'ttls-mschapv2': return 2;
    case 'peap-md5': return 3;
    case 'peap-mschapv2': return 4;
    default: return -1;
  }
}

export function checkEap(net: Network): SpwfError | null {
  const e = net.eap!;
  try {
    if (eapType(e.method) < 0) return spwfError('InvalidParameter', 'EAP method must be one of tls, ttls-md5, ttls-mschapv2, peap-md5, peap-mschapv2');
    if (typeof e.identity !== 'string' || !e.identity.length) return spwfError('InvalidParameter', 'WPA2-Enterprise needs an identity');
    checkParam('identity', e.identity, true);
    if (e.anonymousIdentity !== undefined) checkParam('anonymous identity', e.anonymousIdentity, true);
    if (e.method === 'tls') {
      if (!e.ca || !e.cert || !e.key) return spwfError('InvalidParameter', 'EAP-TLS needs the RADIUS CA, the client certificate and its key');
    } else {
      if (typeof e.password !== 'string' || !e.password.length) return spwfError('InvalidParameter', e.method + ' needs a password');
      checkParam('password', e.password, true);
    }
  } catch (err) {
    return err as SpwfError;
  }
  return null;
}

/** The module's clock unless date checks are skipped (kept if good, else carried over or from the trusted
 *  host clock, else TimeNotSet before anything is written), then the certificates; resolves with the
 *  settings, in the application note's order. */
export function prepareEap(link: Link, net: Network): Promise<Setting[]> {
  const e = net.eap!;
  const log = link.host.log;
  const dated = link.needsTime();
  if (!e.ca && e.method !== 'tls') log('warn', 'WPA2-Enterprise without a RADIUS CA: the server is not authenticated');
  if (!dated) log('warn', 'WPA2-Enterprise: certificate date checks are skipped (wifi_eap_skip_datechecks=1), as asked');
  const mc = link.clock;
  const time = !dated ? Promise.resolve() : mc.check().then(function (st): any {
    if (st === 'good') return undefined;
    return mc.restore().then(function (st2) {
      if (st2 !== 'good') throw joinFailure('time-not-set', undefined);
    });
  });
  return time.then(function () {
    const certs = link.o.certificates || recordedCertificates(link.engine, link.host.storage);
    return certs.provide({ ca: e.ca, cert: e.cert, key: e.key });
  }).then(function () {
    const out: Setting[] = [numeric('wifi_mode', 1), numeric('wifi_priv_mode', 3), numeric('wifi_eap_type', eapType(e.method)),
      { name: '', value: net.ssid! }, { name: 'wifi_eap_identity', value: e.identity }];
    if (e.method !== 'tls') {
      out.push({ name: 'wifi_eap_anon_identity', value: e.anonymousIdentity === undefined ? 'anonymous' : e.anonymousIdentity });
      out.push({ name: 'wifi_eap_passwd', value: e.password!, secret: true });
    }
    out.push(numeric('wifi_eap_skip_datechecks', dated ? 0 : 1));
    return out;
  });
}
