// WPA2-Enterprise certificates into the module (AT+S.WPAECERT, application note 3.2.2.1).
//
// The link's default (recordedCertificates) is small, for the device bundle: when the join gives items,
// the module is made to hold exactly them — unless the host's record (a salted SHA-256 of the items last
// uploaded, next to the Wi-Fi settings' one) matches and the module's listing (content,1) shows every
// slot, in which case nothing is sent; otherwise content,2 (the note: stored items must be deleted first)
// and one upload per item. When the join gives no item, the module's certificates are left alone: the
// application provisions them itself, e.g. with the certificate store and provisioner of src/certs.
//
// storeCertificates goes through that store and provisioner instead (items kept in host flash with their
// hashes and checked as the module would check them before anything is sent); it pulls the whole
// certificate part into a bundle, so a host opts in with LinkOptions.certificates. Part of the optional
// "eap" module (eap-join.ts).

import { Engine } from '../at/engine';
import * as at from '../at/commands';
import { run } from '../at/run';
import { Log, Storage } from '../host';
import { parseCertListing } from '../certs/module-listing';
import { CertStore } from '../certs/store';
import { checkedProvisioner } from '../certs/checked-plan';
import { digest, readRecord, salt, writeRecord } from './configure';
import { sequence } from './steps';
import { EapCertificates } from './profile';

export type { EapCertificates, EapItems } from './profile';

/** The module's three slots (a function: a table at the top level would be copied into RAM at load). */
function slots(): ('ca' | 'cert' | 'key')[] {
  return ['ca', 'cert', 'key'];
}

/** The default: a record in host storage (when there is one) and the module's listing. */
export function recordedCertificates(engine: Engine, storage: Storage | undefined): EapCertificates {
  return {
    provide: function (items) {
      const given = slots().filter(function (s) { return !!items[s]; });
      if (!given.length) return Promise.resolve();
      const rec = readRecord(storage);
      if (!rec.s) rec.s = salt();
      const h = digest(rec.s, given.map(function (s) { return { name: s, value: items[s]! }; }));
      const held = rec.e !== h ? Promise.resolve(false) : run(engine, function () { return at.certContent('WPAECERT', 1); }).then(function (res) {
        const listed = parseCertListing(res);
        return listed.length === given.length && given.every(function (s) { return listed.indexOf(s) >= 0; });
      });
      return held.then(function (same) {
        if (same) return undefined;
        // Forgotten first: a reset halfway means "upload again".
        delete rec.e;
        writeRecord(storage, rec);
        const cmds = [function () { return at.certContent('WPAECERT', 2); }];
        given.forEach(function (s) {
          cmds.push(function () { return at.certStore('WPAECERT', s, items[s]!); });
        });
        return sequence(engine, cmds).then(function () {
          rec.e = h;
          writeRecord(storage, rec);
        });
      });
    },
  };
}

/** Through the host's certificate store and the provisioner. `now`: the module's time, for the checks. */
export function storeCertificates(engine: Engine, storage: Storage, log: Log, now: () => number | undefined): EapCertificates {
  const store = new CertStore(storage);
  // Items the application hands over at run time: checked as the module would before anything is sent.
  const prov = checkedProvisioner(engine, store, log, { families: ['eap'], now: now });
  return {
    provide: function (items) {
      if (items.ca || items.cert || items.key) {
        const all = slots();
        for (let i = 0; i < all.length; i++) {
          const v = items[all[i]];
          const r = v ? store.put('eap-' + all[i], v) : store.remove('eap-' + all[i]);
          if (!r.ok) return Promise.reject(r.error);
        }
      }
      return prov.sync().then(function () { return undefined; });
    },
  };
}
