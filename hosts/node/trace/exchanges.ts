// What a trace means, derived from its lines alone (the engine writes only `trace(dir, text)`): which
// answer lines belong to which command, how each command ended (OK, AT-S.ERROR, timed out, cut by a
// module reset), what the +WIND indications are (the core's own decoder), and which runs of socket
// data exchanges form a data phase that a picture may fold into one arrow.

import { decodeWind, WindEvent } from '../../../src/at/wind';
import { moduleErrorName } from '../../../src/at/error-codes';
import type { Trace, TraceRecord, TraceHeader } from './format';

/**
 * ok: AT-S.OK; error: AT-S.ERROR; timeout: no final line before the engine's next command or its resync
 * probe; reset: the module rebooted during it (a failure, except for AT+S.RESET: rebooted); open: the
 * trace ends (or a new session starts) before its answer.
 */
export type Outcome = 'ok' | 'error' | 'timeout' | 'reset' | 'rebooted' | 'open';

export interface Exchange {
  /** Order among all commands, from 0. */
  index: number;
  t: number;
  /** Time of its final line (or of what ended it). */
  end: number;
  /** The command as traced, without the ` (resync)` mark. */
  text: string;
  /** The command's name: `AT+S.SOCKW`, `AT`. */
  verb: string;
  /** An engine resynchronisation probe. */
  resync: boolean;
  /** Bytes of its data phase (`<N bytes>` after the line). */
  sentBytes: number;
  /** Bytes of raw blocks received for it (`[N bytes of data]`). */
  readBytes: number;
  outcome: Outcome;
  final?: string;
  error?: { code?: number; name?: string; text: string };
  /** For a timeout: the command that went out instead of an answer. */
  endedBy?: string;
}

export type AnswerRole = 'line' | 'echo' | 'ok' | 'error' | 'data' | 'late';

export type Step =
  | { kind: 'command'; rec: TraceRecord; ex: Exchange }
  | { kind: 'answer'; rec: TraceRecord; role: AnswerRole; ex?: Exchange; bytes?: number }
  | { kind: 'wind'; rec: TraceRecord; ev: WindEvent; ex?: Exchange }
  | { kind: 'note'; rec: TraceRecord }
  | { kind: 'session'; rec: TraceRecord; header: TraceHeader };

export interface Fold {
  steps: Step[];
  t: number;
  end: number;
  /** Commands by verb, in first-seen order. */
  verbs: { verb: string; count: number }[];
  sentBytes: number;
  readBytes: number;
  pendingData: number;
}

export type Row = { kind: 'step'; step: Step } | { kind: 'fold'; fold: Fold };

export interface Analysis {
  trace: Trace;
  steps: Step[];
  exchanges: Exchange[];
  winds: { t: number; ev: WindEvent }[];
}

/** Commands that move socket data; a long enough run of them (with their pending-data indications) folds. */
const DATA_VERBS = ['AT+S.SOCKW', 'AT+S.SOCKR', 'AT+S.SOCKQ', 'AT+S.SOCKDW', 'AT+S.SOCKDR', 'AT+S.SOCKDQ'];
/** A data phase of this many exchanges or more is folded. */
export const FOLD_MIN_EXCHANGES = 6;

const RESYNC_MARK = ' (resync)';

function endsWith(s: string, tail: string): boolean {
  return s.length >= tail.length && s.substring(s.length - tail.length) === tail;
}

/** `... <N bytes>` → N, else 0. */
function payloadBytes(text: string): number {
  const m = / <(\d+) bytes>$/.exec(text);
  return m ? parseInt(m[1], 10) : 0;
}

/** `[N bytes of data]` → N, else -1. */
function dataBytes(text: string): number {
  const m = /^\[(\d+) bytes of data\]$/.exec(text);
  return m ? parseInt(m[1], 10) : -1;
}

function verbOf(text: string): string {
  const eq = text.indexOf('=');
  const sp = text.indexOf(' ');
  const cut = eq < 0 ? sp : sp < 0 ? eq : Math.min(eq, sp);
  return (cut < 0 ? text : text.substring(0, cut)).toUpperCase();
}

