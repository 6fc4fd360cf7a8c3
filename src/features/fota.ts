// Optional module "fota" (Storage: spwf04-fota): secure firmware updates of the module. The updater holds
// the link's recovery off while it downloads and installs (its reset is no loss).
import type { Connectivity } from '../connectivity';
import { FirmwareUpdater } from '../fota/updater';

export function create(c: Connectivity): FirmwareUpdater {
  const u = new FirmwareUpdater(c.engine, function () { return c.link.state === 'up'; }, function () { return c.clock.ensureGood(); },
    c.host.storage, c.host.log, c.options.fota, c.link);
  u.onError = c.onError;
  // Made on first use, after the module's boot: the version it runs is what the engine saw then.
  u.firmware = c.engine.firmware;
  // An update is rare: once it has ended, the façade forgets the updater and this module leaves the module
  // cache (on the board about 370 variables: the module's functions, the updater and its scopes); the next
  // use makes them again.
  u.onIdle = function () {
    if (c.made && c.made.fota === u) delete c.made.fota;
    if (c.options.release) c.options.release('fota');
  };
  return u;
}
