/** Deterministic demo tracks around Riga: a point every 60 s over the last 3 hours. */
const ROUTES: [number, number][][] = [
  // Old Town loop: Town Hall Square, Riga Castle, Freedom Monument, Central Market
  [[56.9473, 24.1064], [56.9510, 24.1030], [56.9520, 24.1130], [56.9515, 24.1135], [56.9440, 24.1160], [56.9450, 24.1100]],
  // Brīvības iela to Mežaparks and back
  [[56.9515, 24.1135], [56.9640, 24.1320], [56.9790, 24.1430], [56.9950, 24.1400], [56.9790, 24.1430]],
  // Ķīpsala and Āgenskalns
  [[56.9530, 24.0800], [56.9480, 24.0750], [56.9390, 24.0820], [56.9430, 24.0950], [56.9530, 24.0800]],
  // Jūrmala beach walk
  [[56.9760, 23.7900], [56.9790, 23.8100], [56.9800, 23.8300], [56.9790, 23.8100]],
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
