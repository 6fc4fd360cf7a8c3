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

/** NetworkJS error codes (SOCKET_ERR_*). */
const ERR_CLOSED = -1;
const ERR_MAX_SOCK = -7;
const ERR_NOT_FOUND = -6;

const MAX_SOCKETS = 10;

interface Slot {
  state: 'wait' | 'open' | 'closing' | number;
  stream?: ModuleStream;
  server?: Server;
  /** Received bytes not yet taken by recv(). */
  data: string;
  /** The peer has closed: once `data` is drained, recv() reports the close. */
  ended: boolean;
  sending: boolean;
  /** Accepted clients waiting for accept(). */
  backlog: ModuleStream[];
}

export interface NetworkJsCallbacks {
  create(host: string | undefined, port: number, type: number): number;
  close(sckt: number): void;
  accept(sckt: number): number;
  recv(sckt: number, maxLen: number, type: number): string | number;
  send(sckt: number, data: string, type: number): number;
}

export function networkJsCallbacks(sockets: Sockets, servers: Servers): NetworkJsCallbacks {
  const slots: (Slot | undefined)[] = [];

  function alloc(): number {
    for (let i = 0; i < MAX_SOCKETS; i++) {
      if (!slots[i]) {
        slots[i] = { state: 'wait', data: '', ended: false, sending: false, backlog: [] };
        return i;
      }
    }
    return ERR_MAX_SOCK;
  }

  function attach(slot: Slot, stream: ModuleStream): void {
    slot.stream = stream;
    slot.state = 'open';
    stream.on('data', function (d) { slot.data += d; });
    stream.on('end', function () { slot.ended = true; });
    stream.on('close', function () { slot.ended = true; });
    stream.on('error', function () { slot.ended = true; });
  }

  return {
    create: function (host, port, type) {
      const i = alloc();
      if (i < 0) return i;
      const slot = slots[i]!;
      if (host === undefined) {
        servers.listen(port, (type & ST_TLS) ? 's1' : (type & ST_UDP) ? 'u' : 't').then(function (srv) {
          slot.server = srv;
          slot.state = 'open';
          srv.on('connection', function (c) { slot.backlog.push(c); });
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
      if (slot.stream) slot.stream.close().then(null, function () {});
      if (slot.server) slot.server.close().then(null, function () {});
    },

    accept: function (sckt) {
      const slot = slots[sckt];
      if (!slot || !slot.backlog.length) return -1;
      const i = alloc();
      if (i < 0) return -1;
      attach(slots[i]!, slot.backlog.shift()!);
      return i;
    },

    recv: function (sckt, maxLen) {
      const slot = slots[sckt];
      if (!slot) return ERR_CLOSED;
      if (typeof slot.state === 'number') return slot.state;
      if (slot.data.length) {
        const r = slot.data.substring(0, maxLen);
        slot.data = slot.data.substring(r.length);
        return r;
      }
      if (slot.ended) return ERR_CLOSED;
      return '';
    },

    send: function (sckt, data) {
      const slot = slots[sckt];
      if (!slot) return ERR_CLOSED;
      if (typeof slot.state === 'number') return slot.state;
      if (slot.state !== 'open' || slot.sending || !slot.stream) return 0; // not yet: Espruino retries
      if (slot.ended) return ERR_CLOSED;
      slot.sending = true;
      slot.stream.write(data).then(function () { slot.sending = false; }, function () {
        slot.sending = false;
        slot.ended = true;
      });
      return data.length;
    },
  };
}
