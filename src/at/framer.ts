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
}

export interface FramerStats {
  lines: number;
  payloadBytes: number;
  /** Lines longer than the bound, dropped up to their newline. */
  overlong: number;
  /** Sink callbacks that threw. */
  sinkErrors: number;
  /** `AT-S.Reading:` headers that were malformed or announced more than the bound. */
  badHeaders: number;
}

const READING = 'AT-S.Reading:';
const OK_MARK = 'AT-S.OK\r\n';
const DEFAULT_MAX_PAYLOAD = 4096;
const ERROR_MARK = 'AT-S.ERROR:';

export class Framer {
  private buf = '';
  /** Lines (0), a counted block (the bytes left, > 0), or an unbounded raw block (-1: an HTTP body, raw
   *  until a final result line starts). One field: the line loop reads it once per line. The engine
   *  takes a chunk that is all payload itself, without push() (see its UART handler). */
  raw = 0;
  private dropping = false;
  readonly stats: FramerStats = { lines: 0, payloadBytes: 0, overlong: 0, sinkErrors: 0, badHeaders: 0 };

  /**
   * @param maxLine longest line kept; longer ones are dropped and counted.
   * @param maxPayload largest counted block a header may announce (the module reads at most 730 bytes
   *   at a time); a header beyond it, or malformed, is taken for a damaged line, not obeyed.
   */
  constructor(private sink: FramerSink, private maxLine: number, private maxPayload?: number) {}

  /** Announce that the next `n` bytes are a raw payload (for blocks whose header the framer does not know). */
  expectPayload(n: number): void {
    if (n > 0) this.raw = n;
  }

  /**
   * Announce a raw block of unknown length that ends where the module's final result starts
   * (`AT-S.OK` CR LF or `AT-S.ERROR:`), as after the HTTP status line. The chunks are streamed with
   * `remaining` -1, and a last (possibly empty) chunk with 0 when the final line is found.
   */
  expectRawUntilFinal(): void {
    this.raw = -1;
  }

  /** Bytes held for a partial line (always <= maxLine). */
  pending(): number {
    return this.buf.length;
  }

  /** Forget any partial line or payload (after a module reset). */
  reset(): void {
    this.buf = '';
    this.abortPayload();
    this.dropping = false;
  }

  /** Stop taking bytes as a payload (after a resync probe went unanswered: the count may have been damaged). */
  abortPayload(): void {
    this.raw = 0;
  }

  /**
   * The hot path: one call per UART chunk, lines handed straight to the sink (on Espruino every call
   * and every token skipped costs, so the line loop holds only what a line needs; counted and
   * unbounded blocks are handled outside it).
   */
  push(chunk: string): void {
    const buf = this.buf.length ? this.buf + chunk : chunk;
    this.buf = '';
    const len = buf.length;
    const sink = this.sink;
    const st = this.stats;
    const max = this.maxLine;
    let pos = 0;
    if (this.dropping) {
      // The tail of a line that was already too long: discarded up to its newline.
      pos = buf.indexOf('\n');
      if (pos < 0) return;
      pos++;
      this.dropping = false;
    }
    // A sink that throws is counted and reported, and the framer goes on after the offending line: the
    // position has moved past it before the sink was called.
    for (;;) {
      try {
        while (pos < len) {
          const raw = this.raw;
          if (raw > 0) {
            const n = raw < len - pos ? raw : len - pos;
            // A chunk that is all payload goes on as it is (no copy).
            const part = pos === 0 && n === len ? buf : buf.substr(pos, n);
            pos += n;
            this.raw = raw - n;
            st.payloadBytes += n;
            sink.payload(part, raw - n);
          } else if (raw < 0) {
            // Raw bytes up to the final result line; a tail that may be a split marker is kept back.
            const ok = buf.indexOf(OK_MARK, pos);
            const err = buf.indexOf(ERROR_MARK, pos);
            const end = ok < 0 ? err : err < 0 ? ok : ok < err ? ok : err;
            const cut = len - (ERROR_MARK.length - 1);
            if (end < 0 && cut <= pos) break;
            const from = pos;
            pos = end >= 0 ? end : cut;
            if (end >= 0) this.raw = 0;
            st.payloadBytes += pos - from;
            sink.payload(buf.substr(from, pos - from), end >= 0 ? 0 : -1);
            if (end < 0) break;
          } else {
            // Lines, until the chunk ends or a line announces a block: the hot loop, kept short.
            let nl = buf.indexOf('\n', pos);
            while (nl >= 0) {
              const start = pos;
              const end = nl > pos && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
              pos = nl + 1;
              if (end - start > max) st.overlong++;
              else if (end > start) {
                st.lines++;
                const text = buf.substr(start, end - start);
                if (text.charCodeAt(5) === 82 /* R */ && text.startsWith(READING)) {
                  const n = readingCount(text, this.maxPayload || DEFAULT_MAX_PAYLOAD);
                  if (n > 0) this.raw = n;
                  else if (n < 0) st.badHeaders++;
                }
                sink.line(text);
                if (this.raw) break;
              }
              nl = buf.indexOf('\n', pos);
            }
            if (nl < 0) break;
          }
        }
        break;
      } catch (e) {
        st.sinkErrors++;
        try {
          if (sink.error) sink.error(e);
        } catch (_e) {
          // nothing more can be done; the count records it
        }
      }
    }
    if (pos < len) {
      // A CR at the very end may be the end of a line whose LF is in the next chunk: it does not count
      // towards the line's length (a line of exactly maxLine is kept however the chunks fall).
      if (len - pos - (buf.charCodeAt(len - 1) === 13 ? 1 : 0) > max) {
        // A partial line already over the bound: drop it and everything up to its newline.
        if (!this.dropping) st.overlong++;
        this.dropping = true;
      } else {
        this.buf = pos ? buf.substr(pos) : buf;
      }
    }
  }
}

/**
 * The byte count of `AT-S.Reading:<n>:<m>` (n = bytes that follow, m = bytes that were pending, so
 * n <= m): n, 0 when nothing follows, or -1 when the header is malformed (each count 1 to 6 digits)
 * or over the bound.
 */
function readingCount(text: string, max: number): number {
  const c = text.indexOf(':', READING.length);
  if (c < 0 || c - READING.length > 6 || text.length - c - 1 > 6) return -1;
  for (let i = READING.length; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if ((d < 48 || d > 57) && i !== c) return -1;
  }
  const n = parseInt(text.substring(READING.length, c), 10);
  // empty counts parse as NaN: every comparison below is then false
  return n >= 0 && c + 1 < text.length && n <= parseInt(text.substring(c + 1), 10) && n <= max ? n : -1;
}
