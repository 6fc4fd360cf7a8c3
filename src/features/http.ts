// Optional module "http" (Storage: spwf04-http): HTTP(S) GET and POST through the module's client.
import type { Connectivity } from '../connectivity';
import { Http } from '../net/http';

export function create(c: Connectivity): Http {
  return new Http(c.engine, function () { return c.clock.ensureGood(); }, function (err, host, port) { return c.tlsFailure(err, host, port, 's'); });
}
