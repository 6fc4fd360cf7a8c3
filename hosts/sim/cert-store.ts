// The module's certificate flash: what AT+S.TLSCERT and AT+S.WPAECERT store (ca, cert, key and, for TLS,
// the CA's authority key id), kept across resets and power loss, erased per family by content,2. Also
// the view a TLS implementation needs: the TLS items from this flash together with the filesystem
// convention files (tls.cert, tls.key, <subject key id>.ca; AN §3.1.5).

import {
  CERT_SLOT_TAKEN_ERROR, CERT_UPLOAD_MAX_BYTES, CERT_TOO_LARGE_ERROR, CERT_FLASH_WINS_OVER_FILES,
} from './choices';
import { inspectUpload, type CertKind } from './cert-inspect';
import type { RamDisk } from './filesystem';

export type CertFamily = 'tls' | 'eap';

export interface SimCertItem {
  data: Buffer;
  format: 'PEM' | 'DER';
}

export interface SimTlsItem extends SimCertItem {
  /** Where the module keeps it: its certificate flash, or a file of its filesystem (with the name). */
  from: 'flash' | 'file';
  file?: string;
}

/** What a TLS implementation of the module works with. */
export interface SimTlsCredentials {
  cas: SimTlsItem[];
  cert?: SimTlsItem;
  key?: SimTlsItem;
  /** Authority key ids: uploaded with `auth`, or derived from a DER CA, or named by a `<hex>.ca` file. */
  authKeyIds: Buffer[];
}

const KIND_ORDER: CertKind[] = ['ca', 'cert', 'key', 'auth'];

export class CertificateFlash {
  private readonly items: Record<CertFamily, Map<CertKind, SimCertItem>> = { tls: new Map(), eap: new Map() };
  /** The key id the module took from a DER TLS CA by itself (AN §3.1.5); an uploaded `auth` replaces it. */
  private derivedAuth: Buffer | undefined;

  /** An upload: 0 (with the key id the module took from a DER CA), or the module's error code. */
  store(family: CertFamily, kind: CertKind, data: Buffer): { code: 0; derivedKeyId?: string } | { code: number } {
    if (data.length > CERT_UPLOAD_MAX_BYTES) return { code: CERT_TOO_LARGE_ERROR };
    const slots = this.items[family];
    if (slots.has(kind)) return { code: CERT_SLOT_TAKEN_ERROR };
    const seen = inspectUpload(kind, data);
    if (!seen.ok) return { code: seen.code };
    slots.set(kind, { data: Buffer.from(data), format: seen.format });
    if (family === 'tls' && kind === 'ca' && seen.format === 'DER' && seen.subjectKeyId) {
      this.derivedAuth = Buffer.from(seen.subjectKeyId);
      return { code: 0, derivedKeyId: seen.subjectKeyId.toString('hex') };
    }
    return { code: 0 };
  }

  /** content,1: kind and size of each item held, in the order ca, cert, key, auth. */
  list(family: CertFamily): { kind: CertKind; size: number }[] {
    const out: { kind: CertKind; size: number }[] = [];
    for (const kind of KIND_ORDER) {
      const item = this.get(family, kind);
      if (item) out.push({ kind, size: item.data.length });
    }
    return out;
  }

  /** content,2 */
  erase(family: CertFamily): void {
    this.items[family].clear();
    if (family === 'tls') this.derivedAuth = undefined;
  }

  get(family: CertFamily, kind: CertKind): SimCertItem | undefined {
    const item = this.items[family].get(kind);
    if (item || family !== 'tls' || kind !== 'auth' || !this.derivedAuth) return item;
    return { data: this.derivedAuth, format: 'DER' };
  }

  /** The TLS items from the flash and the convention files on the disk. */
  tlsCredentials(disk: RamDisk): SimTlsCredentials {
    const fromFlash = (kind: CertKind): SimTlsItem | undefined => {
      const item = this.get('tls', kind);
      return item && { ...item, data: Buffer.from(item.data), from: 'flash' };
    };
    const creds: SimTlsCredentials = { cas: [], authKeyIds: [] };
    const ca = fromFlash('ca');
    if (ca) creds.cas.push(ca);
    creds.cert = fromFlash('cert');
    creds.key = fromFlash('key');
    const auth = fromFlash('auth');
    if (auth) creds.authKeyIds.push(auth.data);
    for (const f of disk.list()) {
      const name = f.name.startsWith('/') ? f.name.substring(1) : f.name;
      const got = disk.read(f.name, 0, undefined);
      if (typeof got === 'number') continue;
      const data = Buffer.from(got.data, 'latin1');
      const item: SimTlsItem = { data, format: data.includes('-----BEGIN ') ? 'PEM' : 'DER', from: 'file', file: f.name };
      if (name.endsWith('.ca')) {
        creds.cas.push(item);
        const hex = name.substring(0, name.length - 3);
        if (/^([0-9a-f]{2})+$/.test(hex)) creds.authKeyIds.push(Buffer.from(hex, 'hex'));
      } else if (name === 'tls.cert' && (!creds.cert || !CERT_FLASH_WINS_OVER_FILES)) creds.cert = item;
      else if (name === 'tls.key' && (!creds.key || !CERT_FLASH_WINS_OVER_FILES)) creds.key = item;
    }
    return creds;
  }
}
