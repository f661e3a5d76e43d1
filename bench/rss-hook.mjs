// Preloaded into a child only when GNU time is missing: writes the process's own peak RSS (KB) and its user and
// system CPU seconds at exit, as GNU time's "%M %U %S" would.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`);
  });
}
