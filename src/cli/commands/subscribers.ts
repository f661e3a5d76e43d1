// `advisories subscribers [import FILE | export FILE]`: counts by state, or the CSV list in and out of the store.
import { resolve } from 'node:path';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import { SUBSCRIBER_STATES } from '../../list/index.ts';
import { exportCsv, importCsv } from '../../mail/list-csv.ts';
import type { Io } from '../io.ts';
import { common, formatOf, FORMAT_OPTION, parse } from '../options.ts';
import { formatText } from '../report/text.ts';
import { openListStore } from '../store.ts';

export const usage = 'advisories subscribers [import FILE | export FILE] [--state DIR] [--format text|json]  (DATABASE_URL for PostgreSQL)';

export async function subscribers(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...FORMAT_OPTION }, true);
  const format = formatOf(values.format, ['text', 'json'] as const);
  const [action, file, ...rest] = positionals;
  const valid = (action === undefined && !file) || ((action === 'import' || action === 'export') && file && rest.length === 0);
  if (!valid) throw new AdvisoriesError('USAGE', `say what to do: ${usage}`);
  const { state, now } = common(values, io);
  const store = await openListStore(state, io.env);
  try {
    if (action === 'import') {
      const path = resolve(io.cwd, file!);
      const r = await importCsv(store, path, file!, now);
      if ('diagnostics' in r) throw new AdvisoriesError('SETUP', `the subscriber list has problems; nothing was imported:\n${formatText(r.diagnostics)}`);
      const i = r.imported;
      if (format === 'json') io.stdout(`${JSON.stringify({ action: 'import', file, ...i }, null, 2)}\n`);
      else io.stdout(`Imported ${file} into ${store.describe}: ${i.added} added, ${i.updated} updated, ${i.unchanged} unchanged, ${i.left} left alone (they unsubscribed, bounced or complained).\n`);
    } else if (action === 'export') {
      const n = await exportCsv(store, resolve(io.cwd, file!));
      if (format === 'json') io.stdout(`${JSON.stringify({ action: 'export', file, exported: n }, null, 2)}\n`);
      else io.stdout(`Exported ${n} active subscriber${n === 1 ? '' : 's'} from ${store.describe} to ${file}.\n`);
    } else {
      const counts = await store.counts();
      if (format === 'json') {
        io.stdout(`${JSON.stringify({ store: store.kind, counts }, null, 2)}\n`);
        return EXIT.ok;
      }
      const width = Math.max(...SUBSCRIBER_STATES.map((s) => s.length));
      io.stdout(`Subscribers in ${store.describe}:\n${SUBSCRIBER_STATES.map((s) => `  ${s.padEnd(width)}  ${String(counts[s]).padStart(8)}`).join('\n')}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
