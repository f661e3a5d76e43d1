// The little each backend provides: statements with $1… placeholders, and transactions. Everything else
// (subscribers.ts, ledger.ts) is written once against this.
export interface Sql {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * One transaction: committed when `fn` resolves, rolled back when it throws. Durable even against a
   * power cut once it resolves (SQLite: synchronous FULL for it; the ledger's single statements use NORMAL,
   * durable against a killed process, which is what its invariants need, without an fsync per message).
   */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * One statement as a transaction of its own, durable like `tx` once it resolves, in one round trip on
   * PostgreSQL (autocommit, no BEGIN/COMMIT): the rows it returns (RETURNING) and how many it changed.
   */
  write<T>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[]; changed: number }>;
  /** Which SQL the backend speaks, for the few statements that cannot be written once for both. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Appended to a SELECT inside `tx` that is followed by an update of the rows it read. */
  readonly forUpdate: string;
}

/** `$2, $3, …` for a list of values starting at position `from`. */
export const placeholders = (count: number, from: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

export const first = async <T>(rows: Promise<T[]>): Promise<T | undefined> => (await rows)[0];
