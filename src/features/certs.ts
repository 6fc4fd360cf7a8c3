// Optional module "certs" (Storage: spwf04-certs): the certificates and keys kept in the board's flash
// (CertStore: two slots per entry, SHA-256) provisioned into the module only when its content differs
// (Provisioner). The items were checked on the desktop by `spwf04 cert add` and put on the board by
// `spwf04 flash --certs`; here they are uploaded as they are (planStored): no certificate parsing on the
// board. After a module reset the provisioner verifies again (watch).
import type { Connectivity } from '../connectivity';
import { CertStore } from '../certs/store';
import { Provisioner, ProvisionOptions } from '../certs/provision';

export interface BoardCertificates {
  store: CertStore;
  provisioner: Provisioner;
  /** Make the module hold what the board's store holds (sends nothing when it already does). */
  sync(): Promise<any>;
}

export function create(c: Connectivity): BoardCertificates {
  const storage = c.host.storage;
  if (!storage) throw new Error('certificates need the host storage');
  const store = new CertStore(storage);
  const opts: ProvisionOptions = { now: function () { return c.clock.estimate(); } };
  const provisioner = new Provisioner(c.engine, store, c.host.log, opts);
  provisioner.watch();
  return {
    store: store,
    provisioner: provisioner,
    sync: function () { return provisioner.sync(); },
  };
}
