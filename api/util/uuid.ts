/**
 * UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits.
 * The same kind of id Prisma's @default(uuid(7)) makes, for rows inserted
 * with raw SQL (time-ordered, so index inserts stay append-mostly).
 */
import { randomBytes } from 'node:crypto';

export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
