// The module's firmware-over-the-air store (AN §3.3; doc §7.5): AT+S.FWUPDATE downloads a FOTA packet over
// real HTTP or HTTPS into the module's flash as /fw.fota, printing progress lines; the next boot (AT+S.RESET,
// the reset pin or a power cycle) checks it the way the module does — the structure, and for a secure
// packet the AES-128-GCM tag with the key in aes128_key, then the SHA-256 of the plaintext image — and
// either installs it (the module boots with the packet's version) or erases it and boots the old firmware.
// The check itself is hosts/node/ota/packet.ts (openPacket), the same code as the packet tool's `verify`.
// Every behaviour the references leave open follows a constant of choices.ts.

import { X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { FotaError, openPacket, type FotaProblem } from '../node/ota/packet';
import {
  FOTA_AUTO_TLS_PORT, FOTA_CERTIFICATE_ERROR_LINE, FOTA_CONNECT_ERROR, FOTA_HTTP_ERROR, FOTA_KEY_PATTERN, FOTA_LINK_LOST_ERROR,
  FOTA_MAX_PACKET_BYTES, FOTA_POWERON_MODEL, FOTA_PROGRESS_STEP_PERCENT, FOTA_TOO_LARGE_ERROR, FOTA_TOO_LARGE_LINE,
  FOTA_UNKNOWN_VERSION, fotaProgressLine, fotaStatusLine,
} from './choices';

/** The parameters of AT+S.FWUPDATE=e,<host>,<path>,<port>,<TLS>,<usn>,<pwd>. */
export interface FotaRequest {
  host: string;
  path: string;
  port: number;
  tls: 0 | 1 | 2;
  user: string;
  password: string;
}

/** What a download needs from the rest of the module. */
export interface FotaEnvironment {
  /** The CAs the module trusts (TLSCERT ca and the <hex>.ca files), PEM. */
  trustedCas(): string[];
  /** The module clock, seconds since 1970: certificate dates are checked against it. */
  clockSeconds(): number;
}

/** How the download answers the console (the command's Reply). */
export interface FotaReply {
  line(text: string): void;
  ok(): void;
  error(code: number): void;
}

/** The verdict of the last boot that found a packet. */
export interface SimFotaCheck {
  installed: boolean;
  /** The firmware the module booted (the new one, or the old one kept). */
  firmware: string;
  /** The packet's version text (stray bytes left out), when its header could be read. */
  version?: string;
  encrypted?: boolean;
  /** Why the packet was refused (openPacket's problems): empty when installed. */
  problems: FotaProblem[];
}

interface Download {
  request: http.ClientRequest;
  reply: FotaReply;
  done: boolean;
}

export class SimFota {
  private running: string;
  /** /fw.fota: a packet downloaded completely, waiting for the next boot. Survives resets and power loss. */
  private stored: Buffer | undefined;
  private current: Download | undefined;
  /** For tests and tools: the outcome of the last boot that checked a packet. */
  lastCheck: SimFotaCheck | undefined;
  /** For tests and tools: downloads started since the simulator was built. */
  downloads = 0;

  constructor(firmware: string) {
    this.running = firmware;
  }

  /** The Poweron text of the firmware the module runs. */
  get firmware(): string {
    return this.running;
  }

  /** The packet waiting in /fw.fota for the next boot. */
  get packet(): Buffer | undefined {
    return this.stored;
  }

  get downloading(): boolean {
    return this.current !== undefined;
  }

  /** AT+S.FWUPDATE: download to /fw.fota; the reply gets the progress lines and the final answer. */
  download(req: FotaRequest, env: FotaEnvironment, reply: FotaReply): void {
    this.abort();
    this.downloads++;
    this.stored = undefined; // the file is rewritten: a failed download leaves nothing to install
    const secure = req.tls === 2 || (req.tls === 1 && req.port === FOTA_AUTO_TLS_PORT);
    const path = req.path.startsWith('/') ? req.path : '/' + req.path;
    const options: https.RequestOptions = { host: req.host, port: req.port, path, method: 'GET', agent: false };
    if (req.user !== '') options.auth = req.user + ':' + req.password;
    if (secure) {
      options.ca = env.trustedCas();
      options.rejectUnauthorized = true;
      if (net.isIP(req.host) === 0) options.servername = req.host;
      options.checkServerIdentity = (host, cert) => moduleIdentityCheck(host, cert, env.clockSeconds());
    }
    let d: Download | undefined;
    const finish = (code: number | undefined, line?: string) => {
      if (!d || d.done) return;
      d.done = true;
      if (this.current === d) this.current = undefined;
      d.request.destroy();
      if (line !== undefined) reply.line(line);
      if (code === undefined) reply.ok();
      else reply.error(code);
    };
    const request = (secure ? https : http).request(options, (res) => {
      res.on('error', () => { /* a connection cut mid-body: 'close' below answers */ });
      reply.line(fotaStatusLine(res.statusCode ?? 0));
      if (res.statusCode !== 200) {
        res.resume();
        return finish(FOTA_HTTP_ERROR);
      }
      const total = Number(res.headers['content-length']);
      const known = Number.isFinite(total) && total > 0;
      const chunks: Buffer[] = [];
      let got = 0;
      let shown = 0;
      res.on('data', (chunk: Buffer) => {
        if (!d || d.done) return;
        got += chunk.length;
        if (got > FOTA_MAX_PACKET_BYTES) return finish(FOTA_TOO_LARGE_ERROR, FOTA_TOO_LARGE_LINE);
        chunks.push(chunk);
        if (known) {
          const step = Math.floor((Math.min(got, total) * 100) / total / FOTA_PROGRESS_STEP_PERCENT) * FOTA_PROGRESS_STEP_PERCENT;
          if (step > shown) {
            shown = step;
            reply.line(fotaProgressLine(step));
          }
        }
      });
      res.on('end', () => {
        if (!d || d.done) return;
        if (!res.complete || (known && got !== total)) return finish(FOTA_HTTP_ERROR);
        this.stored = Buffer.concat(chunks);
        finish(undefined);
      });
      res.on('close', () => {
        if (!res.complete) finish(FOTA_HTTP_ERROR); // the server closed before the whole packet came
      });
    });
    d = { request, reply, done: false };
    this.current = d;
    request.on('error', (e: NodeJS.ErrnoException) => finish(FOTA_CONNECT_ERROR, isCertificateError(e) ? FOTA_CERTIFICATE_ERROR_LINE : undefined));
    request.end();
  }

  /** The link went down: the download in progress fails (its answer is ERROR). */
  linkLost(): void {
    const d = this.current;
    if (!d || d.done) return;
    d.done = true;
    this.current = undefined;
    d.request.destroy();
    d.reply.error(FOTA_LINK_LOST_ERROR);
  }

  /** Reset or power loss: the download in progress is dropped without an answer (the console is gone). */
  abort(): void {
    const d = this.current;
    if (!d) return;
    this.current = undefined;
    d.done = true;
    d.request.destroy();
  }

  /**
   * At boot, with the saved aes128_key: checks and installs /fw.fota when there is one (it is consumed either
   * way). Returns the firmware to boot and whether a packet was checked (which takes timing.fotaInstallMs).
   */
  boot(keyText: string | undefined): { firmware: string; checked: boolean } {
    const packet = this.stored;
    if (!packet) return { firmware: this.running, checked: false };
    this.stored = undefined;
    const key = keyText !== undefined && FOTA_KEY_PATTERN.test(keyText) ? Buffer.from(keyText, 'hex') : undefined;
    try {
      const opened = openPacket(packet, key);
      this.running = (opened.version || FOTA_UNKNOWN_VERSION) + '-' + FOTA_POWERON_MODEL;
      this.lastCheck = { installed: true, firmware: this.running, version: opened.version, encrypted: opened.encrypted, problems: [] };
    } catch (e) {
      if (!(e instanceof FotaError)) throw e;
      this.lastCheck = { installed: false, firmware: this.running, problems: e.problems.length ? e.problems : [{ code: e.code as FotaProblem['code'], message: e.message }] };
    }
    return { firmware: this.running, checked: true };
  }
}

/** The module's own check of the server certificate (AN §3.1.5, §3.1.7): valid at the module's clock, and
 *  its CN equal to <host> (or, as any TLS client accepts, a subjectAltName naming it). */
function moduleIdentityCheck(host: string, cert: tls.PeerCertificate, clockSeconds: number): Error | undefined {
  const x = cert.raw ? new X509Certificate(cert.raw) : undefined;
  if (x) {
    const now = clockSeconds * 1000;
    if (now < Date.parse(x.validFrom) || now > Date.parse(x.validTo)) {
      return Object.assign(new Error('certificate not valid at the module time ' + new Date(now).toISOString()), { code: 'CERT_NOT_VALID_AT_MODULE_TIME' });
    }
  }
  const cn = cert.subject ? cert.subject.CN : undefined;
  if (cn === host) return undefined;
  return tls.checkServerIdentity(host, cert);
}

function isCertificateError(e: NodeJS.ErrnoException): boolean {
  const code = String(e.code ?? '');
  return /CERT|SIGNATURE|ISSUER|ALTNAME|SELF_SIGNED/.test(code);
}

/** A CA item as Node's TLS takes it (PEM). */
export function pemOf(data: Buffer, format: 'PEM' | 'DER'): string | undefined {
  if (format === 'PEM') return data.toString('latin1');
  try {
    return new X509Certificate(data).toString();
  } catch {
    return undefined;
  }
}
