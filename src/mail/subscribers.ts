// The subscriber list: CSV with the header `email,min_severity,versions`, streamed line by line so a
// list of any size uses flat memory. Every problem names its line; addresses never appear in messages.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { SCHEMES, validRange } from '../core/ecosystems/index.ts';
import { z } from 'zod';
import { diag } from '../core/catalogue.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { SEVERITIES } from '../core/schema.ts';
import { splitCsvLine } from './csv.ts';

const COLUMNS = ['email', 'min_severity', 'versions'] as const;
// Deliberately strict: one address, no display name, no spaces or control characters.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const SubscriberRow = z.strictObject({
  email: z.string().max(254).regex(EMAIL, 'is not a valid e-mail address').transform((e) => e.toLowerCase()),
  min_severity: z.union([z.literal('').transform(() => null), z.enum(SEVERITIES)]),
  versions: z
    .string()
    .refine((v) => v === '' || SCHEMES.some((s) => validRange(s, v)), 'is not a valid semver range (e.g. ">=1.2.0 <2", "1.x"), nor one in another ecosystem\'s notation (PyPI: ">=1.2,<2")')
    .transform((v) => (v === '' ? null : v)),
});
export type Subscriber = z.output<typeof SubscriberRow> & { line: number };

/** Yields [line number, fields] for every non-blank, non-comment line after the header. */
async function* records(path: string): AsyncGenerator<{ line: number; fields: string[] | null; header: boolean }> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  let header = true;
  for await (const raw of lines) {
    line++;
    const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text === '' || text.startsWith('#')) continue;
    yield { line, fields: splitCsvLine(text)?.map((f) => f.trim()) ?? null, header };
    header = false;
  }
}

/** Streams the valid subscribers. Call `validateSubscribers` first: this skips what it would reject. */
export async function* readSubscribers(path: string): AsyncGenerator<Subscriber> {
  let order: number[] = [];
  for await (const r of records(path)) {
    if (r.header) {
      order = COLUMNS.map((c) => r.fields?.indexOf(c) ?? -1);
      continue;
    }
    const parsed = r.fields && SubscriberRow.safeParse(Object.fromEntries(COLUMNS.map((c, i) => [c, r.fields![order[i]!] ?? ''])));
    if (parsed?.success) yield { ...parsed.data, line: r.line };
  }
}

export interface Validation {
  count: number;
  diagnostics: Diagnostic[];
}

/** Reads the whole list once, before anything is sent; memory grows only with the set of addresses seen. */
export async function validateSubscribers(path: string, label: string, limit = 50): Promise<Validation> {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  const problem = (line: number, reason: string) => diagnostics.length < limit && diagnostics.push(diag('subscriber-invalid', label, { line, column: 1 }, { reason }));
  let order: number[] = [];
  let count = 0;
  try {
    for await (const r of records(path)) {
      if (r.header) {
        order = COLUMNS.map((c) => r.fields?.indexOf(c) ?? -1);
        const extra = (r.fields ?? []).filter((f) => !(COLUMNS as readonly string[]).includes(f));
        if (order.includes(-1) || extra.length) {
          diagnostics.push(diag('subscriber-header', label, { line: r.line, column: 1 }, { columns: COLUMNS.join(',') }));
          return { count, diagnostics };
        }
        continue;
      }
      if (!r.fields) {
        problem(r.line, 'the row is not valid CSV (an unclosed quote?)');
        continue;
      }
      if (r.fields.length !== COLUMNS.length) {
        problem(r.line, `the row has ${r.fields.length} columns, the header ${COLUMNS.length}`);
        continue;
      }
      const parsed = SubscriberRow.safeParse(Object.fromEntries(COLUMNS.map((c, i) => [c, r.fields![order[i]!] ?? ''])));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const column = String(issue.path[0]);
          const why = issue.code === 'invalid_union' ? `must be empty or one of ${SEVERITIES.join(', ')}` : issue.code === 'too_big' ? 'is too long' : issue.message;
          problem(r.line, `${column} ${why}`);
        }
        continue;
      }
      const first = seen.get(parsed.data.email);
      if (first !== undefined) {
        problem(r.line, `the address is already listed on line ${first}`);
        continue;
      }
      seen.set(parsed.data.email, r.line);
      count++;
    }
  } catch (error) {
    diagnostics.push(diag('file-unreadable', label, { line: 1, column: 1 }, { what: 'the subscriber list', reason: (error as NodeJS.ErrnoException).code ?? 'error' }));
  }
  if (order.length === 0 && diagnostics.length === 0) diagnostics.push(diag('subscriber-header', label, { line: 1, column: 1 }, { columns: COLUMNS.join(',') }));
  return { count, diagnostics };
}
