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
  return u;
}
