// AT+S.SMTP=<host>,[<port>],[<TLS>],[<usn>],[<pwd>],[<id>],<from>,<to>,<cc>,<bcc>,<subject>,…,<len><CR><body>
// (AN §3.1.7 table 7, §4.7; doc §5.7, §9.10): the mail goes out through smtp-client.ts; AT-S.OK once the
// server accepted it, else AT-S.ERROR. Choices: choices.ts "SMTP client".

import { SMTP_DEFAULT_PORTS, SMTP_NO_LINK_ERROR } from './choices';
import type { CommandHandler, CommandTable } from './command-context';
import { serviceEnvironment } from './command-context';
import { isAbsent, parseCount } from './command-line';
import { E } from './errors';
import { sendMail } from './smtp-client';

/** Fields up to <subject>, then <len> last. */
const MIN_FIELDS = 12;

const smtp: CommandHandler = async (ctx, { cmd, payload }, reply) => {
  const p = cmd.params;
  if (p.length < MIN_FIELDS) return reply.error(E.missingArguments);
  const [host, portText, tlsText, user, password, id, from, to, cc, bcc, subject] = p;
  const len = p[p.length - 1];
  if (isAbsent(host) || isAbsent(from) || isAbsent(to) || isAbsent(len)) return reply.error(E.missingArguments);
  if (parseCount(len) === undefined) return reply.error(E.invalidArguments);
  const tls = isAbsent(tlsText) ? 0 : parseCount(tlsText);
  if (tls !== 0 && tls !== 5 && tls !== 8 && tls !== 9) return reply.error(E.invalidArguments);
  const port = isAbsent(portText) ? SMTP_DEFAULT_PORTS[tls] : parseCount(portText);
  if (port === undefined || port < 1 || port > 65535) return reply.error(E.invalidArguments);
  if (!ctx.radio.lease) return reply.error(SMTP_NO_LINK_ERROR);
  const field = (v: string | undefined) => (isAbsent(v) ? '' : v!);
  const outcome = await sendMail({
    host: host!,
    port,
    tls,
    user: field(user),
    password: field(password),
    heloId: field(id) || ctx.config.get('ip_hostname') || 'spwf04s',
    from: from!,
    to: to!,
    cc: field(cc),
    bcc: field(bcc),
    subject: field(subject),
    body: payload,
  }, serviceEnvironment(ctx));
  if (outcome.ok) reply.ok();
  else reply.error(outcome.code);
};

export const smtpCommands: CommandTable = { 'AT+S.SMTP': smtp };
