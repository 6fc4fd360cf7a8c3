// The standard library as Espruino provides it, for type-checking the code that runs on the device
// (src/ and hosts/espruino) with `noLib: true` (tsconfig.device.json).
//
// Source of truth: ../shared/espruino-language.md (314 probes on Espruino 2v29, NUCLEO-like build).
// Only what Espruino really has is declared. What is missing there is missing here, so that using it
// is a compile error naming the file and line:
//   no Map, Set, WeakMap, WeakSet, WeakRef, Symbol, Proxy, Reflect, BigInt, TextEncoder, TextDecoder,
//   queueMicrotask, setImmediate, structuredClone, Intl, RangeError, URIError, EvalError;
//   no Array.from/of, lastIndexOf, findLast(Index), reduceRight, flat, flatMap, keys/values/entries, at,
//   copyWithin on arrays; no Promise finally/race/allSettled/any; no Object.freeze/isFrozen/seal/is/
//   hasOwn; no Number.isInteger/isFinite/isNaN/isSafeInteger/parseInt/parseFloat/MAX_SAFE_INTEGER/
//   EPSILON; no String codePointAt/trimStart/trimEnd/matchAll/search/at/localeCompare/normalize/raw;
//   no Math.trunc/imul/clz32/hypot/cbrt/log2/log10/fround/expm1/sinh; no Date.UTC, toPrecision;
//   no Uint8Array.from/of, typed-array lastIndexOf/copyWithin/BYTES_PER_ELEMENT,
//   ArrayBuffer.prototype.slice, ArrayBuffer.isView; no iterator protocol.
// Semantic traps are encoded in the signatures where a type can say it:
//   String.split takes no limit (Espruino ignores it); JSON.parse takes no reviver and JSON.stringify
//   no replacer (both ignored); new Error takes no options (cause ignored); clearTimeout/clearInterval
//   require an id (called with undefined they clear EVERY timer); regexp match results have no groups.
// Unmeasured members are left out on purpose: add one only after checking it on a real Espruino.

// ---- types TypeScript itself needs --------------------------------------------------------------

type PropertyKey = string | number;
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
type Parameters<T extends (...args: any) => any> = T extends (...args: infer P) => any ? P : never;
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
type InstanceType<T extends abstract new (...args: any) => any> = T extends abstract new (...args: any) => infer R ? R : any;
type Awaited<T> = T extends null | undefined ? T
  : T extends object & { then(onfulfilled: infer F, ...args: infer _): any }
    ? F extends (value: infer V, ...args: infer _) => any ? Awaited<V> : never
    : T;
interface ThisType<T> {}

interface PropertyDescriptor {
  configurable?: boolean;
  /** Espruino ignores `enumerable: false` (the property is still enumerated). */
  enumerable?: boolean;
  value?: any;
  /** Writing a `writable: false` property THROWS on Espruino. */
  writable?: boolean;
  get?(): any;
  set?(v: any): void;
}
interface PropertyDescriptorMap {
  [key: string]: PropertyDescriptor;
}

interface Object {
  constructor: Function;
  toString(): string;
  valueOf(): Object;
  hasOwnProperty(v: PropertyKey): boolean;
  isPrototypeOf(v: Object): boolean;
}
interface ObjectConstructor {
  new (value?: any): Object;
  (value?: any): any;
  readonly prototype: Object;
  getPrototypeOf(o: any): any;
  setPrototypeOf(o: any, proto: object | null): any;
  getOwnPropertyNames(o: any): string[];
  getOwnPropertyDescriptor(o: any, p: PropertyKey): PropertyDescriptor | undefined;
  create(o: object | null, properties?: PropertyDescriptorMap): any;
  defineProperty<T>(o: T, p: PropertyKey, attributes: PropertyDescriptor): T;
  defineProperties<T>(o: T, properties: PropertyDescriptorMap): T;
  keys(o: object): string[];
  values<T>(o: { [s: string]: T } | ArrayLike<T>): T[];
  values(o: {}): any[];
  entries<T>(o: { [s: string]: T } | ArrayLike<T>): [string, T][];
  entries(o: {}): [string, any][];
  fromEntries<T = any>(entries: ArrayLike<readonly [PropertyKey, T]>): { [k: string]: T };
  assign<T extends {}, U>(target: T, source: U): T & U;
  assign<T extends {}, U, V>(target: T, source1: U, source2: V): T & U & V;
  assign(target: object, ...sources: any[]): any;
}
declare var Object: ObjectConstructor;

