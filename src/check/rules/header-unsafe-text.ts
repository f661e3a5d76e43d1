import { defineRule } from '../context.ts';

/** Title and summary reach mail headers and feed titles: a line break there is header injection. */
export const rule = defineRule({
  id: 'header-unsafe-text',
  check(ctx, report) {
    for (const key of ['title', 'summary'] as const) {
      const value = ctx.fm[key];
      // eslint-disable-next-line no-control-regex
      const bad = /[\r\n\u2028\u2029]/.test(value) ? 'line break' : /[\u0000-\u001f\u007f-\u009f]/.test(value) ? 'control character' : undefined;
      if (bad) report(ctx.at([key]), { key, what: bad });
    }
  },
  fixtures: {
    ok: [
      { title: 'one line of plain text' },
      { title: 'punctuation and letters beyond ASCII', fm: { title: '"Déni de service: `parse()` — <script> & co."' } },
      { title: 'a folded scalar is one line', fm: { summary: '>-\n  Something bad\n  can happen.' } },
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
    ],
  },
});
