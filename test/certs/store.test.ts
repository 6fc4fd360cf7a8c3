import { strict as assert } from 'assert';
import * as fc from 'fast-check';
import { sha256Hex } from '../../src/certs/sha256';
import { CERT_ENTRIES, CertStore, MAX_ENTRY_BYTES, StoredEntry, StoreFailure } from '../../src/certs/store';
import { Storage } from '../../src/host';

class PowerLost extends Error {}

/**
 * Flash that behaves like Espruino's Storage (src/jsflash.c): writing a file that exists with other
 * content first erases the old file, then writes the new one; writing identical content does nothing.
 * Power can be cut before the k-th step (a step = erasing a file, or writing one); the write that is
 * cut may leave a prefix of `torn` bytes (a torn flash write) or nothing. After the cut every call
 * throws, until reboot() returns the flash as it was left.
 */
class FakeFlash implements Storage {
  files: { [name: string]: string } = {};
  steps = 0;
  cutAt = Infinity;
  torn = 0;
  dead = false;
  refuse = false;
  log: string[] = [];

  private step(what: string): void {
    if (this.dead) throw new PowerLost('dead');
    if (this.steps === this.cutAt) {
      this.dead = true;
      throw new PowerLost('power lost before ' + what);
    }
    this.steps++;
    this.log.push(what);
  }

  read(name: string): string | undefined {
    if (this.dead) throw new PowerLost('dead');
    return this.files[name];
  }

  write(name: string, data: string): boolean {
    if (this.dead) throw new PowerLost('dead');
    if (this.refuse) return false;
    if (this.files[name] === data) return true;
    if (this.files[name] !== undefined) {
      this.step('erase ' + name);
      delete this.files[name];
    }
    if (this.steps === this.cutAt && this.torn > 0) {
      this.files[name] = data.substring(0, Math.min(this.torn, data.length - 1));
    }
    this.step('write ' + name);
    this.files[name] = data;
    return true;
  }

  erase(name: string): void {
    if (this.files[name] === undefined) return;
    this.step('erase ' + name);
    delete this.files[name];
  }

  list(prefix: string): string[] {
    if (this.dead) throw new PowerLost('dead');
    return Object.keys(this.files).filter((n) => n.indexOf(prefix) === 0);
  }

  reboot(): FakeFlash {
    const f = new FakeFlash();
    f.files = Object.assign({}, this.files);
    return f;
  }
}

function good(r: StoredEntry | StoreFailure): StoredEntry {
  if (!r.ok) assert.fail('expected an entry, got ' + r.reason + ': ' + r.error.message);
  return r;
}

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB' + 'x'.repeat(600) + '\n-----END CERTIFICATE-----\n';

