import { diag } from '../../core/catalogue.ts';
import type { Rule } from '../context.ts';

export const idMatchesPrefix: Rule = (ctx) => {
  const prefix = ctx.config.idPrefix;
  if (prefix && !ctx.fm.id.startsWith(`${prefix}-`)) {
    ctx.diagnostics.push(diag('id-format', ctx.parsed.file, ctx.at(['id']), { id: ctx.fm.id, prefix, expected: `${prefix}-YYYY-NNNN`, actual: ctx.fm.id }));
  }
};

export const idMatchesFileName: Rule = (ctx) => {
  const { fm, parsed } = ctx;
  if (fm.id !== parsed.stem) {
    ctx.diagnostics.push(
      diag('id-file-mismatch', parsed.file, ctx.at(['id']), { id: fm.id, file: `${parsed.stem}.md`, stem: parsed.stem, expected: parsed.stem, actual: fm.id }),
    );
  }
};

// Title and summary reach mail headers and feed titles: a line break there is header injection.
export const headerSafeText: Rule = (ctx) => {
  for (const key of ['title', 'summary'] as const) {
    const value = ctx.fm[key];
    // eslint-disable-next-line no-control-regex
    const bad = /[\r\n\u2028\u2029]/.test(value) ? 'line break' : /[\u0000-\u001f\u007f-\u009f]/.test(value) ? 'control character' : undefined;
    if (bad) ctx.diagnostics.push(diag('header-unsafe-text', ctx.parsed.file, ctx.at([key]), { key, what: bad }));
  }
};

export const packageKnown: Rule = (ctx) => {
  if (!ctx.fm.package && !ctx.config.package) {
    ctx.diagnostics.push(diag('schema-required', ctx.parsed.file, ctx.at([]), { key: 'package', example: 'scalebox-sdk (or set "package" in advisories.config.json)' }));
  }
};
