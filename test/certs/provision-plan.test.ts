import { strict as assert } from 'assert';
import { parseCertListing } from '../../src/certs/module-listing';
import { difference, FamilyRecord, Wanted } from '../../src/certs/provision-plan';

// The pieces of provisioning that do not talk to the module: the lenient reading of a content,1 listing
// (its real format is unknown) and the comparison of store, record and listing.

const res = (...lines: string[]) => ({ lines, payload: '', final: 'AT-S.OK' });

function wanted(sources: { [slot: string]: string }): Wanted {
  return { items: {}, sources, problems: [], warnings: [] };
}

describe('provisioning: listing and comparison', () => {
  it('reads content,1 leniently: the first kind word per line, empty-store lines ignored', () => {
    assert.deepEqual(parseCertListing(res('AT-S.Content:ca:1302', 'AT-S.Content:key:887')), ['ca', 'key']);
    assert.deepEqual(parseCertListing(res('AT-S.CA Certificate loaded', 'AT-S.Client Certificate', 'AT-S.Private Key',
      'AT-S.Authority Key Id:20')), ['ca', 'cert', 'key', 'auth']);
    assert.deepEqual(parseCertListing(res('AT-S.Auth', 'AT-S.CERT', 'AT-S.Ca')), ['ca', 'cert', 'auth'], 'any case, fixed order');
    assert.deepEqual(parseCertListing(res('AT-S.No certificates stored', 'AT-S.Key: none')), []);
    assert.deepEqual(parseCertListing(res('AT-S.constructor:toString', 'AT-S.Var:x=1', '')), [], 'no prototype words');
    assert.deepEqual(parseCertListing(res()), []);
  });

  it('finds nothing to do only when the record, the store and the listing agree', () => {
    const rec: FamilyRecord = { mode: 'commands', sources: { ca: 'h1', key: 'h2' }, held: { ca: 100, key: 50, auth: 20 } };
    const w = wanted({ ca: 'h1', key: 'h2' });
    assert.equal(difference(rec, 'commands', w, { slots: ['ca', 'key', 'auth'] }), undefined);
    assert.equal(difference(undefined, 'commands', wanted({}), { slots: [] }), undefined, 'nothing wanted, nothing held');
    assert.equal(difference(undefined, 'commands', wanted({}), { slots: ['ca'] }), 'the module holds items the store does not');
    assert.equal(difference(undefined, 'commands', w, { slots: ['ca', 'key', 'auth'] }), 'no record of what the module was given');
    assert.equal(difference(rec, 'files', w, { files: [] }), 'the storage mode changed (commands to files)');
    assert.equal(difference(rec, 'commands', wanted({ ca: 'h1', key: 'h3' }), { slots: ['ca', 'key', 'auth'] }), 'the store changed');
    assert.equal(difference(rec, 'commands', wanted({ ca: 'h1' }), { slots: ['ca', 'key', 'auth'] }), 'the store changed');
    assert.equal(difference(rec, 'commands', w, { slots: ['ca', 'key'] }), 'the module no longer lists auth');
    assert.equal(difference(rec, 'commands', w, { slots: ['ca', 'cert', 'key', 'auth'] }), 'the module lists cert, which it was not given');
    const der: FamilyRecord = { mode: 'commands', sources: { ca: 'h1' }, held: { ca: 900 }, autoAuth: true };
    assert.equal(difference(der, 'commands', wanted({ ca: 'h1' }), { slots: ['ca', 'auth'] }), undefined, 'the module\'s own key id');
  });

  it('compares convention files by name and size, with or without a leading "/", and ignores other files', () => {
    const rec: FamilyRecord = { mode: 'files', sources: { cert: 'h1' }, held: { 'tls.cert': 700 } };
    const w = wanted({ cert: 'h1' });
    const file = (name: string, size: number) => ({ volume: 'R', name, size });
    assert.equal(difference(rec, 'files', w, { files: [file('/tls.cert', 700), file('/index.html', 9)] }), undefined);
    assert.equal(difference(rec, 'files', w, { files: [file('tls.cert', 701)] }), 'the module lists tls.cert with 701 bytes, not 700');
    assert.equal(difference(rec, 'files', w, { files: [file('tls.cert', 700), file('abcd.ca', 5)] }), 'the module lists abcd.ca, which it was not given');
  });
});
