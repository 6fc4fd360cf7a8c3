// The module's SMTP client (AT+S.SMTP; AN §3.1.7 table 7, §4.7): a real SMTP dialog over a connection the
// module opens itself — SMTPS (TLS at connect) or plain with STARTTLS, per the TLS option — with the
// module's TLS checks (tls-client.ts: its CAs, its clock, <host> against the certificate's CN).
// Choices: choices.ts "SMTP client".

import type * as net from 'node:net';
import { SMTP_CONNECT_ERROR, SMTP_CONTENT_TYPE, SMTP_FALLBACK_ONLY_WHEN_TLS_NOT_SPOKEN, SMTP_REFUSED_ERROR } from './choices';
import type { SimServiceEnvironment } from './sessions';
import { dialTcp, secureClient, TlsOpenError } from './tls-client';

export interface SimMail {
  host: string;
  port: number;
  tls: 0 | 5 | 8 | 9;
  user: string;
  password: string;
  /** EHLO name. */
  heloId: string;
  from: string;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  /** The data phase (a byte string). */
  body: string;
}

/** The environment of the module's SMTP client. */
export type SimSmtpEnvironment = SimServiceEnvironment;

/** How the mail went: sent (and how it was protected), or the module's error code and why. */
export type SmtpOutcome = { ok: true; security: 'smtps' | 'starttls' | 'none' } | { ok: false; code: number; why: string };

class SmtpFailure extends Error {
  /** TLS failures: the TLS exchange itself ('handshake') or the module's checks ('verify'). */
  stage?: 'handshake' | 'verify';

  constructor(readonly code: number, why: string) {
    super(why);
  }
}

interface Reply {
  code: number;
  lines: string[];
}

