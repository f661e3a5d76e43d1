// The ledger: one row per (advisory revision, subscriber) in the list store (src/list: SQLite in the state
// folder, or PostgreSQL), one ledger per channel (SMTP, outbox). A row exists only once a message was
// handed to the server; "no row" means not attempted yet. States:
//   unknown           the message was being transmitted (DATA begun) and no final reply was recorded:
//                     a crash, or a connection dropped before the reply. Never resent automatically.
//   sent              the server accepted it (its reply is kept)
//   failed-permanent  the server refused it with 5xx: never retried
//   pending           refused for now (4xx) after the retries of a run: the next run tries again
// The kill-safety invariants:
// - The "unknown" row is durable before the message body starts to flow (the transport holds the body
//   until `beginTransmission` resolves), so a kill -9 at any point can only leave a message unknown, never
//   sent twice.
// - A pair is sent only by the process holding its claim (LedgerStore.claim), which reads the pair's row
//   afresh once it holds it. A claim dies with its process, so several notify workers on one PostgreSQL
//   store send each pair once, and a killed worker's pairs go to the others.
// - Every outcome is durable before the run counts it.
import Database from 'better-sqlite3';
import { AdvisoriesError } from '../core/errors.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel, LedgerStore } from '../list/index.ts';
import { DELIVERY_STATES, type DeliveryState } from '../list/index.ts';

/** The ledger files of versions before the list store: imported once into the store, then left as they were. */
export const legacyLedgerPath = (state: string, channel: Channel) => join(state, channel === 'smtp' ? 'mail-ledger.sqlite' : 'outbox-ledger.sqlite');

/**
 * Opens the channel's ledger in the store. A store whose ledger was never started takes over the rows of
 * an old ledger file in the state folder (as restored from the state branch), so upgrading mails nobody twice.
 */
export async function openLedger(ledger: LedgerStore, state: string, at: Date): Promise<{ imported?: { path: string; rows: number } }> {
  if (await ledger.exists()) return {};
  const path = legacyLedgerPath(state, ledger.channel);
  if (!existsSync(path)) return {};
  let old: Database.Database;
  try {
    old = new Database(path, { readonly: true, fileMustExist: true });
    old.prepare('SELECT 1 FROM revisions LIMIT 1').get();
    old.prepare('SELECT 1 FROM deliveries LIMIT 1').get();
  } catch (error) {
    // Never "start a new one" instead: that would mail everyone again.
    const code = String((error as { code?: unknown }).code ?? '');
    throw new AdvisoriesError(
      'STATE',
      /^SQLITE_(NOTADB|CORRUPT|ERROR)$/.test(code)
        ? `${path} is not a mail ledger (${(error as Error).message}). Nothing was sent. Put the real ledger back (\`advisories state restore\`, or a backup); only if this list has never been mailed, move the file away and run again with --fresh`
        : `cannot open the mail ledger ${path} (${(error as Error).message}). Nothing was sent. Make the state folder and the ledger readable by this user, or choose another folder with --state DIR`,
      { cause: error },
    );
  }
  let rows = 0;
  try {
    for (const r of old.prepare('SELECT revision, advisory, material, first_seen FROM revisions').iterate() as Iterable<{ revision: string; advisory: string; material: string; first_seen: string }>) {
      await ledger.rememberRevision(r.revision, r.advisory, JSON.parse(r.material), new Date(r.first_seen));
    }
    for (const r of old.prepare('SELECT advisory, revision, subscriber, state, message_id, reply FROM deliveries ORDER BY created_at').iterate() as Iterable<{ advisory: string; revision: string; subscriber: string; state: DeliveryState; message_id: string; reply: string }>) {
      if (!(DELIVERY_STATES as readonly string[]).includes(r.state)) continue;
      await ledger.record({ advisory: r.advisory, revision: r.revision, subscriber: r.subscriber, state: r.state, messageId: r.message_id, reply: r.reply });
      rows++;
    }
  } finally {
    old.close();
  }
  // Started only once every row is in: an import cut short is redone from the start by the next run.
  await ledger.create(at);
  return { imported: { path, rows } };
}

