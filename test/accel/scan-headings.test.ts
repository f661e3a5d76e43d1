// The line scanner that spares `check` a full Markdown parse must agree with remark wherever it answers.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advisoryText } from '../../bench/corpus.ts';
import { markdownParser } from '../../src/check/markdown.ts';
import { headingsOf, splitFrontmatter } from '../../src/check/parse-advisory.ts';
import { scanHeadings } from '../../src/accel/scan-headings.ts';

// Lines chosen to hit every construct that decides whether a `#` line is a top-level heading.
const LINES = [
  '---', '--- ', '----', '-', 'id: x', 'a: [1, 2]', '', ' ', '## Impact', '# Title', '###### Six', '####### Seven',
  '## Impact ##', '## *Em* and `code`', '## R&amp;D', '  ## Indented', '   ### Three', '    ## Code', '\t## Tab', '#', '## ',
  '##\tTab sep', '## Foo   bar  ', '## Ünïcode ẞ', '```', '```sh', '``` a`b', '~~~', '````', '  ```', '    ```', '- item',
  '- ## In list', '  ## Continued', '1. item', '   ```', '> quote', '> ## Quoted', '<div>', '</div>', 'Text line', '===', '***',
  '| a | b |', '| --- | --- |', '- ```', '  - nested', '[ref]: https://example.com', 'Setext', '==', '--',
  // Autolinks at the start of a line, and look-alikes that do open HTML blocks or are not autolinks.
  '<https://example.com/a>', '<https://x.org/b> and text', '<mailto:a@b.c>', '<a+b.c-d:x>', '<source:x>', '<pre:x>',
  '<https:>', '<https: x>', '<div:x>', '<div >', '<!-- c -->', '<x:y', '<a>', '<1a:x>',
  // Code spans and plain characters in headings, fences indented inside list items or not.
  '## `Vec<T>::push` & co', '## a `` b`c `` d', '## ` a `', '## `  `', '## ` `', '## `a', '## a ``b`', '## `*x*` _y_', '## x &amp; y',
  '## a > b', '## `a` ##', '### `x`\\`y`', '   ```sh', ' ```', '  ~~~', '      ```', '  code', ' x', '1. step', '   text',
];

const doc = fc.array(fc.constantFrom(...LINES), { maxLength: 25 }).map((lines) => lines.join('\n'));
const withFrontmatter = fc.tuple(fc.array(fc.constantFrom('id: x', '', 'k: v', '--- ', '----'), { maxLength: 4 }), doc).map(([fm, body]) => `---\n${fm.join('\n')}\n---\n${body}`);

function remarkFrontmatter(text: string) {
  const first = markdownParser.parse(text).children[0];
  if (first?.type !== 'yaml') return undefined;
  return { value: first.value, endOffset: first.position!.end.offset!, endLine: first.position!.end.line };
}

function agrees(text: string) {
  expect(splitFrontmatter(text), JSON.stringify(text)).toEqual(remarkFrontmatter(text));
  const split = splitFrontmatter(text);
  const scanned = split ? scanHeadings(text, split.endOffset + 1, split.endLine + 1) : scanHeadings(text, 0, 1);
  if (scanned) expect(scanned, JSON.stringify(text)).toEqual(headingsOf(markdownParser.parse(text)));
  return scanned !== undefined;
}

describe('the Markdown line scanner', () => {
  it('splits frontmatter and finds headings exactly as remark does, or defers to it', () => {
    let answered = 0;
    fc.assert(fc.property(fc.oneof(doc, withFrontmatter), (text) => void (answered += agrees(text) ? 1 : 0)), { numRuns: 800 });
    expect(answered).toBeGreaterThan(100); // the fast path is exercised, not always deferred
  });

  it('answers without the full parser for the repo advisories and realistic generated ones', () => {
    const dir = new URL('../../advisories/', import.meta.url);
    const texts = [...readdirSync(dir).map((f) => readFileSync(new URL(f, dir), 'utf8')), advisoryText(0), advisoryText(3, 2)];
    for (const text of texts) expect(agrees(text)).toBe(true);
  });

  it('answers for every real RustSec advisory (autolinks, code in headings, fences in lists), as remark does', () => {
    const dir = new URL('../../bench/corpus/rustsec/advisories/', import.meta.url);
    const files = readdirSync(dir);
    let answered = 0;
    let autolinked = 0;
    let indentedFences = 0;
    let codeInHeadings = 0;
    for (const f of files) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      if (agrees(text)) answered++;
      if (/^<https?:/m.test(text)) autolinked++;
      if (/^ {1,3}```/m.test(text)) indentedFences++;
      if (/^#+ .*`/m.test(text)) codeInHeadings++;
    }
    expect([autolinked, indentedFences, codeInHeadings].every((n) => n > 5)).toBe(true);
    expect(answered).toBe(files.length);
  });

  it('does not take `## ` or `---` inside a fenced code block for a heading or a fence', () => {
    const text = '---\nid: x\n---\n\n## Impact\n\n```sh\n## not a heading\n---\n```\n\n## Patches\n';
    expect(agrees(text)).toBe(true);
    expect(scanHeadings(text, 14, 4)!.map((h) => [h.text, h.line])).toEqual([['Impact', 5], ['Patches', 12]]);
  });
});
