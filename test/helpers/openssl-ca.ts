// What `openssl ca` needs to issue test certificates with fixed dates (-startdate/-enddate, which
// `openssl x509` lacks in OpenSSL 3.0): the [ca] sections of an openssl.cnf and the database folder.

import * as fs from 'fs';
import * as path from 'path';

/** The [ca], [CA_default], [policy_any] and [usr_cert] sections; the database is ./cadb of the cwd. */
export const OPENSSL_CA_SECTIONS = `[ca]
default_ca = CA_default
[CA_default]
database = ./cadb/index.txt
new_certs_dir = ./cadb
default_md = sha256
default_days = 6500
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
rand_serial = yes
x509_extensions = usr_cert
[policy_any]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[usr_cert]
basicConstraints = CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
`;

/** The empty database `openssl ca` keeps in `dir`/cadb. */
export function prepareCaDatabase(dir: string): void {
  fs.mkdirSync(path.join(dir, 'cadb'));
  fs.writeFileSync(path.join(dir, 'cadb', 'index.txt'), '');
}
