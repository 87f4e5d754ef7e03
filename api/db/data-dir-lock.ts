/**
 * One process at a time on an embedded (PGlite) data directory. PGlite is
 * single-process: a second process opening the same files (e.g. the admin
 * CLI while the server runs) would corrupt them. Whoever opens the data
 * directory first writes `<dir>.lock` with its pid (exclusive create); any
 * other process is refused with a message naming the holder. A lock whose
 * process is gone (crash, kill -9) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly holder: LockInfo,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${holder.pid}, ${holder.command}, since ${holder.since}). ` +
        'The embedded database serves one process at a time: stop the server before running this command, ' +
        'or use PostgreSQL (DATABASE_URL) to run admin commands beside running servers.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** Takes the lock for `dataDir` or throws DataDirLockedError; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const path = `${dataDir}.lock`;
  const me: LockInfo = {
    pid: process.pid,
    host: hostname(),
    command: basename(process.argv[1] ?? 'node'),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(path);
      if (holder && holder.host === me.host && holder.pid !== process.pid && !alive(holder.pid)) {
        try {
          unlinkSync(path); // stale: its process is gone
        } catch {
          // someone else removed it first
        }
        continue;
      }
      if (!holder) {
        // Being written right now, or damaged: give the writer a moment, then treat a still-empty file as stale.
        if (attempt < 2) continue;
        unlinkSync(path);
        continue;
      }
      throw new DataDirLockedError(dataDir, holder);
    }
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (readLock(path)?.pid === process.pid) unlinkSync(path);
    };
    process.on('exit', release);
    return release;
  }
  throw new Error(`could not take the lock ${path}`);
}
