// Optional module "servers" (Storage: spwf04-servers): server sockets on the module.
import type { Connectivity } from '../connectivity';
import { Servers } from '../net/servers';

export function create(c: Connectivity): Servers {
  return new Servers(c.engine, c.host.clock);
}
