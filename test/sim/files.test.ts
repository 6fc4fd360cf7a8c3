import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { FakeClockBench, lines } from './helpers';

// The RAM disk: FSC, FSL, FSP, FSD, FSR, their limits and errors, and FSA's absence.

describe('sim: filesystem (FSC, FSL, FSP, FSD, FSR)', () => {
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

  const fsc = (name: string, data: string) => bench.command(`AT+S.FSC=${name},${data.length}`, data);

  it('creates files from raw payloads and lists them as AT-S.File:<volume>\\t<size>\\t<name>', async () => {
    assert.equal(await fsc('/index.html', '<h1>hi</h1>'), lines('AT-S.OK'));
    assert.equal(await fsc('tls.cert', 'AT-S.OK\r\n\x00\xff'), lines('AT-S.OK'));
    assert.equal(await bench.command('AT+S.FSL'), lines('AT-S.File:R\t11\t/index.html', 'AT-S.File:R\t11\ttls.cert', 'AT-S.OK'));
    assert.equal(await bench.command('AT+S.FSL=tls.cert'), lines('AT-S.File:R\t11\ttls.cert', 'AT-S.OK'));
    assert.deepEqual(bench.sim.files(), [{ volume: 'R', name: '/index.html', size: 11 }, { volume: 'R', name: 'tls.cert', size: 11 }]);
  });

  it('FSC on an existing file appends to it', async () => {
    await fsc('/log', 'one,');
    await fsc('/log', 'two');
    assert.equal(await bench.command('AT+S.FSP=/log'), lines('AT-S.Reading:7:7') + 'one,two' + lines('AT-S.OK'));
  });

  it('FSP prints the bytes as AT-S.Reading:<n>:<file size>, raw bytes, AT-S.OK, from an offset and for a length', async () => {
    const data = '0123456789\r\nAT-S.OK\r\n';
    await fsc('/d', data);
    assert.equal(await bench.command('AT+S.FSP=/d'), lines(`AT-S.Reading:${data.length}:${data.length}`) + data + lines('AT-S.OK'));
    assert.equal(await bench.command('AT+S.FSP=/d,2,3'), lines(`AT-S.Reading:3:${data.length}`) + '234' + lines('AT-S.OK'));
    assert.equal(await bench.command('AT+S.FSP=/d,8,100'), lines(`AT-S.Reading:${data.length - 8}:${data.length}`) + data.substring(8) + lines('AT-S.OK'));
    assert.equal(await bench.command(`AT+S.FSP=/d,${data.length},5`), lines(`AT-S.Reading:0:${data.length}`, 'AT-S.OK'));
    assert.equal(await bench.command(`AT+S.FSP=/d,${data.length + 1},5`), lines('AT-S.ERROR:52:Unable to seek file'));
    assert.equal(await bench.command('AT+S.FSP=/d,x,5'), lines('AT-S.ERROR:7:Invalid argument(s)'));
  });

  it('deletes and renames', async () => {
    await fsc('/a', 'A');
    await fsc('/b', 'B');
    assert.equal(await bench.command('AT+S.FSR=/a,/c'), lines('AT-S.OK'));
    assert.equal(await bench.command('AT+S.FSD=/b'), lines('AT-S.OK'));
    assert.equal(await bench.command('AT+S.FSL'), lines('AT-S.File:R\t1\t/c', 'AT-S.OK'));
  });

  it('answers the filesystem errors 50–58 for missing files and clashes', async () => {
    await fsc('/a', 'A');
    await fsc('/b', 'B');
    assert.equal(await bench.command('AT+S.FSP=/nope'), lines('AT-S.ERROR:51:Unable to open file'));
    assert.equal(await bench.command('AT+S.FSL=/nope'), lines('AT-S.ERROR:51:Unable to open file'));
    assert.equal(await bench.command('AT+S.FSD=/nope'), lines('AT-S.ERROR:56:Unable to delete file'));
    assert.equal(await bench.command('AT+S.FSR=/nope,/x'), lines('AT-S.ERROR:55:Unable to rename file'));
    assert.equal(await bench.command('AT+S.FSR=/a,/b'), lines('AT-S.ERROR:55:Unable to rename file'));
    assert.equal(await bench.command('AT+S.FSD'), lines('AT-S.ERROR:2:Missing argument(s)'));
    assert.equal(await bench.command('AT+S.FSC=/a'), lines('AT-S.ERROR:2:Missing argument(s)'));
  });

  it('enforces the limits: 2.5 KB per file (32), name length (51), volume size (50)', async () => {
    const big = 'x'.repeat(2561);
    // The refused payload is still consumed (echo is off: nothing comes back) and never run.
    assert.equal(await fsc('/big', big), lines('AT-S.ERROR:32:Argument exceeds allowed size'));
    assert.equal(await fsc('/ok', 'x'.repeat(2560)), lines('AT-S.OK'));
    assert.equal(await fsc('/ok', 'x'), lines('AT-S.ERROR:32:Argument exceeds allowed size'), 'appending past 2.5 KB');
    assert.equal(await fsc('/' + 'n'.repeat(68), 'x'), lines('AT-S.ERROR:51:Unable to open file'));
    assert.equal(await fsc('/' + 'n'.repeat(67), 'x'), lines('AT-S.OK'));
    for (let i = 0; i < 5; i++) assert.equal(await fsc(`/f${i}`, 'y'.repeat(2560)), lines('AT-S.OK'));
    // 6 × 2560 + 1 bytes used of 16384: 1023 bytes left.
    assert.equal(await fsc('/full', 'z'.repeat(1024)), lines('AT-S.ERROR:50:Unable to access filesystem'));
    assert.equal(await fsc('/full', 'z'.repeat(1023)), lines('AT-S.OK'));
    assert.equal(await bench.command('AT'), lines('AT-S.OK'));
  });

  it('loses its files at reset: it is a RAM disk', async () => {
    await fsc('/a', 'A');
    bench.sim.hardReset();
    await bench.tick(5000);
    assert.deepEqual(bench.sim.files(), []);
  });

  it('does not know FSA (FW 1.1.0): error 1, and the bytes after its CR are console input', async () => {
    assert.equal(await bench.command('AT+S.FSA=/a,3', 'AT\r'), lines('AT-S.ERROR:1:Command not found', 'AT-S.OK'));
  });
});
