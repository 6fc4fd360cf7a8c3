import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTraceFileWriter } from '../../hosts/node/trace/writer';
import { parseTrace, TraceFormatError, TRACE_FORMAT, TRACE_VERSION } from '../../hosts/node/trace/format';
import { maskLine } from '../../hosts/node/trace/mask';
import { tempDir } from './helpers';

// The trace format (docs/trace-format.md): what the Node writer writes, the reader reads back, and the
// reader refuses what it cannot read, naming the file and the line.

function parseError(text: string): TraceFormatError {
  try {
    parseTrace(text, 'x.jsonl');
  } catch (e) {
    assert.ok(e instanceof TraceFormatError, String(e));
    return e;
  }
  throw new Error('parsed: ' + text);
}

describe('trace format', () => {
  it('round trip: the writer\'s header and records read back as written, times relative, text exact', () => {
    const file = path.join(tempDir('trace-format-'), 't.jsonl');
    let now = Date.parse('2026-03-04T05:06:07.890Z');
    const w = createTraceFileWriter(file, { source: 'demo', now: () => now });
    now += 12;
    w.trace('>', 'AT+S.SOCKW=0,5 <5 bytes>');
    now += 3.4;
    w.trace('<', 'caf\xe9 \x01\x02 "quoted" \\ end');
    w.note('== a step');
    now += 1000;
    w.trace('<', '+WIND:24:WiFi Up:0:192.168.1.42');
    w.close();
    w.trace('>', 'after close: dropped');

    const text = fs.readFileSync(file, 'utf8');
    const lines = text.trim().split('\n');
    assert.equal(lines.length, 5);
    assert.deepEqual(JSON.parse(lines[0]), { format: TRACE_FORMAT, version: TRACE_VERSION, start: '2026-03-04T05:06:07.890Z', source: 'demo' });
    const tr = parseTrace(text, file);
    assert.equal(tr.header.source, 'demo');
    assert.deepEqual(tr.records.map((r) => [r.t, r.dir, r.text, r.line]), [
      [12, '>', 'AT+S.SOCKW=0,5 <5 bytes>', 2],
      [15, '<', 'caf\xe9 \x01\x02 "quoted" \\ end', 3],
      [15, 'note', '== a step', 4],
      [1015, '<', '+WIND:24:WiFi Up:0:192.168.1.42', 5],
    ]);
  });

  it('the writer masks secrets that reach it unmasked, as the engine shows them', () => {
    const file = path.join(tempDir('trace-format-'), 't.jsonl');
    const w = createTraceFileWriter(file, { source: 'test' });
    w.trace('>', 'AT+S.SCFG=wifi_wpa_psk_text,correct horse battery');
    w.trace('<', 'AT-S.Var:wifi_wpa_psk_text=correct horse battery');
    w.close();
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!text.includes('correct horse'), text);
    assert.deepEqual(parseTrace(text, file).records.map((r) => r.text), ['AT+S.SCFG=wifi_wpa_psk_text,********', 'AT-S.Var:wifi_wpa_psk_text=********']);
  });

  it('maskLine gives the engine\'s masked forms and leaves masked or harmless lines alone', () => {
    const cases: [string, string][] = [
      ['AT+S.SCFG=wifi_wpa_psk_text,a,b,c', 'AT+S.SCFG=wifi_wpa_psk_text,********'],
      ['AT+S.SCFG=wifi_wpa_psk_text,********', 'AT+S.SCFG=wifi_wpa_psk_text,********'],
      ['AT+S.SCFG=wifi_eap_passwd,hunter2', 'AT+S.SCFG=wifi_eap_passwd,********'],
      ['AT+S.SCFG=aes128_key,00112233445566778899aabbccddeeff', 'AT+S.SCFG=aes128_key,********'],
      ['AT+S.SCFG=wifi_ssid,SPWF-Lab', 'AT+S.SCFG=wifi_ssid,SPWF-Lab'],
      ['AT-S.Var:wifi_eap_passwd=hunter2', 'AT-S.Var:wifi_eap_passwd=********'],
      ['AT-S.Var:wifi_wpa_psk_text=', 'AT-S.Var:wifi_wpa_psk_text='],
      ['AT+S.HTTPGET=h,/p,80,0,user,pw,,', 'AT+S.HTTPGET=h,/p,80,0,user,********,,'],
      ['AT+S.HTTPGET=h,/p,80,0,,,,', 'AT+S.HTTPGET=h,/p,80,0,,,,'],
      ['AT+S.HTTPPOST=h,/p,80,0,user,pw,,up', 'AT+S.HTTPPOST=h,/p,80,0,user,********,,up'],
      ['AT+S.FWUPDATE=e,h,/fw,80,0,user,pw', 'AT+S.FWUPDATE=e,h,/fw,80,0,user,********'],
      ['AT+S.SMTP=h,25,0,user,pw,,a@b,c@d,,,s,,5 <5 bytes>', 'AT+S.SMTP=h,25,0,user,********,,a@b,c@d,,,s,,5 <5 bytes>'],
      ['+WIND:24:WiFi Up:0:192.168.1.42', '+WIND:24:WiFi Up:0:192.168.1.42'],
    ];
    for (const [line, masked] of cases) assert.equal(maskLine(line), masked, line);
  });

  it('a newer version, another format, a record before the header: refused with file and line', () => {
    const h = (o: object) => JSON.stringify(Object.assign({ format: TRACE_FORMAT, version: 1, start: '2026-01-01T00:00:00.000Z', source: 'x' }, o));
    let e = parseError(h({ version: 2 }) + '\n');
    assert.equal(e.line, 1);
    assert.equal(e.file, 'x.jsonl');
    assert.match(e.message, /^x\.jsonl:1: trace format version 2 is newer than this reader \(version 1\)/);
    e = parseError(h({ format: 'other' }) + '\n');
    assert.match(e.message, /not a spwf04 trace/);
    e = parseError('{"t":0,"dir":">","text":"AT"}\n');
    assert.match(e.message, /^x\.jsonl:1: the first line must be the trace header/);
    e = parseError(h({}) + '\n{"t":0,"dir":">","text":"AT"}\n{"t":1,"dir":"<",\n');
    assert.equal(e.line, 3);
    assert.match(e.message, /^x\.jsonl:3: not a JSON object/);
    e = parseError(h({}) + '\n{"t":0,"dir":"?","text":"AT"}\n');
    assert.match(e.message, /^x\.jsonl:2: record with direction "\?"/);
    e = parseError(h({}) + '\n{"dir":">","text":"AT"}\n');
    assert.match(e.message, /^x\.jsonl:2: record without a valid time/);
    e = parseError('');
    assert.match(e.message, /empty file/);
  });

  it('unknown fields are ignored (a later minor addition); an appended file holds several sessions on one time line', () => {
    const text = [
      '{"format":"spwf04-trace","version":1,"start":"2026-01-01T00:00:00.000Z","source":"espruino","board":"nucleo"}',
      '{"t":5,"dir":">","text":"AT","extra":true}',
      '{"t":900,"dir":"<","text":"AT-S.OK"}',
      '{"format":"spwf04-trace","version":1,"start":"2026-01-01T00:00:02.000Z","source":"espruino"}',
      '{"t":7,"dir":"<","text":"+WIND:0:Console active"}',
      '{"format":"spwf04-trace","version":1,"start":"1970-01-01T00:00:00.000Z","source":"espruino"}',
      '{"t":1,"dir":"<","text":"+WIND:0:Console active"}',
    ].join('\n');
    const tr = parseTrace(text, 'a.jsonl');
    assert.equal(tr.sessions.length, 3);
    assert.deepEqual(tr.records.map((r) => [r.t, r.session]), [[5, 0], [900, 0], [2007, 1], [2008, 2]]);
  });
});
