// Optional module "smtp" (Storage: spwf04-smtp): mail through the module's SMTP client.
import type { Connectivity } from '../connectivity';
import { Smtp } from '../net/smtp';

export function create(c: Connectivity): Smtp {
  return new Smtp(c.engine, function () { return c.clock.ensureGood(); }, c.host.log, function (err, host, port) { return c.tlsFailure(err, host, port, 's'); });
}
