// Deterministic, locale-free text for pages: the same input gives the same bytes on every machine.
import type { Config } from '../../core/config.ts';
import { upgradeCommand as fillUpgrade, upgradeTemplate } from '../../core/ecosystems/index.ts';
import type { Severity } from '../../core/schema.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface ShownDate {
  /** Machine-readable, for <time datetime>. */
  iso: string;
  /** e.g. 2 Feb 2026 */
  text: string;
}

/** ISO timestamp or date → its UTC calendar day. */
export function shownDate(iso: string): ShownDate {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return { iso, text: `${d} ${MONTHS[m - 1]} ${y}` };
}

export const severityLabel = (s: Severity) => s.charAt(0).toUpperCase() + s.slice(1);

export const scoreText = (score: number) => score.toFixed(1);

/** The upgrade advice of an advisory: config.upgradeCommand, else its ecosystem's, filled in. */
export const upgradeCommand = (config: Pick<Config, 'upgradeCommand'>, ecosystem: string, pkg: string, version: string) =>
  fillUpgrade(upgradeTemplate(config.upgradeCommand, ecosystem), ecosystem, pkg, version);

/** remediation_developer → remediation developer */
export const creditType = (type: string | undefined) => (type ? type.replaceAll('_', ' ') : undefined);
