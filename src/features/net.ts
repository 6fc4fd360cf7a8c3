// Optional module "net" (Storage: spwf04-net): the NetworkJS driver, so that Espruino's own net and http
// modules (and "https:" through the module's TLS) use the module's sockets.
import type { Connectivity } from '../connectivity';
import { networkJsCallbacks, NetworkJsCallbacks } from '../net/networkjs';

export function create(c: Connectivity): NetworkJsCallbacks {
  return networkJsCallbacks(c.sockets, c.servers);
}
