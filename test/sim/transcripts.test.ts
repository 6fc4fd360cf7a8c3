import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { FakeClockBench, LAB_STATION, LAB_JOIN_LOG, bootBanner, lines } from './helpers';

// Each command's exchange pinned byte for byte: what the host sends and exactly what the simulated
// module answers, with echo off as the driver runs it. The forms come from the application note (AN)
// and the protocol reference (§); where the reference says [unknown] the simulator's choice applies
// (hosts/sim/choices.ts) and is marked "choice".
const EXCHANGES: { source: string; send: string; payload?: string; expect: string }[] = [
  { source: 'AN 3.2.1 / §5.2', send: 'AT', expect: lines('AT-S.OK') },
  { source: 'AN 3.2.1', send: 'AT+S.SCFG=wifi_mode,1', expect: lines('AT-S.OK') },
  { source: '§3 GCFG', send: 'AT+S.GCFG=wifi_mode', expect: lines('AT-S.Var:wifi_mode=1', 'AT-S.OK') },
  { source: 'AN 3.2.1', send: 'AT+S.SCFG=wifi_priv_mode,2', expect: lines('AT-S.OK') },
  { source: 'AN 3.2.1', send: 'AT+S.SSIDTXT=SPWF-Lab', expect: lines('AT-S.OK') },
  { source: 'choice SSIDTXT query', send: 'AT+S.SSIDTXT', expect: lines('AT-S.SSID:SPWF-Lab', 'AT-S.OK') },
  { source: 'AN 3.2.1', send: 'AT+S.SCFG=wifi_wpa_psk_text,correct horse battery', expect: lines('AT-S.OK') },
  { source: 'AN 3.2.1', send: 'AT+S.WCFG', expect: lines('AT-S.OK') },
  { source: '§2.1 code 4', send: 'AT+S.GCFG=no_such_variable', expect: lines('AT-S.ERROR:4:Variable not found') },
  { source: '§2.1 code 1', send: 'AT+S.FOO', expect: lines('AT-S.ERROR:1:Command not found') },
  { source: 'AN 3.1.5 / choice TIME query', send: 'AT+S.TIME=1796014800', expect: lines('AT-S.OK') },
  { source: 'choice TIME query', send: 'AT+S.TIME', expect: lines('AT-S.Date:26.11.30', 'AT-S.Time:05.00.00', 'AT-S.OK') },
  { source: '§5.8 FSC (data phase)', send: 'AT+S.FSC=notes.txt,10', payload: 'a\r\nAT-S.OK', expect: lines('AT-S.OK') },
  { source: '§3 FSL / choice', send: 'AT+S.FSL', expect: lines('AT-S.File:R\t10\tnotes.txt', 'AT-S.OK') },
  { source: '§3 FSP / choice', send: 'AT+S.FSP=notes.txt,0,10', expect: lines('AT-S.Reading:10:10') + 'a\r\nAT-S.OK' + lines('AT-S.OK') },
  { source: '§5.8 FSD', send: 'AT+S.FSD=notes.txt', expect: lines('AT-S.OK') },
  { source: '§2.1 code 51', send: 'AT+S.FSP=notes.txt,0,9', expect: lines('AT-S.ERROR:51:Unable to open file') },
  { source: '§5.4 SOCKQ, code 76', send: 'AT+S.SOCKQ=5', expect: lines('AT-S.ERROR:76:Illegal Socket ID') },
  { source: '§1.3 SOCKW on a closed socket, code 78', send: 'AT+S.SOCKW=5,3', payload: 'abc', expect: lines('AT-S.ERROR:78:Socket not connected') },
];

describe('simulator: exchanges pinned byte for byte', () => {
  let clock: sinon.SinonFakeTimers;
  const bench = () => new FakeClockBench(clock);

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.UTC(2026, 10, 30, 5, 0, 0) });
  });

  afterEach(() => clock.restore());

  it('answers every command of the table exactly', async () => {
    const b = bench();
    try {
      await b.boot({ saved: { config: { wifi_mode: '0' } } });
      assert.equal(await b.command('AT+S.SCFG=console_echo,0'), lines('AT+S.SCFG=console_echo,0', 'AT-S.OK'), 'echo of the last echoed command');
      for (const x of EXCHANGES) {
        assert.equal(await b.command(x.send, x.payload || ''), x.expect, x.source + ': ' + x.send);
      }
    } finally {
      b.close();
    }
  });

  it('echoes a command line with CR LF when console_echo is on (factory setting)', async () => {
    const b = bench();
    try {
      await b.boot({ saved: { config: { wifi_mode: '0' } } });
      assert.equal(await b.command('AT+S.GCFG=console_echo'), lines('AT+S.GCFG=console_echo', 'AT-S.Var:console_echo=1', 'AT-S.OK'));
    } finally {
      b.close();
    }
  });

  it('turns the radio off and on with the indications of §4.1', async () => {
    const b = bench();
    try {
      await b.boot({ saved: { config: { wifi_mode: '0' } } });
      await b.command('AT+S.SCFG=console_echo,0');
      assert.equal(await b.command('AT+S.WIFI=0', '', 1000), lines('AT-S.OK', '+WIND:38:WiFi Powered Down'));
      assert.equal(await b.command('AT+S.WIFI=1', '', 1000), lines('AT-S.OK', '+WIND:32:WiFi Hardware Started'));
    } finally {
      b.close();
    }
  });

  it('reboots on AT+S.RESET into the boot log of AN 3.2.3, ending with WiFi Up', async () => {
    const b = bench();
    try {
      await b.boot({ saved: LAB_STATION, firmware: '150722-5277210-SPWF04S' });
      const out = await b.command('AT+S.RESET', '', 5000);
      assert.equal(out, lines('AT+S.RESET') + bootBanner('150722-5277210-SPWF04S') + LAB_JOIN_LOG);
    } finally {
      b.close();
    }
  });
});
