// Group commit in the application: changes that arrive while others are on their way go to the database
// together, as one statement over many rows, so many requests share one round trip and one commit. Each
// caller's promise still resolves only once the statement holding its row has committed.
// - One key (address) at most once per statement and never in two statements at once: PostgreSQL refuses
//   an upsert that touches a row twice, and a second change to an address must see the first.
// - A statement that fails is tried again row by row: one bad row fails only its own request.
// - Rows go in key order (see start()).

export interface BatchOptions<I, O> {
  key: (item: I) => string;
  /** Runs the items as one statement; returns one result per item, in order. */
  run: (items: I[]) => Promise<O[]>;
  /** Rows per statement. */
  max: number;
  /** Statements at once (each holds a connection while it runs). */
  parallel: number;
}

interface Waiting<I, O> {
  item: I;
  key: string;
  resolve: (out: O) => void;
  reject: (error: unknown) => void;
}

export function batcher<I, O>(o: BatchOptions<I, O>): (item: I) => Promise<O> {
  let queue: Waiting<I, O>[] = [];
  const busy = new Set<string>();
  let running = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || running >= o.parallel || queue.length === 0) return;
    scheduled = true;
    // After the current turn of the event loop: the requests that arrive in it share the statement.
    setImmediate(start);
  };

  function start() {
    scheduled = false;
    if (running >= o.parallel) return;
    const taken: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    for (const w of queue) {
      if (taken.length < o.max && !busy.has(w.key)) {
        busy.add(w.key);
        taken.push(w);
      } else rest.push(w);
    }
    queue = rest;
    if (taken.length === 0) return;
    // In key order: statements that touch the same rows then mostly lock them in the same order and wait
    // for each other; a deadlock PostgreSQL breaks fails a statement, which is then tried row by row.
    taken.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    running++;
    void runBatch(taken).finally(() => {
      running--;
      for (const w of taken) busy.delete(w.key);
      schedule();
    });
    schedule();
  }

  async function runBatch(batch: Waiting<I, O>[]) {
    try {
      const out = await o.run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(out[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(batch.map((w) => o.run([w.item]).then((out) => w.resolve(out[0]!), w.reject)));
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, key: o.key(item), resolve, reject });
      schedule();
    });
}
