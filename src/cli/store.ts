// Opening the list store from the command line: DATABASE_URL (a secret: it may hold a password) chooses
// PostgreSQL, otherwise SQLite in the state folder.
import { AdvisoriesError } from '../core/errors.ts';
import { openStore, type ListStore } from '../list/index.ts';

export function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_URL?.trim();
  if (!url) return undefined;
  if (!URL.canParse(url) || !['postgres:', 'postgresql:'].includes(new URL(url).protocol)) {
    throw new AdvisoriesError('USAGE', 'DATABASE_URL must be a postgres:// (or postgresql://) URL, e.g. postgres://advisories@db.example.com:5432/advisories; unset it to use SQLite in the state folder');
  }
  return url;
}

export const openListStore = (state: string, env: NodeJS.ProcessEnv, bounceLimit?: number): Promise<ListStore> => openStore({ state, databaseUrl: databaseUrl(env), bounceLimit });
