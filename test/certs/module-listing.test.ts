import { strict as assert } from 'assert';
import { parseCertListing, parseKeyIdLine } from '../../src/certs/module-listing';

// The module's answers whose format is [unknown] (protocol reference §11.9): each plausible form is read.
const res = (...lines: string[]) => ({ lines, payload: '', final: 'AT-S.OK' });
const ID = 'c07a3f09b1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7';
const pairs = (sep: string, upper?: boolean) => (upper ? ID.toUpperCase() : ID).match(/../g)!.join(sep);

describe('module listings: every plausible form of content,1 and of a CA key id', () => {
  describe('TLSCERT/WPAECERT=content,1', () => {
    it('one item per line with its size (the simulator\'s form)', () => {
      assert.deepEqual(parseCertListing(res('AT-S.Content:ca:1302', 'AT-S.Content:cert:900', 'AT-S.Content:key:887')), ['ca', 'cert', 'key']);
    });
    it('one item per line in words', () => {
      assert.deepEqual(parseCertListing(res('AT-S.CA Certificate loaded', 'AT-S.Client Certificate', 'AT-S.Private Key', 'AT-S.Authority Key Id:20')),
        ['ca', 'cert', 'key', 'auth']);
    });
    it('several items on one line, separated by commas, semicolons, bars or tabs', () => {
      assert.deepEqual(parseCertListing(res('AT-S.Content:ca,cert,key')), ['ca', 'cert', 'key']);
      assert.deepEqual(parseCertListing(res('AT-S.Content:ca;key')), ['ca', 'key']);
      assert.deepEqual(parseCertListing(res('AT-S.ca|auth')), ['ca', 'auth']);
      assert.deepEqual(parseCertListing(res('AT-S.Content:\tca\tcert')), ['ca', 'cert']);
    });
    it('a state per item: present or absent', () => {
      assert.deepEqual(parseCertListing(res('AT-S.ca:1', 'AT-S.cert:0', 'AT-S.key:1', 'AT-S.auth:0')), ['ca', 'key']);
      assert.deepEqual(parseCertListing(res('AT-S.Content:ca=present,cert=absent,key=none,auth=missing')), ['ca']);
      assert.deepEqual(parseCertListing(res('AT-S.CA: yes', 'AT-S.Cert: no', 'AT-S.Key: false')), ['ca']);
    });
    it('file names of the items', () => {
      assert.deepEqual(parseCertListing(res('AT-S.ca.crt', 'AT-S.client.crt', 'AT-S.client.key')), ['ca', 'cert', 'key']);
    });
    it('an empty store', () => {
      assert.deepEqual(parseCertListing(res('AT-S.No certificates stored')), []);
      assert.deepEqual(parseCertListing(res('AT-S.Content:empty')), []);
      assert.deepEqual(parseCertListing(res()), []);
    });
    it('any case, no prototype words', () => {
      assert.deepEqual(parseCertListing(res('AT-S.Auth', 'AT-S.CERT', 'AT-S.Ca')), ['ca', 'cert', 'auth']);
      assert.deepEqual(parseCertListing(res('AT-S.constructor:toString', 'AT-S.__proto__')), []);
    });
  });

  describe('the key id in the answer to a CA upload', () => {
    it('a plain hex field after a label', () => {
      assert.equal(parseKeyIdLine('AT-S.SubjectKeyId:' + ID), ID);
      assert.equal(parseKeyIdLine('AT-S.Id=' + ID.toUpperCase()), ID);
    });
    it('byte pairs separated by colons, spaces or dashes', () => {
      assert.equal(parseKeyIdLine('AT-S.SubjectKeyId:' + pairs(':', true)), ID);
      assert.equal(parseKeyIdLine('AT-S.Id:' + pairs(' ')), ID);
      assert.equal(parseKeyIdLine('AT-S.Id: ' + pairs('-')), ID);
    });
    it('with 0x, or after a label that itself looks like hex', () => {
      assert.equal(parseKeyIdLine('AT-S.Id:0x' + ID), ID);
      assert.equal(parseKeyIdLine('AT-S.CA:' + pairs(':')), ID);
      assert.equal(parseKeyIdLine('AT-S.CA:' + ID), ID);
    });
    it('with a length field next to it', () => {
      assert.equal(parseKeyIdLine('AT-S.Id:20:' + ID), ID);
      assert.equal(parseKeyIdLine('AT-S.Loaded:' + ID + ':1302'), ID);
    });
    it('without the AT-S. prefix (SPI-style lines)', () => {
      assert.equal(parseKeyIdLine(pairs(':')), ID);
      assert.equal(parseKeyIdLine('SubjectKeyId:' + ID), ID);
    });
    it('none: no id, or an id too short to be one', () => {
      assert.equal(parseKeyIdLine('AT-S.No SubjectKeyId'), undefined);
      assert.equal(parseKeyIdLine('AT-S.Id:c07a'), undefined);
      assert.equal(parseKeyIdLine('AT-S.Content:ca:1302'), undefined);
    });
  });
});