describe('certs/store: named entries in host flash', function () {
  it('put, get (bytes, hash, sequence), list, remove', function () {
    const flash = new FakeFlash();
    const s = new CertStore(flash);
    const bin = '\x00\xff\x80\r\n' + String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    for (const name of CERT_ENTRIES) assert.equal(s.put(name, name === 'tls-auth' ? bin : CERT + name).ok, true);
    const e = good(s.get('tls-auth'));
    assert.equal(e.bytes, bin);
    assert.equal(e.hash, sha256Hex(bin));
    assert.equal(e.seq, 1);
    assert.deepEqual(s.list(), CERT_ENTRIES.slice().sort());
    for (const f of Object.keys(flash.files)) assert.ok(f.length <= 28, f);
    const r = s.put('tls-auth', 'new');
    assert.deepEqual(r, { ok: true, hash: sha256Hex('new'), seq: 2, unchanged: false });
    assert.equal(good(s.get('tls-auth')).bytes, 'new');
    // The old slot is erased once the new one verifies: one file per entry at rest.
    assert.deepEqual(Object.keys(flash.files).filter((f) => f.indexOf('tls-auth') > 0), ['spwfc.tls-auth.1']);
    assert.deepEqual(s.remove('tls-auth'), { ok: true });
    const gone = s.get('tls-auth') as StoreFailure;
    assert.equal(gone.ok, false);
    assert.equal(gone.reason, 'missing');
    assert.equal(s.list().indexOf('tls-auth'), -1);
    assert.equal(good(s.get('eap-key')).bytes, CERT + 'eap-key');
  });

  it('the same bytes again are not rewritten', function () {
    const flash = new FakeFlash();
    const s = new CertStore(flash);
    s.put('tls-ca', CERT);
    const steps = flash.steps;
    const r = s.put('tls-ca', CERT);
    assert.deepEqual(r, { ok: true, hash: sha256Hex(CERT), seq: 1, unchanged: true });
    assert.equal(flash.steps, steps);
  });

  it('names and sizes are checked', function () {
    const s = new CertStore(new FakeFlash());
    for (const bad of ['', 'a/b', 'x'.repeat(21), '.hidden', 'sp ace']) {
      const r = s.put(bad, 'x') as StoreFailure;
      assert.equal(r.reason, 'invalid', bad);
      assert.equal(r.error.code, 'InvalidParameter');
    }
    const big = s.put('tls-ca', 'x'.repeat(MAX_ENTRY_BYTES + 1)) as StoreFailure;
    assert.equal(big.error.code, 'Overflow');
    assert.equal(s.put('x'.repeat(20), 'ok').ok, true);
    assert.throws(() => new CertStore(new FakeFlash(), 'toolong.'), /longer than 6/);
  });

  it('a put over two damaged slots leaves one good slot', function () {
    const flash = new FakeFlash();
    flash.files['spwfc.tls-ca.0'] = 'junk';
    flash.files['spwfc.tls-ca.1'] = 'SPC1junk';
    const s = new CertStore(flash);
    assert.equal((s.get('tls-ca') as StoreFailure).reason, 'damaged');
    assert.equal(s.put('tls-ca', 'v1').ok, true);
    assert.deepEqual(Object.keys(flash.files), ['spwfc.tls-ca.0']);
    assert.equal(good(s.get('tls-ca')).warning, undefined);
  });

  it('a write that does not read back as written is reported, and the previous version kept', function () {
    const flash = new FakeFlash();
    const s = new CertStore(flash);
    s.put('tls-ca', 'v1');
    const write = flash.write.bind(flash);
    flash.write = (n, d) => write(n, d.substring(0, d.length - 1) + 'X');
    const r = s.put('tls-ca', 'v2') as StoreFailure;
    assert.equal(r.reason, 'failed');
    assert.match(r.error.message, /did not read back as written; the previous version is kept/);
    assert.equal(good(s.get('tls-ca')).bytes, 'v1');
  });

  it('a refused write keeps the previous version', function () {
    const flash = new FakeFlash();
    const s = new CertStore(flash);
    s.put('tls-ca', 'v1');
    flash.refuse = true;
    const r = s.put('tls-ca', 'v2') as StoreFailure;
    assert.equal(r.reason, 'failed');
    assert.match(r.error.message, /refused .* the previous version is kept/);
    flash.refuse = false;
    assert.equal(good(s.get('tls-ca')).bytes, 'v1');
  });

  describe('power cut at every step of a put: the old entry or the new one, never neither', function () {
    // Histories before the interrupted put: none, one put, several puts (both slots used in turn),
    // and a previous put that was itself interrupted after its write (both slots good).
    const histories: [string, (s: CertStore, f: FakeFlash) => void, string | undefined][] = [
      ['empty store', () => undefined, undefined],
      ['one version', (s) => s.put('tls-cert', 'old version'), 'old version'],
      ['three versions', (s) => { s.put('tls-cert', 'v1'); s.put('tls-cert', 'v2'); s.put('tls-cert', 'old version'); }, 'old version'],
      ['a damaged slot next to a good one', (s, f) => { s.put('tls-cert', 'old version'); f.files['spwfc.tls-cert.1'] = 'SPC1garbage'; }, 'old version'],
    ];
    const NEW = 'new version ' + 'n'.repeat(100);
    for (const [label, setup, old] of histories) {
      it(label, function () {
        // Count the steps of an uninterrupted put.
        const probe = new FakeFlash();
        setup(new CertStore(probe), probe);
        const before = probe.steps;
        assert.equal(new CertStore(probe).put('tls-cert', NEW).ok, true);
        const total = probe.steps - before;
        assert.ok(total >= 1);
        let sawOld = 0;
        let sawNew = 0;
        for (let k = 0; k <= total; k++) {
          for (const torn of [0, 1, 20, 51, 52, 53, 100, 10000]) {
            const flash = new FakeFlash();
            setup(new CertStore(flash), flash);
            flash.cutAt = flash.steps + k;
            flash.torn = torn;
            let result: any;
            try {
              result = new CertStore(flash).put('tls-cert', NEW);
            } catch (e) {
              assert.ok(e instanceof PowerLost, String(e));
            }
            if (k === total) assert.equal(result && result.ok, true, 'no cut: the put succeeds');
            const after = new CertStore(flash.reboot()).get('tls-cert');
            if (after.ok) {
              assert.ok(after.bytes === NEW || after.bytes === old, 'k=' + k + ' torn=' + torn + ': ' + JSON.stringify(after.bytes));
              assert.equal(after.hash, sha256Hex(after.bytes));
              if (after.bytes === NEW) sawNew++;
              else sawOld++;
            } else {
              // Only possible when there was no old entry: a torn first write is reported, never returned.
              assert.equal(old, undefined, 'k=' + k + ' torn=' + torn + ': ' + after.error.message);
              assert.ok(after.reason === 'missing' || after.reason === 'damaged');
            }
            if (result && result.ok) assert.equal(after.ok && after.bytes, NEW, 'a put that reported success is durable');
            // The store recovers: the next put after the reboot succeeds and reads back.
            const s2 = new CertStore(flash.reboot());
            assert.equal(s2.put('tls-cert', 'after').ok, true);
            assert.equal(good(s2.get('tls-cert')).bytes, 'after');
          }
        }
        assert.ok(sawNew > 0);
        if (old !== undefined) assert.ok(sawOld > 0);
      });
    }

    it('a cut during remove leaves the entry whole or gone', function () {
      for (let k = 0; k <= 2; k++) {
        const flash = new FakeFlash();
        const s = new CertStore(flash);
        s.put('eap-ca', 'v1');
        s.put('eap-ca', 'v2');
        flash.files['spwfc.eap-ca.0'] = 'junk'; // a damaged second slot, removed first
        flash.cutAt = flash.steps + k;
        try {
          s.remove('eap-ca');
        } catch (e) {
          assert.ok(e instanceof PowerLost);
        }
        const r = new CertStore(flash.reboot()).get('eap-ca');
        if (r.ok) assert.equal(r.bytes, 'v2');
        else assert.equal(r.reason, 'missing');
      }
    });
  });

  describe('damage is detected, never returned as good', function () {
    it('every byte of a slot file, flipped', function () {
      const data = 'certificate bytes \x00\xff';
      const flash = new FakeFlash();
      const s = new CertStore(flash);
      s.put('tls-key', data);
      const file = Object.keys(flash.files)[0];
      const raw = flash.files[file];
      for (let i = 0; i < raw.length; i++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          flash.files[file] = raw.substring(0, i) + String.fromCharCode(raw.charCodeAt(i) ^ mask) + raw.substring(i + 1);
          const r = s.get('tls-key') as StoreFailure;
          assert.equal(r.ok, false, 'byte ' + i);
          assert.equal(r.reason, 'damaged');
          assert.equal(r.error.code, 'CertRejected');
          assert.match(r.error.message, /the entry "tls-key" is damaged: slot 0 .*; store it again/);
        }
      }
      for (const cut of [raw.substring(0, 10), raw.substring(0, raw.length - 1), raw + 'x', '']) {
        flash.files[file] = cut;
        assert.equal(s.get('tls-key').ok, false);
      }
    });

    it('a slot copied under another entry name is not accepted', function () {
      const flash = new FakeFlash();
      const s = new CertStore(flash);
      s.put('tls-ca', 'the CA');
      flash.files['spwfc.eap-ca.0'] = flash.files['spwfc.tls-ca.0'];
      assert.equal((s.get('eap-ca') as StoreFailure).reason, 'damaged');
    });

    it('when both slots exist and one is damaged, the good one is returned with a warning', function () {
      const flash = new FakeFlash();
      const s = new CertStore(flash);
      s.put('tls-ca', 'v1');
      flash.files['spwfc.tls-ca.1'] = 'SPC1' + 'x'.repeat(60);
      const r = good(s.get('tls-ca'));
      assert.equal(r.bytes, 'v1');
      assert.match(r.warning!, /slot 1 of "tls-ca" has a damaged header; using version 1/);
    });

    it('random damage to random contents: a get returns the stored bytes or an error', function () {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (u, at, x) => {
          const data = Buffer.from(u).toString('latin1');
          const flash = new FakeFlash();
          const s = new CertStore(flash);
          s.put('eap-cert', data);
          const file = Object.keys(flash.files)[0];
          const raw = flash.files[file];
          const i = at % raw.length;
          flash.files[file] = raw.substring(0, i) + String.fromCharCode(raw.charCodeAt(i) ^ x) + raw.substring(i + 1);
          assert.equal(s.get('eap-cert').ok, false);
        }),
        { numRuns: 300 },
      );
    });
  });

  it('a storage that throws on read or list is reported, not thrown', function () {
    const flash = new FakeFlash();
    const s = new CertStore(flash);
    s.put('tls-ca', 'x');
    flash.dead = true;
    const r = s.get('tls-ca') as StoreFailure;
    assert.equal(r.reason, 'damaged');
    assert.match(r.error.message, /cannot be read/);
    assert.deepEqual(s.list(), []);
    assert.equal((s.put('tls-ca', 'y') as StoreFailure).ok, false);
  });
});
