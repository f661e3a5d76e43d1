// Chooses the backend and migrates it under a lock before anyone uses it.
import type { ListStore, OpenOptions } from './store.ts';

export async function openStore(o: OpenOptions): Promise<ListStore> {
  if (o.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(o.databaseUrl, o.bounceLimit ?? 3);
  }
  const { openSqlite } = await import('./sqlite.ts');
  return openSqlite(o.state, o.bounceLimit ?? 3);
}
