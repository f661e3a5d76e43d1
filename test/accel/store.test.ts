// The store saved early (the check's results, while the build goes on) and again at the end: saves run
// one after another, a save writes what changed since the last, and a damaged line is never read.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/accel/store.ts';

const work = mkdtempSync(join(tmpdir(), 'store-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the store', () => {
  it('writes each save in turn, with what was put while an earlier one was writing', async () => {
    const store = await Store.open<{ n: number }>(work, 'k');
    for (let i = 0; i < 5000; i++) store.put(Store.key('k', String(i)), { n: i });
    const first = store.save();
    store.put(Store.key('k', 'late'), { n: -1 }); // while the first save is writing
    const second = store.save();
    await Promise.all([first, second]);
    const again = await Store.open<{ n: number }>(work, 'k');
    expect(again.get(Store.key('k', '4999'))).toEqual({ n: 4999 });
    expect(again.get(Store.key('k', 'late'))).toEqual({ n: -1 });
    expect(again.stats).toEqual({ hits: 2, misses: 0 });
    // One file, whole: no temporary file left beside it.
    expect(readFileSync(join(work, 'cache', 'k.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(5001);
  });

  it('saves nothing again when nothing changed, and does not read a line whose checksum fails', async () => {
    const store = await Store.open<string>(work, 'c');
    store.put(Store.key('c', 'a'), 'alpha');
    await store.save();
    const file = join(work, 'cache', 'c.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('alpha', 'ALPHA'));
    await store.save(); // unchanged since the last save: the (now damaged) file is left as it is
    expect(readFileSync(file, 'utf8')).toContain('ALPHA');
    const reopened = await Store.open<string>(work, 'c');
    expect(reopened.get(Store.key('c', 'a'))).toBeUndefined();
    expect(reopened.stats.misses).toBe(1);
  });
});
