// The application API of the `spwf04` module (the SPWF04S connectivity layer), the same on Espruino and on
// Moddable XS; how it is started differs: see espruino.d.ts and moddable.d.ts, which an application
// includes (one of them) to be type-checked. Every operation returns a Promise; failures are SpwfError.
// Kept in step with src/ by test/types (the real classes must satisfy these declarations).

declare namespace Spwf04 {
  type ErrorCode =
    | 'Timeout' | 'ModuleError' | 'Busy' | 'Overflow' | 'Limit' | 'InvalidParameter' | 'ModuleReset'
    | 'NotReady' | 'LinkDown' | 'JoinFailed' | 'SocketClosed' | 'TimeNotSet' | 'CertRejected' | 'TlsFailed'
    | 'FirmwareRejected' | string;

  /** An Error with a code a program can act on; `reasons` lists what a user can check. */
  interface SpwfError extends Error {
    code: ErrorCode;
    /** The module's numeric error code (ModuleError). */
    moduleCode?: number;
    moduleName?: string;
    moduleText?: string;
    /** The command that failed, secrets masked. */
    command?: string;
    reasons?: string[];
  }

  type Listener = (a?: any, b?: any) => void;

  interface Events {
    on(event: string, fn: Listener): void;
    off(event: string, fn: Listener): void;
  }

  /** A network to join: WPA2-PSK (ssid + psk), open (ssid), WPS (button or PIN) or WPA2-Enterprise (eap). */
  interface Network {
    ssid?: string;
    psk?: string;
    wps?: 'button' | 'pin';
    pin?: string;
    eap?: object;
  }

  type LinkState = 'down' | 'joining' | 'up' | 'lost' | 'recovering' | 'failed';

  /** The Wi-Fi link; 'state' (state, info) on every change: joining, up, lost (info.cause), recovering
   *  (info.step: wait, rejoin, soft-reset, hard-reset), failed (info.reason). */
  interface Link extends Events {
    readonly state: LinkState;
    readonly ip: string;
    readonly ipv6: string;
  }

  /** What every socket has (a client socket, a server's client): a byte stream with flow control. Events:
   *  'data' (string), 'end', 'close', 'error' (SpwfError), 'drain'. An 'error' is always followed by 'close'
   *  (the layer closes the socket in the module itself) and says what is known: the bytes not sent, and
   *  "unknown" where the outcome is — a write whose answer was lost, a read whose answer was lost (received
   *  bytes may be missing), a socket lost with the module's restart (the last of the bytes the module
   *  accepted may not have reached the peer). The module's OK to a write means it took the bytes, not that
   *  the peer got them; a protocol that must know has the peer confirm. */
  interface Stream extends Events {
    readonly id: number;
    /** Queues the bytes; false when the queue is over its high-water mark: wait for 'drain' before writing
     *  more (as Node streams do). A failed write is reported as 'error' (never resent); throws once the
     *  socket is closed or failed. */
    write(data: string): boolean;
    close(): Promise<void>;
    /** Stop and go on reading (the module keeps what arrives meanwhile). */
    pause(): void;
    resume(): void;
    /** Bytes the module has taken so far, and bytes still queued for it. */
    readonly bytesWritten: number;
    readonly writableLength: number;
    /** Queued bytes above which write() returns false (1460 by default). */
    highWater: number;
    readonly closed: boolean;
    /** The peer closed its side (no more data will come). */
    readonly peerClosed: boolean;
  }

  interface Socket extends Stream {
    readonly remoteIp: string;
    readonly tls: boolean;
  }

  /** A client of a server: a socket with the peer's address. */
  interface ServerClient extends Stream {
    readonly peerIp: string;
    readonly peerPort: number;
  }

  interface Server extends Events {
    readonly id: number;
    readonly port: number;
    list(): ServerClient[];
    close(): Promise<void>;
  }

  interface HttpRequest {
    host: string;
    path?: string;
    port?: number;
    /** 0 HTTP, 1 automatic, 2 HTTPS (checked against the module's CA and the host name). */
    tls?: 0 | 1 | 2;
    user?: string;
    password?: string;
    /** Receives the body as it arrives; without it the body is collected (up to maxBody). */
    onData?: (chunk: string) => void;
    /** Bound on a collected body (default 4096 bytes). */
    maxBody?: number;
  }

