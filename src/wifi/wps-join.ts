// Optional module "wps" (on Espruino the Storage module "spwf04-wps"): joining by WPS, push button or PIN
// (application note 3.2.1.1). The link loads it only for a join with `wps` (LinkOptions.feature); see
// WpsModule in link.ts for the contract.

import * as at from '../at/commands';
import { parseWpsPin } from '../at/parse';
import { run } from '../at/run';
import { spwfError, SpwfError } from '../errors';
import { changedSettings, writeCommands } from './configure';
import { sequence, wifiOff, wifiOn } from './steps';
import type { Link } from './link';
import { Network, Setting } from './profile';
import { numeric } from './configure';
import { wpsPin } from './wps';

/** A PIN is 7 digits (the checksum is computed) or 8 whose last one is the checksum. */
export function checkWps(net: Network): SpwfError | null {
  if (net.pin !== undefined && !wpsPin(net.pin)) return spwfError('InvalidParameter', 'a WPS PIN is 7 digits, or 8 whose last one is the checksum (wps: "pin" only)');
  return null;
}

/** Station mode, radio on, AT+S.WPS=<0|1|2>; the PIN goes to the link's 'wps-pin' event. After WiFi Up the
 *  credentials the module obtained are saved (WCFG). Resolves at WiFi Up. */
export function joinWps(link: Link, net: Network): Promise<void> {
  const e = link.engine;
  const o = link.o;
  const mode = net.wps === 'button' ? 0 : net.pin ? 1 : 2;
  const full = net.pin ? wpsPin(net.pin) : undefined;
  if (mode) link.host.log('warn', 'WPS PIN mode is weak: the PIN falls in about 11000 attempts (AN 2.1.1); prefer the push button');
  return new Promise<Setting[]>(function (resolve, reject) {
    changedSettings(e, [numeric('wifi_mode', 1)], true, function (err, diff) {
      if (err) reject(err);
      else resolve(diff!);
    });
  }).then(function (diff) {
    const cmds = [wifiOff].concat(writeCommands(diff));
    if (full) cmds.push(function () { return at.scfg('wifi_wps_pin', full.substring(0, 7)); });
    return sequence(e, cmds);
  }).then(function () {
    // Resolves at the indication, or after bootWaitMs anyway (the link resolves it: Link.windWait).
    const started = new Promise<void>(function (resolve) {
      link.windWait = { kind: 'HardwareStarted', resolve: resolve };
      link.arm('wind', o.bootWaitMs || 8000);
    });
    return run(e, wifiOn).then(function () { return started; });
  }).then(function () {
    const up = new Promise<void>(function (resolve, reject) {
      link.wait((o.joinTimeoutMs || 60000) + (o.wpsWalkMs || 120000), function (err) { if (err) reject(err); else resolve(); });
    });
    up.then(null, function () {});
    return run(e, function () { return at.wps(mode); }).then(function (res) {
      if (mode) link.emit('wps-pin', { pin: parseWpsPin(res) || full, generated: mode === 2 });
      return up;
    });
  }).then(function () {
    // Credentials the host does not know: the next join with a passphrase writes everything again.
    link.forgetSettings();
    return run(e, at.wcfg).then(function () {});
  });
}
