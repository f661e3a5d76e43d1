// The markdown-it fast path must render exactly what the remark path renders, wherever it answers.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advisoryText } from '../bench/corpus.ts';
import { renderBody, renderBodyExact } from '../src/render/body.ts';
import { fastHtml } from '../src/render/markdown-fast.ts';
import { safeMarkdown, safeMarkdownExact } from '../src/render/safe-markdown.ts';

// Inline pieces that decide escaping, links, emphasis and code; some are outside the subset on purpose.
const INLINE = [
  'word', 'two words', ' ', '  ', '*em*', '**strong**', '_u_', '__uu__', '***both***', '`code`', '`` a`b ``', '` `', '<', '>', '&', '"', "'",
  '&amp;', '&copy;', '&#x26;', '&#60;', '&nbsp;', '\\*', '\\<', '\\\\', '\\`', '[link](https://example.com/a?b=1&c=2)', '[t](/rel "Title")',
  '[q](<a b> "x\\"y")', '[r][ref]', '[ref]', '![alt *x*](https://img.example/x.png)', '![](data:image/png;base64,AAA)', '[j](javascript:alert(1))',
  '[m](mailto:a@b.c)', '<https://auto.example>', '<b>raw</b>', '<!-- c -->', 'https://bare.example', 'www.example.com', 'a@b.co', '~x~', '~~s~~',
  'é', '\u00a0', '\u2028', '\t', '*', '_', '**', '[', ']', '(', ')', '!', '|', '\\|', '#', 'a  \nb', 'a\\\nb', 'a\nb', '1.2.3', '>=1.0.0 <1.2.0', '\u0000',
];
// Pieces the fast path takes, so generated documents often stay inside its subset.
const PLAIN = INLINE.filter(
  (p) => !/[[\]<@~\0\t\u2028\\]|www|:\/\/|^[*_]+$/.test(p) || p.startsWith('[link]') || p.startsWith('[t]') || p.startsWith('!['),
);
/** Blocks made of `inline`; `edgy` adds the constructs the fast path defers (or that once tripped it). */
function blocks(inline: fc.Arbitrary<string>, edgy: boolean): fc.Arbitrary<string>[] {
  const common = [
    inline,
    inline.map((t) => `## ${t}`),
    inline.map((t) => `${t}\n===`),
    inline.map((t) => `${t}\n---`),
    fc.array(inline, { minLength: 1, maxLength: 4 }).map((items) => items.map((t) => `- ${t}`).join('\n')),
    fc.array(inline, { minLength: 1, maxLength: 3 }).map((items) => items.map((t) => `* ${t}\n`).join('\n')),
    fc.tuple(fc.integer({ min: 0, max: 12 }), fc.array(inline, { minLength: 1, maxLength: 3 })).map(([n, items]) => items.map((t, i) => `${n + i}. ${t}`).join('\n')),
    fc.tuple(inline, inline).map(([a, b]) => `- ${a}\n  - ${b}\n    1. ${a}`),
    inline.map((t) => `> ${t}\n> ${t}`),
    fc.tuple(fc.constantFrom('', 'sh', 'c++', 'js title="x"', '`a', 'a&b', '"q"'), inline).map(([info, t]) => `\`\`\`${info}\n${t}\n<&">\n\`\`\``),
    inline.map((t) => `~~~\n${t}\n~~~`),
    fc.tuple(fc.constantFrom('---|---', ':-|-:', ':-:|---', '-|-'), inline, inline).map(([sep, a, b]) => `| ${a} | h |\n|${sep}|\n| ${b} | 2 |\n| x |`),
    fc.constantFrom('***', '- - -', '[ref]: https://ref.example "T"', ''),
  ];
  if (!edgy) return common;
  return [
    ...common,
    inline.map((t) => `    ${t}\n    <code>`),
    fc.tuple(inline, inline).map(([a, b]) => `a | b\n--|--\n${a} | ${b}`),
    fc.constantFrom('[ref]: javascript:x', '<div>\nhtml\n</div>', '- [ ] task', '- [x] done', 'a[^1]\n\n[^1]: note', '> a\nlazy', '-', '>'),
  ];
}
const pieces = (list: string[]) => fc.array(fc.constantFrom(...list), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
const join = (list: fc.Arbitrary<string>[], seps: string[]) =>
  fc.array(fc.oneof(...list), { minLength: 1, maxLength: 6 }).chain((bs) => fc.constantFrom(...seps).map((sep) => bs.join(sep)));
// Documents full of edge cases, and documents like real advisories (mostly inside the subset).
const doc = fc.oneof(
  join(blocks(fc.oneof({ arbitrary: pieces(INLINE), weight: 1 }, { arbitrary: pieces(PLAIN), weight: 3 }), true), ['\n\n', '\n', '\r\n\r\n']),
  join(blocks(pieces(PLAIN), false), ['\n\n', '\n']),
);

function agrees(markdown: string): boolean {
  const fast = fastHtml(markdown);
  if (fast === null) return false;
  expect(fast, JSON.stringify(markdown)).toBe(renderBodyExact(markdown));
  // OSV details keep such text as written: the remark cleaner would have removed nothing from it.
  expect(renderBodyExact(safeMarkdownExact(markdown)), JSON.stringify(markdown)).toBe(fast);
  return true;
}

describe('the markdown-it fast path', () => {
  it('renders generated Markdown byte for byte as remark does, or defers to remark', () => {
    let answered = 0;
    fc.assert(fc.property(doc, (markdown) => void (answered += agrees(markdown) ? 1 : 0)), { numRuns: Number(process.env.FUZZ_RUNS ?? 10000) });
    expect(answered).toBeGreaterThan(Number(process.env.FUZZ_RUNS ?? 10000) / 12); // the fast path is exercised, not always deferred
  });

  it('answers for the repo advisories and the benchmark corpus', () => {
    const dir = new URL('../advisories/', import.meta.url);
    const bodies = [...readdirSync(dir).map((f) => readFileSync(new URL(f, dir), 'utf8')), ...[0, 1, 2, 3].map((i) => advisoryText(i, i))];
    for (const text of bodies) expect(agrees(text.slice(text.indexOf('\n---\n') + 5))).toBe(true);
  });

  it('defers raw HTML, unsafe links, bare URLs and GFM-only syntax to remark and rehype-sanitize', () => {
    for (const markdown of ['<script>alert(1)</script>', 'a <img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '![x](data:image/png,AA)',
      '<javascript:alert(1)>', '[x]: vbscript:y\n\n[x]', 'see https://example.com', 'www.example.com', 'ask sec@example.com', '~~gone~~', '- [ ] todo', 'a[^1]\n\n[^1]: b']) {
      expect(fastHtml(markdown), markdown).toBeNull();
    }
  });
});
