// What the templates show: plain values prepared here, so templates only lay them out (and escape).
import type { Config } from '../../core/config.ts';
import type { Advisory } from '../../core/advisory.ts';
import { creditType, scoreText, severityLabel, shownDate, upgradeCommand } from './format.ts';
import { aliasUrl, cvssCalculatorUrl, cweUrl } from './links.ts';

export function advisoryView(a: Advisory, config: Config) {
  const fixes = a.lines.filter((l) => l.affected && l.supported && l.fixedIn);
  const versions = [...new Set(fixes.map((l) => l.fixedIn!))];
  return {
    id: a.id,
    title: a.title,
    summary: a.summary,
    severity: a.severity,
    severityLabel: severityLabel(a.severity),
    cvss: a.cvssScore && {
      version: a.cvssScore.version,
      vector: a.cvssScore.vector,
      score: scoreText(a.cvssScore.score),
      calculator: cvssCalculatorUrl(a.cvssScore.version, a.cvssScore.vector),
    },
    package: a.package,
    ecosystem: a.ecosystem,
    affected: a.affected,
    patched: a.patched,
    lines: a.lines.map((l) => ({ ...l, status: !l.affected ? 'Not affected' : l.fixedIn ? `Fixed in ${l.fixedIn}` : l.supported ? 'No fix yet' : 'No fix: unsupported' })),
    upgrades: versions.map((version) => ({ version, command: upgradeCommand(config, a.ecosystem, a.package, version) })),
    unsupportedOnly: a.unsupportedOnly,
    supportedLines: a.lines.filter((l) => l.supported).map((l) => l.spec),
    aliases: a.aliases.map((id) => ({ id, href: aliasUrl(id) })),
    cwe: a.cwe.map((id) => ({ id, href: cweUrl(id) })),
    credits: a.credits.map((c) => ({ name: c.name, type: creditType(c.type) })),
    references: a.references,
    reported: shownDate(a.reported),
    published: shownDate(a.published),
    modified: a.modified > a.published ? shownDate(a.modified) : null,
    withdrawn: a.withdrawn ? { at: shownDate(a.withdrawn.at), reason: a.withdrawn.reason } : null,
  };
}

export type AdvisoryView = ReturnType<typeof advisoryView>;
