// Entry of every worker thread: from the TypeScript sources it registers tsx first, as bin/advisories.js does.
import { workerData } from 'node:worker_threads';

if (workerData.fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