/** `AT-S.ERROR:<code>:<text>` (either part may be missing). */
function parseError(line: string): { code?: number; name?: string; text: string } {
  const rest = line.substring('AT-S.ERROR'.length);
  if (rest.charAt(0) !== ':') return { text: '' };
  const c = rest.indexOf(':', 1);
  const codeText = c < 0 ? rest.substring(1) : rest.substring(1, c);
  const code = /^\d+$/.test(codeText) ? parseInt(codeText, 10) : undefined;
  if (code === undefined) return { text: rest.substring(1) };
  return { code: code, name: moduleErrorName(code), text: c < 0 ? '' : rest.substring(c + 1) };
}

export function analyse(trace: Trace): Analysis {
  const steps: Step[] = [];
  const exchanges: Exchange[] = [];
  const winds: { t: number; ev: WindEvent }[] = [];
  let cur: Exchange | null = null; // waiting for its final line
  let last: Exchange | null = null; // the latest command, answered or not
  let probeAnswered = false; // a resync probe counts its OK only after its own Var line
  let session = 0;

  function close(ex: Exchange, outcome: Outcome, t: number): void {
    ex.outcome = outcome;
    ex.end = t;
    if (cur === ex) cur = null;
  }

  for (let i = 0; i < trace.records.length; i++) {
    const rec = trace.records[i];
    if (rec.session !== session) {
      session = rec.session;
      if (cur) close(cur, 'open', rec.t);
      const s = trace.sessions[session];
      steps.push({ kind: 'session', rec: { t: s.t, dir: 'note', text: '', line: s.line, session: session }, header: s.header });
    }
    if (rec.dir === 'note') {
      steps.push({ kind: 'note', rec: rec });
      continue;
    }
    if (rec.dir === '>') {
      const resync = endsWith(rec.text, RESYNC_MARK);
      const text = resync ? rec.text.substring(0, rec.text.length - RESYNC_MARK.length) : rec.text;
      if (cur) {
        cur.endedBy = text + (resync ? RESYNC_MARK : '');
        close(cur, 'timeout', rec.t);
      }
      const ex: Exchange = {
        index: exchanges.length, t: rec.t, end: rec.t, text: text, verb: verbOf(text), resync: resync,
        sentBytes: payloadBytes(text), readBytes: 0, outcome: 'open',
      };
      exchanges.push(ex);
      cur = ex;
      last = ex;
      probeAnswered = false;
      steps.push({ kind: 'command', rec: rec, ex: ex });
      continue;
    }
    // module → host
    if (rec.text.indexOf('+WIND:') === 0) {
      const ev = decodeWind(rec.text);
      if (ev) {
        winds.push({ t: rec.t, ev: ev });
        const during = cur || undefined;
        if (cur && (ev.kind === 'PowerOn' || ev.kind === 'Reset')) {
          close(cur, cur.verb === 'AT+S.RESET' ? 'rebooted' : 'reset', rec.t);
        }
        steps.push({ kind: 'wind', rec: rec, ev: ev, ex: during });
        continue;
      }
    }
    const n = dataBytes(rec.text);
    if (cur) {
      const ex: Exchange = cur;
      let role: AnswerRole = 'line';
      if (n >= 0) {
        role = 'data';
        ex.readBytes += n;
      } else if (rec.text === ex.text) role = 'echo';
      else if (ex.resync && !probeAnswered) {
        // Before the probe's own answer, lines are late answers to what timed out (the engine drops them).
        if (rec.text.indexOf('AT-S.Var:') === 0 && ex.text.indexOf('AT+S.GCFG=') === 0 &&
            rec.text.indexOf('AT-S.Var:' + ex.text.substring('AT+S.GCFG='.length) + '=') === 0) probeAnswered = true;
        else role = 'late';
      } else if (rec.text.indexOf('AT-S.OK') === 0) {
        role = 'ok';
        ex.final = rec.text;
        close(ex, 'ok', rec.t);
      } else if (rec.text.indexOf('AT-S.ERROR') === 0) {
        role = 'error';
        ex.final = rec.text;
        ex.error = parseError(rec.text);
        close(ex, 'error', rec.t);
      }
      steps.push({ kind: 'answer', rec: rec, role: role, ex: ex, bytes: n >= 0 ? n : undefined });
      continue;
    }
    // Nothing in flight: the echo of the last command, or a late answer / unsolicited line.
    const echo = last !== null && rec.text === last.text;
    steps.push({ kind: 'answer', rec: rec, role: n >= 0 ? 'data' : echo ? 'echo' : 'late', ex: echo ? last! : undefined, bytes: n >= 0 ? n : undefined });
  }
  if (cur) close(cur, 'open', cur.t);
  return { trace: trace, steps: steps, exchanges: exchanges, winds: winds };
}