  interface HttpResponse {
    status: number;
    body: string;
    bytes: number;
  }

  interface Http {
    get(req: HttpRequest): Promise<HttpResponse>;
    post(req: HttpRequest, body: string): Promise<HttpResponse>;
  }

  interface Mail {
    host: string;
    port?: number;
    /** 0 none, 8 STARTTLS or fail, 5 SMTPS then STARTTLS then plain, 9 SMTPS then STARTTLS or fail. */
    tls?: 0 | 5 | 8 | 9;
    user?: string;
    password?: string;
    heloId?: string;
    from: string;
    to: string;
    subject: string;
    body: string;
  }

  interface Smtp {
    send(mail: Mail): Promise<void>;
  }

  interface FirmwareUpdateOptions {
    host: string;
    path: string;
    port?: number;
    tls?: 0 | 1 | 2;
    user?: string;
    password?: string;
    /** The AES-128 key of a secure packet: 32 hex digits or 16 bytes. */
    key?: string;
    /** The version in the packet (<yymmdd>-<build>). */
    version?: string;
  }

  interface CertificateReport {
    family: 'tls' | 'eap';
    /** 'unchanged': nothing was sent; 'provisioned': erased and uploaded; 'erased': emptied. */
    action: 'unchanged' | 'provisioned' | 'erased';
    why?: string;
    held: string[];
    warnings: string[];
  }

  /** The certificates kept in the board's flash (put there by `spwf04 flash --certs`). */
  /** A failed store operation: 'missing', 'damaged', 'invalid' (bad name or data) or 'failed' (flash). */
  interface StoreFailure {
    ok: false;
    reason: 'missing' | 'damaged' | 'invalid' | 'failed';
    error: SpwfError;
  }

  /** Certificates and keys in the board's flash, two slots an entry, each checked by its SHA-256. Entry names:
   *  tls-ca, tls-cert, tls-key, tls-auth, eap-ca, eap-cert, eap-key. */
  interface CertStore {
    get(name: string): { ok: true; bytes: string; hash: string; seq: number; warning?: string } | StoreFailure;
    put(name: string, bytes: string): { ok: true; hash: string; seq: number; unchanged: boolean } | StoreFailure;
    remove(name: string): { ok: true } | StoreFailure;
    list(): string[];
  }

  interface BoardCertificates {
    /** What the board keeps; sync() takes it to the module. */
    readonly store: CertStore;
    /** Make the module hold what the board's store holds (sends nothing when it already does). */
    sync(): Promise<CertificateReport[]>;
  }

  interface ModuleClock {
    /** Resolves once the module's clock can be trusted for certificate checks (else TimeNotSet). */
    ensureGood(): Promise<void>;
  }

  /** What start() returns. Events: 'ready' (the module answers), 'up' (ip, after the join start() was
   *  given), 'error' (SpwfError), 'link' (state, info). */
  interface Connectivity extends Events {
    readonly link: Link;
    readonly clock: ModuleClock;
    /** HTTP(S) through the module's client (on Espruino: the spwf04-http module, loaded on first use). */
    readonly http: Http;
    readonly smtp: Smtp;
    /** On Espruino: the spwf04-certs module, loaded on first use. */
    readonly certs: BoardCertificates;
    start(): Promise<void>;
    join(net: Network): Promise<string>;
    /** 't' TCP, 'u' UDP, 's' TLS checked against `host`, or TLS checked against the name given instead. */
    open(host: string, port: number, kind: string): Promise<Socket>;
    listen(port: number, kind: 't' | 'u' | 's1' | 's2'): Promise<Server>;
    updateFirmware(opts: FirmwareUpdateOptions): Promise<{ from: string; to: string }>;
    stop(): void;
  }

  type LogLevel = 'debug' | 'info' | 'warn' | 'error';

  /** Options both hosts take. */
  interface CommonOptions {
    /** Join this network once the module answers. */
    ssid?: string;
    /** WPA2 passphrase (8-63 characters or 64 hex digits); leave it out for an open network. */
    psk?: string;
    /** UART speed; the module's factory default is 115200. */
    baud?: number;
    log?: LogLevel | 'none' | ((level: LogLevel, message: string) => void);
    link?: { joinTimeoutMs?: number };
    clock?: { trustHostClock?: boolean; skipDateChecks?: boolean; waitMs?: number };
  }
}
