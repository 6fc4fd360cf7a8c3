// The certificate part of the core: DER/PEM reading, X.509 fields, private-key recognition, checks
// against the SPWF04S's limits, SHA-256, and the power-fail-safe store in host flash.

export { base64Decode, parsePem, readTlv, children, oidText, toHex } from './der';
export type { PemBlock, Tlv } from './der';
export { parseCertificate, decodeTime, formatTime } from './x509';
export type { Certificate, BasicConstraints } from './x509';
export { parsePrivateKeyDer, parsePrivateKeyBlock, recognisePrivateKey, ecParametersCurve, keyFormOfLabel } from './keys';
export type { PrivateKey, KeyForm } from './keys';
export type { KeyDescription, KeyType } from './oids';
export { checkItem, checkPair, MAX_FILE_BYTES, MAX_CERTIFICATE_BYTES } from './check';
export type { CertUse, CheckOptions, CheckResult, CheckInfo, PairResult } from './check';
export { sha256, sha256Hex } from './sha256';
export { CertStore, CERT_ENTRIES, MAX_ENTRY_BYTES } from './store';
export type { StoredEntry, StoreFailure, PutResult } from './store';
export { Provisioner } from './provision';
export type { ProvisionOptions, FamilyReport, CertFamily, ProvisionMode } from './provision';
export { parseCertListing } from './module-listing';
