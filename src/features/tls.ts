// Optional module "tls" (Storage: spwf04-tls): the report of a TLS open the module refused
// (AT-S.ERROR:74): TlsFailed with the likely causes and what was checked.
import type { Connectivity } from '../connectivity';
import { explainTlsOpenFailure, describeTlsChecks, TlsOpenContext } from '../net/tls-diagnosis';
import { spwfError } from '../errors';

export function tlsFailure(c: Connectivity, err: any, host: string, port: number, kind: string): any {
  const facts = c.options.tlsStore ? c.options.tlsStore() : {};
  const ctx: TlsOpenContext = {
    host: host,
    port: port,
    expectedName: kind === 's' ? host : kind,
    clock: c.clock.skipDateChecks ? 'skipped' : c.clock.state,
    caNames: facts.caNames,
    clientCertificate: facts.clientCertificate,
  };
  return spwfError('TlsFailed', 'the module refused the TLS connection to ' + host + ':' + port + ' (error 74); ' + describeTlsChecks(ctx), {
    moduleCode: err.moduleCode, moduleName: err.moduleName, moduleText: err.moduleText, command: err.command,
    reasons: explainTlsOpenFailure(ctx),
  });
}
