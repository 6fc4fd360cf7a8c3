import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as sinon from 'sinon';
import { Engine } from '../src/at/engine';
import { Link, JoinError } from '../src/wifi/link';
import { SpwfError } from '../src/errors';
import { allFeatures } from '../src/index';
import { scriptedHost, lines, ScriptedHost } from './helpers/scripted-host';

// The join sequence of application note 3.2.1, answered by a scripted module, after the reads of the
// current values (the scripted module answers them without a value: everything differs and is written).
const READS = ['AT+S.GCFG=wifi_mode', 'AT+S.GCFG=wifi_priv_mode', 'AT+S.GCFG=wifi_ssid'];
const JOIN_SEQUENCE = [
  ...READS,
  'AT+S.WIFI=0',
  'AT+S.SCFG=wifi_mode,1',
  'AT+S.SCFG=wifi_priv_mode,2',
  'AT+S.SSIDTXT=SPWF-Lab',
  'AT+S.SCFG=wifi_wpa_psk_text,correct horse battery',
  'AT+S.WIFI=1',
  'AT+S.WCFG',
  'AT+S.RESET',
  'AT+S.SCFG=console_echo,0', // the module re-initialised after its restart
];

const BOOT = ['+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:13:Copyright', '+WIND:0:Console active',
  '+WIND:3:Watchdog Running:20', '+WIND:32:WiFi Hardware Started', '+WIND:21:WiFi Scanning',
  '+WIND:35:WiFi Scan Complete:00'];

