import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { SimModule } from '../../hosts/sim/module';
import { lines, Terminal } from './helpers';

describe('sim: configuration variables', () => {
  let clock: sinon.SinonFakeTimers;
  let sim: SimModule;
  let term: Terminal;

  async function command(line: string, ms = 100): Promise<string> {
    term.send(line);
    await clock.tickAsync(ms);
    return term.take();
  }

  async function reset(): Promise<void> {
    await command('AT+S.RESET', 5000);
  }

  beforeEach(async () => {
    clock = sinon.useFakeTimers();
    sim = new SimModule();
    term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(5000);
    term.take();
  });
  afterEach(() => { sim.close(); clock.restore(); });

  it('SCFG sets and GCFG reads back as AT-S.Var:<name>=<value>', async () => {
    assert.equal(await command('AT+S.GCFG=ip_hostname'), lines('AT+S.GCFG=ip_hostname', 'AT-S.Var:ip_hostname=iwm-00-00-01', 'AT-S.OK'));
    assert.equal(await command('AT+S.SCFG=ip_hostname,probe-7'), lines('AT+S.SCFG=ip_hostname,probe-7', 'AT-S.OK'));
    assert.equal(await command('AT+S.GCFG=ip_hostname'), lines('AT+S.GCFG=ip_hostname', 'AT-S.Var:ip_hostname=probe-7', 'AT-S.OK'));
  });

  it('shows 32-bit masks as 0x%08x whatever form they were given in', async () => {
    await command('AT+S.SCFG=console_wind_off_high,0x00100000');
    assert.equal(await command('AT+S.GCFG=console_wind_off_high'), lines('AT+S.GCFG=console_wind_off_high', 'AT-S.Var:console_wind_off_high=0x00100000', 'AT-S.OK'));
    await command('AT+S.SCFG=wifi_opr_rate_mask,0x003FFFCF');
    assert.equal(await command('AT+S.GCFG=wifi_opr_rate_mask'), lines('AT+S.GCFG=wifi_opr_rate_mask', 'AT-S.Var:wifi_opr_rate_mask=0x003fffcf', 'AT-S.OK'));
  });

  it('refuses unknown variables, bad values and read-only variables', async () => {
    assert.equal(await command('AT+S.SCFG=no_such_var,1'), lines('AT+S.SCFG=no_such_var,1', 'AT-S.ERROR:4:Variable not found'));
    assert.equal(await command('AT+S.GCFG=no_such_var'), lines('AT+S.GCFG=no_such_var', 'AT-S.ERROR:4:Variable not found'));
    assert.equal(await command('AT+S.SCFG=wifi_mode,station'), lines('AT+S.SCFG=wifi_mode,station', 'AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.SCFG=nv_wifi_macaddr,00:00:00:00:00:00'), lines('AT+S.SCFG=nv_wifi_macaddr,00:00:00:00:00:00', 'AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.SCFG=wifi_mode'), lines('AT+S.SCFG=wifi_mode', 'AT-S.ERROR:2:Missing argument(s)'));
  });

  it('keeps the rest of the line as the value, separators included', async () => {
    await command('AT+S.SCFG=wifi_wpa_psk_text,a,b c,d e f'); // (a passphrase has 8 characters at least)
    assert.equal(sim.configValue('wifi_wpa_psk_text'), 'a,b c,d e f');
  });

  it('GCFG without a name lists every variable', async () => {
    const out = await command('AT+S.GCFG');
    assert.ok(out.startsWith(lines('AT+S.GCFG', 'AT-S.Var:console_enabled=1')), out);
    assert.ok(out.includes('\r\nAT-S.Var:nv_wifi_macaddr=00:80:E1:00:00:01\r\n'));
    assert.ok(out.endsWith('\r\nAT-S.OK\r\n'));
    for (const line of out.split('\r\n').slice(1, -2)) assert.match(line, /^AT-S\.Var:[a-z0-9_]+=/);
  });

  it('loses unsaved changes at reset and keeps what WCFG saved', async () => {
    await command('AT+S.SCFG=ip_hostname,saved-name');
    assert.equal(await command('AT+S.WCFG'), lines('AT+S.WCFG', 'AT-S.OK'));
    await command('AT+S.SCFG=ip_hostname,unsaved-name');
    await command('AT+S.SCFG=blink_led,0');
    await reset();
    assert.equal(await command('AT+S.GCFG=ip_hostname'), lines('AT+S.GCFG=ip_hostname', 'AT-S.Var:ip_hostname=saved-name', 'AT-S.OK'));
    assert.equal(await command('AT+S.GCFG=blink_led'), lines('AT+S.GCFG=blink_led', 'AT-S.Var:blink_led=1', 'AT-S.OK'));
  });

  it('keeps the saved configuration across a hardware reset too', async () => {
    await command('AT+S.SCFG=ip_hostname,pin-reset');
    await command('AT+S.WCFG');
    sim.hardReset();
    await clock.tickAsync(5000);
    assert.equal(sim.configValue('ip_hostname'), 'pin-reset');
  });

  it('FCFG restores the factory values, in flash as well', async () => {
    await command('AT+S.SCFG=wifi_mode,1');
    await command('AT+S.SCFG=console_errs,0');
    await command('AT+S.WCFG');
    assert.equal(await command('AT+S.FCFG'), lines('AT+S.FCFG', 'AT-S.OK'));
    assert.equal(sim.configValue('wifi_mode'), '0');
    assert.equal(sim.configValue('console_errs'), '2');
    await reset();
    assert.equal(sim.configValue('wifi_mode'), '0');
  });

  it('accepts the legacy aliases AT&W, AT&F and AT&V', async () => {
    await command('AT+S.SCFG=ip_hostname,alias');
    assert.equal(await command('AT&W'), lines('AT&W', 'AT-S.OK'));
    assert.equal(sim.savedConfigValue('ip_hostname'), 'alias');
    assert.equal(await command('AT&F'), lines('AT&F', 'AT-S.OK'));
    assert.equal(sim.configValue('ip_hostname'), 'iwm-00-00-01');
    assert.ok((await command('AT&V')).includes('AT-S.Var:ip_hostname=iwm-00-00-01\r\n'));
  });

  it('echo: on by default, off after console_echo,0', async () => {
    assert.equal(await command('AT'), lines('AT', 'AT-S.OK'));
    assert.equal(await command('AT+S.SCFG=console_echo,0'), lines('AT+S.SCFG=console_echo,0', 'AT-S.OK'));
    assert.equal(await command('AT'), lines('AT-S.OK'));
    assert.equal(await command('AT+S.GCFG=console_echo'), lines('AT-S.Var:console_echo=0', 'AT-S.OK'));
    assert.equal(await command('AT+S.SCFG=console_echo,1'), lines('AT-S.OK'));
    assert.equal(await command('AT'), lines('AT', 'AT-S.OK'));
  });

  it('console_errs and console_verbose select the final line format', async () => {
    await command('AT+S.SCFG=console_echo,0');
    await command('AT+S.SCFG=console_errs,1');
    assert.equal(await command('AT+S.NOPE'), lines('AT-S.ERROR:1'));
    await command('AT+S.SCFG=console_errs,0');
    assert.equal(await command('AT+S.NOPE'), lines('AT-S.ERROR'));
    await command('AT+S.SCFG=console_verbose,2');
    assert.equal(await command('AT'), lines('AT-S.OK:61440:3'));
  });

  it('console_wind_off_* masks indications by number', async () => {
    await command('AT+S.SCFG=console_echo,0');
    await command('AT+S.SCFG=console_wind_off_medium,0x00000040'); // bit 6 → WIND 38
    assert.equal(await command('AT+S.WIFI=0'), lines('AT-S.OK'));
    await command('AT+S.SCFG=console_wind_off_medium,0x00000001'); // bit 0 → WIND 32
    assert.equal(await command('AT+S.WIFI=1'), lines('AT-S.OK'));
    await command('AT+S.SCFG=console_wind_off_medium,0');
    assert.equal(await command('AT+S.WIFI=0'), lines('AT-S.OK', '+WIND:38:WiFi Powered Down'));
  });
});
