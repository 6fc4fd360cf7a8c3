// Runs the host's command lines one at a time: echo, dispatch to the command table, the final
// AT-S.OK / AT-S.ERROR line in the format the console_* variables select. Lines that arrive while a
// command is still being answered (e.g. a SOCKON waiting for its peer) wait their turn. Command-level
// faults (silence, a reset instead of an answer, a late answer) are applied here.

import {
  EMPTY_LINE_IS_IGNORED, ERRORS_WITH_CODE_FROM_LEVEL, ERRORS_WITH_TEXT_FROM_LEVEL, FREE_HEAP_BYTES,
  LINE_TOO_LONG_ERROR, REJECTED_PAYLOAD_IS_ECHOED, VERBOSE_OK_FROM_LEVEL,
} from './choices';
import type { CommandTable, Reply, SimContext } from './command-context';
import { parseCommandLine } from './command-line';
import { E, ERROR_TEXT } from './errors';
import type { CommandFault } from './faults';
import type { ConsoleRequest } from './line-assembler';
import type { ConsoleOutput } from './output';

/** Where the console learns about injected faults (SimFaults). */
export interface ConsoleFaultSource {
  readonly silenced: boolean;
  takeCommandFault(): CommandFault | undefined;
}

export class CommandConsole {
  private waiting: ConsoleRequest[] = [];
  private answering = false;
  private pumping = false;
  /** Bumped by reset(), so that a command still running from before the reboot cannot answer. */
  private session = 0;

  constructor(
    private readonly out: ConsoleOutput,
    private readonly ctx: SimContext,
    private readonly commands: CommandTable,
    private readonly faults: ConsoleFaultSource,
    /** Reboot now, keeping what is already queued for the host (a crash rather than a power cut). */
    private readonly crash: () => void,
  ) {}

  submit(request: ConsoleRequest): void {
    this.waiting.push(request);
    this.pump();
  }

  /** Reboot: drop waiting lines and forget the command in progress. */
  reset(): void {
    this.session++;
    this.waiting = [];
    this.answering = false;
  }

  private pump(): void {
    if (this.pumping) return; // a final line given synchronously inside execute(): the loop below goes on
    this.pumping = true;
    while (!this.answering && this.waiting.length > 0) this.execute(this.waiting.shift()!);
    this.pumping = false;
  }

  private execute(request: ConsoleRequest): void {
    if (this.faults.silenced) return;
    if (request.line === '' && !request.tooLong && EMPTY_LINE_IS_IGNORED) return;
    this.answering = true;
    this.out.answerStarted();
    const reply = this.replyFor(request);
    if (request.tooLong) return reply.error(LINE_TOO_LONG_ERROR);
    if (this.echoOn()) this.out.line(request.line);
    const fault = this.faults.takeCommandFault();
    // Both wait on the module's own timers, so a reboot cancels them; until then the console stays busy.
    if (fault?.kind === 'reset') return this.ctx.after(0, this.crash);
    if (fault?.kind === 'late') return this.ctx.after(fault.ms, () => this.run(request, reply));
    this.run(request, reply);
  }

  private run(request: ConsoleRequest, reply: Reply): void {
    const cmd = parseCommandLine(request.line, this.ctx.config.get('console_delimiter') ?? ',');
    const handler = this.commands[cmd.name];
    if (!handler) return reply.error(E.commandNotFound);
    try {
      const running = handler(this.ctx, { cmd, payload: request.payload }, reply);
      if (running) running.catch((e: unknown) => this.internalError(e, reply));
    } catch (e) {
      this.internalError(e, reply);
    }
  }

  private replyFor(request: ConsoleRequest): Reply {
    const session = this.session;
    let finished = false;
    const live = () => !finished && session === this.session;
    const finish = (finalLine: string | undefined, after = '') => {
      if (!live()) return;
      finished = true;
      this.out.finishAnswer(finalLine, after);
      this.answering = false;
      this.pump();
    };
    return {
      line: (text) => { if (live()) this.out.line(text); },
      raw: (bytes) => { if (live()) this.out.raw(bytes); },
      ok: () => finish(this.okLine()),
      error: (code) => {
        const echoPayload = REJECTED_PAYLOAD_IS_ECHOED && this.echoOn() ? request.payload : '';
        finish(this.errorLine(code), echoPayload);
      },
      end: () => finish(undefined),
    };
  }

  private okLine(): string {
    if (this.ctx.config.number('console_verbose') < VERBOSE_OK_FROM_LEVEL) return 'AT-S.OK';
    return `AT-S.OK:${FREE_HEAP_BYTES}:${this.ctx.radio.wifiState}`;
  }

  private errorLine(code: number): string {
    const level = this.ctx.config.number('console_errs');
    let line = 'AT-S.ERROR';
    if (level >= ERRORS_WITH_CODE_FROM_LEVEL) line += ':' + code;
    if (level >= ERRORS_WITH_TEXT_FROM_LEVEL) line += ':' + (ERROR_TEXT[code] ?? '');
    return line;
  }

  private echoOn(): boolean {
    return this.ctx.config.number('console_echo') !== 0;
  }

  /** A simulator bug must not wedge the console: answer, and make the cause visible. */
  private internalError(e: unknown, reply: Reply): void {
    process.emitWarning(`SPWF04S simulator: command handler failed: ${e instanceof Error ? e.stack : String(e)}`);
    reply.error(E.invalidArguments);
  }
}
