// The interfaces of the list store; the backends (sqlite.ts, postgres.ts) implement them.
import type { Severity } from '../core/schema.ts';
import type { BounceKind, DeliveryKey, DeliveryRow, DeliveryState, Outcome, StateCounts, Subscriber, SubscriberState, UnsubscribeVia } from './schema.ts';


export type Channel = 'smtp' | 'outbox';

/**
 * The mail ledger of one channel (SMTP or the outbox folder), in the list's database. Kill-safety is the
 * caller's protocol (src/mail/ledger.ts): `beginTransmission` is durable before the body flows, so a
 * killed process leaves at most "unknown" rows, which are never resent on their own.
 */
export interface LedgerStore {
  readonly channel: Channel;
  /** Whether this ledger was started: a missing ledger must not silently mean "mail everyone again". */
  exists(): Promise<boolean>;
  /** Starts it (idempotent). */
  create(at: Date): Promise<void>;
  /** Every row of these advisories for these subscribers, oldest first, keyed `${advisory}\0${subscriber}`. */
  histories(advisories: readonly string[], subscribers: readonly string[]): Promise<Map<string, DeliveryRow[]>>;
  /** Of these advisories, the ones with no row at all. */
  unmailed(advisories: readonly string[]): Promise<Set<string>>;
  rememberRevision(revision: string, advisory: string, material: unknown, at: Date): Promise<void>;
  material<T>(revision: string): Promise<T | undefined>;
  /**
   * Takes the (revision, subscriber) pair for this process, for as long as it lives or until `release`.
   * `wait` false: answers false at once when another live process holds it. Once taken, the current row of
   * the pair is returned fresh (another process may have finished it since it was planned).
   */
  claim(key: Pick<DeliveryKey, 'revision' | 'subscriber'>, wait: boolean): Promise<{ taken: false } | { taken: true; row: DeliveryRow | undefined }>;
  release(key: Pick<DeliveryKey, 'revision' | 'subscriber'>): Promise<void>;
  /** Durable when the promise resolves: from then on a crash means "unknown". */
  beginTransmission(key: DeliveryKey): Promise<void>;
  /** Durable when the promise resolves. */
  record(outcome: Outcome): Promise<void>;
  /** Messages handed to the server at or after `at` (rows now sent or unknown, by their last change): what a provider's quota counted. */
  sentSince(at: Date): Promise<number>;
  countByState(): Promise<Record<DeliveryState, number>>;
}

export interface ListStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it lives, with any password removed: for messages. */
  readonly describe: string;

  // Service side: each change is durable before its promise resolves.
  /**
   * With `confirmationsPerDay`, a confirmation mail is due (`mail`) unless the address is active or had
   * that many since the start of `at`'s UTC day; a due mail is counted in the same change, before it is
   * sent, so a crash may cost a mail but never lifts the cap.
   */
  requestSubscription(r: { email: string; minSeverity: Severity | null; versions: string | null; form: string; ip?: string; at: Date; confirmationsPerDay?: number }): Promise<{
    outcome: 'created' | 'pending-again' | 'already-active';
    mail: boolean;
  }>;
  /** With `issued` (a confirmation token's time), only a request made no later than that second is confirmed. */
  confirm(email: string, at: Date, issued?: Date): Promise<'confirmed' | 'already-active' | 'unknown'>;
  /**
   * True if the address was on the list (pending, active or bounced). An address the store did not know is
   * recorded as unsubscribed anyway (it may be on a CSV list), so that no run mails it again.
   */
  unsubscribe(email: string, at: Date, via: UnsubscribeVia): Promise<boolean>;
  get(email: string): Promise<Subscriber | undefined>;
  setPreferences(email: string, p: { minSeverity: Severity | null; versions: string | null }, at: Date): Promise<boolean>;
  /**
   * Counts a permanent failure or complaint against the address. A complaint marks it `complained` at
   * once; permanent failures mark it `bounced` once they exceed `bounceLimit` (from `openStore`, i.e.
   * config `mail.bounceLimit`, default 3). Returns the new state, undefined for an unknown address.
   */
  noteBounce(email: string, kind: BounceKind, at: Date, detail: string): Promise<SubscriberState | undefined>;
  counts(): Promise<StateCounts>;
  /** The states of the addresses the store knows, among these (for a CSV list: who left must not be mailed). */
  statesOf(emails: readonly string[]): Promise<Map<string, SubscriberState>>;
  /** Adds or updates subscribers as active (CSV import). Addresses that left (unsubscribed, bounced, complained) stay off and are counted in `left`. */
  importActive(rows: AsyncIterable<{ email: string; minSeverity: Severity | null; versions: string | null }>, at: Date): Promise<{ added: number; updated: number; unchanged: number; left: number }>;

  // Notify side.
  /** Active subscribers, streamed in a stable order (by address). */
  active(): AsyncIterable<Subscriber>;
  /** Every subscriber in every state, by address (export). */
  all(): AsyncIterable<Subscriber>;
  /** The mail ledger of a channel (default smtp), in the same database; `clock` dates its rows (default: the real time). */
  ledger(channel?: Channel, clock?: () => Date): Promise<LedgerStore>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The state folder: the SQLite file lives here. */
  state: string;
  /** postgres://… : use PostgreSQL instead. */
  databaseUrl?: string;
  /** Permanent failures past which an address is marked bounced (config mail.bounceLimit). */
  bounceLimit?: number;
}

