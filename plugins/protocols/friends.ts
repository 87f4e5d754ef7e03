/**
 * OwnTracks "friends": the reply to an OwnTracks HTTP POST is a list of
 * messages for the app; like the OwnTracks Recorder, we send the latest
 * `location` (and a `card` naming it) of every device shared with the token's
 * owner under an active grant, so shared people appear on the app's map.
 * Access is decided as for the GraphQL API: active grants only (not revoked,
 * not expired, started), and only the device's last location, which a LIVE
 * grant shows too. No battery, no history.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { type AppServices, grantActiveFor } from '../../schema/plugin-api';

/** Two characters the app shows on the map pin (OwnTracks' tracker id). */
function trackerId(name: string): string {
  const letters = name.replace(/[^\p{L}\p{N}]/gu, '');
  return (letters.slice(0, 2) || '??').toUpperCase();
}

export async function friendMessages(app: AppServices, accountId: string, now = new Date()): Promise<Record<string, unknown>[]> {
  const grants = await app.prisma.sharingGrant.findMany({
    where: { ...grantActiveFor(accountId, now), device: { ownerId: { not: accountId } } },
    select: {
      device: {
        select: {
          id: true,
          name: true,
          lastLocation: {
            select: { latitude: true, longitude: true, recordedAt: true, accuracy: true, altitude: true, speed: true, heading: true },
          },
        },
      },
    },
  });
  const seen = new Set<string>();
  const messages: Record<string, unknown>[] = [];
  for (const { device } of grants) {
    if (seen.has(device.id) || !device.lastLocation) continue;
    seen.add(device.id);
    const p = device.lastLocation;
    const topic = `owntracks/shared/${encodeGlobalID('Device', device.id)}`;
    const tid = trackerId(device.name);
    messages.push({ _type: 'card', topic, tid, name: device.name });
    messages.push({
      _type: 'location',
      topic,
      tid,
      lat: p.latitude,
      lon: p.longitude,
      tst: Math.floor(p.recordedAt.getTime() / 1000),
      ...(p.accuracy != null ? { acc: Math.round(p.accuracy) } : {}),
      ...(p.altitude != null ? { alt: Math.round(p.altitude) } : {}),
      ...(p.speed != null ? { vel: Math.round(p.speed * 3.6) } : {}),
      ...(p.heading != null ? { cog: Math.round(p.heading) } : {}),
    });
  }
  return messages;
}
