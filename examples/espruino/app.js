// An application for a NUCLEO-F401RE carrying an X-NUCLEO-IDW04A1 (SPWF04S), in Espruino: join a WPA2
// network, open a TLS socket and exchange a line, make an HTTPS GET, and stay connected (the layer
// rejoins by itself after a loss; the link events below say what it is doing).
//
// Upload it with the modules: spwf04 flash --port /dev/ttyACM0 --app examples/espruino/app.js
// Settings: edit DEFAULTS, or keep them in a Storage file so the code stays as it is, from the console:
//   require("Storage").writeJSON("app-config.json", { ssid: "MyNetwork", psk: "my passphrase" })
// The TLS peers must present a certificate the module trusts: their CA must be in the module. Keep it on
// the desktop (spwf04 cert add tls-ca ca.pem), put it on the board (spwf04 flash --certs): the
// application then makes the module hold it (wifi.certs.sync(), which sends only what differs). The
// module's clock must be set too: it gets the time by NTP once joined, and TLS waits for it.

var DEFAULTS = {
  ssid: "MyNetwork",
  psk: "my passphrase",
  tls: { host: "example.org", port: 443, hello: "HEAD / HTTP/1.0\r\nHost: example.org\r\n\r\n" },
  https: { host: "example.org", port: 443, path: "/" },
  // The module's UART and reset line; another board (or Espruino for Linux) gives its own in the config.
  serial: null
};

var config = Object.assign({}, DEFAULTS, require("Storage").readJSON("app-config.json", true) || {});
var serial = config.serial || { rx: A10, tx: A9, reset: Nucleo.D7 }; // USART1: module TX on D2, host TX on D8

var wifi = require("spwf04").start(Serial1, {
  rx: serial.rx, tx: serial.tx, reset: serial.reset, path: serial.path,
  ssid: config.ssid, psk: config.psk
});

// Staying connected: every change of the link, with what the layer is doing about it.
wifi.link.on("state", function (state, info) {
  console.log("link:", state, info ? JSON.stringify(info) : "");
});
wifi.on("error", function (e) { console.log("wifi error:", e.code, e.message); });

var done = false;
wifi.on("up", function (ip) {
  console.log("joined", config.ssid, "as", ip);
  if (done) return; // a rejoin after a loss: the link is back, nothing more to do
  done = true;
  syncCertificates().then(tlsExchange).then(httpsGet).then(function () {
    console.log("all done; staying connected");
  }).catch(function (e) {
    console.log("failed:", e.code, e.message);
  });
});

// The certificates put on the board by `spwf04 flash --certs`, into the module (only if there are any:
// with none on the board, a sync would empty the module's own store).
function syncCertificates() {
  if (!require("Storage").list(/^spwf\.spwfc\./).length) return Promise.resolve();
  return wifi.certs.sync().then(function (reports) {
    reports.forEach(function (r) { console.log("certificates:", r.family, r.action); });
  });
}

// A TLS socket: the module checks the peer's certificate against its CA and the host name.
function tlsExchange() {
  return wifi.open(config.tls.host, config.tls.port, "s").then(function (sock) {
    return new Promise(function (resolve, reject) {
      var got = "";
      sock.on("data", function (d) {
        got += d;
        if (got.indexOf("\n") < 0) return;
        console.log("tls answer:", JSON.stringify(got.split("\n")[0]));
        sock.close().then(resolve, reject);
      });
      sock.on("error", reject); // a failed write is reported here too
      sock.write(config.tls.hello);
    });
  });
}

// HTTPS through the module's own HTTP client (tls: 2 = HTTPS, checked like the socket).
function httpsGet() {
  return wifi.http.get({ host: config.https.host, port: config.https.port, path: config.https.path, tls: 2 })
    .then(function (res) {
      console.log("https status", res.status, "body", JSON.stringify(res.body.substring(0, 40)));
    });
}
