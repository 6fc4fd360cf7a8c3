import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { FakeClockBench, lines } from './helpers';

describe('sim: AT+S.HELP', () => {
  let clock: sinon.SinonFakeTimers;
  let bench: FakeClockBench;

  beforeEach(async () => {
    clock = sinon.useFakeTimers();
    bench = new FakeClockBench(clock);
    await bench.boot();
    await bench.command('AT+S.SCFG=console_echo,0');
  });
  afterEach(() => {
    bench.close();
    clock.restore();
  });

  it('lists the simulated commands with their syntax', async () => {
    const out = await bench.command('AT+S.HELP', '', 1000);
    assert.ok(out.endsWith(lines('AT-S.OK')));
    const help = out.split('\r\n').slice(0, -2);
    assert.ok(help.length >= 20);
    for (const line of help) assert.match(line, /^AT-S\.Help:AT(\+S\.[A-Z]+)?/);
    assert.ok(help.includes('AT-S.Help:AT+S.FSC=<filename>,<datalen><CR><data>'));
  });

  it('narrows to the commands whose name holds a word, and answers 1 when none does', async () => {
    assert.equal(await bench.command('AT+S.HELP=sockd'), lines(
      'AT-S.Help:AT+S.SOCKDON=<port>,<t|u|s1|s2>',
      'AT-S.Help:AT+S.SOCKDW=<sid>,<cid>,<len><CR><data>',
      'AT-S.Help:AT+S.SOCKDQ=<sid>,<cid>',
      'AT-S.Help:AT+S.SOCKDR=<sid>,<cid>,<len>',
      'AT-S.Help:AT+S.SOCKDC=<sid>[,<cid>]',
      'AT-S.Help:AT+S.SOCKDL[=<sid>]',
      'AT-S.OK',
    ));
    assert.equal(await bench.command('AT+S.HELP=FROB'), lines('AT-S.ERROR:1:Command not found'));
  });
});
