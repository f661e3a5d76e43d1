// The CSAF product tree: vendor → package → its affected ranges (`product_version_range`, as vers
// strings) and its patched versions (`product_version`), each product with a purl where the ecosystem
// has one. Product ids are stable for the same advisory: `affected-N` in version order, `fixed-VERSION`.
import { schemeFor } from '../../core/ecosystems/index.ts';
import type { Advisory } from '../../core/advisory.ts';
import { intervals, type Interval } from '../osv-ranges.ts';
import { purl, versRange } from '../package-url.ts';

export interface Products {
  tree: object;
  affected: { id: string; interval: Interval }[];
  fixed: { id: string; version: string }[];
}

// A database repeats the same few ranges across thousands of advisories; the intervals are only read.
const known = new Map<string, readonly Interval[]>();
function intervalsOf(affected: readonly string[], ecosystem: string): readonly Interval[] {
  const key = `${ecosystem}\u0000${affected.join('\u0000')}`;
  let found = known.get(key);
  if (!found) {
    if (known.size >= 10_000) known.clear();
    known.set(key, (found = intervals(affected, ecosystem)));
  }
  return found;
}

const helper = (id: string | undefined) => (id ? { product_identification_helper: { purl: id } } : {});

export function products(a: Advisory, vendor: string): Products {
  const affected = intervalsOf(a.affected, a.ecosystem).map((interval, i) => ({ id: `affected-${i + 1}`, interval }));
  const vers = affected.map(({ interval }) => versRange(a.ecosystem, interval));
  const packagePurl = purl(a.ecosystem, a.package);
  const scheme = schemeFor(a.ecosystem);
  // In the ecosystem's own order (PEP 440, Maven, …), as the intervals are.
  const fixed = [...new Set(a.patched.filter((v) => scheme.parse(v) !== null))].sort(scheme.compare).map((version) => ({ id: `fixed-${version}`, version }));
  const branches = [
    ...affected.map(({ id }, i) => ({
      category: 'product_version_range',
      name: vers[i]!,
      product: { name: `${a.package} ${vers[i]}`, product_id: id, ...helper(packagePurl) },
    })),
    ...fixed.map(({ id, version }) => ({
      category: 'product_version',
      name: version,
      product: { name: `${a.package} ${version}`, product_id: id, ...helper(purl(a.ecosystem, a.package, version)) },
    })),
  ];
  const tree = {
    branches: [{ category: 'vendor', name: vendor, branches: [{ category: 'product_name', name: a.package, branches }] }],
  };
  return { tree, affected, fixed };
}
