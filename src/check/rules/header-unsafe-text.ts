import { unsafeText } from '../../core/text.ts';
import { defineRule } from '../context.ts';

type Path = (string | number)[];

/** Every frontmatter string that reaches a title, a mail header, a feed or the OSV record's names. */
function textFields(data: Record<string, unknown>): [Path, unknown][] {
  const fields: [Path, unknown][] = ['title', 'summary', 'package', 'ecosystem'].map((key) => [[key], data[key]]);
  const credits = data.credits;
  if (Array.isArray(credits)) {
    credits.forEach((c, i) => fields.push(c !== null && typeof c === 'object' ? [['credits', i, 'name'], (c as Record<string, unknown>).name] : [['credits', i], c]));
  }
  const withdrawn = data.withdrawn;
  if (withdrawn !== null && typeof withdrawn === 'object') fields.push([['withdrawn', 'reason'], (withdrawn as Record<string, unknown>).reason]);
  return fields;
}

const keyName = (path: Path) => path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join('');

/**
 * Text that reaches mail headers, feed titles and pages: a line break there is header injection, and an
 * invisible character (bidi override, zero-width) makes it read as something else. Read from the YAML
 * itself, so a field that fails its schema for another reason is still checked.
 */
export const rule = defineRule({
  id: 'header-unsafe-text',
  check(ctx, report) {
    const data = ctx.parsed.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return;
    for (const [path, value] of textFields(data as Record<string, unknown>)) {
      const bad = typeof value === 'string' ? unsafeText(value) : undefined;
      if (bad) report(ctx.at(path), { key: keyName(path), what: bad.what, codePoint: bad.codePoint });
    }
  },
  fixtures: {
    ok: [
      { title: 'one line of plain text' },
      { title: 'punctuation and letters beyond ASCII', fm: { title: '"Déni de service: `parse()` — <script> & co."' } },
      { title: 'a folded scalar is one line', fm: { summary: '>-\n  Something bad\n  can happen.' } },
      { title: 'right-to-left text without controls', fm: { title: '"ثغرة في التحقق"' } },
      { title: 'a zero-width non-joiner inside a Persian word', fm: { credits: '["می\u200cخواهم"]' } },
    ],
    notOk: [
      { title: 'a line break in the title', fm: { title: '"Bad\\nBcc: victim@example.com"' }, expect: ['3:8: `title` contains a line break'] },
      { title: 'a control character in the summary', fm: { summary: '"bell \\a here"' }, expect: ['4:10: `summary` contains a control character'] },
      { title: 'a Unicode line separator', fm: { title: '"one\\u2028two"' }, expect: ['3:8: line break'] },
      { title: 'a literal block keeps its line breaks', fm: { summary: '|\n  Something bad\n  can happen.' }, expect: ['4:10: line break'] },
      {
        title: 'both, title first',
        fm: { title: '"a\\rb"', summary: '"c\\u0085d"' },
        expect: ['3:8: `title` contains a line break', '4:10: `summary` contains a control character'],
      },
      {
        title: 'a right-to-left override, named',
        fm: { title: '"Fix \\u202Egnp.exe"' },
        expect: ['3:8: `title` contains the invisible character U+202E RIGHT-TO-LEFT OVERRIDE'],
      },
      { title: 'a zero-width space inside an ASCII word', fm: { summary: 'pay\u200bpal can be spoofed' }, expect: ['4:10: U+200B ZERO WIDTH SPACE'] },
      { title: 'a zero-width joiner between ASCII letters', fm: { title: 'sca\u200dlebox' }, expect: ['3:8: U+200D ZERO WIDTH JOINER'] },
      {
        title: 'in a credit’s name, a package name and a withdrawal reason',
        fm: { package: '"scalebox\\u2066-sdk"', credits: '\n  - name: "Ana \\u202DRuiz"', withdrawn: '{at: 2026-03-05T00:00:00Z, reason: "dup\\u200Blicate"}' },
        expect: ['10:10: `package` contains the invisible character U+2066', '12:11: `credits[0].name`', '13:47: `withdrawn.reason`'],
      },
      { title: 'a title too long for the schema is still checked', fm: { title: `"${'x'.repeat(201)}\\u202E"` }, expect: ['3:8: U+202E'] },
    ],
  },
});
