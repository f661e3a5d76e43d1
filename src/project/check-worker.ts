// Worker side of pool.ts: checks the chunks it is sent with the same checkFile as the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { checkChunk, type Chunk } from './pool.ts';
import type { SharedInput } from './check-file.ts';

const { shared } = workerData as { shared: SharedInput };
parentPort!.on('message', async (chunk: Chunk) => {
  parentPort!.postMessage({ start: chunk.start, results: await checkChunk(chunk, shared) });
});
