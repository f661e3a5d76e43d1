// The one cache store. Content-addressed: a key is a digest of everything its value is made from,
// starting with the tool's stamp, so an entry is either right or never asked for. Each kind of entry
// is one file of lines `key TAB checksum TAB json`; a line that fails its checksum is not read. A run
// keeps the entries it used and the ones it made, so the file holds what the last run needed.
// Safe to delete: without it, everything is computed again.
import { hash } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { toolStamp } from './stamp.ts';

export interface StoreStats {
  hits: number;
  misses: number;
}

const digest = (text: string) => hash('sha256', text, 'base64url').slice(0, 16);

export class Store<T> {
  readonly stats: StoreStats = { hits: 0, misses: 0 };
  /** Entries to keep: as read (checksum and JSON text, checked), or as made this run (the value, serialised only when saved). */
  private readonly used = new Map<string, { line: string } | { value: T }>();
  /** Whether `used` changed since the last save; saves run one after another. */
  private unsaved = true;
  private saving: Promise<void> = Promise.resolve();
  private constructor(
    private readonly file: string,
    private readonly lines: Map<string, string>,
  ) {}

  static async open<T>(dir: string, kind: string): Promise<Store<T>> {
    const file = join(dir, 'cache', `${kind}.jsonl`);
    // key → `checksum TAB json`, checked when asked for (a run asks for nearly all, and checks each once).
    const lines = new Map<string, string>();
    const text = await readFile(file, 'utf8').catch(() => '');
    for (let start = 0, end; start < text.length; start = end + 1) {
      end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const a = text.indexOf('\t', start);
      if (a > start && a < end) lines.set(text.slice(start, a), text.slice(a + 1, end));
    }
    return new Store<T>(file, lines);
  }

  /** The key of a value made from these parts (and the tool that makes it). */
  static key(...parts: readonly (string | Uint8Array)[]): string {
    const h = [toolStamp(), ...parts.map((p) => (typeof p === 'string' ? p : hash('sha256', p, 'hex')))];
    return hash('sha256', h.join('\0'), 'base64url');
  }

  get(key: string): T | undefined {
    const line = this.lines.get(key);
    const b = line?.indexOf('\t') ?? -1;
    const json = line?.slice(b + 1);
    if (json === undefined || b < 0 || digest(json) !== line!.slice(0, b)) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    if (!this.used.has(key)) this.unsaved = true;
    this.used.set(key, { line: line! });
    return JSON.parse(json) as T;
  }

  put(key: string, value: T): void {
    this.used.set(key, { value });
    this.unsaved = true;
  }

  /**
   * Written beside and renamed over: a run killed meanwhile leaves the old file whole. Written in chunks,
   * so a store of tens of thousands of entries is never one string in memory.
   */
  save(): Promise<void> {
    // One after another: a save asked for while one runs writes what changed meanwhile, after it.
    this.saving = this.saving.catch(() => undefined).then(() => (this.unsaved ? this.write() : undefined));
    return this.saving;
  }

  private async write(): Promise<void> {
    this.unsaved = false;
    // Every line it holds was asked for and nothing was added: the file already says exactly this.
    if (this.used.size === this.lines.size && [...this.used.values()].every((entry) => 'line' in entry)) return;
    await mkdir(join(this.file, '..'), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      let chunk = '';
      for (const [key, entry] of this.used) {
        const json = 'line' in entry ? undefined : JSON.stringify(entry.value);
        chunk += `${key}\t${json === undefined ? (entry as { line: string }).line : `${digest(json)}\t${json}`}\n`;
        if (chunk.length > 1 << 20) {
          await handle.write(chunk);
          chunk = '';
        }
      }
      await handle.write(chunk);
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}