interface Function {
  apply(this: Function, thisArg: any, argArray?: any): any;
  call(this: Function, thisArg: any, ...argArray: any[]): any;
  bind(this: Function, thisArg: any, ...argArray: any[]): any;
  toString(): string;
  prototype: any;
  readonly length: number;
  // no `name`: Function.name is undefined on Espruino.
}
interface FunctionConstructor {
  new (...args: string[]): Function;
  (...args: string[]): Function;
  readonly prototype: Function;
}
declare var Function: FunctionConstructor;

interface CallableFunction extends Function {
  /** Espruino: at most 256 arguments ("Array passed to Function.apply is too big!"). */
  apply<T, R>(this: (this: T) => R, thisArg: T): R;
  apply<T, A extends any[], R>(this: (this: T, ...args: A) => R, thisArg: T, args: A): R;
  call<T, A extends any[], R>(this: (this: T, ...args: A) => R, thisArg: T, ...args: A): R;
  bind<T>(this: T, thisArg: ThisParameterType<T>): OmitThisParameter<T>;
  bind<T, A extends any[], B extends any[], R>(this: (this: T, ...args: [...A, ...B]) => R, thisArg: T, ...args: A): (...args: B) => R;
}
interface NewableFunction extends Function {
  apply<T>(this: new () => T, thisArg: T): void;
  apply<T, A extends any[]>(this: new (...args: A) => T, thisArg: T, args: A): void;
  call<T, A extends any[]>(this: new (...args: A) => T, thisArg: T, ...args: A): void;
  bind<T>(this: T, thisArg: any): T;
}
type ThisParameterType<T> = T extends (this: infer U, ...args: never) => any ? U : unknown;
type OmitThisParameter<T> = unknown extends ThisParameterType<T> ? T : T extends (...args: infer A) => infer R ? (...args: A) => R : T;

interface IArguments {
  [index: number]: any;
  length: number;
}

interface Boolean {
  valueOf(): boolean;
}
interface BooleanConstructor {
  new (value?: any): Boolean;
  <T>(value?: T): boolean;
  readonly prototype: Boolean;
}
declare var Boolean: BooleanConstructor;

interface Number {
  toString(radix?: number): string;
  toFixed(fractionDigits?: number): string;
  valueOf(): number;
}
interface NumberConstructor {
  new (value?: any): Number;
  /** Espruino: Number("  12 ") is NaN (no whitespace trimming). */
  (value?: any): number;
  readonly prototype: Number;
  readonly MAX_VALUE: number;
  readonly MIN_VALUE: number;
  readonly NaN: number;
  readonly NEGATIVE_INFINITY: number;
  readonly POSITIVE_INFINITY: number;
}
declare var Number: NumberConstructor;
declare var NaN: number;
declare var Infinity: number;

