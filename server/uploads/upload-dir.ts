/**
 * Where uploaded files wait while their request runs: DATA_DIR/uploads, one
 * folder per request, removed when the request ends. DATA_DIR rather than the
 * OS temp dir because the files are location histories (personal data: the
 * folder is owner-only, like the rest of DATA_DIR) and because /tmp is often
 * RAM-backed (tmpfs), which would put a 200 MB upload back into memory; in the
 * container image DATA_DIR is the disk volume. Folders a crashed process left
 * behind are removed at start once they are older than any request can be.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '../../api/util/private-files';

/** A request folder older than this cannot belong to a running request (Node refuses requests not received within 5 minutes). */
const STALE_MS = 6 * 3600_000;
const PREFIX = 'request-';

/** Creates DATA_DIR/uploads (owner-only) and removes stale request folders in it; returns its path. */
export function openUploadRoot(dataDir: string, now = Date.now()): string {
  const root = join(dataDir, 'uploads');
  ensurePrivateDir(root);
  for (const name of readdirSync(root)) {
    if (!name.startsWith(PREFIX)) continue;
    const path = join(root, name);
    if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
  return root;
}

/** A fresh folder (0700, from mkdtemp) for one request's files. */
export const newRequestDir = (root: string): Promise<string> => mkdtemp(join(root, PREFIX));

export const removeRequestDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });
