import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimModule } from '../../hosts/sim/module';
import { INSTANT, LAB_STATION, lines, Terminal } from './helpers';

// AT+S.HTTPGET / HTTPPOST / SMTP at the console: argument checks and the exact answer of an exchange with a
// real HTTP server on 127.0.0.1 (echo off; real timers, simulator delays at zero). The TLS paths and the
// SMTP dialogs are in test/net/.

describe('sim: HTTPGET, HTTPPOST, SMTP at the console', () => {
  let sim: SimModule;
  let term: Terminal;

  async function command(line: string, payload = ''): Promise<string> {
    sim.write(line + '\r' + payload);
    return term.waitForFinal(3000);
  }

  async function start(joined: boolean): Promise<void> {
    sim = new SimModule({ saved: joined ? LAB_STATION : undefined, timing: INSTANT });
    term = new Terminal(sim);
    sim.powerOn();
    await term.waitFor(joined ? '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1\r\n' : '+WIND:32:WiFi Hardware Started\r\n');
    assert.equal(await command('AT+S.SCFG=console_echo,0'), lines('AT+S.SCFG=console_echo,0', 'AT-S.OK'));
  }

  afterEach(() => sim.close());

  it('checks HTTP arguments: host required, TLS 0-2, no DownFile, no GET UpFile, a POST UpFile must exist', async () => {
    await start(true);
    assert.equal(await command('AT+S.HTTPGET=,/,80,0,,,,'), lines('AT-S.ERROR:2:Missing argument(s)'));
    assert.equal(await command('AT+S.HTTPGET=localhost,/,80,3,,,,'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.HTTPGET=localhost,/,0,0,,,,'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.HTTPGET=localhost,/,80,0,,,page.html,'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.HTTPGET=localhost,/,80,0,,,,req.txt'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.HTTPPOST=localhost,/,80,0,,,,missing.txt'), lines('AT-S.ERROR:51:Unable to open file'));
    assert.equal(await command('AT+S.HTTPGET=localhost,/,80,0,,,,,9'), lines('AT-S.ERROR:6:Too many argument(s)'));
  });

  it('checks SMTP arguments: host, from, to required; TLS 0, 5, 8 or 9', async () => {
    await start(true);
    assert.equal(await command('AT+S.SMTP=localhost,25,0,,,id,,to@x,,,subj,,2', 'hi'), lines('AT-S.ERROR:2:Missing argument(s)'));
    assert.equal(await command('AT+S.SMTP=localhost,25,3,,,id,a@x,to@x,,,subj,,2', 'hi'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.SMTP=localhost,25,0,,,id,a@x,to@x,2', 'hi'), lines('AT-S.ERROR:2:Missing argument(s)'));
  });

  it('answers 60 without a link', async () => {
    await start(false);
    assert.equal(await command('AT+S.HTTPGET=localhost,/,80,0,,,,'), lines('AT-S.ERROR:60:IP not ready to send'));
    assert.equal(await command('AT+S.SMTP=localhost,25,0,,,id,a@x,to@x,,,subj,,2', 'hi'), lines('AT-S.ERROR:60:IP not ready to send'));
  });

  it('HTTPGET: the status line, the body bytes, AT-S.OK; HTTPPOST sends the UpFile as a form', async () => {
    await start(true);
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? '-'} ${req.headers.authorization ?? '-'} ${body}`);
        res.writeHead(req.method === 'GET' ? 200 : 202);
        res.end(req.method === 'GET' ? 'line 1\r\nline 2' : 'taken');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      assert.equal(await command(`AT+S.HTTPGET=127.0.0.1,/status?x=1,${port},0,,,,`),
        lines('AT-S.Http Server Status Code:200') + 'line 1\r\nline 2' + lines('AT-S.OK'));
      assert.equal(await command('AT+S.FSC=form.txt,7', 'a=1&b=2'), lines('AT-S.OK'));
      assert.equal(await command(`AT+S.HTTPPOST=127.0.0.1,/in,${port},1,me,pw,,form.txt`),
        lines('AT-S.Http Server Status Code:202') + 'taken' + lines('AT-S.OK'));
      assert.deepEqual(seen, [
        'GET /status?x=1 - - ',
        `POST /in application/x-www-form-urlencoded Basic ${Buffer.from('me:pw').toString('base64')} a=1&b=2`,
      ]);
      // Nobody listening any more: 74.
      server.close();
      assert.equal(await command(`AT+S.HTTPGET=127.0.0.1,/,${port},0,,,,`), lines('AT-S.ERROR:74:Failed to open socket'));
    } finally {
      server.close();
    }
  });
});
