// The tool's own version, from the package.json it ships with.
import { readFileSync } from 'node:fs';
import { shipped } from '../core/shipped.ts';

export const version = () => (JSON.parse(readFileSync(shipped('package.json'), 'utf8')) as { version: string }).version;
