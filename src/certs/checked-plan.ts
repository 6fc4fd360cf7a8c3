// The desktop's plan of what to upload: every item checked as the module would (check.ts: format, sizes,
// key types, dates by the module's clock), the device certificate against its key, and the TLS `auth`
// (the CA's key id) derived from a PEM CA. It parses certificates, so it is not part of the board's
// certificate module (which uploads items checked here beforehand: provision-plan.ts planStored).

import { checkItem, checkPair } from './check';
import { toHex } from './der';
import { CertFamily, entryOf, Plan, ProvisionMode, slotAt, Upload, Wanted } from './provision-plan';
import { CertUse } from './check';
import { Provisioner, ProvisionOptions } from './provision';
import { CertStore } from './store';
import { Engine } from '../at/engine';
import { Log } from '../host';

function isHexText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 58)) return false;
  }
  return s.length > 0;
}

/** Checks every item as the module would, and lists what to send. Parses the certificates: only called
 *  when something is to be sent (parsing costs the device time). */
export function planChecked(wanted: Wanted, family: CertFamily, mode: ProvisionMode, now: number | undefined): Plan {
  const plan: Plan = { uploads: [], autoAuth: false, problems: wanted.problems.slice(), warnings: wanted.warnings.slice() };
  const files = family === 'tls' && mode === 'files';
  let derivedAuth: string | undefined;
  let caFile: string | undefined;
  for (let i = 0; i < 3; i++) {
    const slot = slotAt(i)!;
    const item = wanted.items[slot];
    if (!item) continue;
    const res = checkItem(item.bytes, entryOf(family, slot) as CertUse, now === undefined ? undefined : { now: now });
    for (let j = 0; j < res.problems.length; j++) plan.problems.push(item.entry + ': ' + res.problems[j]);
    for (let j = 0; j < res.warnings.length; j++) {
      // Without a clock the check says so on every item: the clock gate covers that, not this report.
      if (res.warnings[j].indexOf('cannot check validity') !== 0) plan.warnings.push(item.entry + ': ' + res.warnings[j]);
    }
    if (slot === 'ca' && res.info.authKeyId !== undefined) {
      plan.caKeyId = toHex(res.info.authKeyId);
      caFile = res.info.caFileName;
      if (res.info.format === 'PEM') derivedAuth = res.info.authKeyId;
      else plan.autoAuth = true;
    }
    const up: Upload = { entry: item.entry, bytes: item.bytes, secret: slot === 'key' };
    if (!files) up.slot = slot;
    else up.file = slot === 'cert' ? 'tls.cert' : slot === 'key' ? 'tls.key' : caFile;
    if (up.slot !== undefined || up.file !== undefined) plan.uploads.push(up);
  }
  // The device's certificate and its key must belong together (the module would fail every handshake).
  if (wanted.items.cert && wanted.items.key) {
    const pair = checkPair(wanted.items.cert.bytes, wanted.items.key.bytes, wanted.items.cert.entry, wanted.items.key.entry);
    for (let j = 0; j < pair.problems.length; j++) plan.problems.push(pair.problems[j]);
    for (let j = 0; j < pair.warnings.length; j++) plan.warnings.push(pair.warnings[j]);
  }
  const auth = wanted.items.auth;
  if (files) {
    if (auth) plan.warnings.push(auth.entry + ': not used with filesystem storage (the CA\'s file name carries its key id)');
  } else if (auth) {
    // An explicit entry wins over the derived id (it may name another key id on purpose).
    if (auth.bytes.length === 0 || auth.bytes.length > 64) {
      plan.problems.push(auth.entry + ': an authority key id is a short binary value (normally 20 bytes), not ' + auth.bytes.length + ' bytes');
    } else if (isHexText(auth.bytes) && auth.bytes.length >= 16) {
      plan.problems.push(auth.entry + ': the authority key id looks like hex text; the module takes it in binary (application note 3.1.5): ' +
        'store the bytes, e.g. xxd -r -p keyid.hex keyid.bin');
    }
    plan.uploads.push({ slot: 'auth', entry: auth.entry, bytes: auth.bytes, secret: false });
  } else if (derivedAuth !== undefined && wanted.items.ca) {
    plan.uploads.push({ slot: 'auth', entry: wanted.items.ca.entry + ' (its key id)', bytes: derivedAuth, secret: false });
  }
  return plan;
}

/** A Provisioner that checks every item as the module would before anything is sent (the desktop's,
 *  and the tests'). */
export function checkedProvisioner(engine: Engine, store: CertStore, log: Log, opts?: ProvisionOptions): Provisioner {
  return new Provisioner(engine, store, log, Object.assign({ plan: planChecked }, opts));
}
