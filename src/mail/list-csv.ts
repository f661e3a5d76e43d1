// The CSV list moved into and out of the store: `advisories subscribers import|export`. The file format is
// the one SUBSCRIBERS has always read (email,min_severity,versions), so an export works as SUBSCRIBERS too.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Diagnostic } from '../core/diagnostic.ts';
import type { ListStore } from '../list/index.ts';
import { joinCsvLine } from './csv.ts';
import { readSubscribers, validateSubscribers, type Subscriber } from './subscribers.ts';

/** Checks the whole file first: a file with any bad row imports nothing and gets its problems back. */
export async function importCsv(store: ListStore, path: string, label: string, at: Date): Promise<{ diagnostics: Diagnostic[] } | { imported: Awaited<ReturnType<ListStore['importActive']>> }> {
  const checked = await validateSubscribers(path, label);
  if (checked.diagnostics.length) return { diagnostics: checked.diagnostics };
  async function* rows() {
    for await (const s of readSubscribers(path)) yield { email: s.email, minSeverity: s.min_severity, versions: s.versions };
  }
  return { imported: await store.importActive(rows(), at) };
}

/** The active subscribers, written beside the target and renamed into place: never a half-written list. */
export async function exportCsv(store: ListStore, path: string): Promise<number> {
  const tmp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(tmp, { encoding: 'utf8', mode: 0o600 });
  let n = 0;
  try {
    out.write('email,min_severity,versions\n');
    for await (const s of store.active()) {
      if (!out.write(`${joinCsvLine([s.email, s.minSeverity ?? '', s.versions ?? ''])}\n`)) await once(out, 'drain');
      n++;
    }
    out.end();
    await finished(out);
    await rename(tmp, path);
    return n;
  } catch (error) {
    out.destroy();
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * A CSV list (SUBSCRIBERS) less the addresses that left through the list store (unsubscribed, bounced or
 * complained), looked up 200 at a time: a one-click unsubscribe holds even for a list kept as a CSV.
 */
export async function* csvStillSubscribed(store: ListStore, path: string): AsyncGenerator<Subscriber> {
  let batch: Subscriber[] = [];
  async function* flush() {
    const states = await store.statesOf(batch.map((s) => s.email));
    for (const s of batch) {
      const state = states.get(s.email);
      if (state === undefined || state === 'active' || state === 'pending') yield s;
    }
    batch = [];
  }
  for await (const s of readSubscribers(path)) {
    batch.push(s);
    if (batch.length >= 200) yield* flush();
  }
  yield* flush();
}
