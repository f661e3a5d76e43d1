// "Am I affected?": the same functions as the CLI's `advisories affected`, over index.json, in the
// rules of the project's ecosystem (PEP 440 for PyPI, Maven's order for Maven, …).
import { advisoriesAffecting, parseVersion, type Verdict } from '../core/affected.ts';
import { schemeFor, upgradeCommand } from '../core/ecosystems/index.ts';
import { byId, h } from './dom.ts';
import type { IndexEntry } from './types.ts';

const RANK = ['critical', 'high', 'medium', 'low'];
const plural = (n: number) => (n === 1 ? 'advisory' : 'advisories');
const pageHref = (id: string) => `advisories/${encodeURIComponent(id)}.html`;

/** The lowest upgrade that no published advisory affects: follow upgrade targets until none is left. */
function cleanVersion(entries: readonly IndexEntry[], verdicts: Verdict<IndexEntry>[], ecosystem: string): string | null {
  for (let step = 0; step <= entries.length; step++) {
    const targets = verdicts.map((v) => v.upgradeTo);
    if (targets.some((t) => t === null)) return null;
    const next = (targets as string[]).sort(schemeFor(ecosystem).compare).at(-1)!;
    verdicts = advisoriesAffecting(entries, next);
    if (verdicts.length === 0) return next;
  }
  return null;
}

interface Site {
  template: string;
  ecosystem: string;
}

function answer(entries: readonly IndexEntry[], input: string, { template, ecosystem }: Site): Node[] {
  const version = parseVersion(input, ecosystem);
  const example = schemeFor(ecosystem).versionExample;
  if (!input.trim()) return [h('p', {}, `Type the version you run, for example ${example}.`)];
  if (!version) {
    return [h('p', { class: 'invalid' }, `“${input.trim()}” is not a valid version. Type an exact version such as ${example} (not a range like 1.x).`)];
  }
  // Most severe first; the CLI's order (newest first) is kept within a severity.
  const verdicts = advisoriesAffecting(entries, version).sort((x, y) => RANK.indexOf(x.advisory.severity) - RANK.indexOf(y.advisory.severity));
  if (verdicts.length === 0) return [h('p', { class: 'safe' }, `${version} is not affected by any published advisory.`)];
  const items = verdicts.map(({ advisory: a, upgradeTo }) =>
    h(
      'li',
      { 'data-id': a.id },
      h('span', { class: `badge badge-${a.severity}` }, a.severity[0]!.toUpperCase() + a.severity.slice(1)),
      ' ',
      h('a', { href: pageHref(a.id) }, a.id),
      ` ${a.title} `,
      h('span', { class: 'upgrade-to' }, upgradeTo ? `Upgrade to ${upgradeTo}` : 'No fix for this line: upgrade to a supported line'),
    ),
  );
  const nodes: Node[] = [h('p', { class: 'affected' }, `${version} is affected by ${verdicts.length} ${plural(verdicts.length)}:`), h('ul', { class: 'verdicts' }, ...items)];
  const clean = cleanVersion(entries, verdicts, ecosystem);
  if (clean) {
    const pkg = verdicts[0]!.advisory.package;
    nodes.push(h('p', { class: 'clean' }, `Upgrading to ${clean} fixes all of them: `, h('code', {}, upgradeCommand(template, ecosystem, pkg, clean))));
  }
  return nodes;
}

export function setupVersionCheck(entries: readonly IndexEntry[]): void {
  const section = byId('check');
  const form = byId<HTMLFormElement>('version-form');
  const input = byId<HTMLInputElement>('version');
  const out = byId('version-answer');
  if (!section || !form || !input || !out) return;
  const site = { template: section.dataset.upgradeCommand ?? '', ecosystem: section.dataset.ecosystem ?? 'npm' };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const nodes = answer(entries, input.value, site);
    input.setAttribute('aria-invalid', String(input.value.trim() !== '' && parseVersion(input.value, site.ecosystem) === null));
    out.replaceChildren(...nodes);
  });
  section.hidden = false;
}