/** Reads SMTP replies (multi-line `250-…` / `250 …`) from whatever socket it is attached to. */
class ReplyReader {
  private buf = '';
  private lines: string[] = [];
  private replies: Reply[] = [];
  private waiter: ((r: Reply | Error) => void) | undefined;
  private socket: net.Socket | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer) => this.feed(chunk.toString('latin1'));
  private readonly onEnd = () => this.fail(new SmtpFailure(SMTP_REFUSED_ERROR, 'the server closed the connection'));
  private readonly onError = (e: Error) => this.fail(new SmtpFailure(SMTP_REFUSED_ERROR, 'connection error: ' + e.message));

  constructor(private readonly timeoutMs: number) {}

  attach(socket: net.Socket): void {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  detach(): net.Socket {
    const s = this.socket!;
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('close', this.onEnd);
    s.off('error', this.onError);
    this.socket = undefined;
    return s;
  }

  send(line: string): void {
    this.socket!.write(line + '\r\n', 'latin1');
  }

  writeRaw(bytes: string): void {
    this.socket!.write(bytes, 'latin1');
  }

  next(): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new SmtpFailure(SMTP_REFUSED_ERROR, `no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiter = (r) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
    });
  }

  private feed(text: string): void {
    this.buf += text;
    for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
      const line = this.buf.substring(0, nl).replace(/\r$/, '');
      this.buf = this.buf.substring(nl + 1);
      this.lines.push(line);
      if (line.length < 4 || line[3] !== '-') {
        const reply: Reply = { code: Number(line.substring(0, 3)) || 0, lines: this.lines };
        this.lines = [];
        if (this.waiter) this.waiter(reply);
        else this.replies.push(reply);
      }
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    if (this.waiter) this.waiter(e);
  }
}

/** Send one mail as the module does for this TLS option. */
export async function sendMail(mail: SimMail, env: SimSmtpEnvironment): Promise<SmtpOutcome> {
  try {
    if (mail.tls === 5 || mail.tls === 9) {
      const smtps = await trySmtps(mail, env);
      if (smtps) return smtps;
    }
    const socket = await dial(mail, env);
    const mode = mail.tls === 0 ? 'never' : mail.tls === 5 ? 'opportunistic' : 'required';
    return { ok: true, security: await dialog(socket, mail, env, mode) };
  } catch (e) {
    if (e instanceof SmtpFailure) return { ok: false, code: e.code, why: e.message };
    return { ok: false, code: SMTP_REFUSED_ERROR, why: (e as Error).message };
  }
}

/** SMTPS: sent, or undefined when the server does not speak TLS on the port (then STARTTLS is tried). */
async function trySmtps(mail: SimMail, env: SimSmtpEnvironment): Promise<SmtpOutcome | undefined> {
  const tcp = await dial(mail, env);
  let secured: net.Socket;
  try {
    secured = await secure(tcp, mail, env);
  } catch (e) {
    if (e instanceof SmtpFailure && (e.stage === 'handshake' || !SMTP_FALLBACK_ONLY_WHEN_TLS_NOT_SPOKEN)) return undefined;
    throw e;
  }
  return { ok: true, security: await dialog(secured, mail, env, 'smtps') };
}

async function dial(mail: SimMail, env: SimSmtpEnvironment): Promise<net.Socket> {
  try {
    return env.sessions.track((await dialTcp(mail.host, mail.port, env.connectTimeoutMs, env.sessions.signal)).socket);
  } catch (e) {
    throw new SmtpFailure(SMTP_CONNECT_ERROR, 'cannot reach ' + mail.host + ':' + mail.port + ': ' + (e as Error).message);
  }
}

/** The module's TLS over this connection; a refusal is an SmtpFailure (74) carrying its stage. */
async function secure(tcp: net.Socket, mail: SimMail, env: SimSmtpEnvironment): Promise<net.Socket> {
  const peer = `${mail.host}:${mail.port}`;
  try {
    const s = await secureClient(tcp, {
      expectedName: mail.host,
      credentials: env.credentials(),
      clockSeconds: env.clockSeconds,
      handshakeTimeoutMs: env.handshakeTimeoutMs,
    }, env.sessions.signal);
    env.noteTls({ role: 'smtp', peer, ok: true });
    return env.sessions.track(s);
  } catch (e) {
    const why = e instanceof TlsOpenError ? e.message : String(e);
    env.noteTls({ role: 'smtp', peer, ok: false, why });
    throw tlsFailure(e instanceof TlsOpenError ? e.stage : 'handshake', why);
  }
}

function tlsFailure(stage: 'handshake' | 'verify', why: string): SmtpFailure {
  const f = new SmtpFailure(SMTP_CONNECT_ERROR, 'TLS ' + why);
  f.stage = stage;
  return f;
}

/** EHLO …, STARTTLS per `mode`, AUTH, the envelope, the message, QUIT. */
async function dialog(socket: net.Socket, mail: SimMail, env: SimSmtpEnvironment,
  mode: 'smtps' | 'never' | 'opportunistic' | 'required'): Promise<'smtps' | 'starttls' | 'none'> {
  const r = new ReplyReader(env.serviceTimeoutMs);
  r.attach(socket);
  try {
    expect(await r.next(), [220], 'greeting');
    let ext = await hello(r, mail.heloId);
    let security: 'smtps' | 'starttls' | 'none' = mode === 'smtps' ? 'smtps' : 'none';
    if (mode === 'opportunistic' || mode === 'required') {
      if (has(ext, 'STARTTLS')) {
        r.send('STARTTLS');
        expect(await r.next(), [220], 'STARTTLS');
        const upgraded = await secure(r.detach(), mail, env);
        r.attach(upgraded);
        ext = await hello(r, mail.heloId);
        security = 'starttls';
      } else if (mode === 'required') {
        throw new SmtpFailure(SMTP_REFUSED_ERROR, 'the server does not offer STARTTLS');
      }
    }
    if (mail.user !== '') await authenticate(r, ext, mail);
    r.send(`MAIL FROM:<${mail.from}>`);
    expect(await r.next(), [250], 'MAIL FROM');
    for (const rcpt of [mail.to, mail.cc, mail.bcc]) {
      if (rcpt === '') continue;
      r.send(`RCPT TO:<${rcpt}>`);
      expect(await r.next(), [250, 251], 'RCPT TO');
    }
    r.send('DATA');
    expect(await r.next(), [354], 'DATA');
    r.writeRaw(message(mail, env.clockSeconds()));
    expect(await r.next(), [250], 'message');
    r.send('QUIT');
    await r.next().catch(() => undefined);
    return security;
  } finally {
    socket.destroy();
  }
}

async function hello(r: ReplyReader, id: string): Promise<string[]> {
  r.send('EHLO ' + id);
  const reply = await r.next();
  if (reply.code === 250) return reply.lines.map((l) => l.substring(4).toUpperCase());
  r.send('HELO ' + id);
  expect(await r.next(), [250], 'HELO');
  return [];
}

function has(ext: string[], keyword: string): boolean {
  return ext.some((e) => e === keyword || e.startsWith(keyword + ' '));
}

async function authenticate(r: ReplyReader, ext: string[], mail: SimMail): Promise<void> {
  const auth = ext.find((e) => e.startsWith('AUTH ') || e.startsWith('AUTH='));
  const mechanisms = auth ? auth.substring(5).split(/\s+/) : [];
  const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
  if (mechanisms.includes('PLAIN')) {
    r.send('AUTH PLAIN ' + b64('\0' + mail.user + '\0' + mail.password));
  } else if (mechanisms.includes('LOGIN')) {
    r.send('AUTH LOGIN');
    expect(await r.next(), [334], 'AUTH LOGIN');
    r.send(b64(mail.user));
    expect(await r.next(), [334], 'AUTH LOGIN user');
    r.send(b64(mail.password));
  } else {
    throw new SmtpFailure(SMTP_REFUSED_ERROR, 'the server offers no AUTH PLAIN or LOGIN');
  }
  expect(await r.next(), [235], 'AUTH');
}

function expect(reply: Reply, codes: number[], what: string): void {
  if (!codes.includes(reply.code)) throw new SmtpFailure(SMTP_REFUSED_ERROR, `${what} refused: ${reply.lines.join(' / ')}`);
}

/** Headers, then the body with CR LF line ends, dot-stuffed, and the end-of-data line. */
function message(mail: SimMail, clockSeconds: number): string {
  let head = `From: <${mail.from}>\r\nTo: <${mail.to}>\r\n`;
  if (mail.cc !== '') head += `Cc: <${mail.cc}>\r\n`;
  head += `Subject: ${mail.subject}\r\nDate: ${new Date(clockSeconds * 1000).toUTCString().replace('GMT', '+0000')}\r\n` +
    `MIME-Version: 1.0\r\nContent-Type: ${SMTP_CONTENT_TYPE}\r\n\r\n`;
  let body = mail.body.replace(/\r?\n/g, '\r\n');
  if (!body.endsWith('\r\n')) body += '\r\n';
  body = body.replace(/^\./gm, '..');
  return head + body + '.\r\n';
}
