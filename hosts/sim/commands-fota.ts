// AT+S.FWUPDATE=e,<host>,<path>,<port>,<TLS>,<usn>,<pwd> (AN §3.3, doc §5.9, §7.5): the download into
// /fw.fota; the check and the installation happen at the next boot (fota.ts, module.ts).

import { FOTA_DEFAULT_PORTS, FOTA_NO_LINK_ERROR } from './choices';
import type { CommandHandler, CommandTable } from './command-context';
import { serviceEnvironment } from './command-context';
import { isAbsent, parseCount } from './command-line';
import { E } from './errors';
import type { SimFota } from './fota';

function fwUpdate(fota: SimFota): CommandHandler {
  return (ctx, { cmd }, reply) => {
    const [mode, host, path, portText, tlsText, user, password] = cmd.params;
    if (isAbsent(mode) || isAbsent(host)) return reply.error(E.missingArguments);
    if (cmd.params.length > 7) return reply.error(E.tooManyArguments);
    // `e` is the only value seen (AN §3.3, XCUBE); what others would do is unknown (doc §11.11).
    if (mode!.toLowerCase() !== 'e') return reply.error(E.invalidArguments);
    const tlsOption = isAbsent(tlsText) ? 0 : parseCount(tlsText);
    if (tlsOption === undefined || tlsOption > 2) return reply.error(E.invalidArguments);
    const port = isAbsent(portText) ? FOTA_DEFAULT_PORTS[tlsOption] : parseCount(portText);
    if (port === undefined || port < 1 || port > 65535) return reply.error(E.invalidArguments);
    if (!ctx.radio.lease) return reply.error(FOTA_NO_LINK_ERROR);
    return fota.download({
      host: host!,
      path: isAbsent(path) ? '/' : path!,
      port,
      tls: tlsOption as 0 | 1 | 2,
      user: isAbsent(user) ? '' : user!,
      password: isAbsent(password) ? '' : password!,
    }, serviceEnvironment(ctx), reply);
  };
}

export function fotaCommands(fota: SimFota): CommandTable {
  return { 'AT+S.FWUPDATE': fwUpdate(fota) };
}
