// The module's firmware-over-the-air store (AN §3.3; doc §7.5): AT+S.FWUPDATE downloads a FOTA packet over
// real HTTP or HTTPS into the module's flash as /fw.fota, printing progress lines; the next boot (AT+S.RESET,
// the reset pin or a power cycle) checks it the way the module does — the structure, and for a secure
// packet the AES-128-GCM tag with the key in aes128_key, then the SHA-256 of the plaintext image — and
// either installs it (the module boots with the packet's version) or erases it and boots the old firmware.
// The download goes through the module's HTTP client path (http-client.ts: dialTcp, then for HTTPS
// secureClient with the module's checks — its CA store, its clock, <host> equal to the CN — tracked in the
// service sessions), as HTTPGET does; what it does with the response (progress, size limit, storage) is
// its own. The check itself is hosts/node/ota/packet.ts (openPacket), the same code as the packet tool's
// `verify`. Every behaviour the references leave open follows a constant of choices.ts.

import type * as http from 'node:http';
import type * as net from 'node:net';
import { FotaError, openPacket, type FotaProblem } from '../node/ota/packet';
import {
  FOTA_AUTO_TLS_PORT, FOTA_CERTIFICATE_ERROR_LINE, FOTA_CONNECT_ERROR, FOTA_HTTP_ERROR, FOTA_KEY_PATTERN, FOTA_LINK_LOST_ERROR,
  FOTA_MAX_PACKET_BYTES, FOTA_POWERON_MODEL, FOTA_PROGRESS_STEP_PERCENT, FOTA_TOO_LARGE_ERROR, FOTA_TOO_LARGE_LINE,
  FOTA_UNKNOWN_VERSION, fotaProgressLine, fotaStatusLine,
} from './choices';
import { moduleRequest, openServerConnection, type SimHttpEnvironment } from './http-client';
import { TlsOpenError } from './tls-client';

/** The parameters of AT+S.FWUPDATE=e,<host>,<path>,<port>,<TLS>,<usn>,<pwd>. */
export interface FotaRequest {
  host: string;
  path: string;
  port: number;
  tls: 0 | 1 | 2;
  user: string;
  password: string;
}

/** What a download needs from the rest of the module: the HTTP client's environment (the TLS store and
 *  clock, the timeouts, the service sessions that a reset ends, the TLS log). */
export type FotaEnvironment = SimHttpEnvironment;

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
  reply: FotaReply;
  done: boolean;
  /** The connection, once open (and checked, for HTTPS). */
  socket?: net.Socket;
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

  /** AT+S.FWUPDATE: download to /fw.fota; the reply gets the progress lines and the final answer. The
   *  promise settles once the request is out (the answer comes later); it rejects only on a simulator bug
   *  (the command's handler then answers for it), the download being dropped. */
  download(req: FotaRequest, env: FotaEnvironment, reply: FotaReply): Promise<void> {
    this.abort();
    this.downloads++;
    this.stored = undefined; // the file is rewritten: a failed download leaves nothing to install
    const d: Download = { reply, done: false };
    this.current = d;
    return this.fetch(d, req, env).catch((e: unknown) => {
      if (this.current === d) this.abort();
      throw e;
    });
  }

  private async fetch(d: Download, req: FotaRequest, env: FotaEnvironment): Promise<void> {
    const secure = req.tls === 2 || (req.tls === 1 && req.port === FOTA_AUTO_TLS_PORT);
    const path = req.path.startsWith('/') ? req.path : '/' + req.path;
    let socket: net.Socket;
    try {
      socket = await openServerConnection({ host: req.host, port: req.port, secure }, env, 'fota');
    } catch (e) {
      // Unreachable, or the TLS open failed; the module's refusal of the certificate prints its line first.
      const refused = e instanceof TlsOpenError && e.stage === 'verify';
      return this.finish(d, FOTA_CONNECT_ERROR, refused ? FOTA_CERTIFICATE_ERROR_LINE : undefined);
    }
    if (d.done) {
      socket.destroy(); // link lost or reset while the connection was being opened: already answered (or not)
      return;
    }
    d.socket = socket;
    const reply = d.reply;
    const request = moduleRequest({ method: 'GET', host: req.host, port: req.port, path, secure, user: req.user, password: req.password },
      socket, (res: http.IncomingMessage) => {
        res.on('error', () => { /* a connection cut mid-body: 'close' below answers */ });
        reply.line(fotaStatusLine(res.statusCode ?? 0));
        if (res.statusCode !== 200) {
          res.resume();
          return this.finish(d, FOTA_HTTP_ERROR);
        }
        const total = Number(res.headers['content-length']);
        const known = Number.isFinite(total) && total > 0;
        const chunks: Buffer[] = [];
        let got = 0;
        let shown = 0;
        res.on('data', (chunk: Buffer) => {
          if (d.done) return;
          got += chunk.length;
          if (got > FOTA_MAX_PACKET_BYTES) return this.finish(d, FOTA_TOO_LARGE_ERROR, FOTA_TOO_LARGE_LINE);
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
          if (d.done) return;
          if (!res.complete || (known && got !== total)) return this.finish(d, FOTA_HTTP_ERROR);
          this.stored = Buffer.concat(chunks);
          this.finish(d, undefined);
        });
        res.on('close', () => {
          if (!res.complete) this.finish(d, FOTA_HTTP_ERROR); // the server closed before the whole packet came
        });
      });
    // No response head (the server closed or reset the connection): as HTTPGET, 111.
    request.on('error', () => this.finish(d, FOTA_HTTP_ERROR));
    // A server silent for the HTTP client's wait: 111, as HTTPGET.
    socket.setTimeout(env.serviceTimeoutMs, () => this.finish(d, FOTA_HTTP_ERROR));
    request.end();
  }

  /** The download's answer (once): OK (code undefined) or the error, after an optional line. */
  private finish(d: Download, code: number | undefined, line?: string): void {
    if (d.done) return;
    d.done = true;
    if (this.current === d) this.current = undefined;
    this.close(d);
    if (line !== undefined) d.reply.line(line);
    if (code === undefined) d.reply.ok();
    else d.reply.error(code);
  }

  private close(d: Download): void {
    const s = d.socket;
    if (!s) return;
    s.setTimeout(0);
    s.destroy();
  }

  /** The link went down: the download in progress fails (its answer is ERROR). */
  linkLost(): void {
    const d = this.current;
    if (!d || d.done) return;
    d.done = true;
    this.current = undefined;
    this.close(d);
    d.reply.error(FOTA_LINK_LOST_ERROR);
  }

  /** Reset or power loss: the download in progress is dropped without an answer (the console is gone). */
  abort(): void {
    const d = this.current;
    if (!d) return;
    this.current = undefined;
    d.done = true;
    this.close(d);
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
