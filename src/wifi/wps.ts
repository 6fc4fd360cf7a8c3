// WPS PINs (application note 2.1.1, 3.2.1.1): 8 digits, the last one a checksum of the first seven
// (Wi-Fi Simple Configuration: weights 3,1,3,1,3,1,3 from the first digit, then the complement to 10).
// The module computes the checksum itself for AT+S.WPS=1 from the 7 digits of wifi_wps_pin; the host
// computes it too, to hand the application the full PIN to type into the access point.

/** The checksum digit of a PIN's first seven digits. */
export function wpsChecksum(pin: string): number {
  let acc = 0;
  for (let i = 0; i < 7; i++) acc += (pin.charCodeAt(i) - 48) * (i % 2 ? 1 : 3);
  return (10 - (acc % 10)) % 10;
}

/** 7 digits, or 8 whose last one is their checksum -> the full 8-digit PIN; undefined otherwise. */
export function wpsPin(pin: string): string | undefined {
  if (typeof pin !== 'string' || pin.length < 7 || pin.length > 8 || !/^[0-9]+$/.test(pin)) return undefined;
  const full = pin.substring(0, 7) + wpsChecksum(pin);
  return pin.length === 8 && pin !== full ? undefined : full;
}
