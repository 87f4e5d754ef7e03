/** Helpers for device and location tests: register devices, build points, make grants directly. */
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { SignedIn, TestServer } from './server';

export const REGISTER_DEVICE = /* GraphQL */ `
  mutation ($input: RegisterDeviceInput!) {
    registerDevice(input: $input) {
      deviceToken
      device {
        id
        name
        kind
        identifier
      }
    }
  }
`;

export const RECORD = /* GraphQL */ `
  mutation ($input: RecordLocationsInput!) {
    recordLocations(input: $input) {
      accepted
      duplicates
      rejected {
        index
        clientId
        code
        message
      }
      acknowledgedClientIds
    }
  }
`;

export interface RegisteredDevice {
  id: string;
  rawId: string;
  token: string;
}

export async function registerDevice(
  server: TestServer,
  owner: SignedIn,
  name = 'Phone',
  identifier: string | null = null,
): Promise<RegisteredDevice> {
  const r = await server.gql(REGISTER_DEVICE, { input: { name, kind: 'PHONE', identifier } }, { token: owner.accessToken });
  if (r.errors) throw new Error(`registerDevice failed: ${JSON.stringify(r.errors)}`);
  const id = r.data.registerDevice.device.id as string;
  return { id, rawId: decodeGlobalID(id).id, token: r.data.registerDevice.deviceToken };
}

/** A fix `minutesAgo` before now, at a position derived from `i` (distinct per i). */
export function point(i: number, minutesAgo = 60 - i, extra: Record<string, unknown> = {}) {
  return {
    clientId: `c-${i}`,
    recordedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    latitude: 56.95 + i * 0.0001,
    longitude: 24.1 + i * 0.0001,
    ...extra,
  };
}

export async function accountRowId(server: TestServer, user: SignedIn): Promise<string> {
  return decodeGlobalID(user.id).id;
}

/** Creates an active grant directly (the sharing module owns the grant mutations). */
export async function grant(
  server: TestServer,
  owner: SignedIn,
  grantee: SignedIn,
  device: RegisteredDevice,
  scope: 'LIVE' | 'HISTORY',
  extra: { historyFrom?: Date | null; expiresAt?: Date | null; revokedAt?: Date | null } = {},
) {
  return server.app.services.prisma.sharingGrant.create({
    data: {
      deviceId: device.rawId,
      ownerId: await accountRowId(server, owner),
      granteeId: await accountRowId(server, grantee),
      inviteeEmail: grantee.email,
      scope,
      ...extra,
    },
  });
}
