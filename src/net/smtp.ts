// Mail through the module's SMTP client (AT+S.SMTP, application note 3.1.7, table 7): TLS option 0 (none),
// 8 (STARTTLS or fail), 5 (SMTPS on 465, else STARTTLS, else plain) or 9 (SMTPS, else STARTTLS, else
// fail). With TLS the server's certificate is validated, so it waits for a good module clock first;
// option 5 may fall back to plain text, which is logged as the explicit weakening it is.

import { Engine, Command } from '../at/engine';
import { Log } from '../host';
import * as at from '../at/commands';
import { run } from '../at/run';
import { TlsErrorMapper } from './http';

export class Smtp {
  constructor(private engine: Engine, private gate: () => Promise<void>, private log: Log, private tlsError?: TlsErrorMapper) {}

  send(mail: at.Mail): Promise<void> {
    const e = this.engine;
    const tls = mail.tls || 0;
    let c: Command;
    try {
      c = at.smtp(mail); // checked before anything is sent (the clock gate talks to the module too)
    } catch (err) {
      return Promise.reject(err);
    }
    if (tls === 0 || tls === 5) {
      this.log('warn', 'SMTP to ' + mail.host + (tls === 0 ? ' without TLS' : ' may fall back to plain text (TLS option 5)'));
    }
    const before = tls ? this.gate() : Promise.resolve();
    const self = this;
    return before.then(function () {
      return run(e, function () { return c; });
    }).then(function () { return undefined; }, function (err) {
      throw tls && self.tlsError ? self.tlsError(err, mail.host, mail.port || (tls === 5 || tls === 9 ? 465 : 25)) : err;
    });
  }
}
