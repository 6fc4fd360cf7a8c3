// An application for Moddable XS: join a WPA2 network, open a TLS socket and exchange a line, make an
// HTTPS GET, and stay connected. The same steps as examples/espruino/app.js; the settings (UART, pins,
// network, peers) are in this folder's manifest.json under "config" (import "mc/config").
//
// On a NUCLEO-F401RE with an X-NUCLEO-IDW04A1 this needs Moddable's Zephyr port, which has no target for
// this board yet and no Preference: see the README ("Moddable XS"). What runs here is the same layer as
// on Espruino; what is unproven is the Moddable-on-STM32 part below it.

import { start } from "spwf04";
import config from "mc/config";

// Zephyr has no Preference: the layer's few records (e.g. what was provisioned) are kept in memory here.
const kept = {};
const memory = {
  read(name) { return kept[name]; },
  write(name, data) { kept[name] = data; return true; },
  erase(name) { delete kept[name]; },
  list(prefix) { return Object.keys(kept).filter((k) => k.startsWith(prefix)); },
};

const wifi = start({
  port: config.uart,         // "usart1": D2 (PA10) module TX -> host, D8 (PA9) host TX -> module
  receive: config.receive,   // PA10 (ignored on Zephyr: the devicetree's pinctrl sets the pins)
  transmit: config.transmit, // PA9
  reset: config.reset,       // PA8 (D7), the module's reset line
  ssid: config.ssid,
  psk: config.psk,
  storage: config.preference ? undefined : memory,
});

// Staying connected: every change of the link, with what the layer is doing about it.
wifi.link.on("state", (state, info) => trace(`link: ${state} ${info ? JSON.stringify(info) : ""}\n`));
wifi.on("error", (e) => trace(`wifi error: ${e.code} ${e.message}\n`));

let done = false;
wifi.on("up", async (ip) => {
  trace(`joined ${config.ssid} as ${ip}\n`);
  if (done) return;
  done = true;
  try {
    await tlsExchange();
    const res = await wifi.http.get({ host: config.httpsHost, port: config.httpsPort, path: config.httpsPath, tls: 2 });
    trace(`https status ${res.status} body ${JSON.stringify(res.body.substring(0, 40))}\n`);
    trace("all done; staying connected\n");
  } catch (e) {
    trace(`failed: ${e.code} ${e.message}\n`);
  }
});

// A TLS socket: the module checks the peer's certificate against its CA and the host name.
async function tlsExchange() {
  const sock = await wifi.open(config.tlsHost, config.tlsPort, "s");
  const line = await new Promise((resolve, reject) => {
    let got = "";
    sock.on("data", (d) => {
      got += d;
      if (got.includes("\n")) resolve(got.split("\n")[0]);
    });
    sock.on("error", reject); // a failed write is reported here too
    sock.write(config.tlsHello);
  });
  trace(`tls answer: ${JSON.stringify(line)}\n`);
  await sock.close();
}
