// The tool's own version and repository, from the package.json it ships with.
import { readFileSync } from 'node:fs';
import { shipped } from '../core/shipped.ts';

const manifest = () => JSON.parse(readFileSync(shipped('package.json'), 'utf8')) as { version: string; repository?: { url?: string } };

export const version = () => manifest().version;

/** The tool's GitHub repository (https://github.com/OWNER/REPO), from package.json's `repository`. */
export const toolRepository = () => {
  const url = manifest().repository?.url ?? '';
  return /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url)?.[1];
};