interface String {
  readonly length: number;
  readonly [index: number]: string;
  toString(): string;
  valueOf(): string;
  charAt(pos: number): string;
  charCodeAt(index: number): number;
  concat(...strings: string[]): string;
  indexOf(searchString: string, position?: number): number;
  lastIndexOf(searchString: string, position?: number): number;
  match(regexp: string | RegExp): RegExpMatchArray | null;
  replace(searchValue: string | RegExp, replaceValue: string): string;
  replace(searchValue: string | RegExp, replacer: (substring: string, ...args: any[]) => string): string;
  replaceAll(searchValue: string | RegExp, replaceValue: string): string;
  slice(start?: number, end?: number): string;
  /** No limit parameter: Espruino ignores it. */
  split(separator: string | RegExp): string[];
  substring(start: number, end?: number): string;
  substr(from: number, length?: number): string;
  toLowerCase(): string;
  toUpperCase(): string;
  trim(): string;
  padStart(maxLength: number, fillString?: string): string;
  padEnd(maxLength: number, fillString?: string): string;
  startsWith(searchString: string, position?: number): boolean;
  endsWith(searchString: string, endPosition?: number): boolean;
  includes(searchString: string, position?: number): boolean;
  repeat(count: number): string;
}
interface StringConstructor {
  new (value?: any): String;
  (value?: any): string;
  readonly prototype: String;
  fromCharCode(...codes: number[]): string;
}
declare var String: StringConstructor;

interface RegExpMatchArray extends Array<string> {
  index?: number;
  input?: string;
}
interface RegExpExecArray extends Array<string> {
  index: number;
  input: string;
}
interface RegExp {
  exec(string: string): RegExpExecArray | null;
  test(string: string): boolean;
  readonly source: string;
  readonly global: boolean;
  readonly ignoreCase: boolean;
  lastIndex: number;
}
interface RegExpConstructor {
  new (pattern: RegExp | string, flags?: string): RegExp;
  (pattern: RegExp | string, flags?: string): RegExp;
  readonly prototype: RegExp;
}
declare var RegExp: RegExpConstructor;

interface ArrayLike<T> {
  readonly length: number;
  readonly [n: number]: T;
}
interface ConcatArray<T> {
  readonly length: number;
  readonly [n: number]: T;
  join(separator?: string): string;
  slice(start?: number, end?: number): T[];
}
interface ReadonlyArray<T> {
  readonly length: number;
  readonly [n: number]: T;
  toString(): string;
  concat(...items: (T | ConcatArray<T>)[]): T[];
  join(separator?: string): string;
  slice(start?: number, end?: number): T[];
  indexOf(searchElement: T, fromIndex?: number): number;
  includes(searchElement: T, fromIndex?: number): boolean;
  every(predicate: (value: T, index: number, array: readonly T[]) => unknown, thisArg?: any): boolean;
  some(predicate: (value: T, index: number, array: readonly T[]) => unknown, thisArg?: any): boolean;
  forEach(callbackfn: (value: T, index: number, array: readonly T[]) => void, thisArg?: any): void;
  map<U>(callbackfn: (value: T, index: number, array: readonly T[]) => U, thisArg?: any): U[];
  filter<S extends T>(predicate: (value: T, index: number, array: readonly T[]) => value is S, thisArg?: any): S[];
  filter(predicate: (value: T, index: number, array: readonly T[]) => unknown, thisArg?: any): T[];
  reduce(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: readonly T[]) => T): T;
  reduce<U>(callbackfn: (previousValue: U, currentValue: T, currentIndex: number, array: readonly T[]) => U, initialValue: U): U;
  find<S extends T>(predicate: (value: T, index: number, obj: readonly T[]) => value is S, thisArg?: any): S | undefined;
  find(predicate: (value: T, index: number, obj: readonly T[]) => unknown, thisArg?: any): T | undefined;
  findIndex(predicate: (value: T, index: number, obj: readonly T[]) => unknown, thisArg?: any): number;
}
interface Array<T> {
  length: number;
  [n: number]: T;
  toString(): string;
  pop(): T | undefined;
  push(...items: T[]): number;
  shift(): T | undefined;
  unshift(...items: T[]): number;
  concat(...items: (T | ConcatArray<T>)[]): T[];
  join(separator?: string): string;
  reverse(): T[];
  slice(start?: number, end?: number): T[];
  /** Espruino's sort is NOT stable. */
  sort(compareFn?: (a: T, b: T) => number): this;
  splice(start: number, deleteCount?: number): T[];
  splice(start: number, deleteCount: number, ...items: T[]): T[];
  indexOf(searchElement: T, fromIndex?: number): number;
  includes(searchElement: T, fromIndex?: number): boolean;
  every(predicate: (value: T, index: number, array: T[]) => unknown, thisArg?: any): boolean;
  some(predicate: (value: T, index: number, array: T[]) => unknown, thisArg?: any): boolean;
  forEach(callbackfn: (value: T, index: number, array: T[]) => void, thisArg?: any): void;
  map<U>(callbackfn: (value: T, index: number, array: T[]) => U, thisArg?: any): U[];
  filter<S extends T>(predicate: (value: T, index: number, array: T[]) => value is S, thisArg?: any): S[];
  filter(predicate: (value: T, index: number, array: T[]) => unknown, thisArg?: any): T[];
  reduce(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: T[]) => T): T;
  reduce<U>(callbackfn: (previousValue: U, currentValue: T, currentIndex: number, array: T[]) => U, initialValue: U): U;
  find<S extends T>(predicate: (value: T, index: number, obj: T[]) => value is S, thisArg?: any): S | undefined;
  find(predicate: (value: T, index: number, obj: T[]) => unknown, thisArg?: any): T | undefined;
  findIndex(predicate: (value: T, index: number, obj: T[]) => unknown, thisArg?: any): number;
  fill(value: T, start?: number, end?: number): this;
}
interface ArrayConstructor {
  new <T>(arrayLength?: number): T[];
  new <T>(...items: T[]): T[];
  <T>(arrayLength?: number): T[];
  <T>(...items: T[]): T[];
  isArray(arg: any): arg is any[];
  readonly prototype: any[];
}
declare var Array: ArrayConstructor;

