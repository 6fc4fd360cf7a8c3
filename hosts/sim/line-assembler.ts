// Host → module side of the console: bytes → command lines ended by CR (LF bytes between or inside
// lines are dropped, a stray LF is tolerated as on the real module) and, after the CR of a command
// that carries data, exactly <len> raw bytes collected as its payload, with no prompt.

import { MAX_COMMAND_LINE } from './choices';

export interface ConsoleRequest {
  /** The command line as typed, CR and LF removed. */
  line: string;
  /** The raw bytes that followed the CR of a data-carrying command ('' otherwise). */
  payload: string;
  /** The line exceeded MAX_COMMAND_LINE and was thrown away (line is then ''). */
  tooLong: boolean;
}

export class LineAssembler {
  private partial = '';
  private overlong = false;
  private pending: ConsoleRequest | undefined;
  private payloadLeft = 0;

  constructor(
    /** Length of the payload that follows this line, or undefined when the command carries none. */
    private readonly payloadLengthOf: (line: string) => number | undefined,
    private readonly deliver: (request: ConsoleRequest) => void,
  ) {}

  feed(bytes: string): void {
    let pos = 0;
    while (pos < bytes.length) {
      if (this.pending) {
        const take = Math.min(this.payloadLeft, bytes.length - pos);
        this.pending.payload += bytes.substring(pos, pos + take);
        this.payloadLeft -= take;
        pos += take;
        if (this.payloadLeft === 0) this.finish();
        continue;
      }
      const cr = bytes.indexOf('\r', pos);
      const end = cr < 0 ? bytes.length : cr;
      this.append(bytes.substring(pos, end));
      if (cr < 0) return;
      pos = cr + 1;
      this.lineEnded();
    }
  }

  /** Forget a partial line or payload (module reset). */
  reset(): void {
    this.partial = '';
    this.overlong = false;
    this.pending = undefined;
    this.payloadLeft = 0;
  }

  /** True while the payload of a data-carrying command is being collected. */
  get collectingPayload(): boolean {
    return this.pending !== undefined;
  }

  private append(segment: string): void {
    if (this.overlong) return;
    if (segment.indexOf('\n') >= 0) segment = segment.split('\n').join('');
    this.partial += segment;
    if (this.partial.length > MAX_COMMAND_LINE) {
      this.overlong = true;
      this.partial = '';
    }
  }

  private lineEnded(): void {
    const line = this.partial;
    const tooLong = this.overlong;
    this.partial = '';
    this.overlong = false;
    const request: ConsoleRequest = { line, payload: '', tooLong };
    const len = tooLong ? undefined : this.payloadLengthOf(line);
    if (len === undefined || len === 0) {
      this.deliver(request);
      return;
    }
    this.pending = request;
    this.payloadLeft = len;
  }

  private finish(): void {
    const request = this.pending!;
    this.pending = undefined;
    this.deliver(request);
  }
}
