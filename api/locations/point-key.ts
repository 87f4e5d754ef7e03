/**
 * A location point by its id alone. LocationPoint is partitioned by
 * recordedAt and keyed by (id, recordedAt), so a lookup without recordedAt
 * probes the id index of every partition (about a hundred at daily
 * partitions and 90 days' retention): fine for node(id), never in a list.
 * Joins that know recordedAt (Device.lastLocation, history pages) prune to one partition.
 */
import type { Db } from '../context';

export function locationPointKey(db: Db, id: string): Promise<{ id: string; deviceId: string; recordedAt: Date } | null> {
  return db.locationPoint.findFirst({ where: { id }, select: { id: true, deviceId: true, recordedAt: true } });
}