// ---- errors -------------------------------------------------------------------------------------

interface Error {
  name: string;
  message: string;
  stack?: string;
}
interface ErrorConstructor {
  /** No options argument: Espruino ignores `cause`. `class X extends Error` is broken on Espruino. */
  new (message?: string): Error;
  (message?: string): Error;
  readonly prototype: Error;
}
declare var Error: ErrorConstructor;
interface TypeError extends Error {}
declare var TypeError: { new (message?: string): TypeError; (message?: string): TypeError; readonly prototype: TypeError };
interface SyntaxError extends Error {}
declare var SyntaxError: { new (message?: string): SyntaxError; (message?: string): SyntaxError; readonly prototype: SyntaxError };
interface ReferenceError extends Error {}
declare var ReferenceError: { new (message?: string): ReferenceError; (message?: string): ReferenceError; readonly prototype: ReferenceError };

// ---- JSON, Math, Date ---------------------------------------------------------------------------

interface JSON {
  /** No reviver: Espruino ignores it. */
  parse(text: string): any;
  /** No replacer: Espruino ignores it. `JSON.stringify(Uint8Array)` gives `[1,2]`. */
  stringify(value: any, replacer?: null, space?: string | number): string;
}
declare var JSON: JSON;

interface Math {
  readonly E: number;
  readonly LN10: number;
  readonly LN2: number;
  readonly LOG2E: number;
  readonly LOG10E: number;
  readonly PI: number;
  readonly SQRT1_2: number;
  readonly SQRT2: number;
  abs(x: number): number;
  acos(x: number): number;
  asin(x: number): number;
  atan(x: number): number;
  atan2(y: number, x: number): number;
  ceil(x: number): number;
  cos(x: number): number;
  exp(x: number): number;
  floor(x: number): number;
  log(x: number): number;
  max(...values: number[]): number;
  min(...values: number[]): number;
  pow(x: number, y: number): number;
  random(): number;
  round(x: number): number;
  sin(x: number): number;
  sqrt(x: number): number;
  tan(x: number): number;
}
declare var Math: Math;

