/**
 * Owner-only files and folders for what must not be readable by other local
 * users: DATA_DIR (the embedded database lives inside it) and the key files.
 * Folders are created 0700 (and tightened if looser); a key file readable or
 * writable by group or others is tightened to 0600 with a warning, or refused
 * with a clear message when that is not possible (e.g. another owner).
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';

const LOOSE = 0o077;

/** Creates `dir` (and parents) as 0700, or tightens an existing one; returns a warning when it was loose. */
export function ensurePrivateDir(dir: string): string | null {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700); // the mode given to mkdirSync is reduced by the umask
    return null;
  }
  const mode = statSync(dir).mode & 0o777;
  if ((mode & LOOSE) === 0) return null;
  try {
    chmodSync(dir, 0o700);
  } catch {
    throw new Error(`${dir} is accessible to other users (mode ${mode.toString(8)}) and cannot be changed: run "chmod 700 ${dir}"`);
  }
  return `${dir} was accessible to other users (mode ${mode.toString(8)}); changed to 700`;
}

/** An existing secret file must be 0600 (or stricter): tightened with a warning, or refused. */
export function ensurePrivateFile(file: string): string | null {
  if (!existsSync(file)) return null;
  const mode = statSync(file).mode & 0o777;
  if ((mode & LOOSE) === 0) return null;
  try {
    chmodSync(file, 0o600);
  } catch {
    throw new Error(`${file} holds secret keys but is accessible to other users (mode ${mode.toString(8)}): run "chmod 600 ${file}"`);
  }
  return `${file} held secret keys but was accessible to other users (mode ${mode.toString(8)}); changed to 600`;
}
