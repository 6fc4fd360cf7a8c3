// Ingress framer: module bytes -> lines and counted raw payloads.
// It splits with native indexOf over whole chunks (a per-byte JS loop is 25-30x slower on Espruino),
// holds at most one partial line (bounded), and knows on its own that an `AT-S.Reading:<n>:<m>` line
// is followed by exactly <n> raw bytes, so that a raw block is never mistaken for lines even when it
// arrives after the command that asked for it has timed out.

export interface FramerSink {
  /** A complete line, CR LF stripped, never empty. */
  line(text: string): void;
  /** Raw bytes of a counted payload; `remaining` is what is still to come after this chunk (0 = last). */
  payload(chunk: string, remaining: number): void;
  /** A sink callback threw; the framer has already moved past the offending line. */
  error?(e: any): void;
  /** The sink's own counters, when it has them (the engine): the framer counts there too, one object on
   *  the board instead of two. */
  stats?: FramerStats;
}

export interface FramerStats {
  payloadBytes: number;
  /** Lines longer than the bound, dropped up to their newline. */
  overlong: number;
  /** Sink callbacks that threw. */
  sinkErrors: number;
  /** `AT-S.Reading:` headers that were malformed or announced more than the bound. */
  badHeaders: number;
}

// The marks are literals where used (`AT-S.Reading:` is 13 characters, `AT-S.ERROR:` 11): a top-level
// constant would be a variable of the core on the board (a string one three).

export class Framer {
  private buf = '';
  /** Lines (0), a counted block (the bytes left, > 0), or an unbounded raw block (-1: an HTTP body, raw
   *  until a final result line starts). One field: the line loop reads it once per line. Set from outside
   *  too, without a method per use (each costs variables on the board): to n > 0 to take the next n bytes
   *  as a payload whose header the framer does not know, to 0 to stop taking a payload (a resync probe
   *  went unanswered: the count may have been damaged), to -1 to take a raw block of unknown length that
   *  ends where the module's final result starts (`AT-S.OK` CR LF or `AT-S.ERROR:`), as after the HTTP
   *  status line: its chunks are streamed with `remaining` -1, and a last (possibly empty) chunk with 0
   *  when the final line is found. The engine takes a chunk that is all payload itself, without push()
   *  (see its UART handler). */
  raw = 0;
  private dropping = false;
  /** Counters: the sink's stats object when it has one (see FramerSink.stats). */
  readonly stats: FramerStats;

  /**
   * @param maxLine longest line kept; longer ones are dropped and counted.
   * @param maxPayload largest counted block a header may announce (the module reads at most 730 bytes
   *   at a time); a header beyond it, or malformed, is taken for a damaged line, not obeyed.
   */
  constructor(private sink: FramerSink, private maxLine: number, private maxPayload?: number) {
    this.stats = sink.stats || { payloadBytes: 0, overlong: 0, sinkErrors: 0, badHeaders: 0 };
  }

  /** Forget any partial line or payload (after a module reset). */
  reset(): void {
    this.buf = '';
    this.raw = 0;
    this.dropping = false;
  }

  /**
   * The hot path: one call per UART chunk, lines handed straight to the sink. On Espruino the
   * interpreter reads every token of a function it runs, executed or skipped, each time: so this one
   * holds only the line loop, and everything else (a dropped line's tail, blocks, a partial line over the
   * bound, a sink that threw) is in resume(), which says where the lines go on.
   */
  push(chunk: string): void {
    const buf = this.buf ? this.buf + chunk : chunk;
    this.buf = '';
    let pos = this.raw || this.dropping ? this.resume(buf, 0) : 0;
    if (pos < 0) return;
    const max = this.maxLine;
    let nl = buf.indexOf('\n', pos);
    let start: number, end: number, text: string;
    try {
      while (nl >= 0) {
        start = pos;
        pos = nl + 1; // past the line before the sink sees it: one that throws is not taken again
        // (a character by index, not charCodeAt: on Espruino a quarter of the cost; never at -1, which throws)
        end = nl > start && buf[nl - 1] === '\r' ? nl - 1 : nl;
        if (end - start - 1 >>> 0 < max) {
          // 1 to max characters (one unsigned comparison): a line
          text = buf.substring(start, end);
          if (text[5] === 'R') this.header(text);
          this.sink.line(text);
          if (this.raw) {
            // a header, or the sink, announced a block
            pos = this.resume(buf, pos);
            if (pos < 0) return;
          }
        } else if (end > start) this.stats.overlong++;
        nl = buf.indexOf('\n', pos);
      }
    } catch (e) {
      pos = this.resume(buf, pos, [e]);
      if (pos >= 0) this.push(buf.substr(pos));
      return;
    }
    if (pos < buf.length) {
      if (buf.length - pos > max) this.resume(buf, pos); // perhaps too long: resume() decides
      else this.buf = pos ? buf.substr(pos) : buf;
    }
  }

