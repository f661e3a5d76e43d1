// The pool keeps its threads for the whole command: a worker started early for the check is the one the
// render job uses next, its answers are the reference functions', and closing it leaves no thread behind.
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../src/accel/check-pool.ts';
import { renderTasks } from '../../src/accel/markdown.ts';
import { Pool, runChunks } from '../../src/accel/workers.ts';
import { checkFile } from '../../src/check/check-file.ts';
import { loadProject } from '../../src/check/project.ts';
import { advisoryId, advisoryText } from '../../bench/corpus.ts';
import { NOW, tempProject } from '../helpers/project.ts';

describe('the worker pool', () => {
  it('runs a check and then a render on the same warm worker, with the reference answers', async () => {
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`advisories/${advisoryId(i)}.md`, advisoryText(i)]));
    const project = tempProject(files, { config: { package: 'scalebox-sdk', idPrefix: 'SBX' } });
    const pool = new Pool();
    try {
      pool.warm('check', 10_000, 800, { workers: 1 });
      const reference = await loadProject({ root: project.root, now: new Date(NOW) });
      const shared = { root: project.root, config: reference.config, policy: reference.policy };
      const paths = Object.keys(files).map((f) => `${project.root}/${f}`).sort();
      const checked = await checkFiles(paths.map((path) => ({ path })), shared, { workers: 1, mainThread: false }, pool);
      expect(checked.stats).toMatchObject({ workers: 1, filesInWorkers: 40 });
      expect(checked.results.map((r) => r.result)).toEqual(paths.map((path) => checkFile(path, shared)));

      const tasks = reference.advisories.map((a) => ({ kind: 'html' as const, markdown: a.body }));
      const rendered = await runChunks({ kind: 'render', items: tasks, chunkSize: 5, minPerWorker: 1, work: async (t) => renderTasks(t), data: null, options: { workers: 1, mainThread: false } }, pool);
      expect(rendered.stats.filesInWorkers).toBe(tasks.length);
      expect(rendered.results).toEqual(renderTasks(tasks));
      // One thread served both jobs: the pool started no second one.
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
      project.cleanup();
    }
    expect(pool.size).toBe(0);
  });

  it('rejects the job when its worker crashes (here: a check with no shared input), instead of waiting for it', async () => {
    const pool = new Pool();
    try {
      const job = runChunks({ kind: 'check', items: [{ path: '/nonexistent' }], chunkSize: 1, minPerWorker: 1, work: async () => [], data: undefined, options: { workers: 1, mainThread: false } }, pool);
      await expect(job).rejects.toThrow();
    } finally {
      await pool.close();
    }
  });
});
