// The trace format (docs/trace-format.md): JSON Lines, a header object, then one record per event.
// Every host writes it (the Node demo, the simulator, the Espruino host); `spwf04 trace` reads it.
// Node only: the device writes the same lines with hosts/espruino/trace.ts.

export const TRACE_FORMAT = 'spwf04-trace';
/** Bumped when a reader of the previous version would misread a file; added fields do not bump it. */
export const TRACE_VERSION = 1;

export type TraceDirection = '>' | '<' | 'note';

export interface TraceHeader {
  format: string;
  version: number;
  /** When the trace started, ISO 8601 UTC, as the writer's clock knew it. */
  start: string;
  /** Who wrote it: "demo", "sim", "espruino", ... */
  source: string;
}

export interface TraceRecord {
  /** Milliseconds since the trace started (since the first header, for a file holding several). */
  t: number;
  dir: TraceDirection;
  text: string;
  /** 1-based line of the file it came from. */
  line: number;
  /** Index into Trace.sessions of the header it follows. */
  session: number;
}

export interface Trace {
  /** The file's name, for messages. */
  name: string;
  header: TraceHeader;
  /** The first header, then one per later header (an appending writer restarted: a new session). */
  sessions: { header: TraceHeader; line: number; t: number }[];
  records: TraceRecord[];
}

export class TraceFormatError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(file + ':' + line + ': ' + reason);
  }
}

export function headerLine(source: string, start: Date): string {
  const h: TraceHeader = { format: TRACE_FORMAT, version: TRACE_VERSION, start: start.toISOString(), source: source };
  return JSON.stringify(h);
}

export function recordLine(t: number, dir: TraceDirection, text: string): string {
  return JSON.stringify({ t: Math.max(0, Math.round(t)), dir: dir, text: text });
}

function isHeader(o: any): boolean {
  return o !== null && typeof o === 'object' && !Array.isArray(o) && 'format' in o;
}

function checkHeader(o: any, file: string, line: number): TraceHeader {
  if (o.format !== TRACE_FORMAT) throw new TraceFormatError(file, line, 'not a spwf04 trace (format ' + JSON.stringify(o.format) + ', expected "' + TRACE_FORMAT + '")');
  if (typeof o.version !== 'number' || o.version !== Math.floor(o.version) || o.version < 1) {
    throw new TraceFormatError(file, line, 'the header has no valid version');
  }
  if (o.version > TRACE_VERSION) {
    throw new TraceFormatError(file, line, 'trace format version ' + o.version + ' is newer than this reader (version ' + TRACE_VERSION + '): update spwf04');
  }
  if (typeof o.start !== 'string') throw new TraceFormatError(file, line, 'the header has no start time');
  if (typeof o.source !== 'string') throw new TraceFormatError(file, line, 'the header has no source');
  return { format: o.format, version: o.version, start: o.start, source: o.source };
}

/** Parse a whole trace file. Throws TraceFormatError naming the file and the line. */
export function parseTrace(text: string, file: string): Trace {
  const lines = text.split('\n');
  let trace: Trace | undefined;
  let base = 0; // offset of the current session on the first session's time line
  let last = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    const n = i + 1;
    if (raw === '') continue;
    let o: any;
    try {
      o = JSON.parse(raw);
    } catch (e) {
      throw new TraceFormatError(file, n, 'not a JSON object (' + (e as Error).message + ')');
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new TraceFormatError(file, n, 'not a JSON object');
    if (isHeader(o)) {
      const h = checkHeader(o, file, n);
      if (!trace) {
        trace = { name: file, header: h, sessions: [{ header: h, line: n, t: 0 }], records: [] };
        continue;
      }
      // A later session: place it by its start time when both clocks make sense, else right after.
      const gap = Date.parse(h.start) - Date.parse(trace.header.start);
      base = isFinite(gap) && gap >= last ? gap : last;
      trace.sessions.push({ header: h, line: n, t: base });
      continue;
    }
    if (!trace) throw new TraceFormatError(file, n, 'the first line must be the trace header ({"format":"' + TRACE_FORMAT + '",...})');
    if (typeof o.t !== 'number' || !isFinite(o.t) || o.t < 0) throw new TraceFormatError(file, n, 'record without a valid time "t"');
    if (o.dir !== '>' && o.dir !== '<' && o.dir !== 'note') throw new TraceFormatError(file, n, 'record with direction ' + JSON.stringify(o.dir) + ' (expected ">", "<" or "note")');
    if (typeof o.text !== 'string') throw new TraceFormatError(file, n, 'record without a text');
    const t = base + o.t;
    if (t > last) last = t;
    trace.records.push({ t: t, dir: o.dir, text: o.text, line: n, session: trace.sessions.length - 1 });
  }
  if (!trace) throw new TraceFormatError(file, 1, 'empty file: no trace header');
  return trace;
}
