// Connections the module's own clients (HTTPGET/HTTPPOST, SMTP, the FWUPDATE download) hold while a command
// runs: a reset or a power cut ends them all, as it ends the firmware that held them.

import type * as net from 'node:net';
import type { SimTlsCredentials } from './cert-store';
import type { SimTlsEvent } from './tls-trust';

/** What the module's own clients (HTTP, SMTP, the FOTA download) work with. */
export interface SimServiceEnvironment {
  /** The module's TLS store, as it is now. */
  credentials: () => SimTlsCredentials;
  /** The module clock, seconds since 1970: certificate dates are judged by it. */
  clockSeconds: () => number;
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  /** Silence (no head, no data) allowed from the server. */
  serviceTimeoutMs: number;
  /** The connection is tracked here: a reset of the module ends it. */
  sessions: ServiceSessions;
  noteTls(ev: SimTlsEvent): void;
}

export class ServiceSessions {
  private controller = new AbortController();
  private readonly sockets = new Set<net.Socket>();

  /** Aborted at the next reset. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Keep a socket until it closes or the module resets. */
  track<T extends net.Socket>(socket: T): T {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  /** Connections held now (for tests). */
  get open(): number {
    return this.sockets.size;
  }

  destroyAll(): void {
    this.controller.abort();
    this.controller = new AbortController();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
