// Who gets what: for one subscriber, which advisory revisions are due and as which kind of mail.
// Rules (docs/mail.md): a new advisory goes to subscribers whose filters match; a material update or a
// withdrawal goes to everyone who got an earlier revision (filters aside: they must hear it changed),
// threaded under the first mail they got; a withdrawal of something never mailed to them is not sent.
import { intersects as rangesMeet, schemeFor, validRange } from '../core/ecosystems/index.ts';
import type { Advisory } from '../core/advisory.ts';
import type { MailKind } from '../render/mail.ts';
import { material, revisionOf, type Material } from '../render/mail-revision.ts';
import { severityRank } from '../core/schema.ts';
import type { Ledger } from './ledger.ts';
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
 * `unmailed`: advisories that had no ledger row when the pass began (Ledger.unmailed). Each subscriber is
 * planned once per pass, before any of their own rows is written, so skipping the lookup stays exact.
 */
export function planFor(sub: Subscriber, list: readonly Mailing[], ledger: Ledger, resendUnknown: boolean, unmailed?: ReadonlySet<string>): { due: Due[]; skipped: [Mailing, Skip][] } {
  const due: Due[] = [];
  const skipped: [Mailing, Skip][] = [];
  for (const mailing of list) {
    const { advisory: a, revision } = mailing;
    const history = unmailed?.has(a.id) ? [] : ledger.history(a.id, sub.email);
    const current = history.find((r) => r.revision === revision);
    const earlier = history.filter((r) => r.revision !== revision && (r.state === 'sent' || r.state === 'unknown'));
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
