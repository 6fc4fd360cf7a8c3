// What the module says it holds: the answer of AT+S.TLSCERT=content,1 / AT+S.WPAECERT=content,1, and
// the files of the filesystem convention (application note 3.1.5: tls.cert, tls.key, <ski hex>.ca).
//
// The listing's format is [unknown] (protocol reference §11.9), so it is read leniently: every
// intermediate line that names a kind of item is one item; the first kind word of a line counts
// ("CA Certificate" is the CA, "Client Certificate" the certificate), and a line that says the store
// is empty ("no", "none", "empty", "not") names nothing. The simulator prints `AT-S.Content:<kind>:<size>`.

import { CertSlot } from '../at/commands';
import { Response } from '../at/engine';
import { FileEntry } from '../at/parse';

/** The slot a word of a listing names, or undefined. A switch, not a table: on the board a table is copied
 *  into RAM when the module loads, code stays in flash. */
function slotOfWord(w: string): CertSlot | undefined {
  switch (w) {
    case 'ca': case 'rootca': case 'cacert': case 'cacertificate': case 'trusted':
      return 'ca';
    case 'cert': case 'certificate': case 'clientcert': case 'crt': case 'clientcrt': case 'owncert':
      return 'cert';
    case 'key': case 'privatekey': case 'private': case 'pkey': case 'clientkey':
      return 'key';
    case 'auth': case 'authority': case 'authkeyid': case 'authkey': case 'keyid': case 'subjectkeyid': case 'ski': case 'aki':
      return 'auth';
  }
  return undefined;
}

/** Words that say an item is absent, on its own segment: "no CA", "key: none", "cert:0", "ca=absent". */
function isEmptyWord(w: string): boolean {
  switch (w) {
    case 'no': case 'none': case 'empty': case 'not': case 'absent': case 'missing': case 'false': case 'null': case '0':
      return true;
  }
  return false;
}

/** Lower-case words of a text: runs of letters and digits. No RegExp split: Espruino's is minimal. */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  const l = line.toLowerCase();
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) cur += l.charAt(i);
    else if (cur.length) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** A line cut where one item ends and the next begins: at ",", ";", "|" and TAB. */
function segments(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 44;
    if (c === 44 || c === 59 || c === 124 || c === 9) {
      out.push(line.substring(start, i));
      start = i + 1;
    }
  }
  return out;
}

/**
 * The kinds of items a content,1 answer lists, each once, in the order ca, cert, key, auth. Plausible
 * forms, all read: one item per line ("AT-S.Content:ca:1302", "AT-S.CA Certificate loaded", "Private
 * Key", "AT-S.client.crt"), several on a line ("AT-S.Content:ca,cert,key"), a state per item ("ca:1",
 * "cert:0", "key: none", "auth=absent"), an empty store ("No certificates stored"). In each part the
 * first kind word counts ("CA Certificate" is the CA, "Client Certificate" the certificate); a part that
 * says the item is absent names nothing.
 */
export function parseCertListing(res: Response): CertSlot[] {
  const seen: { [slot: string]: boolean } = {};
  for (let i = 0; i < res.lines.length; i++) {
    const parts = segments(res.lines[i]);
    for (let p = 0; p < parts.length; p++) {
      const w = words(parts[p]);
      let empty = false;
      for (let j = 0; j < w.length; j++) if (isEmptyWord(w[j])) empty = true;
      if (empty) continue;
      for (let j = 0; j < w.length; j++) {
        const slot = slotOfWord(w[j]);
        if (slot !== undefined) {
          seen[slot] = true;
          break;
        }
      }
    }
  }
  const out: CertSlot[] = [];
  const order: CertSlot[] = ['ca', 'cert', 'key', 'auth'];
  for (let i = 0; i < order.length; i++) if (seen[order[i]]) out.push(order[i]);
  return out;
}

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * A key id in a line of the module's answer to a CA upload (its format is [unknown]), lower-case hex: one
 * run of at least 16 hex digits, plain ("c07a…"), with "0x", or as byte pairs separated by ":", " " or
 * "-" ("C0:7A:…", "c0 7a …"), after a label ("AT-S.SubjectKeyId:…", "AT-S.Id=…", "AT-S.CA:…") or not.
 * The longest run wins. Undefined when there is none.
 */
export function parseKeyIdLine(line: string): string | undefined {
  let v = line;
  if (v.indexOf('AT-S.') === 0) {
    // "AT-S.<label>:<value>": the label may itself look like hex ("CA"), so only the value is read.
    const c = v.indexOf(':');
    const e = v.indexOf('=');
    const cut = c < 0 ? e : e < 0 ? c : Math.min(c, e);
    v = cut < 0 ? v.substring(5) : v.substring(cut + 1);
  }
  v = v.toLowerCase();
  let best = '';
  let pairs = '';
  let tok = '';
  for (let i = 0; i <= v.length; i++) {
    const ch = i < v.length ? v.charAt(i) : ' ';
    if (ch !== ':' && ch !== ' ' && ch !== '-' && ch !== '\t' && ch !== '=' && ch !== ',') {
      tok += ch;
      continue;
    }
    if (tok.length === 2 && isHex(tok)) pairs += tok;
    else {
      if (pairs.length > best.length) best = pairs;
      pairs = '';
      const t = tok.indexOf('0x') === 0 ? tok.substring(2) : tok;
      if (t.length > best.length && isHex(t)) best = t;
    }
    tok = '';
  }
  if (pairs.length > best.length) best = pairs;
  return best.length >= 16 && (best.length & 1) === 0 ? best : undefined;
}

/** The file names of the convention, without a leading "/" (drivers prefix one, the note does not). */
export function conventionName(name: string): string | undefined {
  const n = name.charAt(0) === '/' ? name.substring(1) : name;
  if (n === 'tls.cert' || n === 'tls.key') return n;
  if (n.length > 3 && n.substring(n.length - 3) === '.ca') return n;
  return undefined;
}

/** The files of the module's filesystem that make up its TLS store, by convention name, with their sizes
 *  and the names the module lists them under. */
export function conventionFiles(files: FileEntry[]): { [name: string]: { size: number; listed: string } } {
  const out: { [name: string]: { size: number; listed: string } } = {};
  for (let i = 0; i < files.length; i++) {
    const n = conventionName(files[i].name);
    if (n !== undefined) out[n] = { size: files[i].size, listed: files[i].name };
  }
  return out;
}
