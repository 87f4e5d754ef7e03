/**
 * The status of a grant or share link is computed, never stored, so it is
 * always true at the moment it is read. Terminal states win: a revoked
 * invitation is REVOKED, not PENDING.
 */
export type SharingStatus = 'PENDING' | 'SCHEDULED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED';

export interface GrantTimes {
  granteeId: string | null;
  startsAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export function grantStatus(g: GrantTimes, now = new Date()): SharingStatus {
  if (g.revokedAt) return 'REVOKED';
  if (g.expiresAt && g.expiresAt <= now) return 'EXPIRED';
  if (!g.granteeId) return 'PENDING';
  if (g.startsAt > now) return 'SCHEDULED';
  return 'ACTIVE';
}

export function shareLinkStatus(l: { expiresAt: Date; revokedAt: Date | null }, now = new Date()): SharingStatus {
  if (l.revokedAt) return 'REVOKED';
  if (l.expiresAt <= now) return 'EXPIRED';
  return 'ACTIVE';
}

/** Prisma filter for grants that are not over yet (pending, scheduled or active). */
export const grantNotOver = (now = new Date()) => ({
  revokedAt: null,
  OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
});

/** Prisma filter for grants active for a grantee now: the SQL form of grantStatus() === 'ACTIVE'. */
export const grantActiveFor = (granteeId: string, now = new Date()) => ({
  granteeId,
  startsAt: { lte: now },
  ...grantNotOver(now),
});
