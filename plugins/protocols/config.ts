/**
 * The plugin's one setting: PROTOCOLS_MAX_BODY_BYTES, the largest request
 * body the protocol routes read (default 256 KiB, at most 10 MiB).
 */
import { DEFAULT_MAX_BODY_BYTES } from './http';
import { type AppServices, defineConfigSlot } from '../../schema/plugin-api';

const MAX_ALLOWED = 10 * 1024 * 1024;

export function readMaxBodyBytes(raw: Record<string, string | undefined>): number {
  const value = raw.PROTOCOLS_MAX_BODY_BYTES?.trim();
  if (!value) return DEFAULT_MAX_BODY_BYTES;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > MAX_ALLOWED) {
    throw new Error(`PROTOCOLS_MAX_BODY_BYTES must be a whole number of bytes from 1024 to ${MAX_ALLOWED} (got "${value}")`);
  }
  return n;
}

/** The plugin's settings slot (parsed at start with all other configuration). */
export const protocolSettings = defineConfigSlot('protocols', (config) => ({ maxBodyBytes: readMaxBodyBytes(config.raw) }));

export const maxBodyBytes = (app: AppServices) => protocolSettings.of(app).maxBodyBytes;
