/**
 * The one ingestion path for location points (recordLocations and the device
 * protocol routes both call it). CONTRACT (implementation in progress):
 * validates each point on its own, stores valid ones with one multi-row
 * insert, is idempotent by (device, clientId) also under concurrent resends,
 * updates device lastSeenAt/lastLocation and the owner's lastActiveAt, and
 * publishes each stored point to live subscribers.
 */
import type { AppServices } from '../context';
import type { Actor } from '../events';
import type { LocationSource } from '../../generated/prisma/enums';

export interface IngestPoint {
  /** Device-chosen unique id of the fix; generated from the point when absent. */
  clientId?: string | null;
  recordedAt: Date;
  latitude: number;
  longitude: number;
  accuracy?: number | null;
  altitude?: number | null;
  speed?: number | null;
  heading?: number | null;
  battery?: number | null;
  source?: LocationSource | null;
}

export interface RejectedPoint {
  index: number;
  clientId: string | null;
  /** e.g. LATITUDE_OUT_OF_RANGE, RECORDED_IN_FUTURE */
  code: string;
  message: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedPoint[];
  /** clientIds now durably stored (accepted or duplicate). */
  acknowledgedClientIds: string[];
}

export const MAX_POINTS_PER_CALL = 1000;

export async function ingestLocations(
  _app: AppServices,
  _deviceId: string,
  _points: IngestPoint[],
  _actor: Actor,
): Promise<IngestResult> {
  throw new Error('ingestLocations: not implemented yet');
}
