// Configuration variables: the running set (SCFG/GCFG), the set saved in flash (WCFG, loaded at every
// boot) and the factory set (FCFG). Values are kept in their display form.

import { FACTORY_CONFIG, FCFG_ALSO_ERASES_SAVED_CONFIG, READ_ONLY_VARIABLE_ERROR, VarFormat } from './choices';
import { E } from './errors';
import { passphraseProblem } from './wifi-params';

export class ConfigStore {
  private running = new Map<string, string>();
  private saved = new Map<string, string>();

  /** `flash` and `flashSsid`: what the module's flash already holds (as if set and saved with WCFG). */
  constructor(flash: Readonly<Record<string, string>> = {}, flashSsid?: string) {
    this.saved = factoryValues();
    for (const name of Object.keys(flash)) {
      const value = normalize(name, flash[name]!);
      if (value === undefined) throw new Error(`SimModule saved config: unknown variable or bad value: ${name}`);
      this.saved.set(name, value);
    }
    if (flashSsid !== undefined) this.saved.set('wifi_ssid', textToHex(flashSsid));
    this.loadSaved();
  }

  names(): string[] {
    return [...this.running.keys()];
  }

  has(name: string): boolean {
    return this.running.has(name);
  }

  /** Running value in display form, as GCFG prints it. */
  get(name: string): string | undefined {
    return this.running.get(name);
  }

  /** Value saved in flash. */
  getSaved(name: string): string | undefined {
    return this.saved.get(name);
  }

  number(name: string): number {
    return Number(this.running.get(name) ?? NaN);
  }

  /** The SSID as text (wifi_ssid is shown as hex bytes). */
  ssid(): string {
    return hexToText(this.running.get('wifi_ssid') ?? '') ?? '';
  }

  setSsid(text: string): void {
    this.running.set('wifi_ssid', textToHex(text));
  }

  /** SCFG: 0 on success, else the module error code. */
  set(name: string, value: string): number {
    const def = FACTORY_CONFIG[name];
    if (!def) return E.variableNotFound;
    if (def.readOnly) return READ_ONLY_VARIABLE_ERROR;
    if (name === 'wifi_wpa_psk_text' && value !== '') {
      const bad = passphraseProblem(value);
      if (bad) return bad.code;
    }
    const normalized = normalize(name, value);
    if (normalized === undefined) return E.invalidArguments;
    this.running.set(name, normalized);
    return 0;
  }

  /** WCFG */
  save(): void {
    this.saved = new Map(this.running);
  }

  /** FCFG */
  restoreFactory(): void {
    this.running = factoryValues();
    if (FCFG_ALSO_ERASES_SAVED_CONFIG) this.saved = factoryValues();
  }

  /** Boot: the running set becomes what flash holds; unsaved changes are lost. */
  loadSaved(): void {
    this.running = new Map(this.saved);
  }
}

function factoryValues(): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of Object.keys(FACTORY_CONFIG)) values.set(name, normalize(name, FACTORY_CONFIG[name]!.factory)!);
  return values;
}

/** The display form of a value given to SCFG, or undefined when the variable's format refuses it. */
function normalize(name: string, value: string): string | undefined {
  const def = FACTORY_CONFIG[name];
  if (!def) return undefined;
  return FORMATTERS[def.format](value);
}

const FORMATTERS: Readonly<Record<VarFormat, (value: string) => string | undefined>> = {
  dec: (value) => {
    const n = parseInteger(value);
    return n === undefined ? undefined : String(n);
  },
  hex32: (value) => {
    const n = parseInteger(value);
    if (n === undefined || n < 0 || n > 0xffffffff) return undefined;
    return '0x' + n.toString(16).padStart(8, '0');
  },
  text: (value) => value,
  ssid: (value) => (value === '' ? '' : hexToText(value) === undefined ? undefined : value.toUpperCase()),
};

function parseInteger(value: string): number | undefined {
  if (/^-?\d{1,10}$/.test(value)) return Number(value);
  if (/^0x[0-9a-f]{1,8}$/i.test(value)) return parseInt(value.substring(2), 16);
  return undefined;
}

/** 'SPWF' → '53:50:57:46' */
function textToHex(text: string): string {
  const bytes: string[] = [];
  for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i).toString(16).toUpperCase().padStart(2, '0'));
  return bytes.join(':');
}

function hexToText(hex: string): string | undefined {
  if (hex === '') return '';
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){0,31}$/i.test(hex)) return undefined;
  return hex.split(':').map((b) => String.fromCharCode(parseInt(b, 16))).join('');
}
