// The one store of subscribers and of the mail ledger: SQLite in the state folder by default, PostgreSQL
// when DATABASE_URL is set. Everything the service (src/serve) and notify (src/mail) need from the list.
export * from './schema.ts';
export type { Channel, LedgerStore, ListStore, OpenOptions } from './store.ts';
export { openStore } from './open.ts';
