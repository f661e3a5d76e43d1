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
  try {
    return takeLock(state);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS' && code !== 'ENOTDIR' && code !== 'ENOSPC') throw error;
    throw new AdvisoriesError('STATE', `cannot write the lock in the state folder ${state} (${code}): nothing was sent. Make the folder writable by this user, or choose another with --state DIR`, { cause: error });
  }
}

function takeLock(state: string): Lock {
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
    // A lock without a host is not one this tool wrote on another machine: its pid is judged here.
    const elsewhere = typeof owner.host === 'string' && owner.host !== hostname();
    if (Number.isInteger(pid) && pid > 0 && (elsewhere || alive(pid))) {
      throw new AdvisoriesError(
        'LOCKED',
        elsewhere
          ? `another notify run on ${owner.host} holds ${path} (pid ${pid}); wait for it to finish. If no run is going on there, delete the file`
          : `another notify run holds ${path} (pid ${pid}); wait for it to finish`,
      );
    }
    staleFrom = Number.isInteger(pid) ? pid : -1;
    rmSync(path, { force: true });
  }
  throw new AdvisoriesError('LOCKED', `could not take the lock ${path}: another run took it at the same moment`);
}
