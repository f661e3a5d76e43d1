import { defineRule } from '../context.ts';

/**
 * An embargoed advisory in clear text in a public repository is public from its pull request on:
 * title, affected versions and workaround, before the fix ships. Sealed files never reach this rule.
 */
export const rule = defineRule({
  id: 'embargo-clear',
  whileEmbargoed: true,
  check(ctx, report) {
    if (ctx.config.visibility !== 'public') return;
    report(ctx.at(['published']), { published: ctx.fm.published, file: ctx.parsed.file });
  },
  fixtures: {
    ok: [
      { title: 'published: its time has come, so clear text is right' },
      { title: 'embargoed in a private repository', fm: { published: '2026-07-01T00:00:00Z' }, config: { visibility: 'private' } },
      { title: 'the publish time is exactly now', fm: { published: '2026-06-01T00:00:00Z' } },
    ],
    notOk: [
      {
        title: 'embargoed in a public repository (the default)',
        fm: { published: '2026-07-01T00:00:00Z' },
        expect: ['9:12: Embargoed until 2026-07-01T00:00:00Z, but stored in clear text'],
      },
      {
        title: 'embargoed by one second, in a repository said to be public',
        fm: { published: '2026-06-01T00:00:01Z' },
        config: { visibility: 'public' },
        now: '2026-06-01T00:00:00Z',
        expect: ['9:12'],
      },
    ],
  },
});
