// AT-S.ERROR:74 on a TLS open says only "Failed to open socket". The module fails it for a bad
// signature, a date out of range, a name mismatch, a refused client certificate, or an unreachable
// peer (application note 3.1.3): this turns what the host knows into the likely causes, most likely
// first, and says what was checked.

export interface TlsOpenContext {
  host: string;
  port: number;
  /** The name the module compares with the server certificate's CN (the host, or an explicit domain). */
  expectedName: string;
  /** The module clock as the host judged it. */
  clock: 'good' | 'not-set' | 'unknown' | 'skipped';
  /** CA certificates the module holds (their subject CNs), or undefined when not known. */
  caNames?: string[];
  /** Whether the module holds a client certificate and key, or undefined when not known. */
  clientCertificate?: boolean;
}

export function explainTlsOpenFailure(c: TlsOpenContext): string[] {
  const out: string[] = [];
  if (c.clock === 'not-set' || c.clock === 'unknown') {
    out.push('the module clock is not known to be set, so certificate dates fail: set it (AT+S.TIME) or wait for NTP');
  }
  if (c.caNames && !c.caNames.length) {
    out.push('no CA certificate is provisioned in the module, so the server certificate cannot be verified');
  } else {
    out.push('the server certificate must be signed by the provisioned CA' +
      (c.caNames ? ' (' + c.caNames.join(', ') + ')' : '') + ' and be within its validity dates');
  }
  out.push('the server certificate\'s CN must be exactly "' + c.expectedName + '" (the module compares the CN, not the alternative names)');
  if (c.clientCertificate === false) {
    out.push('if the server asks for a client certificate (mutual authentication), none is provisioned in the module');
  } else {
    out.push('the server may have refused the module\'s client certificate (mutual authentication)');
  }
  out.push('the server may be unreachable, or not speaking TLS on ' + c.host + ':' + c.port);
  return out;
}

/** What the host checked before the open, for the same report. */
export function describeTlsChecks(c: TlsOpenContext): string {
  return 'checked: module clock ' + c.clock + '; CA in the module: ' +
    (c.caNames === undefined ? 'unknown' : c.caNames.length ? c.caNames.join(', ') : 'none') +
    '; client certificate: ' + (c.clientCertificate === undefined ? 'unknown' : c.clientCertificate ? 'yes' : 'none') +
    '; expected name "' + c.expectedName + '"';
}