interface Date {
  toString(): string;
  toISOString(): string;
  toUTCString(): string;
  valueOf(): number;
  getTime(): number;
  getFullYear(): number;
  getMonth(): number;
  getDate(): number;
  getDay(): number;
  getHours(): number;
  getMinutes(): number;
  getSeconds(): number;
  getMilliseconds(): number;
  getTimezoneOffset(): number;
  setTime(time: number): number;
}
interface DateConstructor {
  new (): Date;
  new (value: number | string): Date;
  new (year: number, monthIndex: number, date?: number, hours?: number, minutes?: number, seconds?: number, ms?: number): Date;
  (): string;
  readonly prototype: Date;
  parse(s: string): number;
  now(): number;
}
declare var Date: DateConstructor;

// ---- promises (then / catch / resolve / reject / all only) ---------------------------------------

interface PromiseLike<T> {
  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | undefined | null,
    onrejected?: ((reason: any) => TResult2 | PromiseLike<TResult2>) | undefined | null,
  ): PromiseLike<TResult1 | TResult2>;
}
interface Promise<T> {
  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | undefined | null,
    onrejected?: ((reason: any) => TResult2 | PromiseLike<TResult2>) | undefined | null,
  ): Promise<TResult1 | TResult2>;
  catch<TResult = never>(onrejected?: ((reason: any) => TResult | PromiseLike<TResult>) | undefined | null): Promise<T | TResult>;
  // no finally: Promise.prototype.finally is missing on Espruino.
}
interface PromiseConstructor {
  readonly prototype: Promise<any>;
  new <T>(executor: (resolve: (value: T | PromiseLike<T>) => void, reject: (reason?: any) => void) => void): Promise<T>;
  all<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }>;
  reject<T = never>(reason?: any): Promise<T>;
  resolve(): Promise<void>;
  resolve<T>(value: T): Promise<Awaited<T>>;
  resolve<T>(value: T | PromiseLike<T>): Promise<Awaited<T>>;
  // no race, allSettled, any.
}
declare var Promise: PromiseConstructor;

// ---- binary data --------------------------------------------------------------------------------

interface ArrayBuffer {
  readonly byteLength: number;
  // no slice: use new Uint8Array(buf).slice(a, b).buffer.
}
interface ArrayBufferConstructor {
  readonly prototype: ArrayBuffer;
  new (byteLength: number): ArrayBuffer;
  // no isView.
}
declare var ArrayBuffer: ArrayBufferConstructor;
type ArrayBufferLike = ArrayBuffer;

interface ArrayBufferView {
  buffer: ArrayBuffer;
  byteLength: number;
  byteOffset: number;
}

