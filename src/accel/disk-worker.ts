// Thread side of disk-thread.ts: each batch's files created and archive entries packed in the order they
// were handed over, by the reference's own calls (writeFileSync with `wx`, publish/archive.ts). After the
// first failure nothing more is written; every batch is still answered, so the writer can wait for all.
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { ArchiveWriter } from '../publish/archive.ts';
import { failureOf, type DiskOp, type Failure } from './disk-thread.ts';

const archives = new Map<number, ArchiveWriter>();
let failure: Failure | undefined;
let queue = Promise.resolve();

async function run(batch: { n: number; ops: DiskOp[]; buffer: ArrayBuffer }): Promise<void> {
  const bytes = (at: number, length: number) => new Uint8Array(batch.buffer, at, length);
  for (const op of batch.ops) {
    if (failure) break;
    try {
      if (op.op === 'write') writeFileSync(op.full, bytes(op.at, op.length), { flag: 'wx', mode: 0o644 });
      else if (op.op === 'open') archives.set(op.id, new ArchiveWriter(op.full, op.entries));
      else if (op.op === 'finish') await archives.get(op.id)!.finish();
      else {
        const archive = archives.get(op.id)!;
        // A copy: the archive keeps its entries until their turn, and the batch's buffer is large.
        if (op.op === 'add') archive.add(op.path, Buffer.from(bytes(op.at, op.length)));
        else archive.addWritten(op.path, op.full);
        if (archive.full()) await archive.room();
      }
    } catch (error) {
      failure = failureOf(error);
    }
  }
  // The archive's deflate is fed from its callbacks: a turn of the event loop before the next batch.
  await new Promise((resolve) => setImmediate(resolve));
  // The buffer goes back for another batch: nothing here keeps a view of it (the archive copies what it keeps).
  parentPort!.postMessage({ done: batch.n, buffer: batch.buffer, ...(failure ? { failure } : {}) }, [batch.buffer]);
}

parentPort!.on('message', (batch: { n: number; ops: DiskOp[]; buffer: ArrayBuffer }) => {
  queue = queue.then(() => run(batch));
});
