/**
 * SharedLocation.recentTrack: what a HISTORY share link shows of the past.
 * Points since the link's historyFrom, oldest first, and never more than the
 * newest 5000 of them; LIVE links show no history at all.
 */
import type { AppServices } from '../context';
import { deviceTrack, type TrackResult } from '../locations/track';

export const MAX_SHARED_TRACK_POINTS = 5000;

export async function sharedRecentTrack(
  app: AppServices,
  link: { deviceId: string; scope: 'LIVE' | 'HISTORY'; historyFrom: Date | null },
  now = new Date(),
): Promise<TrackResult | null> {
  if (link.scope !== 'HISTORY' || !link.historyFrom) return null;
  // The newest point that no longer fits; the track starts just after it (ties at that instant are left out too).
  const overflow = await app.prisma.locationPoint.findFirst({
    where: { deviceId: link.deviceId, recordedAt: { gte: link.historyFrom, lte: now } },
    orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
    skip: MAX_SHARED_TRACK_POINTS,
    select: { recordedAt: true },
  });
  const from = overflow ? new Date(overflow.recordedAt.getTime() + 1) : link.historyFrom;
  return deviceTrack(app.db, link.deviceId, { from, to: now }, link.historyFrom);
}
