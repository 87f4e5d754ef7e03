/** Deterministic demo tracks around Riga: a point every 60 s over the last 3 hours. */
const ROUTES: [number, number][][] = [
  // Old Town loop: Town Hall Square, Riga Castle, Freedom Monument, Central Market
  [
    [56.9473, 24.1064],
    [56.951, 24.103],
    [56.952, 24.113],
    [56.9515, 24.1135],
    [56.944, 24.116],
    [56.945, 24.11],
  ],
  // Brīvības iela to Mežaparks and back
  [
    [56.9515, 24.1135],
    [56.964, 24.132],
    [56.979, 24.143],
    [56.995, 24.14],
    [56.979, 24.143],
  ],
  // Ķīpsala and Āgenskalns
  [
    [56.953, 24.08],
    [56.948, 24.075],
    [56.939, 24.082],
    [56.943, 24.095],
    [56.953, 24.08],
  ],
  // Jūrmala beach walk
  [
    [56.976, 23.79],
    [56.979, 23.81],
    [56.98, 23.83],
    [56.979, 23.81],
  ],
];

export function rigaTrack(index: number, now: Date, count = 180) {
  const route = ROUTES[index % ROUTES.length];
  const start = now.getTime() - count * 60_000;
  const points = [];
  for (let i = 0; i < count; i++) {
    const t = (i / (count - 1)) * (route.length - 1);
    const seg = Math.min(Math.floor(t), route.length - 2);
    const f = t - seg;
    const [a, b] = [route[seg], route[seg + 1]];
    const recordedAt = new Date(start + i * 60_000);
    points.push({
      recordedAt,
      receivedAt: new Date(recordedAt.getTime() + 2000),
      latitude: Number((a[0] + (b[0] - a[0]) * f).toFixed(6)),
      longitude: Number((a[1] + (b[1] - a[1]) * f).toFixed(6)),
      accuracy: 5 + (i % 7),
      speed: 1.4 + (i % 5) * 0.3,
      battery: Math.max(15, 100 - i * 0.4),
      source: 'GPS' as const,
    });
  }
  return points;
}
