// Optional module "net" (Storage: spwf04-net): the NetworkJS driver, so that Espruino's own net and http
// modules (and "https:" through the module's TLS) use the module's sockets.
import type { Connectivity } from '../connectivity';
import { networkJsCallbacks, NetworkJsCallbacks } from '../net/networkjs';

export function create(c: Connectivity): NetworkJsCallbacks {
  // The servers module only at the first listen: a driver for client sockets does not load it.
  return networkJsCallbacks(c.sockets, function () { return c.servers; });
}
