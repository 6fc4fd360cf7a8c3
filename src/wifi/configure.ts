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
//
// The optional module "join" (on Espruino the Storage module "spwf04-join"): the link loads it for a join
// and it frees itself once its writes are done (before the module's restart, the join's peak on the board),
// or the link frees it when the join settles, so its functions cost the board nothing while the link is up.

import { Engine, Command } from '../at/engine';
import * as at from '../at/commands';
import { parseVar } from '../at/parse';
import { isSpwfError } from '../errors';
import { Storage } from '../host';
import { sha256Hex } from '../certs/sha256';
import type { Link } from './link';
import { Network, Setting } from './profile';
import { sequence, wifiOff, wifiOn } from './steps';

// ---- the settings ------------------------------------------------------------------------------------

export function numeric(name: string, value: number): Setting {
  return { name: name, value: String(value), numeric: true };
}

/** The settings of an open or WPA2-PSK network, in the application note's order. (Literals, not
 *  numeric(): one function fewer in the join's module, which is loaded at the join's peak.) */
export function settingsOf(net: Network): Setting[] {
  const out: Setting[] = [
    { name: 'wifi_mode', value: '1', numeric: true },
    { name: 'wifi_priv_mode', value: net.psk ? '2' : '0', numeric: true },
    { name: '', value: net.ssid! },
  ];
  if (net.psk) out.push({ name: 'wifi_wpa_psk_text', value: net.psk, secret: true });
  return out;
}

/**
 * The SSID as the module reports wifi_ssid: as text, or as hex bytes — with or without separators (':',
 * '-', '.', ',' or spaces; one or two digits a byte between separators), with or without a leading "0x"
 * (also before each byte), in either case, padded with NUL bytes or not — or quoted. A value that reads as
 * hex is decoded; anything else is taken as text (holds() compares both). No RegExp: Espruino silently
 * never matches quantified groups.
 */
export function ssidText(v: string): string {
  const n = v.length;
  const q = v.charCodeAt(0);
  if (n >= 2 && (q === 34 || q === 39) && v.charCodeAt(n - 1) === q) return v.substring(1, n - 1);
  const SEP = ':-., ';
  let sep = false; // the separated form
  for (let i = 0; i < n; i++) if (SEP.indexOf(v.charAt(i)) >= 0) sep = true;
  let out = '';
  let i = 0;
  while (i < n) {
    if (sep && SEP.indexOf(v.charAt(i)) >= 0) {
      i++;
      continue;
    }
    if (v.charAt(i) === '0' && (v.charAt(i + 1) === 'x' || v.charAt(i + 1) === 'X') && (sep || i === 0)) i += 2;
    // A byte: two digits; one is enough when a separator or the end follows it in the separated form.
    let b = 0;
    let k = 0;
    while (k < 2 && i < n) {
      const c = v.charCodeAt(i) | 32; // digits keep their code, letters become lower case
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (d < 0) break;
      b = b * 16 + d;
      i++;
      k++;
    }
    if (k === 0 || (!sep && k < 2) || (sep && i < n && SEP.indexOf(v.charAt(i)) < 0)) return v;
    out += String.fromCharCode(b);
  }
  let end = out.length;
  while (end > 0 && out.charCodeAt(end - 1) === 0) end--; // NUL padding
  return end ? out.substring(0, end) : v;
}

/** Whether the module's value (as GCFG printed it) already is the setting's. */
export function holds(s: Setting, v: string | undefined): boolean {
  if (v === undefined) return false;
  if (s.name === '') return v === s.value || ssidText(v) === s.value;
  if (s.numeric) return v !== '' && parseInt(v, 10) === parseInt(s.value, 10);
  return v === s.value;
}

// ---- the record of what the module holds ------------------------------------------------------------

// The record's Storage entry is 'wifi-config' (a literal where used: a module's constant is a variable on
// the board for as long as the module is loaded).

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
    const r = st ? st.read('wifi-config') : undefined;
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
    return st.write('wifi-config', JSON.stringify(rec));
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

/** The commands that write `diff`, for sequence(): one function for all of them, each call the next
 *  setting, not a closure per setting (on the board each would hold variables until the sequence ends). */
export function writeCommands(diff: Setting[]): (() => Command)[] {
  let k = 0;
  const write = function (): Command {
    const s = diff[k++];
    return s.name ? at.scfg(s.name, s.value) : at.ssidtxt(s.value);
  };
  return diff.map(function () { return write; });
}

/** Application note 3.2.1 / 3.2.2: radio off, SCFG… and SSIDTXT for what differs, radio on, WCFG, RESET,
 *  then WiFi Up. Nothing differs: no write; up already, or a radio off/on to rejoin. No promise: the steps
 *  by engine callbacks and `done` (the link's join holds the one promise). On Espruino every pending promise
 *  holds its handlers and their scopes until the join settles (about 450 variables for the join as a chain).
 *  `done` may be called twice (a failed restart, then the wait's timeout): the link's join takes the first. */
export function configure(link: Link, settings: Setting[], done: (err: any) => void): void {
  const e = link.engine;
  const timeout = link.o.joinTimeoutMs || 60000;
  // The Storage port at each use, not kept in this scope: on Espruino it is an object of closures (about
  // 50 variables) that the whole join would hold.
  const rec = readRecord(link.host.storage);
  const fresh = !rec.s;
  if (fresh) rec.s = salt(); // written only with the settings, once they are saved
  const wanted = digest(rec.s, settings); // the record's digest of these settings
  changedSettings(e, settings, !fresh && rec.c === wanted, function (err, diff) {
    // The join's peak comes during the writes: on Espruino this scope would keep the settings until then.
    settings = null as any;
    if (err) return done(err);
    if (!diff!.length) {
      link.host.log('info', 'Wi-Fi settings unchanged: nothing written');
      e.send(at.sts('ip_ipaddr'), function (err2, res) {
        if (err2) return done(err2);
        const ip = parseVar(res!, 'ip_ipaddr');
        if (ip && ip !== '0.0.0.0') {
          link.ip = ip;
          link.setUp();
          return done(null);
        }
        // WiFi Up may come before the last command's answer: the wait starts before it.
        link.wait(timeout, done);
        sequence(e, [wifiOff, wifiOn], function (err3) { if (err3) done(err3); });
      });
      return;
    }
    sequence(e, [wifiOff].concat(writeCommands(diff!), [wifiOn, at.wcfg]), function (err3) {
      if (err3) return done(err3);
      rec.c = wanted;
      const st = link.host.storage;
      if (st && !writeRecord(st, rec)) link.host.log('warn', 'could not record the Wi-Fi settings');
      // The restart and the wait for WiFi Up hold nothing of this module (the link's functions, the
      // core's): it is freed now, not when the join settles. The restart is the join's peak on the board,
      // and the module's functions and this scope are about 200 variables of it.
      link.wait(timeout, done);
      link.recovery.softReset(done);
      if (link.holdsJoin && link.o.release) link.o.release('join');
      link.holdsJoin = false;
    });
  });
}

/** The module's settings are no longer known: the next join writes them all. */
export function forget(link: Link): void {
  const st = link.host.storage;
  const rec = readRecord(st);
  if (rec.c) {
    delete rec.c;
    writeRecord(st, rec);
  }
}
