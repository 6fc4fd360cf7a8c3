// An SMTP server on 127.0.0.1 for the mail tests (smtp-server): SMTPS, STARTTLS or plain, with the PKI's
// server certificate; it accepts the user "module" with the password "pa55" and keeps what it receives.

import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { NetPki } from './helpers';

export type Offer = 'smtps' | 'starttls' | 'plain';

export interface Received {
  from: string;
  to: string[];
  secure: boolean;
  user: unknown;
  data: string;
}

export interface MailServer {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export function startMailServer(pki: NetPki, offer: Offer, cert = 'localhost.pem'): Promise<MailServer> {
  const received: Received[] = [];
  const opts: SMTPServerOptions = {
    secure: offer === 'smtps',
    key: pki.read('server.key'),
    cert: pki.read(cert),
    hideSTARTTLS: offer === 'plain',
    disabledCommands: offer === 'plain' ? ['STARTTLS'] : [],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'module' && auth.password === 'pa55') cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      let data = '';
      stream.setEncoding('latin1');
      stream.on('data', (d: string) => { data += d; });
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user,
          data,
        });
        cb();
      });
    },
  };
  const server = new SMTPServer(opts);
  server.on('error', () => undefined);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const s: MailServer = {
        port: (server.server.address() as AddressInfo).port,
        received,
        close: () => new Promise((r) => server.close(() => r())),
      };
      resolve(s);
    });
  });
}
