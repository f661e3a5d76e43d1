// Shared by the version rules: what counts as a valid range and version, exactly as npm reads them.
import semver from 'semver';

export const validRange = (range: string) => semver.validRange(range) !== null;
export const validVersion = (version: string) => semver.valid(version) !== null;
