import { defineRule } from '../context.ts';

/**
 * The marker every placeholder of `advisories new` carries (whatever the ecosystem's scaffold puts
 * beside it), and the ones authors leave themselves. Case-sensitive: "todo" in prose is a word.
 */
const MARKER = /\b(TODO|TBD|FIXME)\b/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** An inline code span on one line: a run of backticks, then the same run closing it. */
const CODE_SPAN = /(`+)(?!`)[^]*?(?<!`)\1(?!`)/g;

/**
 * An untouched draft must never be published: it would go out, and be mailed, at its embargo date.
 * Any marker in the frontmatter (a value or a comment) or in the body's text (code blocks aside) is an error.
 */
export const rule = defineRule({
  id: 'placeholder-text',
  check(ctx, report) {
    const { parsed } = ctx;
    let key = 'frontmatter';
    parsed.frontmatter.split('\n').forEach((text, i) => {
      key = /^([A-Za-z$][\w$]*):/.exec(text)?.[1] ?? key;
      const found = MARKER.exec(text);
      // The editor's schema comment is not a placeholder, whatever path it names.
      if (found && !text.startsWith('# yaml-language-server:')) {
        report({ line: i + 2, column: found.index + 1 }, { key, found: excerpt(text, found.index), what: key === 'affected' || key === 'patched' ? 'versions' : 'text' });
      }
    });
    let section = 'body';
    let fence: string | undefined;
    parsed.body.split('\n').forEach((text, i) => {
      const open = FENCE.exec(text)?.[1];
      if (open && !fence) fence = open;
      else if (open && fence && open[0] === fence[0] && open.length >= fence.length) fence = undefined;
      if (fence || open) return;
      const heading = /^(#{1,6})\s+(.*?)[\s#]*$/.exec(text);
      if (heading) section = `${heading[1]} ${heading[2]}`;
      // Code names things (a `TODO` macro, a `FIXME` lint): blanked, so only prose can hold a placeholder.
      const found = MARKER.exec(text.replace(CODE_SPAN, (span) => ' '.repeat(span.length)));
      if (found) report({ line: parsed.bodyLine + i, column: found.index + 1 }, { key: section, found: excerpt(text, found.index), what: 'text' });
    });
  },
  fixtures: {
    ok: [
      { title: 'a finished advisory' },
      { title: 'the word todo in prose, and a TODO inside a code block', body: '## Impact\n\nA todo list could leak.\n\n```js\n// TODO: harmless\n```\n\n## Patches\n\nUpgrade.\n' },
      { title: 'a marker named in inline code', body: '## Impact\n\nThe `TODO` handler and the ``FIXME`` lint mishandle input.\n\n## Patches\n\nUpgrade.\n' },
      { title: 'words that only contain a marker', fm: { summary: 'TODOS and BTBD are not markers; todo in lower case is prose.' } },
    ],
    notOk: [
      { title: 'the scaffold’s summary', fm: { summary: '"TODO: one sentence a user can act on."' }, expect: ['4:11: `summary` still holds placeholder text (TODO: one sentence a user can act on.)'] },
      { title: 'a marker in a flow list, without its bracket', fm: { credits: '[FIXME]' }, expect: ['10:11: `credits` still holds placeholder text (FIXME)'] },
      { title: 'a placeholder range marked by a comment', fm: { affected: '">=1.0.0 <1.0.1" # TODO: the real versions' }, expect: ['6:30: `affected` still holds placeholder text'] },
      { title: 'TBD as a package name', fm: { package: 'TBD' }, expect: ['10:10: `package`'] },
      {
        title: 'in the body, named by its section',
        body: '## Impact\n\nTODO: what an attacker can do.\n\n## Patches\n\nFixed in TBD.\n',
        expect: ['13:1: `## Impact` still holds placeholder text (TODO: what an attacker', '17:10: `## Patches`'],
      },
      { title: 'a marker after an unclosed backtick is still prose', body: '## Impact\n\nThe ` sign, TODO.\n\n## Patches\n\nUpgrade.\n', expect: ['13:13: `## Impact`'] },
    ],
  },
});

/** The marker and a little of what follows, for the message. */
const excerpt = (text: string, at: number) => {
  // In the frontmatter the marker often sits inside a quoted or flow value: its closing `"`, `]` or `}` is not the text's.
  const rest = text.slice(at).trim().replace(/["'\]}]+,?$/, '');
  return rest.length > 40 ? `${rest.slice(0, 40)}…` : rest;
};