/** The typed-array members measured to work on Espruino (no lastIndexOf, copyWithin, BYTES_PER_ELEMENT). */
interface EspruinoTypedArray<Self> extends ArrayBufferView {
  readonly length: number;
  [index: number]: number;
  set(array: ArrayLike<number>, offset?: number): void;
  /** Shares memory with this array. */
  subarray(begin?: number, end?: number): Self;
  /** Copies; negative indices are fine. */
  slice(start?: number, end?: number): Self;
  indexOf(searchElement: number, fromIndex?: number): number;
  includes(searchElement: number, fromIndex?: number): boolean;
  fill(value: number, start?: number, end?: number): this;
  map(callbackfn: (value: number, index: number, array: Self) => number, thisArg?: any): Self;
  join(separator?: string): string;
  forEach(callbackfn: (value: number, index: number, array: Self) => void, thisArg?: any): void;
  reduce(callbackfn: (previousValue: number, currentValue: number, currentIndex: number, array: Self) => number): number;
  reduce<U>(callbackfn: (previousValue: U, currentValue: number, currentIndex: number, array: Self) => U, initialValue: U): U;
  reverse(): Self;
  sort(compareFn?: (a: number, b: number) => number): this;
}
interface EspruinoTypedArrayConstructor<T> {
  readonly prototype: T;
  new (length: number): T;
  new (array: ArrayLike<number> | ArrayBuffer): T;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): T;
  // no from / of.
}
interface Uint8Array extends EspruinoTypedArray<Uint8Array> {}
declare var Uint8Array: EspruinoTypedArrayConstructor<Uint8Array>;
interface Uint8ClampedArray extends EspruinoTypedArray<Uint8ClampedArray> {}
declare var Uint8ClampedArray: EspruinoTypedArrayConstructor<Uint8ClampedArray>;
interface Int8Array extends EspruinoTypedArray<Int8Array> {}
declare var Int8Array: EspruinoTypedArrayConstructor<Int8Array>;
interface Uint16Array extends EspruinoTypedArray<Uint16Array> {}
declare var Uint16Array: EspruinoTypedArrayConstructor<Uint16Array>;
interface Int16Array extends EspruinoTypedArray<Int16Array> {}
declare var Int16Array: EspruinoTypedArrayConstructor<Int16Array>;
interface Uint32Array extends EspruinoTypedArray<Uint32Array> {}
declare var Uint32Array: EspruinoTypedArrayConstructor<Uint32Array>;
interface Int32Array extends EspruinoTypedArray<Int32Array> {}
declare var Int32Array: EspruinoTypedArrayConstructor<Int32Array>;
interface Float32Array extends EspruinoTypedArray<Float32Array> {}
declare var Float32Array: EspruinoTypedArrayConstructor<Float32Array>;
interface Float64Array extends EspruinoTypedArray<Float64Array> {}
declare var Float64Array: EspruinoTypedArrayConstructor<Float64Array>;

interface DataView extends ArrayBufferView {
  getInt8(byteOffset: number): number;
  getUint8(byteOffset: number): number;
  getInt16(byteOffset: number, littleEndian?: boolean): number;
  getUint16(byteOffset: number, littleEndian?: boolean): number;
  getInt32(byteOffset: number, littleEndian?: boolean): number;
  getUint32(byteOffset: number, littleEndian?: boolean): number;
  getFloat32(byteOffset: number, littleEndian?: boolean): number;
  getFloat64(byteOffset: number, littleEndian?: boolean): number;
  setInt8(byteOffset: number, value: number): void;
  setUint8(byteOffset: number, value: number): void;
  setInt16(byteOffset: number, value: number, littleEndian?: boolean): void;
  setUint16(byteOffset: number, value: number, littleEndian?: boolean): void;
  setInt32(byteOffset: number, value: number, littleEndian?: boolean): void;
  setUint32(byteOffset: number, value: number, littleEndian?: boolean): void;
  setFloat32(byteOffset: number, value: number, littleEndian?: boolean): void;
  setFloat64(byteOffset: number, value: number, littleEndian?: boolean): void;
}
declare var DataView: { readonly prototype: DataView; new (buffer: ArrayBuffer, byteOffset?: number, byteLength?: number): DataView };

// ---- global functions ---------------------------------------------------------------------------

declare function parseInt(string: string, radix?: number): number;
declare function parseFloat(string: string): number;
declare function isNaN(number: number): boolean;
declare function isFinite(number: number): boolean;
declare function encodeURIComponent(uriComponent: string | number | boolean): string;
declare function decodeURIComponent(encodedURIComponent: string): string;
declare function btoa(binaryString: string): string;
declare function atob(base64: string): string;
declare function eval(x: string): any;

/** The id is a number. An exception thrown in the callback is printed and other timers keep running. */
declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): number;
/** Throws "Unknown Timeout" for an id that already fired or was cleared; with no id it clears ALL timers. */
declare function clearTimeout(id: number): void;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearInterval(id: number): void;

interface Console {
  log(...data: any[]): void;
}
declare var console: Console;

// ---- Espruino ------------------------------------------------------------------------------------

