// The supported lines of SECURITY.md in the shapes real projects write them: a table whose version
// column holds `3.x`, `3.1.x (latest)`, `3.0+`, `>= 2.0, < 3.0` or `v2.4.0`, and whose status column
// holds a mark, a word or both with a note (`✅ (security fixes only, until 2027-06-30)`,
// `:white_check_mark: Yes`, `Active`, `End of life`); or a bullet list (`- **3.x**: supported`). `Older versions`
// stands for every version below the lowest line the others name.
// What is not understood is reported at its cell, with what would be.
import type { List, ListItem, Table, TableCell } from 'mdast';
import { toString } from 'mdast-util-to-string';
import semver from 'semver';
import { diag } from '../core/catalogue.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import type { SupportedLine } from '../core/policy.ts';

const POLICY_FILE = 'SECURITY.md';

const MARKS_YES = ['✅', '✔️', '✔', '✓', '☑️', '☑', '🟢', ':white_check_mark:', ':heavy_check_mark:', ':ballot_box_with_check:', ':green_circle:', ':check:'];
const MARKS_NO = ['❌', '✗', '✘', '❎', '⛔', '🚫', '🔴', ':x:', ':no_entry:', ':no_entry_sign:', ':negative_squared_cross_mark:', ':red_circle:', ':heavy_multiplication_x:'];
// Longest first, so that `not supported` wins over `supported`, `security fixes only` over `security fixes`.
const WORDS_YES = [
  'yes', 'y', 'true', 'supported', 'still supported', 'active', 'active support', 'actively supported', 'maintained',
  'current', 'latest', 'lts', 'security fixes', 'security fixes only', 'security only', 'security updates',
  'security updates only', 'security support', 'security patches', 'security patches only', 'critical fixes only',
  'critical security fixes only', 'critical security issues only', 'bug and security fixes', 'bugfixes and security fixes',
  'full support', 'fully supported', 'partially supported', 'limited support', 'best effort',
].sort((a, b) => b.length - a.length);
const WORDS_NO = [
  'no', 'n', 'false', 'unsupported', 'not supported', 'no longer supported', 'end of life', 'end-of-life', 'eol',
  'deprecated', 'discontinued', 'obsolete', 'archived', 'unmaintained', 'not maintained', 'none', 'no support', 'retired',
].sort((a, b) => b.length - a.length);

const UNDERSTOOD_MARK = '✅ / :white_check_mark: / Yes / Supported / Active / Security fixes only, or ❌ / :x: / No / End of life / EOL, with any note after it';
const UNDERSTOOD_SPEC = '`3.x`, `3.1.x`, `3.1.x (latest)`, `>= 3.0`, `3.0+`, `< 2.0`, `>= 2.0, < 3.0` or `2.0 - 2.4`';

/** Signs that say neither yes nor no, and leave it to the word after them (`:warning: Deprecated`). */
const NEUTRAL = /^(⚠️|⚠|ℹ️|ℹ|⏳|⌛|:warning:|:information_source:|:hourglass:|:hourglass_flowing_sand:)\s*/;
const ALL_MARKS = [...MARKS_YES, ...MARKS_NO].sort((a, b) => b.length - a.length);

