// Module → host side of the console: response lines, raw blocks and +WIND lines, put on the TX line.
// +WIND lines that arise while a command is being answered are held back until its final line has been
// queued, so that a response is never split by an indication — unless a fault asks for exactly that.

import type { UartTransmitter } from './uart-tx';
import { windLine } from './winds';

interface Indication {
  num: number;
  params: readonly (string | number)[];
}

export class ConsoleOutput {
  private heldWinds: string[] = [];
  private answering = false;
  /** Fault: an indication to put inside the next response. */
  private armedInterleave: Indication | undefined;
  /** The armed indication, once the response it goes into has started. */
  private interleave: Indication | undefined;
  private piecesInAnswer = 0;

  constructor(
    private readonly tx: UartTransmitter,
    /** true when the host masked this WIND number (console_wind_off_*). */
    private readonly isMasked: (num: number) => boolean,
  ) {}

  /** One line; CR LF is appended. */
  line(text: string): void {
    this.piece(text + '\r\n');
  }

  /** Bytes sent as they are (SOCKR data, echoed payloads). */
  raw(bytes: string): void {
    if (bytes.length > 0) this.piece(bytes);
  }

  wind(num: number, params: readonly (string | number)[] = [], text?: string): void {
    if (this.isMasked(num)) return;
    const line = windLine(num, params, text);
    if (this.answering) this.heldWinds.push(line);
    else this.tx.send(line + '\r\n');
  }

  /** A command starts: indications wait until finishAnswer(). */
  answerStarted(): void {
    this.answering = true;
    this.piecesInAnswer = 0;
    this.interleave = this.armedInterleave;
    this.armedInterleave = undefined;
  }

  /** The command's last output (final line, then bytes such as an echoed payload): release the
   *  indications that waited. */
  finishAnswer(finalLine: string | undefined, after = ''): void {
    if (finalLine !== undefined) {
      this.emitInterleave(); // a one-piece answer: the fault's indication goes just before its final line
      this.line(finalLine);
    }
    this.raw(after);
    this.answering = false;
    this.interleave = undefined;
    const held = this.heldWinds;
    this.heldWinds = [];
    for (const line of held) this.tx.send(line + '\r\n');
  }

  /** Fault: the next response carries this indication after its first piece (the echo, or the first
   *  line or raw block), or before its final line when that is all there is. Masks still apply. */
  interleaveIntoNextAnswer(num: number, params: readonly (string | number)[]): void {
    this.armedInterleave = { num, params };
  }

  cancelInterleave(): void {
    this.armedInterleave = undefined;
  }

  /** Reboot in the middle of an answer: the held indications die with it. */
  interruptAnswer(): void {
    this.heldWinds = [];
    this.answering = false;
    this.interleave = undefined;
  }

  private piece(bytes: string): void {
    if (this.answering && this.piecesInAnswer++ > 0) this.emitInterleave();
    this.tx.send(bytes);
  }

  private emitInterleave(): void {
    const ind = this.interleave;
    if (!ind) return;
    this.interleave = undefined;
    if (!this.isMasked(ind.num)) this.tx.send(windLine(ind.num, ind.params) + '\r\n');
  }
}
