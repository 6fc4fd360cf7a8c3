// AT+S.TLSCERT=<ca|cert|key|auth>,<len><CR><data> and =content,<1|2>; AT+S.WPAECERT likewise without
// auth (AN §3.1.5, §3.2.2.1). The items live in the module's certificate flash (cert-store.ts).

import { CA_KEY_ID_KEYWORD, CERT_EMPTY_ERROR, CERT_REFUSED_ERROR, certContentLine } from './choices';
import type { CertKind } from './cert-inspect';
import type { CertFamily, CertificateFlash } from './cert-store';
import type { CommandHandler, CommandTable } from './command-context';
import { isAbsent, parseCount } from './command-line';
import { E } from './errors';

const KINDS: Record<CertFamily, readonly CertKind[]> = { tls: ['ca', 'cert', 'key', 'auth'], eap: ['ca', 'cert', 'key'] };

function certCommand(flash: CertificateFlash, family: CertFamily): CommandHandler {
  return (_ctx, { cmd, payload }, reply) => {
    const [kindText, arg] = cmd.params;
    if (isAbsent(kindText) || isAbsent(arg)) return reply.error(E.missingArguments);
    if (cmd.params.length > 2) return reply.error(E.tooManyArguments);
    // Keyword case is not significant: XCUBE sends `Ca`, `Auth` (doc §5.6).
    const kind = kindText!.toLowerCase();
    if (kind === 'content') {
      if (arg === '1') {
        for (const item of flash.list(family)) reply.line(certContentLine(item.kind, item.size));
        return reply.ok();
      }
      if (arg === '2') {
        flash.erase(family);
        return reply.ok();
      }
      return reply.error(E.invalidArguments);
    }
    if (!(KINDS[family] as readonly string[]).includes(kind)) return reply.error(CERT_REFUSED_ERROR);
    const len = parseCount(arg);
    if (len === undefined) return reply.error(E.invalidArguments);
    if (len === 0) return reply.error(CERT_EMPTY_ERROR);
    const stored = flash.store(family, kind as CertKind, Buffer.from(payload, 'latin1'));
    if (stored.code !== 0) return reply.error(stored.code);
    if ('derivedKeyId' in stored && stored.derivedKeyId) reply.line(`AT-S.${CA_KEY_ID_KEYWORD}:${stored.derivedKeyId}`);
    reply.ok();
  };
}

export function certCommands(flash: CertificateFlash): CommandTable {
  return {
    'AT+S.TLSCERT': certCommand(flash, 'tls'),
    'AT+S.WPAECERT': certCommand(flash, 'eap'),
  };
}
