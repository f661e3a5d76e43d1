// A cached model with its bulky parts (the lists, the body, the CVSS score, the line statuses) kept as
// JSON text until first read. A rebuild takes every model from the check cache but renders only the
// changed advisories; parsing those parts for all 10,000 was most of a warm check. The parts are own,
// enumerable accessors, so spreading, JSON.stringify, structuredClone and deep equality see what they
// see in a parsed model (keys in another order); assigning one makes it a plain property.
import type { Advisory } from '../model/advisory.ts';

const BULK = ['affected', 'patched', 'aliases', 'cwe', 'credits', 'references', 'body', 'cvssScore', 'lines'] as const satisfies readonly (keyof Advisory)[];
type BulkKey = (typeof BULK)[number];
type Bulk = Pick<Advisory, BulkKey>;
/** What every build reads of every advisory (dates, id, severity, flags), parsed up front. */
export type Head = Omit<Advisory, BulkKey>;

const BULK_KEYS: ReadonlySet<string> = new Set(BULK);
const TEXT = Symbol('bulk');

interface Lazy {
  [TEXT]: string | Bulk;
}

const bulkOf = (model: Lazy): Bulk => {
  const stored = model[TEXT];
  if (typeof stored !== 'string') return stored;
  return (model[TEXT] = JSON.parse(stored) as Bulk);
};

// One set of descriptors for every model: defining them is a fraction of parsing what they stand for.
const ACCESSORS: PropertyDescriptorMap = Object.fromEntries(
  BULK.map((key) => [
    key,
    {
      get(this: Lazy) {
        return bulkOf(this)[key];
      },
      set(this: Lazy, value: unknown) {
        Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
      },
      enumerable: true,
      configurable: true,
    },
  ]),
);

/** The model's head, and its bulky parts as JSON text. */
export function splitModel(model: Advisory): [head: Head, bulk: string] {
  const head: Record<string, unknown> = {};
  const bulk: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) (BULK_KEYS.has(key) ? bulk : head)[key] = value;
  return [head as Head, JSON.stringify(bulk)];
}

/** The model again from a parsed head and the bulky parts' text, which is parsed on first use. */
export function joinModel(head: Head, bulk: string): Advisory {
  Object.defineProperty(head, TEXT, { value: bulk, writable: true });
  return Object.defineProperties(head, ACCESSORS) as Advisory;
}