/** The note without marks that only repeat the yes or no: `no longer supported:x:` has none. */
function bareNote(text: string): string {
  let note = text;
  for (const m of ALL_MARKS) note = note.split(m).join(' ');
  note = note.replace(/\s+/g, ' ').replace(/\s+\(/g, ' (').replace(/(\S)\(/g, '$1 (').trim();
  return note.replace(/^[\s:,;–—-]+/, '').replace(/^\((.*)\)$/s, '$1').trim();
}

/** The yes/no a status cell starts with, and the note after it; undefined when it starts with neither. */
export function readMark(cell: string): { supported: boolean; note: string } | undefined {
  let text = cell.trim().replace(NEUTRAL, '');
  const lower = () => text.toLowerCase();
  const take = (options: readonly string[], words: boolean) =>
    options.find((o) => lower().startsWith(o) && (!words || !/[\p{L}\p{N}]/u.test(lower().charAt(o.length))));
  let supported: boolean | undefined;
  const mark = take(MARKS_YES, false) ?? take(MARKS_NO, false);
  if (mark) {
    supported = MARKS_YES.includes(mark);
    text = text.slice(mark.length).trim();
  }
  // A word says yes or no; after a mark it repeats it (`:white_check_mark: Yes`) or is a note
  // (`✅ Current`). Words that say more than yes or no (`End of life`, `Security fixes only`) stay in the note.
  const word = take(WORDS_YES, true) ?? take(WORDS_NO, true);
  const plain = word !== undefined && /^(yes|no|y|n|true|false|supported|unsupported|not supported)$/.test(word);
  if (word && supported !== undefined && plain && WORDS_YES.includes(word) !== supported) return undefined; // `✅ No`
  if (word && supported === undefined) supported = WORDS_YES.includes(word);
  if (plain) text = text.slice(word.length).trim();
  if (supported === undefined) {
    // A mark after a phrase: `no longer supported:x:`, `still supported :white_check_mark:`.
    const trailing = [...MARKS_YES, ...MARKS_NO].find((m) => lower().endsWith(m));
    if (!trailing) return undefined;
    const lead = readMark(text.slice(0, -trailing.length));
    if (lead && lead.supported !== MARKS_YES.includes(trailing)) return undefined;
    return { supported: MARKS_YES.includes(trailing), note: bareNote(text.slice(0, -trailing.length)) };
  }
  return { supported, note: bareNote(text) };
}

/** The semver range a version cell stands for, or null. `3.1.x (latest)` → `>=3.1.0 <3.2.0-0`. */
export function readSpec(cell: string): string | null {
  let spec = cell
    .trim()
    .replace(/\s*\([^)]*\)\s*/g, ' ') // notes in brackets: `3.1.x (latest)`
    .replace(/\s+(latest|current|lts|stable|and (above|later|newer|up)|or (above|later|newer|higher))$/i, (m) => (/above|later|newer|higher|up/i.test(m) ? '+' : ''))
    .replace(/^(.+?)\s+(and|or) (below|earlier|older|lower)$/i, '<=$1') // `15.x and below`
    .replace(/[–—]/g, '-') // `2.0 – 2.4`
    .replace(/(\d)\.(?:y|z|\*)/g, '$1.x') // `3.x.y`, `3.*`
    .replace(/\.(?:y|z)\b/g, '.x')
    .replace(/\b[vV](?=\d)/g, '') // `v2.4.0`
    .replace(/^(\d+(?:\.\d+){0,2})(?:\.x)*\s*\+$/, '>=$1') // `3.0+`, `3+`, `3.x+`
    .replace(/,\s*/g, ' ') // `>= 2.0, < 3.0`
    .trim();
  if (/^(any|all|every|\*)$/i.test(spec)) spec = '*';
  if (spec === '') return null;
  return semver.validRange(spec);
}

type Place = { line: number; column: number };
const placeOf = (node: { position?: { start: { line: number; column: number } } | undefined } | undefined, fallback: Place): Place =>
  node?.position ? { line: node.position.start.line, column: node.position.start.column } : fallback;

/** Which column holds the version and which the status: by their headers, else the first two. */
function columns(header: readonly TableCell[]): { version: number; status: number; statusName: string; versionName: string } {
  const names = header.map((c) => toString(c).trim());
  const find = (re: RegExp, not = -1) => names.findIndex((n, i) => i !== not && re.test(n));
  let version = find(/^(package |library |sdk |release )?(versions?|releases?|branch(es)?|series|lines?)$/i);
  if (version < 0) version = Math.max(0, find(/version|release|branch|series/i));
  let status = find(/security/i, version);
  if (status < 0) status = find(/support|status|maintain|eol|end.of.life|state/i, version);
  if (status < 0) status = version === 0 ? 1 : 0;
  return { version, status, versionName: names[version] || 'Version', statusName: names[status] || 'Supported' };
}

/** `Older versions`, `older releases`, `Earlier`, `All other versions`: every version below the lines listed. */
const OLDER = /^(all |any )?(older|earlier|previous|prior|other|others|everything else)( (versions?|releases?|lines?|series))?$/i;

/** `<L.0.0-0`, below the lowest version any other row names, or null when no row names one. */
function belowAll(specs: readonly string[]): string | null {
  let lowest: semver.SemVer | undefined;
  for (const spec of specs) {
    const range = readSpec(spec);
    const min = range === null || range === '*' ? null : semver.minVersion(range);
    if (min && min.compare('0.0.0') > 0 && (!lowest || min.compare(lowest) < 0)) lowest = min;
  }
  return lowest ? `<${lowest.major}.${lowest.minor}.${lowest.patch}-0` : null;
}

function line(spec: string, mark: string, place: Place, specPlace: Place, markPlace: Place, where: { version: string; status: string }, diagnostics: Diagnostic[], older: string | null): SupportedLine | undefined {
  const row = `${spec} | ${mark}`;
  const range = OLDER.test(spec.trim()) ? older : readSpec(spec);
  if (!spec || range === null) {
    const reason = `\`${spec}\` is not a semver range (the ${where.version} cell); write ${UNDERSTOOD_SPEC}`;
    diagnostics.push(diag('policy-invalid-row', POLICY_FILE, spec ? specPlace : place, { row, reason, part: 'version' }));
    return undefined;
  }
  const read = readMark(mark);
  if (!read) {
    const reason = `\`${mark}\` is neither a yes nor a no mark (the ${where.status} cell); write ${UNDERSTOOD_MARK}`;
    diagnostics.push(diag('policy-invalid-row', POLICY_FILE, markPlace, { row, reason, part: 'mark', mark }));
    return undefined;
  }
  return { spec, range, supported: read.supported, line: place.line, ...(read.note ? { note: read.note } : {}) };
}

export function tableLines(table: Table, diagnostics: Diagnostic[]): SupportedLine[] {
  const [header, ...rows] = table.children;
  const col = columns(header?.children ?? []);
  const text = (cell: TableCell | undefined) => (cell ? toString(cell).trim() : '');
  const cells = rows.map((row) => {
    const [versionCell, markCell] = [row.children[col.version], row.children[col.status]];
    return { row, versionCell, markCell, spec: text(versionCell), mark: text(markCell) };
  });
  const older = belowAll(cells.map((c) => c.spec));
  const lines: SupportedLine[] = [];
  let above: SupportedLine | undefined; // the line the row above made
  for (const { row, versionCell, markCell, spec, mark } of cells) {
    const place = placeOf(row, { line: 1, column: 1 });
    if (!spec && above) {
      // A row with no version continues the one above (`|       | EOL end of 2027 |`): its text is a note.
      const more = row.children.map((c) => toString(c).trim()).filter(Boolean).join(' ');
      if (more) above.note = above.note ? `${above.note}; ${more}` : more;
      continue;
    }
    above = line(spec, mark, place, placeOf(versionCell, place), placeOf(markCell, place), { version: `"${col.versionName}"`, status: `"${col.statusName}"` }, diagnostics, older);
    if (above) lines.push(above);
  }
  return lines;
}

/**
 * `- 3.x: supported`, `- **2.x** — security fixes only until 2027-06-30`: split at the first `:` outside
 * brackets, else the first spaced dash (a colon first, so `2.0 – 2.4: supported` keeps its range).
 */
const SEPARATORS = [/:/g, /\s[–—-]\s/g];
/** `* 1.x (EOL)`: with no separator, a bracket after the version holds the status. */
const BRACKETED = /^(.+?)\s(\(.+)$/s;

function splitItem(text: string): [string, string] | undefined {
  for (const separator of SEPARATORS) {
    for (const m of text.matchAll(separator)) {
      const before = text.slice(0, m.index);
      // Inside brackets (`3.x (EOL: 2025-01-31)`) a colon is part of a note.
      if ((before.match(/\(/g)?.length ?? 0) > (before.match(/\)/g)?.length ?? 0)) continue;
      return [before.trim(), text.slice(m.index + m[0].length).trim()];
    }
  }
  const m = BRACKETED.exec(text);
  return m ? [m[1]!.trim(), m[2]!.trim()] : undefined;
}

export function listLines(list: List, diagnostics: Diagnostic[]): SupportedLine[] {
  const items = (list.children as ListItem[]).map((item) => {
    const text = toString(item).trim().replace(/\s+/g, ' ');
    // A bare version under the supported-versions heading (`- 3.x`) is a supported line.
    const [spec, mark] = splitItem(text) ?? (readSpec(text) !== null ? [text, 'supported'] : [text, '']);
    return { place: placeOf(item, { line: 1, column: 1 }), spec, mark };
  });
  const older = belowAll(items.map((i) => i.spec));
  const lines: SupportedLine[] = [];
  for (const { place, spec, mark } of items) {
    const found = line(spec, mark.replace(/^\((.*)\)$/, '$1'), place, place, place, { version: 'list item’s version', status: 'list item’s status' }, diagnostics, older);
    if (found) lines.push(found);
  }
  return lines;
}
