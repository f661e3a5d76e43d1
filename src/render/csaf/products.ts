// The CSAF product tree: vendor → package → its affected ranges (`product_version_range`, as vers
// strings) and its patched versions (`product_version`), each product with a purl where the ecosystem
// has one. Product ids are stable for the same advisory: `affected-N` in version order, `fixed-VERSION`.
import semver from 'semver';
import type { Advisory } from '../../core/advisory.ts';
import { intervals, type Interval } from '../osv-ranges.ts';
import { purl, versRanges } from '../package-url.ts';

export interface Products {
  tree: object;
  affected: { id: string; interval: Interval }[];
  fixed: { id: string; version: string }[];
}

const helper = (id: string | undefined) => (id ? { product_identification_helper: { purl: id } } : {});

export function products(a: Advisory, vendor: string): Products {
  const ranges = intervals(a.affected);
  const vers = versRanges(a.ecosystem, a.affected);
  const affected = ranges.map((interval, i) => ({ id: `affected-${i + 1}`, interval }));
  const fixed = [...new Set(a.patched.filter((v) => semver.valid(v)))].sort(semver.compare).map((version) => ({ id: `fixed-${version}`, version }));
  const branches = [
    ...affected.map(({ id }, i) => ({
      category: 'product_version_range',
      name: vers[i]!,
      product: { name: `${a.package} ${vers[i]}`, product_id: id, ...helper(purl(a.ecosystem, a.package)) },
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
