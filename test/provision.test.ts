import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { Engine } from '../src/at/engine';
import * as at from '../src/at/commands';
import { run } from '../src/at/run';
import { CertStore } from '../src/certs/store';
import { Provisioner, ProvisionOptions, FamilyReport } from '../src/certs/provision';
import { checkedProvisioner } from '../src/certs/checked-plan';
import { Host } from '../src/host';
import { createNodeHost } from '../hosts/node/host';
import { SimModule } from '../hosts/sim/module';
import { INSTANT } from './sim/helpers';
import { pki, Pki, opensslCert } from './certs/pki';

// End to end: the core's Provisioner against the simulated module, with certificates and keys made by
// openssl (appendix A). The module's flash survives resets; the host keeps a record of what it sent.

interface Bench {
  sim: SimModule;
  host: Host;
  engine: Engine;
  store: CertStore;
  prov: Provisioner;
  /** The engine's trace ('>' host to module, '<' module to host). */
  trace: string[];
  logs: string[];
}

describe('certificate provisioning, end to end (core + simulator)', () => {
  let p: Pki;
  let clock: sinon.SinonFakeTimers;
  let b: Bench;

  before(function () {
    this.timeout(60000);
    p = pki();
  });

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.UTC(2026, 10, 30, 5, 0, 0) });
  });

  afterEach(() => {
    b.engine.stop();
    b.sim.close();
    clock.restore();
  });

  /** Settle a promise by driving the fake timers (the simulator and the engine both run on them). */
  async function drive<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    const settled = promise.then((v) => { done = true; return v; }, (e) => { done = true; throw e; });
    for (let i = 0; i < 2000 && !done; i++) await clock.tickAsync(5);
    assert.ok(done, 'did not settle');
    return settled;
  }

  async function bench(opts?: ProvisionOptions, storage?: Host['storage']): Promise<Bench> {
    const sim = new SimModule({ timing: INSTANT });
    const trace: string[] = [];
    const logs: string[] = [];
    const host = createNodeHost({ write: (x) => sim.write(x), onData: (cb) => sim.onOutput(cb) }, {
      log: (level, message) => logs.push(level + ' ' + message),
    });
    if (storage) host.storage = storage;
    const engine = new Engine(host);
    engine.trace = (dir, text) => { trace.push(dir + ' ' + text); };
    const store = new CertStore(host.storage!);
    const prov = checkedProvisioner(engine, store, host.log, opts);
    b = { sim, host, engine, store, prov, trace, logs };
    engine.start();
    sim.powerOn();
    await clock.tickAsync(50);
    assert.equal(engine.state, 'ready');
    // Echo off, as Connectivity.start() does: a refused upload would otherwise echo its data back.
    await drive(run(engine, () => at.scfg('console_echo', 0)));
    return b;
  }

  const sent = (from = 0) => b.trace.slice(from).filter((l) => l[0] === '>').map((l) => l.substring(2));
  const uploads = (from = 0) => sent(from).filter((l) => /^AT\+S\.(TLSCERT|WPAECERT)=(ca|cert|key|auth),|^AT\+S\.FSC=/.test(l));
  const tlsOf = (reports: FamilyReport[]) => reports.find((r) => r.family === 'tls')!;
  const put = (entry: string, file: string) => assert.ok(b.store.put(entry, p.read(file)).ok);

  /** Appendix A: a self-signed CA, a client certificate it issued (openssl ca) and the client's key. */
  function appendixA(): void {
    put('tls-ca', 'rsa1024-ca.pem');
    put('tls-cert', 'appx-client.pem');
    put('tls-key', 'appx-client.key');
  }

  it('provisions a CA, a client certificate and key, with the CA\'s key id as auth; the listing shows them', async () => {
    await bench();
    appendixA();
    const reports = await drive(b.prov.sync());
    const tls = tlsOf(reports);
    assert.equal(tls.action, 'provisioned');
    assert.equal(tls.why, 'no record of what the module was given');
    assert.deepEqual(tls.held, ['ca', 'cert', 'key', 'auth']);
    assert.equal(reports.find((r) => r.family === 'eap')!.action, 'unchanged');
    assert.deepEqual(sent().slice(1), [
      'AT+S.TLSCERT=content,1', 'AT+S.WPAECERT=content,1',
      'AT+S.TLSCERT=content,2', 'AT+S.FSL',
      `AT+S.TLSCERT=ca,${p.read('rsa1024-ca.pem').length} <${p.read('rsa1024-ca.pem').length} bytes>`,
      `AT+S.TLSCERT=cert,${p.read('appx-client.pem').length} <${p.read('appx-client.pem').length} bytes>`,
      `AT+S.TLSCERT=key,${p.read('appx-client.key').length} <${p.read('appx-client.key').length} bytes>`,
      'AT+S.TLSCERT=auth,20 <20 bytes>',
      'AT+S.TLSCERT=content,1',
    ]);
    assert.equal(b.sim.certificate('tls', 'ca')!.data.toString('latin1'), p.read('rsa1024-ca.pem'));
    assert.equal(b.sim.certificate('tls', 'key')!.data.toString('latin1'), p.read('appx-client.key'));
    assert.equal(b.sim.certificate('tls', 'auth')!.data.toString('hex'), opensslCert(p, 'rsa1024-ca.pem').ski);
    const listing = await drive(run(b.engine, () => at.certContent('TLSCERT', 1)));
    assert.deepEqual(listing.lines.map((l) => l.split(':')[1]), ['ca', 'cert', 'key', 'auth']);

    // The key's bytes reach neither the trace nor the log: only its size.
    const keyLines = p.read('appx-client.key').split('\n').filter((l) => l.length > 20);
    assert.ok(keyLines.length > 5);
    for (const line of b.trace.concat(b.logs)) {
      assert.ok(line.indexOf('-----BEGIN') < 0, line);
      for (const k of keyLines) assert.ok(line.indexOf(k) < 0, line);
    }
  });

  it('does not upload again after a module reset when nothing changed: it only lists', async () => {
    await bench();
    appendixA();
    await drive(b.prov.sync());
    b.prov.watch();
    const events: FamilyReport[][] = [];
    b.prov.on('provisioned', (r) => events.push(r));
    const mark = b.trace.length;
    b.sim.hardReset();
    for (let i = 0; i < 200 && !events.length; i++) await clock.tickAsync(5);
    assert.equal(events.length, 1, 'checked after the reset');
    assert.deepEqual(events[0]!.map((r) => r.action), ['unchanged', 'unchanged']);
    assert.deepEqual(sent(mark), ['AT+S.TLSCERT=content,1', 'AT+S.WPAECERT=content,1']);
    assert.deepEqual(uploads(mark), []);
    assert.deepEqual(tlsOf(await drive(b.prov.sync())).held, ['ca', 'cert', 'key', 'auth']);
  });

  it('uploads again when the store changed, and when the module lost its items', async () => {
    await bench();
    appendixA();
    await drive(b.prov.sync());
    put('tls-cert', 'rsa1024-server.pem');
    put('tls-key', 'rsa1024-server-pkcs1.key'); // a certificate goes with its own key (checked)
    let mark = b.trace.length;
    let tls = tlsOf(await drive(b.prov.sync()));
    assert.equal(tls.action, 'provisioned');
    assert.equal(tls.why, 'the store changed');
    assert.equal(uploads(mark).length, 4);
    assert.equal(b.sim.certificate('tls', 'cert')!.data.toString('latin1'), p.read('rsa1024-server.pem'));

    await drive(run(b.engine, () => at.certContent('TLSCERT', 2))); // someone erased the module
    mark = b.trace.length;
    tls = tlsOf(await drive(b.prov.sync()));
    assert.equal(tls.why, 'the module no longer lists ca');
    assert.equal(uploads(mark).length, 4);
  });

  it('syncs asked for while one runs wait for it: one after the other, each with its own outcome', async () => {
    await bench();
    appendixA();
    const mark = b.trace.length;
    const [first, second] = await drive(Promise.all([b.prov.sync(), b.prov.sync()]));
    assert.equal(tlsOf(first).action, 'provisioned');
    assert.equal(tlsOf(second).action, 'unchanged');
    assert.equal(uploads(mark).length, 4, 'uploaded once');
    assert.deepEqual(sent(mark).slice(-2), ['AT+S.TLSCERT=content,1', 'AT+S.WPAECERT=content,1'], 'the second only lists, after the first');
  });

  it('a module reset in the middle fails the sync with it, nothing more is sent, and the next sync provisions again', async () => {
    await bench();
    appendixA();
    const traceTo = b.engine.trace!;
    // The command after the listing of the convention files (the CA's upload) meets a module reset.
    b.engine.trace = (dir, text) => {
      traceTo(dir, text);
      if (dir === '>' && text === 'AT+S.FSL') b.sim.faults.resetInNextCommand();
    };
    const err = await drive(b.prov.sync().then(() => null, (e) => e));
    b.engine.trace = traceTo;
    assert.equal(err && err.code, 'ModuleReset', String(err));
    const failedAt = b.trace.length;
    await clock.tickAsync(200);
    assert.equal(b.engine.state, 'ready');
    assert.deepEqual(uploads(failedAt), [], 'no step after the failure');
    await drive(run(b.engine, () => at.scfg('console_echo', 0)));
    const mark = b.trace.length;
    const tls = tlsOf(await drive(b.prov.sync()));
    assert.equal(tls.action, 'provisioned');
    assert.equal(uploads(mark).length, 4);
    assert.deepEqual(tls.held, ['ca', 'cert', 'key', 'auth']);
  });

  it('reports a damaged store entry and sends nothing', async () => {
    await bench();
    appendixA();
    await drive(b.prov.sync());
    const slots = b.host.storage!.list('spwfc.tls-key.');
    assert.equal(slots.length, 1);
    const raw = b.host.storage!.read(slots[0]!)!;
    b.host.storage!.write(slots[0]!, raw.substring(0, 100) + 'X' + raw.substring(101));
    const mark = b.trace.length;
    const err = await drive(b.prov.sync()).then(() => undefined, (e) => e);
    assert.equal(err.code, 'CertRejected');
    assert.equal(err.reasons.length, 1);
    assert.match(err.reasons[0], /^tls-key: the entry "tls-key" is damaged/);
    assert.deepEqual(sent(mark), ['AT+S.TLSCERT=content,1', 'AT+S.WPAECERT=content,1'], 'listed, nothing else');
    assert.equal(b.sim.certificate('tls', 'key')!.data.toString('latin1'), p.read('appx-client.key'), 'the module keeps its copy');
  });

  it('refuses, with every reason, items the module would refuse, before anything is sent', async () => {
    await bench();
    put('tls-ca', 'root-noski.pem');
    put('tls-cert', 'rsa2048-server.pem');
    put('tls-key', 'rsa-enc-pkcs8.key');
    put('eap-ca', 'rsa4096-chain.pem');
    const err = await drive(b.prov.sync()).then(() => undefined, (e) => e);
    assert.equal(err.code, 'CertRejected');
    const reasons: string[] = err.reasons;
    assert.ok(reasons.some((r) => /^tls-ca: .*no Subject Key Identifier/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^tls-key: the private key is password-protected/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^eap-ca: the file is \d+ bytes; the module accepts files of at most 2560 bytes/.test(r)), reasons.join('\n'));
    assert.match(err.message, /nothing was sent/);
    assert.deepEqual(uploads(), []);
    assert.equal(sent().indexOf('AT+S.TLSCERT=content,2'), -1, 'nothing erased either');
    assert.equal(b.sim.certificate('tls', 'cert'), undefined);
  });

  it('sends a DER CA without auth (the module takes the key id itself) and accepts the auth it then lists', async () => {
    await bench();
    put('tls-ca', 'rsa2048-ca.der');
    const tls = tlsOf(await drive(b.prov.sync()));
    assert.deepEqual(tls.held, ['ca', 'auth']);
    assert.deepEqual(uploads().map((l) => l.split(',')[0]), ['AT+S.TLSCERT=ca']);
    assert.equal(b.sim.certificate('tls', 'auth')!.data.toString('hex'), opensslCert(p, 'rsa2048-ca.pem').ski);
    assert.equal(tlsOf(await drive(b.prov.sync())).action, 'unchanged');
  });

  it('provisions WPA2-Enterprise items with WPAECERT, and erases what the store no longer holds', async () => {
    await bench();
    put('eap-ca', 'rsa4096-ca.pem');
    put('eap-cert', 'rsa2048-server.pem');
    put('eap-key', 'rsa2048-server-pkcs1.key');
    const reports = await drive(b.prov.sync());
    const eap = reports.find((r) => r.family === 'eap')!;
    assert.equal(eap.action, 'provisioned');
    assert.deepEqual(eap.held, ['ca', 'cert', 'key']);
    assert.ok(uploads().every((l) => l.indexOf('AT+S.WPAECERT=') === 0));
    assert.ok(b.sim.certificate('eap', 'key'));

    for (const e of ['eap-ca', 'eap-cert', 'eap-key']) assert.ok(b.store.remove(e).ok);
    const after = (await drive(b.prov.sync())).find((r) => r.family === 'eap')!;
    assert.equal(after.action, 'erased');
    assert.deepEqual(after.held, []);
    assert.equal(b.sim.certificate('eap', 'ca'), undefined);
  });

  it('uses the filesystem convention when asked: tls.cert, tls.key, <ski>.ca (sent again after a reset: a RAM disk)', async () => {
    await bench({ tlsMode: 'files', families: ['tls'] });
    // Something left in the certificate flash from before: the module must hold only the store's items.
    await drive(run(b.engine, () => at.certStore('TLSCERT', 'ca', p.read('rsa2048-ca.pem'))));
    put('tls-ca', 'prime256v1-ca.pem');
    put('tls-cert', 'prime256v1-server.pem');
    put('tls-key', 'prime256v1-server.key');
    const ski = opensslCert(p, 'prime256v1-ca.pem').ski!;
    const mark = b.trace.length;
    const tls = tlsOf(await drive(b.prov.sync()));
    assert.equal(tls.mode, 'files');
    assert.deepEqual(tls.held.slice().sort(), [`${ski}.ca`, 'tls.cert', 'tls.key'].sort());
    assert.deepEqual(sent(mark).map((l) => l.split(',')[0]), ['AT+S.FSL', 'AT+S.TLSCERT=content', `AT+S.FSC=${ski}.ca`,
      'AT+S.FSC=tls.cert', 'AT+S.FSC=tls.key', 'AT+S.FSL']);
    assert.equal(b.sim.certificate('tls', 'ca'), undefined, 'the certificate flash was erased');
    const creds = b.sim.tlsCredentials();
    assert.equal(creds.cas.length, 1);
    assert.equal(creds.key!.data.toString('latin1'), p.read('prime256v1-server.key'));
    assert.equal(tlsOf(await drive(b.prov.sync())).action, 'unchanged');

    b.prov.watch();
    const events: FamilyReport[][] = [];
    b.prov.on('provisioned', (r) => events.push(r));
    b.sim.hardReset();
    for (let i = 0; i < 200 && !events.length; i++) await clock.tickAsync(5);
    assert.equal(events[0]![0]!.action, 'provisioned');
    assert.equal(events[0]![0]!.why, `the module no longer lists ${ski}.ca`);
  });

  it('keeps the record in the host flash image: a new host process with the same image sends nothing', async () => {
    await bench();
    appendixA();
    await drive(b.prov.sync());
    const storage = b.host.storage;
    const sim = b.sim;
    b.engine.stop();
    // A host restart with the same flash, in front of the same module (its flash kept its items).
    const engine = new Engine(b.host);
    const trace: string[] = [];
    engine.trace = (dir, text) => { trace.push(dir + ' ' + text); };
    const prov = checkedProvisioner(engine, new CertStore(storage!), b.host.log);
    b = Object.assign({}, b, { engine, prov, trace, sim });
    engine.start();
    sim.hardReset();
    await clock.tickAsync(50);
    const reports = await drive(prov.sync());
    assert.deepEqual(reports.map((r) => r.action), ['unchanged', 'unchanged']);
    assert.deepEqual(uploads(), []);
  });
});
