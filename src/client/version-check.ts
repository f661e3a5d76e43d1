// "Am I affected?": the same functions as the CLI's `advisories affected`, over index.json.
import semver from 'semver';
import { advisoriesAffecting, parseVersion, type Verdict } from '../core/affected.ts';
import { byId, h } from './dom.ts';
import type { IndexEntry } from './types.ts';

const RANK = ['critical', 'high', 'medium', 'low'];
const plural = (n: number) => (n === 1 ? 'advisory' : 'advisories');
const fill = (template: string, pkg: string, version: string) => template.replaceAll('{package}', pkg).replaceAll('{version}', version);
const pageHref = (id: string) => `advisories/${encodeURIComponent(id)}.html`;

/** The lowest upgrade that no published advisory affects: follow upgrade targets until none is left. */
function cleanVersion(entries: readonly IndexEntry[], verdicts: Verdict<IndexEntry>[]): string | null {
  for (let step = 0; step <= entries.length; step++) {
    const targets = verdicts.map((v) => v.upgradeTo);
    if (targets.some((t) => t === null)) return null;
    const next = (targets as string[]).sort(semver.compare).at(-1)!;
    verdicts = advisoriesAffecting(entries, next);
    if (verdicts.length === 0) return next;
  }
  return null;
}

function answer(entries: readonly IndexEntry[], input: string, template: string): Node[] {
  const version = parseVersion(input);
  if (!input.trim()) return [h('p', {}, 'Type the version you run, for example 1.3.0.')];
  if (!version) {
    return [h('p', { class: 'invalid' }, `“${input.trim()}” is not a valid version. Type an exact version such as 1.3.0 (not a range like 1.x).`)];
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
  const clean = cleanVersion(entries, verdicts);
  if (clean) {
    const pkg = verdicts[0]!.advisory.package;
    nodes.push(h('p', { class: 'clean' }, `Upgrading to ${clean} fixes all of them: `, h('code', {}, fill(template, pkg, clean))));
  }
  return nodes;
}

export function setupVersionCheck(entries: readonly IndexEntry[]): void {
  const section = byId('check');
  const form = byId<HTMLFormElement>('version-form');
  const input = byId<HTMLInputElement>('version');
  const out = byId('version-answer');
  if (!section || !form || !input || !out) return;
  const template = section.dataset.upgradeCommand ?? '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const nodes = answer(entries, input.value, template);
    input.setAttribute('aria-invalid', String(input.value.trim() !== '' && parseVersion(input.value) === null));
    out.replaceChildren(...nodes);
  });
  section.hidden = false;
}