/** A pin (e.g. `A9`, `B3`, `Nucleo.D7`). */
interface Pin {
  read(): boolean;
  write(value: boolean): void;
  getInfo(): any;
}
type PinMode = 'analog' | 'input' | 'input_pullup' | 'input_pulldown' | 'output' | 'opendrain' | 'af_output' | 'af_opendrain' | 'auto';

/** Current time in seconds (the RTC: it moves if `setTime` is called). */
declare function getTime(): number;
declare function digitalWrite(pin: Pin, value: number | boolean): void;
declare function digitalRead(pin: Pin): number;
declare function pinMode(pin: Pin, mode?: PinMode, automatic?: boolean): void;

/** The cache of required modules. */
declare var Modules: {
  /** Forget a module: the next require() loads it again (from Storage); what it made is freed once unused. */
  removeCached(id: string): void;
  getCached(): string[];
};

interface SerialSetupOptions {
  rx?: Pin;
  tx?: Pin;
  ck?: Pin;
  cts?: Pin;
  bytesize?: 7 | 8;
  parity?: 'none' | 'o' | 'odd' | 'e' | 'even';
  stopbits?: number;
  flow?: 'none' | 'xon';
  errors?: boolean;
}
/** A UART (Serial1, Serial2, ... on STM32). */
declare class Serial {
  setup(baudrate: number, options?: SerialSetupOptions): void;
  /** 'data' delivers byte strings of at most 64 bytes per event; a handler that throws is REMOVED. */
  on(event: 'data', listener: (data: string) => void): void;
  on(event: string, listener: (...args: any[]) => void): void;
  removeAllListeners(event?: string): void;
  /** Raw bytes (strings, arrays, numbers, Uint8Array). */
  write(data: string | number | number[] | Uint8Array): void;
  available(): number;
  read(chars?: number): string;
}

/** Arduino-header names on Nucleo boards (`Nucleo.D7` is PA8 on the F401RE). */
declare var Nucleo: {
  readonly D0: Pin; readonly D1: Pin; readonly D2: Pin; readonly D3: Pin; readonly D4: Pin;
  readonly D5: Pin; readonly D6: Pin; readonly D7: Pin; readonly D8: Pin; readonly D9: Pin;
  readonly D10: Pin; readonly D11: Pin; readonly D12: Pin; readonly D13: Pin; readonly D14: Pin;
  readonly D15: Pin; readonly A0: Pin; readonly A1: Pin; readonly A2: Pin; readonly A3: Pin;
  readonly A4: Pin; readonly A5: Pin;
};

declare var E: {
  /** Bytes (strings, arrays, Uint8Array, numbers, {data,count}) -> one flat byte string. */
  toString(...args: any[]): string;
  /** Bytes (same forms) -> Uint8Array. */
  toUint8Array(...args: any[]): Uint8Array;
  /** Error flags since the last call (FIFO_FULL, BUFFER_FULL, UART_OVERFLOW, MEMORY, LOW_MEMORY, CALLBACK). */
  getErrorFlags(): string[];
  getSizeOf(v: any, depth?: number): number;
};

/** require('Storage'): named files in flash. */
interface EspruinoStorage {
  /** Memory-mapped string (no RAM copy), or undefined when the file is absent. */
  read(name: string, offset?: number, length?: number): string | undefined;
  /** Rewriting a file at offset 0 erases the old one first (not atomic). Names: at most 28 chars. */
  write(name: string, data: string | Uint8Array | ArrayBuffer, offset?: number, size?: number): boolean;
  readJSON(name: string, noExceptions?: boolean): any;
  writeJSON(name: string, data: any): boolean;
  erase(name: string): void;
  /** Every file name (optionally filtered by a regexp). */
  list(regex?: RegExp, filter?: { sf?: boolean }): string[];
  getFree(): number;
  compact(): void;
}

declare function require(name: 'Storage'): EspruinoStorage;
declare function require(name: string): any;
