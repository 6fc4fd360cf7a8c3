// The callbacks of Espruino's NetworkJS (require("NetworkJS").create(callbacks)), so that Espruino's own
// require("net") and require("http") run over the module's sockets, and "https:" over the module's TLS.
// Espruino calls these synchronously and polls them from its idle loop; the module's sockets are
// asynchronous, so each NetworkJS socket is a small state record that the promises update:
//   create -> 'wait' until SOCKON answers -> 'open' -> ... ; a negative number is an error code.
// Platform-neutral: hosts/espruino registers the object with NetworkJS.

import { Sockets, Socket } from './sockets';
import { Servers, Server } from './servers';
import { ModuleStream } from './module-stream';

/** NetworkJS socket type flags (Espruino libs/network/network.h). */
export const ST_UDP = 2;
export const ST_TLS = 4;

/** NetworkJS error codes (SOCKET_ERR_*, Espruino libs/network/socketerrors.h). */
const ERR_CLOSED = -1;
/** Not connected yet: Espruino waits (no 'connect' until recv() says something else). */
const ERR_NO_CONN = -11;
const ERR_MAX_SOCK = -7;
const ERR_NOT_FOUND = -6;

const MAX_SOCKETS = 10;

/** Received bytes held per socket for recv(): above this the socket stops reading from the module (which
 *  keeps the data) until recv() has taken some. */
export const RX_MAX = 1460;

interface Slot {
  state: 'wait' | 'open' | 'closing' | number;
  stream?: ModuleStream;
  server?: Server;
  /** Received blocks not yet taken by recv(); the first is taken from `roff` on. */
  rx: string[] | null;
  roff: number;
  /** Bytes in `rx` not yet taken. */
  rlen: number;
  /** The peer has closed: once `rx` is drained, recv() reports the close. */
  ended: boolean;
  /** Accepted clients waiting for accept(). */
  backlog: ModuleStream[] | null;
}

export interface NetworkJsCallbacks {
  create(host: string | undefined, port: number, type: number): number;
  close(sckt: number): void;
  accept(sckt: number): number;
  recv(sckt: number, maxLen: number, type: number): string | number;
  send(sckt: number, data: string, type: number): number;
}

/** `servers`: the server sockets, asked for at the first listen only (on the board they are an optional
 *  module of their own, which a driver for client sockets does not load). */
export function networkJsCallbacks(sockets: Sockets, servers: () => Servers): NetworkJsCallbacks {
  const slots: (Slot | undefined)[] = [];

  function alloc(): number {
    for (let i = 0; i < MAX_SOCKETS; i++) {
      if (!slots[i]) {
        slots[i] = { state: 'wait', rx: null, roff: 0, rlen: 0, ended: false, backlog: null };
        return i;
      }
    }
    return ERR_MAX_SOCK;
  }

  function attach(slot: Slot, stream: ModuleStream): void {
    slot.stream = stream;
    slot.state = 'open';
    stream.on('data', function (d) {
      if (slot.rx) slot.rx.push(d);
      else slot.rx = [d];
      slot.rlen += d.length;
      if (slot.rlen >= RX_MAX) stream.pause();
    });
    stream.on('end', function () { slot.ended = true; });
    stream.on('close', function () { slot.ended = true; });
    stream.on('error', function () { slot.ended = true; });
  }

  /** Take up to `max` received bytes: whole blocks when they fit, without copying the rest. */
  function take(slot: Slot, max: number): string {
    const rx = slot.rx!;
    let r = '';
    while (rx.length && r.length < max) {
      const b = rx[0];
      const end = Math.min(b.length, slot.roff + max - r.length);
      r += slot.roff === 0 && end === b.length ? b : b.substring(slot.roff, end);
      if (end === b.length) {
        rx.shift();
        slot.roff = 0;
      } else slot.roff = end;
    }
    if (!rx.length) slot.rx = null;
    slot.rlen -= r.length;
    if (slot.rlen < RX_MAX && slot.stream) slot.stream.resume();
    return r;
  }

  return {
    create: function (host, port, type) {
      const i = alloc();
      if (i < 0) return i;
      const slot = slots[i]!;
      if (host === undefined) {
        servers().listen(port, (type & ST_TLS) ? 's1' : (type & ST_UDP) ? 'u' : 't').then(function (srv) {
          slot.server = srv;
          slot.state = 'open';
          srv.on('connection', function (c) {
            if (slot.backlog) slot.backlog.push(c);
            else slot.backlog = [c];
          });
        }, function () { slot.state = ERR_NOT_FOUND; });
        return i;
      }
      const kind = (type & ST_TLS) ? 's' : (type & ST_UDP) ? 'u' : 't';
      sockets.open(host, port, kind).then(function (s: Socket) {
        if (slot.state === 'closing') {
          s.close().then(null, function () {});
          slots[i] = undefined;
          return;
        }
        attach(slot, s);
      }, function () { slot.state = ERR_NOT_FOUND; });
      return i;
    },

    close: function (sckt) {
      const slot = slots[sckt];
      if (!slot) return;
      if (slot.state === 'wait') {
        slot.state = 'closing'; // closed once the open completes
        return;
      }
      slots[sckt] = undefined;
      // A paused stream still closes: what the module holds is read (and dropped) by the close.
      if (slot.stream) slot.stream.close().then(null, function () {});
      if (slot.server) slot.server.close().then(null, function () {});
    },

    accept: function (sckt) {
      const slot = slots[sckt];
      if (!slot || !slot.backlog || !slot.backlog.length) return -1;
      const i = alloc();
      if (i < 0) return -1;
      attach(slots[i]!, slot.backlog.shift()!);
      if (!slot.backlog.length) slot.backlog = null;
      return i;
    },

    recv: function (sckt, maxLen) {
      const slot = slots[sckt];
      if (!slot) return ERR_CLOSED;
      if (typeof slot.state === 'number') return slot.state;
      // Still opening: Espruino's 'connect' comes once the module's socket is open, and an open that fails
      // is an error without a 'connect' before it.
      if (slot.state === 'wait') return ERR_NO_CONN;
      if (slot.rlen) return take(slot, maxLen);
      if (slot.ended) return ERR_CLOSED;
      return '';
    },

    send: function (sckt, data) {
      const slot = slots[sckt];
      if (!slot) return ERR_CLOSED;
      if (typeof slot.state === 'number') return slot.state;
      const st = slot.stream;
      // Not yet open, or enough already waiting to be sent: 0, and Espruino offers the data again.
      if (slot.state !== 'open' || !st || st.writableLength >= st.highWater) return 0;
      if (slot.ended) return ERR_CLOSED;
      try {
        st.write(data);
      } catch (e) {
        slot.ended = true;
        return ERR_CLOSED;
      }
      return data.length;
    },
  };
}
