import { strict as assert } from 'assert';
import fc from 'fast-check';
import * as parse from '../src/at/parse';
import { Response } from '../src/at/engine';

function res(...lines: string[]): Response {
  return { lines, payload: '', final: 'AT-S.OK' };
}

describe('answer parsers', () => {
  it('reads variables, one or all', () => {
    const r = res('AT-S.Var:wifi_mode=1', 'AT-S.Var:ip_ipaddr=192.168.1.42', 'AT-S.Var:user_desc=a=b');
    assert.equal(parse.parseVar(r, 'ip_ipaddr'), '192.168.1.42');
    assert.equal(parse.parseVar(r, 'missing'), undefined);
    assert.deepEqual(parse.parseVars(r), { wifi_mode: '1', ip_ipaddr: '192.168.1.42', user_desc: 'a=b' });
  });

  it('reads client and server socket answers', () => {
    assert.deepEqual(parse.parseOn(res('AT-S.On:93.184.216.34:3')), { ip: '93.184.216.34', id: 3 });
    assert.equal(parse.parseServerOn(res('AT-S.On:1')), 1);
    assert.throws(() => parse.parseOn(res('AT-S.Something')), /malformed/);
    assert.equal(parse.parseQuery(res('AT-S.Query:730')), 730);
  });

  it('reads scan lines in the firmware format', () => {
    const r = res('AT-S.Parsing Networks:2',
      "1:\tBSS 00:11:22:33:44:55 CHAN: 06 RSSI: -45 SSID: 'SPWF-Lab' CAPS: 0431 WPA2 WPS",
      "2:\tBSS 66:77:88:99:aa:bb CHAN: 11 RSSI: -80 SSID: 'it''s open' CAPS: 0401 ");
    assert.deepEqual(parse.parseScan(r), [
      { bssid: '00:11:22:33:44:55', channel: 6, rssi: -45, ssid: 'SPWF-Lab', security: ['WPA2', 'WPS'] },
      { bssid: '66:77:88:99:aa:bb', channel: 11, rssi: -80, ssid: "it''s open", security: [] },
    ]);
  });

  it('computes civil dates like Date.UTC, which Espruino lacks', () => {
    fc.assert(fc.property(fc.integer({ min: 1970, max: 2199 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }),
      (y, m, d) => parse.daysFromCivil(y, m, d) * 86400000 === Date.UTC(y, m - 1, d)));
  });

  it('reads the time query into seconds since 1970', () => {
    assert.equal(parse.parseTime(res('AT-S.Date:26.11.30', 'AT-S.Time:04.05.06')), Date.UTC(2026, 10, 30, 4, 5, 6) / 1000);
    assert.equal(parse.parseTime(res('AT-S.Date:70.01.01', 'AT-S.Time:00.00.12')), 12, 'a reset clock reads 1970');
    assert.throws(() => parse.parseTime(res('AT-S.Date:26.11.30')), /malformed/);
  });

  it('reads file listings, HTTP status and WPS PINs', () => {
    assert.deepEqual(parse.parseFiles(res('AT-S.File:E\t1234\ttls.cert', 'AT-S.Free RAM Disk:1000')), [{ volume: 'E', size: 1234, name: 'tls.cert' }]);
    assert.equal(parse.parseHttpStatus('AT-S.Http Server Status Code:404'), 404);
    assert.equal(parse.parseHttpStatus('AT-S.Reading:1:1'), -1);
    assert.equal(parse.parseWpsPin(res('AT-S.WPS PIN:12345670')), '12345670');
    assert.equal(parse.parseWpsPin(res('AT-S.OK')), undefined);
  });
});
