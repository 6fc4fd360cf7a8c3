// A real SPWF04S on a serial port (a USB-UART adapter wired to the module, or a simulator's pseudo-terminal)
// as the Node host's byte link, through the `serialport` package. 8N1, no flow control (the module's
// factory UART settings: 115200 baud, no RTS/CTS).

import type { SerialPort as SerialPortType } from 'serialport';
import type { ByteLink } from './host';

/** Loaded on first use: its native binding is needed only by the commands that open a port. */
function serialPortClass(): typeof SerialPortType {
  return (require('serialport') as typeof import('serialport')).SerialPort;
}

export interface SerialLink extends ByteLink {
  /** Called once if the port goes away (unplugged, the other end closed) or fails. */
  onLost(cb: (why: string) => void): void;
  close(): Promise<void>;
}

/** Why a port did not open, in one line a user can act on. */
export function describeOpenError(path: string, e: NodeJS.ErrnoException): string {
  const msg = (e && e.message) || String(e);
  if (/ENOENT|No such file/i.test(msg)) return 'no device at ' + path + ' (is the adapter plugged in? look in /dev/ttyUSB* and /dev/ttyACM*)';
  if (/EACCES|Permission denied/i.test(msg)) return 'no permission to open ' + path + ' (add yourself to the dialout group, then log in again)';
  if (/EBUSY|Resource busy|Cannot lock/i.test(msg)) return path + ' is in use by another program (a terminal? the Espruino IDE?)';
  return 'cannot open ' + path + ': ' + msg.split('\n')[0];
}

/** Opens `path` at `baud`; rejects with one line that says why when it cannot. */
export function openSerialLink(path: string, baud: number): Promise<SerialLink> {
  return new Promise(function (resolve, reject) {
    let port: SerialPortType;
    try {
      const SerialPort = serialPortClass();
      port = new SerialPort({ path, baudRate: baud, autoOpen: false, rtscts: false });
    } catch (e) {
      reject(new Error(describeOpenError(path, e as NodeJS.ErrnoException)));
      return;
    }
    port.open(function (err) {
      if (err) {
        reject(new Error(describeOpenError(path, err as NodeJS.ErrnoException)));
        return;
      }
      let lost: ((why: string) => void) | null = null;
      let closing = false;
      let reported = false;
      const report = function (why: string) {
        if (closing || reported) return;
        reported = true;
        if (lost) lost(why);
      };
      port.on('error', function (e: Error) { report(path + ': ' + e.message.split('\n')[0]); });
      port.on('close', function () { report(path + ' was closed (the device went away)'); });
      resolve({
        write: function (bytes) { port.write(Buffer.from(bytes, 'latin1')); },
        onData: function (cb) { port.on('data', function (d: Buffer) { cb(d.toString('latin1')); }); },
        onLost: function (cb) { lost = cb; },
        close: function () {
          closing = true;
          return new Promise<void>(function (done) {
            if (!port.isOpen) return done();
            port.close(function () { done(); });
          });
        },
      });
    });
  });
}
