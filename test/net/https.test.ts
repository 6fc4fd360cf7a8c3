import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { netBench, netPki, provision, type NetBench, type NetPki } from './helpers';
import { framerPending } from '../helpers/introspect';

// HTTP(S) through the module's own client (AT+S.HTTPGET / AT+S.HTTPPOST, AN §3.1.7, §4.6): the core's Http
// against a Node HTTPS (and HTTP) server on 127.0.0.1, through the simulated module.

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const BIG = 200 * 1024;

/** Deterministic bytes of the big response. */
function bigBytes(): Buffer {
  const b = Buffer.alloc(BIG);
  for (let i = 0; i < BIG; i++) b[i] = (i * 7 + (i >> 8)) & 0xff;
  return b;
}

describe('HTTP(S) end to end (Node HTTPS server)', function () {
  this.timeout(20000);
  let pki: NetPki;
  let b: NetBench | undefined;
  const servers: net.Server[] = [];
  let seen: Seen[] = [];

  before(function () {
    this.timeout(60000);
    pki = netPki();
  });

  afterEach(async () => {
    b?.close();
    b = undefined;
    for (const s of servers.splice(0)) {
      (s as http.Server).closeAllConnections?.();
      await new Promise((r) => s.close(r));
    }
    seen = [];
  });

  const handler: http.RequestListener = (req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (d: string) => { body += d; });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/hello') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('hello world');
      } else if (req.url === '/echo') {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], auth: req.headers.authorization, body }));
      } else if (req.url === '/big') {
        // Streamed in pieces, chunked (no Content-Length): the module hands on the body as it comes.
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        const data = bigBytes();
        let at = 0;
        const pump = () => {
          while (at < data.length) {
            const ok = res.write(data.subarray(at, at + 8192));
            at += 8192;
            if (!ok) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('nope');
      }
    });
  };

  function serve(kind: 'https' | 'http', cert = 'localhost.pem'): Promise<number> {
    const s = kind === 'https' ? https.createServer({ cert: pki.read(cert), key: pki.read('server.key') }, handler) : http.createServer(handler);
    servers.push(s);
    return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)));
  }

  async function bench(): Promise<NetBench> {
    b = await netBench({ chunkSize: 512 });
    await provision(b, pki, { ca: 'ca.pem' });
    return b;
  }

  it('HTTPS GET (TLS 2): status and body; the module checked the server against its CA, clock and <host>', async () => {
    await bench();
    const port = await serve('https');
    const res = await b!.conn.http.get({ host: 'localhost', port, tls: 2, path: '/hello' });
    assert.deepEqual(res, { status: 200, body: 'hello world', bytes: 11 });
    assert.ok(b!.trace.includes(`> AT+S.HTTPGET=localhost,/hello,${port},2,,,,`));
    assert.ok(b!.trace.some((l) => /^> AT\+S\.TIME=\d+$/.test(l)), 'the clock gate ran first');
    assert.deepEqual(b!.sim.tlsLog.slice(-1), [{ role: 'http', peer: 'localhost:' + port, ok: true }]);
    assert.equal(seen[0]!.headers['user-agent'], 'SPWF04S');
  });

  it('HTTPS POST with user and password: the body goes up as a module file, Basic authentication, 201 back', async () => {
    await bench();
    const port = await serve('https');
    const res = await b!.conn.http.post({ host: 'localhost', port, tls: 2, path: '/echo', user: 'me', password: 's3cret' }, 'temp=21.5&hum=40');
    assert.equal(res.status, 201);
    assert.deepEqual(JSON.parse(res.body), {
      method: 'POST',
      type: 'application/x-www-form-urlencoded',
      auth: 'Basic ' + Buffer.from('me:s3cret').toString('base64'),
      body: 'temp=21.5&hum=40',
    });
    assert.ok(b!.trace.includes(`> AT+S.HTTPPOST=localhost,/echo,${port},2,me,********,,post.body`), 'password masked in the trace');
    assert.deepEqual(b!.sim.files(), [], 'the body file is removed afterwards');
  });

  it('a body larger than the host\'s memory budget (200 KB) is streamed through onData, never held', async () => {
    await bench();
    const port = await serve('https');
    const hash = createHash('sha256');
    let chunks = 0;
    let largestChunk = 0;
    let largestPending = 0;
    const res = await b!.conn.http.get({
      host: 'localhost', port, tls: 2, path: '/big',
      onData: (chunk) => {
        chunks++;
        largestChunk = Math.max(largestChunk, chunk.length);
        largestPending = Math.max(largestPending, framerPending(b!.conn.engine.framer));
        hash.update(Buffer.from(chunk, 'latin1'));
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body, '', 'nothing collected');
    assert.equal(res.bytes, BIG);
    assert.equal(hash.digest('hex'), createHash('sha256').update(bigBytes()).digest('hex'));
    assert.ok(chunks > 100, `${chunks} chunks`);
    assert.ok(largestChunk <= 512, `largest chunk ${largestChunk} (the UART chunk)`);
    assert.ok(largestPending <= 1024, `framer held ${largestPending} bytes at most`);
  });

  it('without onData, a body over maxBody fails with Overflow instead of growing', async () => {
    await bench();
    const port = await serve('https');
    await assert.rejects(b!.conn.http.get({ host: 'localhost', port, tls: 2, path: '/big', maxBody: 1000 }), (e: any) => e.code === 'Overflow');
  });

  it('plain HTTP with TLS 0, and TLS 1 on a port other than 443 (automatic: plain); a 404 is an answer', async () => {
    await bench();
    const port = await serve('http');
    assert.deepEqual(await b!.conn.http.get({ host: 'localhost', port, tls: 0, path: '/hello' }), { status: 200, body: 'hello world', bytes: 11 });
    assert.deepEqual(await b!.conn.http.get({ host: '127.0.0.1', port, tls: 1, path: '/missing' }), { status: 404, body: 'nope', bytes: 4 });
    assert.deepEqual(b!.sim.tlsLog.filter((e) => e.role === 'http'), [], 'no TLS for either');
  });

  it('HTTPS failures: wrong CA, CN other than <host>, expired — TlsFailed (module error 74) with the likely causes, nothing sent to the server', async () => {
    await bench();
    for (const [cert, host, why] of [
      ['other-localhost.pem', 'localhost', /is not signed by/],
      ['localhost.pem', '127.0.0.1', /CN is "localhost", expected "127.0.0.1"/],
      ['expired.pem', 'localhost', /expired on/],
    ] as const) {
      const port = await serve('https', cert);
      await assert.rejects(b!.conn.http.get({ host, port, tls: 2, path: '/hello' }), (e: any) =>
        e.code === 'TlsFailed' && e.moduleCode === 74 && e.reasons.some((r: string) => r.indexOf('CN must be exactly "' + host + '"') >= 0));
      assert.match(b!.sim.tlsLog[b!.sim.tlsLog.length - 1]!.why!, why);
    }
    assert.deepEqual(seen, []);
  });

  it('a server that never answers the request: 111 after the module\'s wait, and the engine goes on', async () => {
    b = await netBench({ timing: { serviceTimeoutMs: 200 } });
    const mute = net.createServer((c) => { c.on('error', () => undefined); c.resume(); });
    servers.push(mute);
    const port = await new Promise<number>((r) => mute.listen(0, '127.0.0.1', () => r((mute.address() as net.AddressInfo).port)));
    await assert.rejects(b.conn.http.get({ host: 'localhost', port, tls: 0, path: '/' }), (e: any) => e.moduleCode === 111);
    const ok = await serve('http');
    assert.equal((await b.conn.http.get({ host: 'localhost', port: ok, path: '/hello' })).status, 200);
  });
});