describe('link: WPA2-PSK join', () => {
  let clock: sinon.SinonFakeTimers;
  let s: ScriptedHost;
  let engine: Engine;
  let link: Link;

  beforeEach(() => {
    clock = sinon.useFakeTimers();
    s = scriptedHost();
    engine = new Engine(s.host);
    link = new Link(engine, s.host, { joinTimeoutMs: 60000, feature: allFeatures });
    engine.start();
    s.feed(lines('+WIND:0:Console active'));
  });

  afterEach(() => {
    engine.stop();
    clock.restore();
  });

  /** Answer each command of the join sequence with OK, checking it is the expected one. */
  async function answerSequence(): Promise<void> {
    for (const expected of JOIN_SEQUENCE) {
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), expected);
      if (expected === 'AT+S.RESET') s.feed(lines('AT-S.OK', ...BOOT));
      else s.feed(lines('AT-S.OK'));
    }
    await clock.tickAsync(0);
  }

  it('sends the application note sequence and resolves at WiFi Up with the IPv4 address', async () => {
    const states: string[] = [];
    link.on('state', (st) => states.push(st));
    const joined = link.join({ ssid: 'SPWF-Lab', psk: 'correct horse battery' });
    await answerSequence();
    s.feed(lines('+WIND:19:WiFi Join:00:11:22:33:44:55', '+WIND:25:WiFi Association successful:SPWF-Lab',
      '+WIND:51:WPA Handshake Complete', '+WIND:24:WiFi Up:0:192.168.1.42', '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1'));
    assert.equal(await joined, '192.168.1.42');
    assert.equal(link.ipv6, 'fe80::280:e1ff:fe00:1');
    assert.deepEqual(states, ['joining', 'up']);
    assert.equal(clock.countTimers(), 0, 'no timer left behind');
  });

  it('fails with a wrong-passphrase reason after repeated deauthentications, never hanging', async () => {
    const joined = link.join({ ssid: 'SPWF-Lab', psk: 'not the passphrase' }).catch((e: SpwfError) => e);
    JOIN_SEQUENCE[7] = 'AT+S.SCFG=wifi_wpa_psk_text,not the passphrase';
    try {
      await answerSequence();
    } finally {
      JOIN_SEQUENCE[7] = 'AT+S.SCFG=wifi_wpa_psk_text,correct horse battery';
    }
    for (let i = 0; i < 3; i++) {
      s.feed(lines('+WIND:19:WiFi Join:00:11:22:33:44:55', '+WIND:25:WiFi Association successful:SPWF-Lab',
        '+WIND:40:WiFi Deauthentication:15'));
    }
    const err = (await joined) as JoinError;
    assert.equal(err.code, 'JoinFailed');
    assert.equal(err.reason, 'wrong-passphrase');
    assert.match(err.message, /passphrase/);
    assert.equal(link.state, 'failed');
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), 'AT+S.WIFI=0', 'the module is stopped from retrying the refused passphrase');
  });

  it('fails with "not found" when the network never answers, after the join timeout', async () => {
    const joined = link.join({ ssid: 'Elsewhere', psk: 'correct horse battery' }).catch((e: SpwfError) => e);
    JOIN_SEQUENCE[6] = 'AT+S.SSIDTXT=Elsewhere';
    try {
      await answerSequence();
    } finally {
      JOIN_SEQUENCE[6] = 'AT+S.SSIDTXT=SPWF-Lab';
    }
    await clock.tickAsync(60000);
    const err = (await joined) as JoinError;
    assert.equal(err.code, 'JoinFailed');
    assert.equal(err.reason, 'network-not-found');
    assert.match(err.message, /not found/);
  });

  it('a RESET that brings no restart: the join fails with its timeout, and a later WiFi Up still brings the link up', async () => {
    // While a restart of ours is on its way the link takes no WiFi Up (it would end with the restart); a
    // RESET that fails (no Console active within its timeout) ends that wait, or the link would ignore every
    // WiFi Up until the next Poweron.
    const joined = link.join({ ssid: 'SPWF-Lab', psk: 'correct horse battery' }).catch((e: SpwfError) => e);
    for (const expected of JOIN_SEQUENCE.slice(0, JOIN_SEQUENCE.indexOf('AT+S.RESET') + 1)) {
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), expected);
      s.feed(lines('AT-S.OK'));
    }
    s.feed(lines('+WIND:24:WiFi Up:0:192.168.1.42')); // before the restart that never comes: not taken
    await clock.tickAsync(0);
    assert.equal(link.state, 'joining');
    await clock.tickAsync(60000);
    assert.equal(((await joined) as JoinError).code, 'Timeout', 'AT+S.RESET timed out');
    assert.equal(link.state, 'failed');
    s.feed(lines('+WIND:24:WiFi Up:0:192.168.1.42'));
    assert.equal(link.state, 'up');
    assert.equal(link.ip, '192.168.1.42');
  });

  it('joins an open network with privacy off and no passphrase', async () => {
    const joined = link.join({ ssid: 'Open-Lab' });
    const expected = [...READS, 'AT+S.WIFI=0', 'AT+S.SCFG=wifi_mode,1', 'AT+S.SCFG=wifi_priv_mode,0', 'AT+S.SSIDTXT=Open-Lab',
      'AT+S.WIFI=1', 'AT+S.WCFG', 'AT+S.RESET', 'AT+S.SCFG=console_echo,0'];
    for (const e of expected) {
      await clock.tickAsync(0);
      assert.equal(s.lastLine(), e);
      s.feed(lines('AT-S.OK', ...(e === 'AT+S.RESET' ? BOOT : [])));
    }
    s.feed(lines('+WIND:24:WiFi Up:0:10.0.0.7'));
    assert.equal(await joined, '10.0.0.7');
  });

  it('refuses a passphrase the module would refuse, before sending anything', async () => {
    await assert.rejects(link.join({ ssid: 'SPWF-Lab', psk: 'short' }), /8 to 63/);
    await assert.rejects(link.join({ ssid: '', psk: 'correct horse battery' }), /SSID/);
    await assert.rejects(link.join({ ssid: 'SPWF-Lab', psk: 'x'.repeat(64) }), /64 hex/);
    assert.deepEqual(s.written, []);
  });

  it('reads each indication by its number: a disassociation and a radio switched off are losses, the others not', async () => {
    const joined = link.join({ ssid: 'SPWF-Lab', psk: 'correct horse battery' });
    await answerSequence();
    s.feed(lines('+WIND:24:WiFi Up:0:192.168.1.42'));
    await joined;
    const seen: unknown[] = [];
    link.on('lost', (info) => seen.push(info.cause));
    s.feed(lines('+WIND:51:WPA Handshake Complete', '+WIND:84:NTP Server delivery:26.11.30:4:05.12.44', '+WIND:32:WiFi Hardware Started',
      '+WIND:35:WiFi Scan Complete:00', '+WIND:66:Undocumented'));
    assert.equal(link.state, 'up');
    s.feed(lines('+WIND:41:WiFi Disassociation', '+WIND:24:WiFi Up:0:192.168.1.42', '+WIND:38:WiFi Powered Down',
      '+WIND:24:WiFi Up:0:192.168.1.42'));
    assert.deepEqual(seen, ['disassociated', 'radio-off']);
    assert.equal(link.state, 'up');
  });

  it('re-initialisation refused by a stopped engine (answered at once): rejects, and is tried again once the engine runs', async () => {
    const init = () => new Promise<void>((resolve, reject) => link.initModule((e) => (e ? reject(e) : resolve())));
    engine.stop();
    await assert.rejects(init(), (e: SpwfError) => e.code === 'NotReady');
    engine.start();
    s.feed(lines('+WIND:0:Console active'));
    const again = init();
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), 'AT+S.SCFG=console_echo,0');
    s.feed(lines('AT-S.OK'));
    await again;
    const before = s.written.length;
    await init(); // done for this boot: nothing sent
    assert.equal(s.written.length, before);
  });

  it('its own re-initialisation after a restart: a refusal is logged, and the next restart tries again', async () => {
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
    await clock.tickAsync(0);
    assert.equal(s.lastLine(), 'AT+S.SCFG=console_echo,0');
    s.feed(lines('AT-S.ERROR:17:Invalid Parameter'));
    await clock.tickAsync(0);
    assert.ok(s.logs.some((l) => l.level === 'warn' && l.message.startsWith('module re-initialisation failed')), JSON.stringify(s.logs));
    const before = s.written.length;
    s.feed(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S', '+WIND:0:Console active'));
    await clock.tickAsync(0);
    assert.equal(s.written.length, before + 1);
    assert.equal(s.lastLine(), 'AT+S.SCFG=console_echo,0');
  });

  it('reports the loss of the network and waits for the module to rejoin by itself', async () => {
    const joined = link.join({ ssid: 'SPWF-Lab', psk: 'correct horse battery' });
    await answerSequence();
    s.feed(lines('+WIND:24:WiFi Up:0:192.168.1.42'));
    await joined;
    const seen: [string, unknown][] = [];
    link.on('state', (st, info) => seen.push([st, info]));
    s.feed(lines('+WIND:33:WiFi Network Lost'));
    assert.deepEqual(seen, [['lost', { cause: 'network-lost' }], ['recovering', { step: 'wait', attempt: 1, delayMs: 0 }]]);
    assert.equal(link.ip, '');
    s.feed(lines('+WIND:19:WiFi Join:00:11:22:33:44:55', '+WIND:24:WiFi Up:0:192.168.1.43'));
    assert.equal(link.state, 'up');
    assert.equal(link.ip, '192.168.1.43');
    assert.equal(clock.countTimers(), 0, 'no timer left behind');
  });
});

