// One CSAF 2.0 document (profile csaf_security_advisory) per published advisory, from the same model as
// the other outputs. Key order is fixed by the code, dates come from the advisory, so the same input
// gives the same bytes.
import type { Advisory } from '../../core/advisory.ts';
import type { Config } from '../../core/config.ts';
import type { CommittedVersion } from '../../core/history.ts';
import { osvUrl, pageUrl } from '../index-json.ts';
import { csafPath, siteHref } from './paths.ts';
import { products } from './products.ts';
import { tracking, type Tracking } from './revisions.ts';
import { vulnerability } from './vulnerability.ts';

/** Publisher as the config names it: the product and the site's origin unless set. */
export function publisher(config: Config) {
  const p = config.csaf.publisher;
  return {
    category: p.category,
    ...(p.contactDetails ? { contact_details: p.contactDetails } : {}),
    name: p.name ?? config.product,
    namespace: p.namespace ?? new URL(config.siteUrl).origin,
  };
}

const capitalised = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export interface CsafDocument {
  path: string;
  tracking: Tracking;
  document: object;
}

export function csafDocument(a: Advisory, config: Config, history: readonly CommittedVersion[] | undefined, bodyText: string): CsafDocument {
  const t = tracking(a, history);
  const path = csafPath(a.id, t.initial);
  const who = publisher(config);
  const p = products(a, who.name);
  const page = pageUrl(config, a.id);
  const withdrawn = a.withdrawn
    ? [{ category: 'general', title: 'Withdrawn', text: `This advisory was withdrawn on ${a.withdrawn.at.slice(0, 10)}: ${a.withdrawn.reason}` }]
    : [];
  const document = {
    document: {
      aggregate_severity: { text: capitalised(a.severity) },
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      distribution: { tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } },
      lang: 'en',
      notes: [
        ...withdrawn,
        { category: 'summary', title: 'Summary', text: a.summary },
        ...(bodyText ? [{ category: 'description', title: 'Details', text: bodyText }] : []),
      ],
      publisher: who,
      references: [
        { category: 'self', summary: 'This document', url: siteHref(config, path) },
        { category: 'external', summary: 'The advisory page', url: page },
        { category: 'external', summary: 'The OSV record', url: osvUrl(config, a.id) },
      ],
      title: a.title,
      tracking: {
        current_release_date: t.current,
        generator: { engine: { name: 'advisories' } },
        id: a.id,
        initial_release_date: t.initial,
        revision_history: t.revisions,
        status: t.status,
        version: t.version,
      },
    },
    product_tree: p.tree,
    vulnerabilities: [vulnerability(a, config, p, bodyText, page)],
  };
  return { path, tracking: t, document };
}
