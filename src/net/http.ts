// HTTP(S) through the module's own client (AT+S.HTTPGET / AT+S.HTTPPOST, application note 3.1.7).
// The status line comes first, then the response bytes up to the final result: they are streamed to
// `onData`, so a body larger than the host's memory never has to be held whole. HTTPS (TLS 2, or 1 =
// automatic) validates the server's certificate, so it waits for a good module clock first; the
// server's CN must equal the host name (the module checks it).

import { Engine, Command } from '../at/engine';
import * as at from '../at/commands';
import { parseHttpStatus } from '../at/parse';
import { run } from '../at/run';
import { spwfError } from '../errors';

export interface HttpOptions extends at.HttpRequest {
  /** Receives the response bytes as they arrive; without it the body is collected (up to maxBody). */
  onData?: (chunk: string) => void;
  /** Bound on a collected body (default 4096 bytes). */
  maxBody?: number;
}

export interface HttpResponse {
  status: number;
  /** The collected body ('' when streamed to onData). */
  body: string;
  /** Bytes received after the status line. */
  bytes: number;
}

/** Maps an error of a TLS exchange with host:port (module error 74 in particular) to a clearer one. */
export type TlsErrorMapper = (err: any, host: string, port: number) => any;

/** The module file that carries a POST body (HTTPPOST sends a file). */
export const POST_FILE = 'post.body';
/** Largest upload the module takes in one FSC. */
const FSC_CHUNK = 2560;

export class Http {
  /**
   * @param gate resolves once certificates may be validated (the module clock is good).
   * @param tlsError turns a refused TLS exchange (module error 74) into an error a user can act on.
   */
  constructor(private engine: Engine, private gate: () => Promise<void>, private tlsError?: TlsErrorMapper) {}

  get(req: HttpOptions): Promise<HttpResponse> {
    const self = this;
    let c: Command;
    try {
      c = at.httpGet(req); // checked before anything is sent (the clock gate talks to the module too)
    } catch (e) {
      return Promise.reject(e);
    }
    return this.before(req).then(function () { return self.request(c, req); }).then(null, function (err) {
      throw self.mapError(err, req);
    });
  }

  /** POST `body`: written to a module file first, then sent with HTTPPOST, then removed. */
  post(req: HttpOptions, body: string): Promise<HttpResponse> {
    const self = this;
    const e = this.engine;
    let result: HttpResponse;
    let c: Command;
    try {
      c = at.httpPost(req, POST_FILE); // checked before the body file is written
    } catch (err) {
      return Promise.reject(err);
    }
    return this.before(req).then(function () {
      return run(e, function () { return at.fsDelete(POST_FILE); }).then(null, function () { /* absent */ });
    }).then(function () {
      let chain: Promise<any> = Promise.resolve();
      for (let off = 0; off < body.length; off += FSC_CHUNK) {
        const part = body.substring(off, off + FSC_CHUNK);
        chain = chain.then(function () { return run(e, function () { return at.fsCreate(POST_FILE, part); }); });
      }
      return chain;
    }).then(function () {
      return self.request(c, req);
    }).then(function (r) {
      result = r;
      return run(e, function () { return at.fsDelete(POST_FILE); }).then(null, function () { /* best effort */ });
    }).then(function () { return result; }, function (err) { throw self.mapError(err, req); });
  }

  private mapError(err: any, req: HttpOptions): any {
    return req.tls && this.tlsError ? this.tlsError(err, req.host, req.port || (req.tls === 2 ? 443 : 80)) : err;
  }

  private before(req: HttpOptions): Promise<void> {
    return req.tls ? this.gate() : Promise.resolve();
  }

  private request(c: Command, req: HttpOptions): Promise<HttpResponse> {
    const res: HttpResponse = { status: -1, body: '', bytes: 0 };
    const max = req.maxBody || 4096;
    let overflow = false;
    c.onPayload = function (chunk) {
      res.bytes += chunk.length;
      if (req.onData) req.onData(chunk);
      else if (res.body.length + chunk.length <= max) res.body += chunk;
      else overflow = true;
    };
    return run(this.engine, function () { return c; }).then(function (r) {
      for (let i = 0; i < r.lines.length; i++) {
        const st = parseHttpStatus(r.lines[i]);
        if (st >= 0) res.status = st;
      }
      if (overflow) throw spwfError('Overflow', 'response body over ' + max + ' bytes: pass onData to stream it');
      return res;
    });
  }
}
