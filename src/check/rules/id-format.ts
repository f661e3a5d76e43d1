import { defineRule } from '../context.ts';

/** The id uses the configured prefix (`idPrefix`); without one the schema's PREFIX-YYYY-NNNN is enough. */
export const rule = defineRule({
  id: 'id-format',
  check(ctx, report) {
    const prefix = ctx.config.idPrefix;
    if (prefix && !ctx.fm.id.startsWith(`${prefix}-`)) {
      report(ctx.at(['id']), { id: ctx.fm.id, prefix, expected: `${prefix}-YYYY-NNNN`, actual: ctx.fm.id });
    }
  },
  fixtures: {
    ok: [
      { title: 'the configured prefix' },
      { title: 'any prefix when the config sets none', fm: { id: 'ACME-2026-12345' }, file: 'ACME-2026-12345.md', config: { idPrefix: undefined } },
      { title: 'any prefix without a config', fm: { id: 'ACME-2026-0001', package: 'acme' }, file: 'ACME-2026-0001.md', config: null },
    ],
    notOk: [
      {
        title: 'another prefix',
        fm: { id: 'ACME-2026-0001' },
        file: 'ACME-2026-0001.md',
        expect: ['2:5: `ACME-2026-0001` does not have the form SBX-YYYY-NNNN'],
      },
      { title: 'the prefix without its dash', fm: { id: 'SBXA-2026-0001' }, file: 'SBXA-2026-0001.md', expect: ['2:5'] },
    ],
  },
});