export function failed(ex: Exchange): boolean {
  return ex.outcome === 'error' || ex.outcome === 'timeout' || ex.outcome === 'reset';
}

/** Part of a data phase: a socket data command that did not fail, its answers, pending-data indications. */
function inDataPhase(s: Step): boolean {
  if (s.kind === 'command') return DATA_VERBS.indexOf(s.ex.verb) >= 0 && !failed(s.ex) && !s.ex.resync;
  if (s.kind === 'answer') return s.ex !== undefined && s.role !== 'late' && DATA_VERBS.indexOf(s.ex.verb) >= 0 && !failed(s.ex) && !s.ex.resync;
  if (s.kind === 'wind') return s.ev.kind === 'PendingData';
  return false;
}

/** The steps as rows of a picture: runs of FOLD_MIN_EXCHANGES data exchanges or more become one fold. */
export function rows(a: Analysis, foldMin?: number): Row[] {
  const min = foldMin === undefined ? FOLD_MIN_EXCHANGES : foldMin;
  const out: Row[] = [];
  let i = 0;
  while (i < a.steps.length) {
    if (!inDataPhase(a.steps[i]) || a.steps[i].kind !== 'command') {
      out.push({ kind: 'step', step: a.steps[i] });
      i++;
      continue;
    }
    let j = i;
    while (j < a.steps.length && inDataPhase(a.steps[j])) j++;
    // A run ends with complete exchanges: trailing indications stay outside the fold.
    while (j > i && a.steps[j - 1].kind === 'wind') j--;
    const run = a.steps.slice(i, j);
    const commands = run.filter(function (s) { return s.kind === 'command'; }).length;
    if (commands < min) {
      for (let k = i; k < j; k++) out.push({ kind: 'step', step: a.steps[k] });
    } else out.push({ kind: 'fold', fold: foldOf(run) });
    i = j;
  }
  return out;
}

function foldOf(run: Step[]): Fold {
  const f: Fold = { steps: run, t: run[0].rec.t, end: run[run.length - 1].rec.t, verbs: [], sentBytes: 0, readBytes: 0, pendingData: 0 };
  for (let i = 0; i < run.length; i++) {
    const s = run[i];
    if (s.kind === 'command') {
      f.sentBytes += s.ex.sentBytes;
      f.readBytes += s.ex.readBytes;
      let v = f.verbs.filter(function (x) { return x.verb === s.ex.verb; })[0];
      if (!v) {
        v = { verb: s.ex.verb, count: 0 };
        f.verbs.push(v);
      }
      v.count++;
    } else if (s.kind === 'wind') f.pendingData++;
  }
  return f;
}

/** `12 ms`, `1.52 s`, `2 min 03 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  const s = Math.round(ms / 1000);
  const r = s % 60;
  return Math.floor(s / 60) + ' min ' + (r < 10 ? '0' : '') + r + ' s';
}

export function describeOutcome(ex: Exchange): string {
  switch (ex.outcome) {
    case 'ok': return 'OK';
    case 'error':
      return 'error' + (ex.error && ex.error.code !== undefined ? ' ' + ex.error.code + ' (' + ex.error.name + ')' : '') +
        (ex.error && ex.error.text ? ': ' + ex.error.text : '');
    case 'timeout': return 'timed out: no answer before ' + (ex.endedBy ? (endsWith(ex.endedBy, RESYNC_MARK) ? 'the resync probe ' + ex.endedBy.substring(0, ex.endedBy.length - RESYNC_MARK.length) : 'the next command ' + ex.endedBy) : 'the next command');
    case 'reset': return 'cut short: the module reset';
    case 'rebooted': return 'module rebooted';
    default: return 'no answer in the trace';
  }
}
