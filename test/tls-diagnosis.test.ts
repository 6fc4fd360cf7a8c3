import { strict as assert } from 'assert';
import { explainTlsOpenFailure, describeTlsChecks } from '../src/net/tls-diagnosis';

describe('TLS open failure (error 74) diagnosis', () => {
  it('puts an unset clock and a missing CA first, and names what the module compares', () => {
    const r = explainTlsOpenFailure({ host: 'api.example', port: 443, expectedName: 'api.example', clock: 'not-set', caNames: [], clientCertificate: false });
    assert.match(r[0], /clock/);
    assert.match(r[1], /no CA certificate/);
    assert.ok(r.some((x) => /CN must be exactly "api.example"/.test(x)));
    assert.ok(r.some((x) => /none is provisioned/.test(x)));
  });

  it('with a good clock and a CA, leads with the signature and names the CA', () => {
    const ctx = { host: '10.0.0.5', port: 8443, expectedName: 'device.lab', clock: 'good' as const, caNames: ['Lab Root CA'], clientCertificate: true };
    const r = explainTlsOpenFailure(ctx);
    assert.match(r[0], /signed by the provisioned CA \(Lab Root CA\)/);
    assert.ok(!r.some((x) => /clock/.test(x)));
    assert.match(describeTlsChecks(ctx), /clock good; CA in the module: Lab Root CA; client certificate: yes; expected name "device.lab"/);
  });
});
