import semver from 'semver';
import { diag } from '../../core/catalogue.ts';
import { itemPath, type Rule } from '../context.ts';

export const validRange = (range: string) => semver.validRange(range) !== null;
export const validVersion = (version: string) => semver.valid(version) !== null;

export const rangesAreValid: Rule = (ctx) => {
  ctx.fm.affected.forEach((range, i) => {
    if (!validRange(range)) ctx.diagnostics.push(diag('semver-range-invalid', ctx.parsed.file, ctx.at(itemPath(ctx, 'affected', i)), { range }));
  });
  ctx.fm.patched.forEach((version, i) => {
    if (!validVersion(version)) ctx.diagnostics.push(diag('semver-version-invalid', ctx.parsed.file, ctx.at(itemPath(ctx, 'patched', i)), { version }));
  });
};

export const patchedOutsideAffected: Rule = (ctx) => {
  ctx.fm.patched.forEach((version, i) => {
    if (!validVersion(version)) return;
    const range = ctx.fm.affected.find((r) => validRange(r) && semver.satisfies(version, r, { includePrerelease: true }));
    if (range) ctx.diagnostics.push(diag('patched-in-affected', ctx.parsed.file, ctx.at(itemPath(ctx, 'patched', i)), { version, range }));
  });
};
