// Module → host side of the console: response lines, raw blocks and +WIND lines, delivered to the
// host in chunks of at most chunkSize bytes, one chunk per timer tick (as Espruino's UART hands them
// over). +WIND lines that arise while a command is being answered are held back until its final line
// has been queued, so that a response is never split by an indication.

import { windLine } from './winds';

export type OutputListener = (bytes: string) => void;

export class ConsoleOutput {
  private unsent = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners: OutputListener[] = [];
  private heldWinds: string[] = [];
  private answering = false;

  constructor(
    private readonly chunkSize: number,
    private readonly chunkIntervalMs: number,
    /** true when the host masked this WIND number (console_wind_off_*). */
    private readonly isMasked: (num: number) => boolean,
  ) {}

  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  /** One line; CR LF is appended. */
  line(text: string): void {
    this.queue(text + '\r\n');
  }

  /** Bytes sent as they are (SOCKR data, echoed payloads). */
  raw(bytes: string): void {
    this.queue(bytes);
  }

  wind(num: number, params: readonly (string | number)[] = [], text?: string): void {
    if (this.isMasked(num)) return;
    const line = windLine(num, params, text);
    if (this.answering) this.heldWinds.push(line);
    else this.line(line);
  }

  /** A command starts: indications wait until answerDone(). */
  answerStarted(): void {
    this.answering = true;
  }

  /** The command's final line is queued: release the indications that waited. */
  answerDone(): void {
    this.answering = false;
    const held = this.heldWinds;
    this.heldWinds = [];
    for (const line of held) this.line(line);
  }

  /** Reboot in the middle of an answer: the held indications die with it. */
  interruptAnswer(): void {
    this.heldWinds = [];
    this.answering = false;
  }

  /** Power loss: what was not yet on the wire is gone. */
  discardUnsent(): void {
    this.unsent = '';
    this.stopTimer();
  }

  close(): void {
    this.interruptAnswer();
    this.discardUnsent();
    this.listeners = [];
  }

  /** Bytes queued but not yet delivered to the host. */
  get backlog(): number {
    return this.unsent.length;
  }

  private queue(bytes: string): void {
    if (bytes.length === 0) return;
    this.unsent += bytes;
    if (this.timer === undefined) this.timer = setTimeout(() => this.deliverChunk(), this.chunkIntervalMs);
  }

  private deliverChunk(): void {
    this.timer = undefined;
    const chunk = this.unsent.substring(0, this.chunkSize);
    this.unsent = this.unsent.substring(this.chunkSize);
    // Schedule the next chunk before handing this one over, so a listener that throws cannot stall output.
    if (this.unsent.length > 0) this.timer = setTimeout(() => this.deliverChunk(), this.chunkIntervalMs);
    for (const listener of this.listeners) listener(chunk);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
