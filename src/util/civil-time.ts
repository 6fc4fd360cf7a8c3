// Civil dates to seconds since 1970 without Date.UTC (Espruino lacks it).

/** Days from 1970-01-01 to a civil date (proleptic Gregorian); Espruino has no Date.UTC. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The numbers of the first `a.b.c` (digits, dot, digits, dot, digits) in a field; [] when there is none.
 *  No RegExp: Espruino's quantifiers are too weak to trust with this. */
export function dotted(v: string | undefined): number[] {
  if (v === undefined) return [];
  for (let i = 0; i < v.length; i++) {
    const out: number[] = [];
    let j = i;
    while (out.length < 3) {
      const from = j;
      while (j < v.length && v.charCodeAt(j) >= 48 && v.charCodeAt(j) <= 57) j++;
      if (j === from) break;
      out.push(parseInt(v.substring(from, j), 10));
      if (out.length < 3) {
        if (v.charAt(j) !== '.') break;
        j++;
      }
    }
    if (out.length === 3) return out;
  }
  return [];
}

/** Seconds since 1970 from [Y, M, D] and [h, m, s]. A two-digit year is read as the module prints it:
 *  70-99 -> 1970-1999 (a reset clock reads 1970), else 20xx. */
export function civilSeconds(date: number[], time: number[]): number {
  const y = date[0];
  return daysFromCivil(y >= 100 ? y : y >= 70 ? 1900 + y : 2000 + y, date[1], date[2]) * 86400 + time[0] * 3600 + time[1] * 60 + time[2];
}
