// Connections the module's own clients (HTTPGET/HTTPPOST, SMTP, the FWUPDATE download) hold while a command
// runs: a reset or a power cut ends them all, as it ends the firmware that held them.

import type * as net from 'node:net';

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
