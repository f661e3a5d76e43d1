// One notify run at a time per state folder. The lock file holds the owner's PID; a lock whose process
// is gone (killed, crashed machine restarted) is stale and taken over, with a note.
import { AdvisoriesError } from '../core/errors.ts';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';


function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Lock {
  release(): void;
  /** Set when a stale lock of a dead run was replaced. */
  staleFrom?: number;
}

export function acquireLock(state: string): Lock {
  mkdirSync(state, { recursive: true });
  const path = join(state, 'notify.lock');
  const body = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  let staleFrom: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, body, { flag: 'wx' });
      return { staleFrom, release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: { pid?: number; host?: string } = {};
    try {
      owner = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      // Unreadable or half-written: the writer died between create and write.
    }
    const pid = Number(owner.pid);
    if (Number.isInteger(pid) && pid > 0 && (owner.host !== hostname() || alive(pid))) {
      throw new AdvisoriesError('LOCKED', `another notify run holds ${path} (pid ${pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''}); wait for it to finish`);
    }
    staleFrom = Number.isInteger(pid) ? pid : -1;
    rmSync(path, { force: true });
  }
  throw new AdvisoriesError('LOCKED', `could not take the lock ${path}: another run took it at the same moment`);
}
