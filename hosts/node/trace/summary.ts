// `spwf04 trace <file> --summary`: a trace in a few plain lines, for a terminal or an issue report.

import { Analysis, describeOutcome, failed, formatDuration } from './exchanges';

/** Lines of the indications list stay under this many characters. */
const WIDTH = 96;

function plural(n: number, one: string, many?: string): string {
  return n + ' ' + (n === 1 ? one : many || one + 's');
}

function at(t: number): string {
  return '+' + formatDuration(t);
}

export function summarise(a: Analysis): string[] {
  const tr = a.trace;
  const out: string[] = [];
  const records = tr.records;
  const span = records.length ? records[records.length - 1].t : 0;
  out.push('trace ' + tr.name + ': ' + tr.header.format + ' v' + tr.header.version + ', source ' + tr.header.source +
    ', started ' + tr.header.start + ', ' + formatDuration(span) + ', ' + plural(records.length, 'record') +
    (tr.sessions.length > 1 ? ', ' + tr.sessions.length + ' sessions' : ''));

  const commands = a.exchanges.filter(function (e) { return !e.resync; });
  const probes = a.exchanges.length - commands.length;
  const count = function (o: string) { return commands.filter(function (e) { return e.outcome === o; }).length; };
  const errors = count('error') + count('reset');
  const timeouts = count('timeout');
  out.push('commands: ' + commands.length + ' sent, ' + (count('ok') + count('rebooted')) + ' OK, ' + plural(errors, 'failure') + ', ' +
    plural(timeouts, 'timeout') + (count('open') ? ', ' + count('open') + ' unanswered at the end' : '') +
    (probes ? ' (and ' + plural(probes, 'resync probe') + ')' : ''));
  const bad = commands.filter(failed);
  for (let i = 0; i < bad.length; i++) {
    out.push('  ' + (bad[i].outcome === 'timeout' ? 'timeout ' : 'failure ') + at(bad[i].t) + '  ' + bad[i].text + '  -> ' + describeOutcome(bad[i]));
  }

  out.push('indications: ' + plural(a.winds.length, '+WIND'));
  const kinds: { key: string; count: number }[] = [];
  for (let i = 0; i < a.winds.length; i++) {
    const key = a.winds[i].ev.kind + ' (' + a.winds[i].ev.id + ')';
    let k = kinds.filter(function (x) { return x.key === key; })[0];
    if (!k) {
      k = { key: key, count: 0 };
      kinds.push(k);
    }
    k.count++;
  }
  // By kind, in order of first appearance, a few to a line.
  let line = '';
  for (let i = 0; i < kinds.length; i++) {
    const item = kinds[i].key + ' x' + kinds[i].count;
    if (line && line.length + item.length + 2 > WIDTH) {
      out.push('  ' + line + ',');
      line = '';
    }
    line += (line ? ', ' : '') + item;
  }
  if (line) out.push('  ' + line);

  const up = a.winds.filter(function (w) { return w.ev.kind === 'WifiUp'; })[0];
  if (up) {
    const join = a.exchanges.filter(function (e) { return e.text === 'AT+S.WIFI=1' && e.t <= up.t; }).pop();
    out.push('time to WiFi Up: ' + formatDuration(up.t) + ' from the start of the trace' +
      (join ? ', ' + formatDuration(up.t - join.t) + ' from AT+S.WIFI=1' : '') + (up.ev.ip ? ' (' + up.ev.ip + ')' : ''));
  } else out.push('time to WiFi Up: never (no +WIND:24 in the trace)');

  let sent = 0;
  let read = 0;
  for (let i = 0; i < commands.length; i++) {
    sent += commands[i].sentBytes;
    read += commands[i].readBytes;
  }
  out.push('data: ' + plural(sent, 'byte') + ' sent with commands, ' + plural(read, 'byte') + ' read');
  return out;
}
