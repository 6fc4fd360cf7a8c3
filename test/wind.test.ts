import { strict as assert } from 'assert';
import { decodeWind } from '../src/at/wind';

describe('+WIND decoder', () => {
  it('decodes the boot, link and fault indications with their parameters', () => {
    assert.equal(decodeWind('+WIND:1:Poweron:171117-0328fe3-SPWF04S')!.firmware, '171117-0328fe3-SPWF04S');
    assert.equal(decodeWind('+WIND:8:Hard Fault:HardFault_Handler')!.detail, 'HardFault_Handler');
    assert.equal(decodeWind('+WIND:5:WiFi Hardware Failure:3')!.kind, 'HardwareFailure');
    assert.equal(decodeWind('+WIND:3:Watchdog Running:20')!.kind, 'WatchdogRunning');
    assert.equal(decodeWind('+WIND:19:WiFi Join:00:11:22:33:44:55')!.bssid, '00:11:22:33:44:55');
    assert.equal(decodeWind('+WIND:25:WiFi Association successful:My:Net')!.ssid, 'My:Net');
    assert.equal(decodeWind('+WIND:40:WiFi Deauthentication:15')!.reason, 15);
    assert.equal(decodeWind('+WIND:33:WiFi Network Lost')!.kind, 'NetworkLost');
  });

  it('keeps IPv6 addresses whole and tells them from IPv4', () => {
    const v4 = decodeWind('+WIND:24:WiFi Up:0:192.168.1.42')!;
    assert.deepEqual([v4.ip, v4.ipv6], ['192.168.1.42', false]);
    const v6 = decodeWind('+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1')!;
    assert.deepEqual([v6.ip, v6.ipv6], ['fe80::280:e1ff:fe00:1', true]);
  });

  it('decodes client and server socket indications', () => {
    const c = decodeWind('+WIND:55:Pending Data::2:730:1460')!;
    assert.deepEqual([c.socket, c.server, c.received, c.pending], [2, undefined, 730, 1460]);
    const s = decodeWind('+WIND:55:Pending Data:1:3:10:10')!;
    assert.deepEqual([s.socket, s.server, s.client, s.pending], [undefined, 1, 3, 10]);
    const closed = decodeWind('+WIND:58:Socket Closed:4:1')!;
    assert.deepEqual([closed.socket, closed.reason], [4, 1]);
    const inc = decodeWind('+WIND:61:Incoming Socket Client:10.0.0.9:51000:0:1')!;
    assert.deepEqual([inc.peerIp, inc.peerPort, inc.server, inc.client], ['10.0.0.9', 51000, 0, 1]);
    const gone = decodeWind('+WIND:62:Socket Client Gone:10.0.0.9:51000:0:1:0')!;
    assert.deepEqual([gone.kind, gone.client, gone.reason], ['ClientGone', 1, 0]);
  });

  it('reads a pending-data number whole or not at all: a damaged one is NaN, never the digits before the damage', () => {
    const ev = decodeWind('+WIND:55:Pending Data::7x:730:14#0')!;
    assert.deepEqual([ev.kind, ev.received], ['PendingData', 730]);
    assert.ok(Number.isNaN(ev.socket), 'socket ' + ev.socket);
    assert.ok(Number.isNaN(ev.pending), 'pending ' + ev.pending);
  });

  it('decodes the NTP delivery into seconds since 1970', () => {
    const ev = decodeWind('+WIND:84:NTP Server delivery:26.11.30:4:05.12.44')!;
    assert.equal(ev.kind, 'NtpDelivery');
    assert.equal(ev.seconds, Date.UTC(2026, 10, 30, 5, 12, 44) / 1000);
    assert.equal(decodeWind('+WIND:84:NTP Server delivery:garbled')!.seconds, undefined);
  });

  it('reads an NTP date or time written otherwise than dd.dd.dd the lenient way', () => {
    const at = Date.UTC(2026, 10, 30, 5, 12, 44) / 1000;
    assert.equal(decodeWind('+WIND:84:NTP Server delivery:2026.11.30:4:5.12.44')!.seconds, at);
    assert.equal(decodeWind('+WIND:84:NTP Server delivery:on 26.11.30:4:05.12.44 UTC')!.seconds, at);
    assert.equal(decodeWind('+WIND:84:NTP Server delivery:26.1a.30:4:05.12.44')!.seconds, undefined);
  });

  it('decodes a number the same way every time, known or not (kinds are remembered, unknown ones are not)', () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(decodeWind('+WIND:51:WPA Handshake Complete')!.kind, 'WpaHandshakeComplete');
      assert.equal(decodeWind('+WIND:87:Not Yet Known')!.kind, 'Unknown');
    }
  });

  it('passes unknown numbers on as Unknown and refuses malformed lines', () => {
    const u = decodeWind('+WIND:250:Something New:a:b')!;
    assert.deepEqual([u.id, u.kind, u.text, u.params], [250, 'Unknown', 'Something New', ['a', 'b']]);
    assert.equal(decodeWind('+WIND:6')!.kind, 'Unknown');
    assert.equal(decodeWind('+WIND:abc:x'), undefined);
    assert.equal(decodeWind('+WIND:'), undefined);
    assert.equal(decodeWind('AT-S.OK'), undefined);
  });

  it('gives every UM2114 number its kind, whichever path decodes it', () => {
    const kinds: [number, string][] = [
      [0, 'ConsoleActive'],
      [1, 'PowerOn'],
      [2, 'Reset'],
      [3, 'WatchdogRunning'],
      [4, 'LowMemory'],
      [5, 'HardwareFailure'],
      [7, 'ConfigurationFailure'],
      [8, 'HardFault'],
      [9, 'StackOverflow'],
      [11, 'RadioStartupFailure'],
      [13, 'Copyright'],
      [14, 'BssRegained'],
      [15, 'SignalLow'],
      [16, 'SignalOk'],
      [19, 'Join'],
      [20, 'JoinFailed'],
      [21, 'Scanning'],
      [23, 'ScanFailed'],
      [24, 'WifiUp'],
      [25, 'Associated'],
      [26, 'ApStarted'],
      [27, 'ApStartFailed'],
      [28, 'StationAssociated'],
      [29, 'DhcpReply'],
      [30, 'BssLost'],
      [31, 'WifiException'],
      [32, 'HardwareStarted'],
      [33, 'NetworkLost'],
      [35, 'ScanComplete'],
      [38, 'PoweredDown'],
      [39, 'MiniApMode'],
      [40, 'Deauthentication'],
      [41, 'Disassociation'],
      [45, 'AuthIllegal'],
      [46, 'CrunchingPsk'],
      [49, 'WpaTerminated'],
      [50, 'WpaStartFailed'],
      [51, 'WpaHandshakeComplete'],
      [52, 'GpioInterrupt'],
      [53, 'Wakeup'],
      [55, 'PendingData'],
      [58, 'SocketClosed'],
      [61, 'IncomingClient'],
      [62, 'ClientGone'],
      [63, 'DroppingData'],
      [65, 'FactoryReset'],
      [67, 'Standby'],
      [68, 'ResumeStandby'],
      [73, 'ConfigurationUpdated'],
      [74, 'RejectedNetwork'],
      [75, 'RejectedAssociation'],
      [76, 'AuthTimeout'],
      [77, 'AssociationTimeout'],
      [78, 'MicFailure'],
      [81, 'WpsGeneratingKeys'],
      [82, 'WpsTimeout'],
      [83, 'DroppingClient'],
      [84, 'NtpDelivery'],
      [85, 'DhcpFailed'],
    ];
    for (const [id, kind] of kinds) assert.equal(decodeWind('+WIND:' + id + ':Some Text:1:2')!.kind, kind, 'WIND ' + id);
    for (const id of [6, 10, 12, 17, 54, 56, 86, 250]) assert.equal(decodeWind('+WIND:' + id + ':x')!.kind, 'Unknown', 'WIND ' + id);
  });
});