  /**
   * What push() cannot take as lines: the bytes from `pos` when they start with a dropped line's tail or
   * a block, or are a partial line that may be over the bound, or follow a line whose sink threw
   * (`thrown`: [the error], counted and reported first). Returns where the lines go on, or -1 when the
   * chunk is done (taken, kept back or dropped). One function for all of these slow paths: on the board
   * each function costs variables.
   */
  private resume(buf: string, pos: number, thrown?: any[]): number {
    if (thrown) {
      this.stats.sinkErrors++;
      try {
        if (this.sink.error) this.sink.error(thrown[0]);
      } catch (_e) {
        // nothing more can be done; the count records it
      }
    }
    const len = buf.length;
    const raw = this.raw;
    let part: string;
    if (pos >= len) return -1;
    if (this.dropping) {
      // The tail of a line that was already too long: discarded up to its newline.
      const nl = buf.indexOf('\n', pos);
      if (nl < 0) return -1;
      this.dropping = false;
      return raw ? this.resume(buf, nl + 1) : nl + 1;
    }
    if (raw > 0) {
      // A counted block: a chunk that is all payload goes on as it is (no copy).
      const n = raw < len - pos ? raw : len - pos;
      part = pos === 0 && n === len ? buf : buf.substr(pos, n);
      this.raw = raw - n;
      this.stats.payloadBytes += n;
      // The position moves past the bytes before the sink sees them: one that throws is counted and
      // reported, and the framer stays in step.
      try {
        this.sink.payload(part, raw - n);
      } catch (e) {
        return this.resume(buf, pos + n, [e]);
      }
      return pos + n;
    }
    if (raw < 0) {
      // Raw bytes up to the final result line; a tail that may be a split marker is kept back.
      // (A marker only started at the very end is no match: Espruino's indexOf says it is, see
      // build/check-string-search.mjs; the cut below keeps such a tail back.)
      let ok = buf.indexOf('AT-S.OK\r\n', pos); // fits
      if (ok + 9 > len) ok = -1;
      let err = buf.indexOf('AT-S.ERROR:', pos); // fits
      if (err + 11 > len) err = -1;
      const end = ok < 0 ? err : err < 0 ? ok : ok < err ? ok : err;
      const cut = end >= 0 ? end : len - (11 - 1);
      if (end < 0 && cut <= pos) {
        this.buf = buf.substr(pos);
        return -1;
      }
      if (end >= 0) this.raw = 0;
      else this.buf = buf.substr(cut);
      part = buf.substr(pos, cut - pos);
      this.stats.payloadBytes += part.length;
      try {
        this.sink.payload(part, end >= 0 ? 0 : -1);
      } catch (e) {
        return this.resume(buf, end >= 0 ? end : len, [e]);
      }
      return end;
    }
    if (buf.indexOf('\n', pos) >= 0) return pos; // lines
    // A partial line. Over the bound (a CR at the very end may end a line whose LF is in the next chunk:
    // it does not count, so a line of exactly maxLine is kept however the chunks fall): dropped, with
    // everything up to its newline.
    if (len - pos - (buf.charCodeAt(len - 1) === 13 ? 1 : 0) > this.maxLine) {
      this.stats.overlong++;
      this.dropping = true;
    } else this.buf = buf.substr(pos);
    return -1;
  }

  /**
   * A line whose sixth character is `R`: an `AT-S.Reading:<n>:<m>` header announces a counted block of n
   * bytes (m = bytes that were pending, so n <= m). A header that is malformed (each count 1 to 6 digits)
   * or over the bound is taken for a damaged line, counted, not obeyed.
   */
  private header(text: string): void {
    if (!text.startsWith('AT-S.Reading:')) return;
    const c = text.indexOf(':', 13);
    const a = text.substring(13, c);
    const b = text.substring(c + 1);
    const n = parseInt(a, 10);
    const m = parseInt(b, 10);
    // Each count is digits only, as the module writes them (1 to 6, no leading zero): a count that reads
    // back as it was written (no sign, space, fraction or other text, which parseInt would pass over).
    // (No loop per character: on Espruino each character would cost what the whole check costs.)
    if (c > 13 && n >= 0 && '' + n === a && b.length <= 6 && '' + m === b && n <= m && n <= (this.maxPayload || 4096)) {
      if (n > 0) this.raw = n;
    } else this.stats.badHeaders++;
  }
}
