// A trace of raw UART bytes, for the simulator, which sees bytes and not the engine's commands: the
// host's side is cut into command lines and their payloads as the simulated console cuts them, the
// module's side into lines and counted blocks by the core's own framer. Records read as the engine's
// trace (`<N bytes>` after a command's line, `[N bytes of data]` for a raw block, secrets masked).

import { LineAssembler } from '../../sim/line-assembler';
import { parseCommandLine, payloadLength } from '../../sim/command-line';
import { Framer } from '../../../src/at/framer';
import { HTTP_STATUS_LINE } from '../../../src/at/commands';
import type { TraceDirection } from './format';

export type RecordFn = (dir: TraceDirection, text: string) => void;

export class UartTap {
  private readonly fromHostLines: LineAssembler;
  private readonly fromModuleLines: Framer;
  private blockBytes = 0;

  constructor(private readonly record: RecordFn) {
    this.fromHostLines = new LineAssembler(
      (line) => payloadLength(parseCommandLine(line, ',')),
      (req) => {
        if (req.tooLong) this.record('note', 'host sent a command line too long for the module (dropped)');
        else if (req.line !== '' || req.payload !== '') {
          this.record('>', req.line + (req.payload ? ' <' + req.payload.length + ' bytes>' : ''));
        }
      },
    );
    this.fromModuleLines = new Framer({
      line: (text) => {
        this.record('<', text);
        if (text.indexOf(HTTP_STATUS_LINE) === 0) this.fromModuleLines.raw = -1; // a raw block until the final result
      },
      payload: (chunk, remaining) => {
        this.blockBytes += chunk.length;
        if (remaining === 0) {
          this.record('<', '[' + this.blockBytes + ' bytes of data]');
          this.blockBytes = 0;
        }
      },
    }, 4096, 4096);
  }

  /** Host → module bytes (latin1 byte string). */
  fromHost(bytes: string): void {
    this.fromHostLines.feed(bytes);
  }

  /** Module → host bytes. */
  fromModule(bytes: string): void {
    this.fromModuleLines.push(bytes);
  }

  /** The module restarted (power cycle): forget partial lines on both sides. */
  reset(): void {
    this.fromHostLines.reset();
    this.fromModuleLines.reset();
    this.blockBytes = 0;
  }
}
