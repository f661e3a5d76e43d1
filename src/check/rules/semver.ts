// Shared by the version rules: what counts as a valid range and version, in the rules of the
// advisory's ecosystem (npm's exactly as npm reads them).
import type { VersionScheme } from '../../core/ecosystems/index.ts';

export const validRange = (scheme: VersionScheme, range: string) => scheme.intervals(range) !== null;
export const validVersion = (scheme: VersionScheme, version: string) => scheme.parse(version) !== null;

/** What the message names: npm's own words stay as they were; other ecosystems name their notation. */
export function notation(ctx: { scheme: VersionScheme }, what: 'range' | 'version' = 'range') {
  const s = ctx.scheme;
  if (s.ecosystem === 'npm') return {};
  return what === 'range'
    ? { notation: `${s.ecosystem} ${s.rangeNotation}`, ecosystem: s.ecosystem, example: s.rangeExample }
    : { notation: `${s.ecosystem} ${s.versionNotation}`, ecosystem: s.ecosystem, example: s.versionExample };
}
