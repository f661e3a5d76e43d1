import { defineRule } from '../context.ts';

/** The id is the file name: links, the feeds and `advisories new` find an advisory by either. */
export const rule = defineRule({
  id: 'id-file-mismatch',
  check(ctx, report) {
    const { fm, parsed } = ctx;
    if (fm.id !== parsed.stem) {
      report(ctx.at(['id']), { id: fm.id, file: `${parsed.stem}.md`, stem: parsed.stem, expected: parsed.stem, actual: fm.id });
    }
  },
  fixtures: {
    ok: [{ title: 'the id is the file name' }, { title: 'another id in its own file', fm: { id: 'SBX-2027-0042' }, file: 'SBX-2027-0042.md' }],
    notOk: [
      { title: 'another id', fm: { id: 'SBX-2026-0002' }, expect: ['2:5: Id `SBX-2026-0002` does not match the file name `SBX-2026-0001.md`'] },
      { title: 'the file name in lower case', file: 'sbx-2026-0001.md', expect: ['2:5: `sbx-2026-0001.md`'] },
    ],
  },
});
