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

const WORDS: { [word: string]: CertSlot } = {
  ca: 'ca', rootca: 'ca', cacert: 'ca',
  cert: 'cert', certificate: 'cert', clientcert: 'cert',
  key: 'key', privatekey: 'key', private: 'key',
  auth: 'auth', authority: 'auth', authkeyid: 'auth', authkey: 'auth',
};
const EMPTY_WORDS = ['no', 'none', 'empty', 'not'];

/** Lower-case words of a line: runs of letters and digits. No RegExp split: Espruino's is minimal. */
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

/** The kinds of items a content,1 answer lists, each once, in the order ca, cert, key, auth. */
export function parseCertListing(res: Response): CertSlot[] {
  const seen: { [slot: string]: boolean } = {};
  for (let i = 0; i < res.lines.length; i++) {
    const w = words(res.lines[i]);
    let empty = false;
    for (let j = 0; j < w.length; j++) if (EMPTY_WORDS.indexOf(w[j]) >= 0) empty = true;
    if (empty) continue;
    for (let j = 0; j < w.length; j++) {
      // hasOwnProperty: a word such as "constructor" must not reach Object.prototype.
      if (Object.prototype.hasOwnProperty.call(WORDS, w[j])) {
        const slot = WORDS[w[j]];
        seen[slot] = true;
        break;
      }
    }
  }
  const out: CertSlot[] = [];
  const order: CertSlot[] = ['ca', 'cert', 'key', 'auth'];
  for (let i = 0; i < order.length; i++) if (seen[order[i]]) out.push(order[i]);
  return out;
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
