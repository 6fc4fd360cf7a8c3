// "Only what changed is written": the module's flash wears, so the join reads the current values first
// (GCFG) and writes only the settings that differ; when none differs, there is no SCFG, SSIDTXT, WCFG or
// RESET at all.
//
// Secrets (the passphrase, the EAP password) are never read back: a GCFG answer would put them on the
// UART, into the host's RAM and into the engine's trace. Instead the host keeps, in its storage, a salted
// SHA-256 of the settings it last saved into the module (entry "wifi-config"). A secret counts as held
// when that digest matches the settings asked for now and every non-secret value read back matches too.
// The record is forgotten after a credential failure and after WPS (which brings credentials the host
// does not know), so the next join writes everything again. Without host storage secrets are always
// written (in RAM), and WCFG follows only when something was written.

import { Engine, Command } from '../at/engine';
import * as at from '../at/commands';
import { parseVar } from '../at/parse';
import { isSpwfError } from '../errors';
import { Storage } from '../host';
import { sha256Hex } from '../certs/sha256';
import { Setting, holds } from './profile';

const RECORD = 'wifi-config';

export interface ConfigRecord {
  /** Salt, hex. */
  s: string;
  /** Digest of the settings last saved (WCFG). */
  c?: string;
  /** Digest of the WPA2-Enterprise certificates last uploaded (eap-certs.ts). */
  e?: string;
}

/** A new salt for the record. */
export function salt(): string {
  return Math.floor(Math.random() * 4294967296).toString(16);
}

export function readRecord(st: Storage | undefined): ConfigRecord {
  try {
    const r = st ? st.read(RECORD) : undefined;
    const o = r ? JSON.parse(r) : null;
    if (o && typeof o.s === 'string') return o;
  } catch (e) {
    // unreadable: as if absent
  }
  return { s: '' };
}

export function writeRecord(st: Storage | undefined, rec: ConfigRecord): boolean {
  if (!st) return false;
  try {
    return st.write(RECORD, JSON.stringify(rec));
  } catch (e) {
    return false;
  }
}

/** Salted digest of settings (names and values, secrets included). */
export function digest(salt: string, settings: Setting[]): string {
  let text = salt;
  for (let i = 0; i < settings.length; i++) text += '\n' + settings[i].name + '=' + settings[i].value;
  return sha256Hex(text);
}

export function wifiOff(): Command { return at.wifi(false); }
export function wifiOn(): Command { return at.wifi(true); }

/** Run commands one after the other; `cb` (or the promise returned without one) settles after the last, or at
 *  the first failure. One step at a time, by callbacks: on Espruino a chain of promises built up front, or a
 *  promise per step, would stay alive with everything its handlers hold until the whole sequence ends. */
export function sequence(e: Engine, cmds: (() => Command)[]): Promise<void>;
export function sequence(e: Engine, cmds: (() => Command)[], cb: (err: any) => void): void;
export function sequence(e: Engine, cmds: (() => Command)[], cb?: (err: any) => void): Promise<void> | void {
  if (!cb) {
    return new Promise<void>(function (resolve, reject) {
      sequence(e, cmds, function (err) {
        if (err) reject(err);
        else resolve();
      });
    });
  }
  const done = cb;
  let i = 0;
  function next(err?: any): void {
    if (err || i >= cmds.length) {
      done(err || null);
      return;
    }
    let c: Command;
    try {
      c = cmds[i++]();
    } catch (x) {
      done(x); // a parameter the builder refused
      return;
    }
    e.send(c, next);
  }
  next();
}

/** The settings the module does not hold yet, in their order, to `cb`. Secrets are taken as held when
 *  `secretsHeld` and every other value is held (a module changed behind the host's back may hold other
 *  secrets too). A variable the module does not know (ModuleError) counts as different. One read at a time,
 *  by callbacks (see sequence()). */
export function changedSettings(e: Engine, settings: Setting[], secretsHeld: boolean, cb: (err: any, diff?: Setting[]) => void): void {
  const differs: boolean[] = [];
  let any = false;
  let i = 0;
  function next(): void {
    while (i < settings.length && settings[i].secret) i++;
    if (i >= settings.length) {
      cb(null, settings.filter(function (s, k) { return s.secret ? any || !secretsHeld : differs[k]; }));
      return;
    }
    const k = i++;
    const name = settings[k].name || 'wifi_ssid';
    e.send(at.gcfg(name), function (err, res) {
      if (err && !isSpwfError(err, 'ModuleError')) {
        cb(err);
        return;
      }
      differs[k] = err ? true : !holds(settings[k], parseVar(res!, name));
      any = any || differs[k];
      next();
    });
  }
  next();
}

/** The command that writes one setting. */
export function writeCommand(s: Setting): () => Command {
  return s.name ? function () { return at.scfg(s.name, s.value); } : function () { return at.ssidtxt(s.value); };
}
