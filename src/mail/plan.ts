// Who gets what: for one subscriber, which advisory revisions are due and as which kind of mail.
// Rules (docs/mail.md): a new advisory goes to subscribers whose filters match; a material update or a
// withdrawal goes to everyone who got an earlier revision (filters aside: they must hear it changed),
// threaded under the first mail they got; a withdrawal of something never mailed to them is not sent.
import { intersects as rangesMeet, schemeFor, validRange } from '../core/ecosystems/index.ts';
import type { Advisory } from '../core/advisory.ts';
import type { MailKind } from '../render/mail.ts';
import { material, revisionOf, type Material } from '../render/mail-revision.ts';
import { severityRank } from '../core/schema.ts';
import type { DeliveryRow, LedgerStore } from '../list/index.ts';
import type { Subscriber } from './subscribers.ts';

export interface Mailing {
  advisory: Advisory;
  revision: string;
  material: Material;
}

export interface Due {
  mailing: Mailing;
  kind: MailKind;
  /** Message-ID of the first mail of this advisory the subscriber got. */
  original?: string;
  /** Revision the subscriber got last, for the "Changed:" line. */
  previous?: string;
}

export type Skip = 'already-sent' | 'failed-earlier' | 'unknown-earlier';

export const mailings = (advisories: readonly Advisory[]): Mailing[] =>
  advisories.map((advisory) => {
    const m = material(advisory);
    return { advisory, revision: revisionOf(m), material: m };
  });

const intersectCache = new Map<string, boolean>();
/**
 * In the rules of the advisory's ecosystem. A subscriber's range that this ecosystem cannot read
 * (written for another one) does not filter: better a mail too many than a missed advisory.
 */
function intersects(ecosystem: string, ranges: readonly string[], versions: string): boolean {
  const key = `${ecosystem}\0${ranges.join('||')}\0${versions}`;
  let hit = intersectCache.get(key);
  if (hit === undefined) {
    const scheme = schemeFor(ecosystem);
    hit = !validRange(scheme, versions) || ranges.some((r) => validRange(scheme, r) && rangesMeet(scheme, r, versions));
    if (intersectCache.size > 10_000) intersectCache.clear();
    intersectCache.set(key, hit);
  }
  return hit;
}

export function wants(sub: Pick<Subscriber, 'min_severity' | 'versions'>, a: Advisory): boolean {
  if (sub.min_severity && severityRank(a.severity) > severityRank(sub.min_severity)) return false;
  return sub.versions === null || intersects(a.ecosystem, a.affected, sub.versions);
}

/**
 * `history(advisory)`: the subscriber's ledger rows of that advisory, oldest first, read in batches before
 * the batch is planned (LedgerStore.histories). Each subscriber is planned once per pass, before any of
 * their own rows is written, so the batch read stays exact.
 */
export function planFor(sub: Subscriber, list: readonly Mailing[], history: (advisory: string) => readonly DeliveryRow[], resendUnknown: boolean): { due: Due[]; skipped: [Mailing, Skip][] } {
  const due: Due[] = [];
  const skipped: [Mailing, Skip][] = [];
  for (const mailing of list) {
    const { advisory: a, revision } = mailing;
    const rows = history(a.id);
    const current = rows.find((r) => r.revision === revision);
    const earlier = rows.filter((r) => r.revision !== revision && (r.state === 'sent' || r.state === 'unknown'));
    if (current?.state === 'sent') {
      skipped.push([mailing, 'already-sent']);
      continue;
    }
    if (current?.state === 'failed-permanent') {
      skipped.push([mailing, 'failed-earlier']);
      continue;
    }
    if (current?.state === 'unknown' && !resendUnknown) {
      skipped.push([mailing, 'unknown-earlier']);
      continue;
    }
    if (earlier.length > 0) {
      due.push({ mailing, kind: a.withdrawn ? 'withdrawn' : 'updated', original: earlier[0]!.message_id, previous: earlier.at(-1)!.revision });
    } else if (!a.withdrawn && wants(sub, a)) {
      due.push({ mailing, kind: 'new' });
    }
  }
  return { due, skipped };
}

/** What is due for each subscriber of a stream, their ledger rows read in batches of `size` (one query each). */
export async function* plans(subscribers: AsyncIterable<Subscriber>, list: readonly Mailing[], ledger: LedgerStore, resendUnknown: boolean, size = 200): AsyncGenerator<{ sub: Subscriber; due: Due[]; skipped: [Mailing, Skip][] }> {
  const ids = list.map((m) => m.advisory.id);
  // Advisories nobody has a row of yet need no lookup at all (the common case: a new advisory).
  const unmailed = await ledger.unmailed(ids);
  const lookup = ids.filter((a) => !unmailed.has(a));
  let batch: Subscriber[] = [];
  async function* flush() {
    const rows = lookup.length > 0 ? await ledger.histories(lookup, batch.map((s) => s.email)) : new Map<string, DeliveryRow[]>();
    for (const sub of batch) yield { sub, ...planFor(sub, list, (a) => rows.get(`${a}\0${sub.email}`) ?? [], resendUnknown) };
    batch = [];
  }
  for await (const sub of subscribers) {
    batch.push(sub);
    if (batch.length >= size) yield* flush();
  }
  yield* flush();
}
