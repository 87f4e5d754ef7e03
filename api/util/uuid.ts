/**
 * UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits.
 * The same kind of id Prisma's @default(uuid(7)) makes, for rows inserted
 * with raw SQL (time-ordered, so index inserts stay append-mostly).
 *
 * The random bits come from crypto.randomUUID (a v4 UUID: 122 random bits,
 * drawn from Node's batched entropy cache): its first 48 bits become the
 * time and its version nibble 7, leaving 74 random bits (rand_a, the variant,
 * rand_b) as RFC 9562 lays out. A randomBytes(16) per id had cost a
 * synchronous entropy call per stored point (issue 18).
 */
import { randomUUID } from 'node:crypto';

export function uuidv7(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx (V is the variant, 8 to b); keep from after the '4'.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
