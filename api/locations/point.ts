/** A location fix as it arrives from any channel (GraphQL, device protocols, import), before validation. */
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