describe('link: the indications it handles', () => {
  // onWind() leaves early for the numbers it does not handle, by a bit mask written next to its switch (a
  // walk through every case costs on Espruino). The mask and the cases must name the same numbers: a case
  // added without its bit would never run.
  it('the early-out mask lets through exactly the numbers of the switch\'s cases', () => {
    const src = fs.readFileSync(path.join(__dirname, '..', 'src', 'wifi', 'link.ts'), 'utf8');
    const m = /if \(id < 32 \? !\(\((0x[0-9a-f]+) >> id\) & 1\) : id < 64 \? !\(\((0x[0-9a-f]+) >> \(id - 32\)\) & 1\) : ([^)]*)\) return;/.exec(src);
    assert.ok(m, 'the early-out line of onWind() is where this test expects it');
    const low = parseInt(m![1]!, 16);
    const high = parseInt(m![2]!, 16);
    const above = (m![3]!.match(/\d+/g) || []).map(Number);
    const passes: number[] = [];
    for (let id = 0; id < 128; id++) {
      if (id < 32 ? (low >> id) & 1 : id < 64 ? (high >> (id - 32)) & 1 : above.indexOf(id) >= 0) passes.push(id);
    }
    const body = src.slice(m!.index, src.indexOf('\n  }\n', m!.index));
    const cases = (body.match(/case (\d+):/g) || []).map((c) => Number(c.slice(5, -1))).sort((a, b) => a - b);
    assert.ok(cases.length > 5, 'the switch was found');
    assert.deepEqual(passes, cases);
  });
});
