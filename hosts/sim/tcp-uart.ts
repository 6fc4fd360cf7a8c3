// The simulated module's UART on a TCP port on 127.0.0.1: bytes in, bytes out, one client at a time
// (a UART has one other end). The module is powered on while a client is connected, so every client
// sees a boot log, and off when it leaves.

import * as net from 'node:net';
import type { SimModule } from './module';

export class TcpUart {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private client: net.Socket | undefined;
  private closed = false;

  constructor(
    private readonly sim: SimModule,
    /** Tells a person what happens (client connected, refused, gone). */
    private readonly report: (message: string) => void = () => undefined,
  ) {
    sim.onOutput((bytes) => this.client?.write(Buffer.from(bytes, 'latin1')));
  }

  /** Resolves with the port listened on (useful when asked for port 0). */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  close(): void {
    this.closed = true;
    this.client?.destroy();
    this.server.close();
  }

  private accept(socket: net.Socket): void {
    socket.on('error', () => undefined);
    if (this.client) {
      this.report(`refused a second client (port ${socket.remotePort}): the module already has one`);
      socket.destroy();
      return;
    }
    this.client = socket;
    this.report('client connected: module powered on');
    this.sim.powerOn();
    socket.on('data', (data: Buffer) => this.sim.write(data.toString('latin1')));
    socket.on('close', () => {
      if (this.client !== socket) return;
      this.client = undefined;
      this.sim.powerOff();
      if (!this.closed) this.report('client left: module powered off (it boots again at the next connection)');
    });
  }
}
