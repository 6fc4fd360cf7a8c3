// The module's TX line: bytes queued by the console go to the host in chunks of at most chunkSize
// bytes, one chunk per timer tick (as Espruino's UART hands them over). Faults act here: a chunk size
// changed at run time, a delay before queued bytes reach the line, and damage to the bytes themselves.

export type OutputListener = (bytes: string) => void;

export class UartTransmitter {
  private size: number;
  private delay = 0;
  private unsent = '';
  /** Bytes held back by the delay, in order, each with the time it may go out. */
  private delayed: { bytes: string; due: number }[] = [];
  private chunkTimer: ReturnType<typeof setTimeout> | undefined;
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;
  private listeners: OutputListener[] = [];

  constructor(
    chunkSize: number,
    private readonly chunkIntervalMs: number,
    /** What becomes of a chunk on the wire (byte faults); identity when nothing is injected. */
    private readonly damage: (chunk: string) => string = (chunk) => chunk,
  ) {
    this.size = checkChunkSize(chunkSize);
  }

  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  get chunkSize(): number {
    return this.size;
  }

  /** Takes effect from the next chunk. */
  set chunkSize(n: number) {
    this.size = checkChunkSize(n);
  }

  get delayMs(): number {
    return this.delay;
  }

  /** Bytes queued from now on wait this long before they may go out (order is kept). */
  set delayMs(ms: number) {
    if (!(ms >= 0)) throw new RangeError('a delay must be 0 ms or more');
    this.delay = ms;
  }

  send(bytes: string): void {
    if (bytes.length === 0) return;
    if (this.delay === 0 && this.delayed.length === 0) {
      this.unsent += bytes;
      this.startChunks();
      return;
    }
    const last = this.delayed[this.delayed.length - 1];
    this.delayed.push({ bytes, due: Math.max(Date.now() + this.delay, last ? last.due : 0) });
    if (this.delayed.length === 1) this.scheduleRelease();
  }

  /** Power loss: what was not yet on the wire is gone. */
  discardUnsent(): void {
    this.unsent = '';
    this.delayed = [];
    if (this.chunkTimer !== undefined) clearTimeout(this.chunkTimer);
    if (this.releaseTimer !== undefined) clearTimeout(this.releaseTimer);
    this.chunkTimer = this.releaseTimer = undefined;
  }

  close(): void {
    this.discardUnsent();
    this.listeners = [];
  }

  /** Bytes queued but not yet delivered to the host. */
  get backlog(): number {
    return this.delayed.reduce((n, d) => n + d.bytes.length, this.unsent.length);
  }

  private scheduleRelease(): void {
    const head = this.delayed[0];
    if (!head) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = undefined;
      while (this.delayed.length > 0 && this.delayed[0]!.due <= Date.now()) this.unsent += this.delayed.shift()!.bytes;
      this.startChunks();
      this.scheduleRelease();
    }, Math.max(0, head.due - Date.now()));
  }

  private startChunks(): void {
    if (this.chunkTimer === undefined && this.unsent.length > 0) {
      this.chunkTimer = setTimeout(() => this.deliverChunk(), this.chunkIntervalMs);
    }
  }

  private deliverChunk(): void {
    this.chunkTimer = undefined;
    const chunk = this.unsent.substring(0, this.size);
    this.unsent = this.unsent.substring(this.size);
    // Schedule the next chunk before handing this one over, so a listener that throws cannot stall output.
    this.startChunks();
    const received = this.damage(chunk);
    if (received.length === 0) return;
    for (const listener of this.listeners) listener(received);
  }
}

function checkChunkSize(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('the output chunk size must be a whole number of bytes, at least 1');
  return n;
}
