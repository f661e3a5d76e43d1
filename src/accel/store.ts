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
  /** Entries to keep: as read (JSON text), or as made this run (the value, serialised only when saved). */
  private readonly used = new Map<string, { json: string } | { value: T }>();
  private constructor(
    private readonly file: string,
    private readonly lines: Map<string, string>,
  ) {}

  static async open<T>(dir: string, kind: string): Promise<Store<T>> {
    const file = join(dir, 'cache', `${kind}.jsonl`);
    const lines = new Map<string, string>();
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const a = line.indexOf('\t');
      const b = line.indexOf('\t', a + 1);
      if (a < 0 || b < 0) continue;
      const json = line.slice(b + 1);
      if (digest(json) === line.slice(a + 1, b)) lines.set(line.slice(0, a), json);
    }
    return new Store<T>(file, lines);
  }

  /** The key of a value made from these parts (and the tool that makes it). */
  static key(...parts: readonly (string | Uint8Array)[]): string {
    const h = [toolStamp(), ...parts.map((p) => (typeof p === 'string' ? p : hash('sha256', p, 'hex')))];
    return hash('sha256', h.join('\0'), 'base64url');
  }

  get(key: string): T | undefined {
    const json = this.lines.get(key);
    if (json === undefined) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.used.set(key, { json });
    return JSON.parse(json) as T;
  }

  put(key: string, value: T): void {
    this.used.set(key, { value });
  }

  /**
   * Written beside and renamed over: a run killed meanwhile leaves the old file whole. Written in chunks,
   * so a store of tens of thousands of entries is never one string in memory.
   */
  async save(): Promise<void> {
    await mkdir(join(this.file, '..'), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      let chunk = '';
      for (const [key, entry] of this.used) {
        const json = 'json' in entry ? entry.json : JSON.stringify(entry.value);
        chunk += `${key}\t${digest(json)}\t${json}\n`;
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
