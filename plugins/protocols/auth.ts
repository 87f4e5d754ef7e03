/**
 * Device authentication for apps that cannot do our sign-in. The credential is
 * always the device token (a device id alone could be guessed or copied); the
 * apps can present it in one of three ways:
 *
 * - HTTP Basic password (OwnTracks; the user name is not checked),
 * - `Authorization: Bearer <token>`,
 * - a `token` query or form parameter (OsmAnd / Traccar Client server URL).
 *
 * Verification is the API's own (viewerFromToken): signature, type, and the
 * device's current tokenVersion, so a rotated or removed device is refused.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { type AppServices, isAppError, viewerFromToken } from '../../schema/plugin-api';

export interface AuthenticatedDevice {
  deviceId: string;
  ownerId: string;
}

export class DeviceAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceAuthError';
  }
}

/** The token the request carries, if any. A header with another scheme counts as none. */
export function presentedDeviceToken(request: Request, params: URLSearchParams | null): string | null {
  const header = request.headers.get('authorization')?.trim();
  if (header) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer) return bearer[1];
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const password = colon >= 0 ? decoded.slice(colon + 1).trim() : '';
      if (password) return password;
    }
  }
  return params?.get('token')?.trim() || null;
}

export async function authenticateDevice(app: AppServices, token: string | null): Promise<AuthenticatedDevice> {
  if (!token) throw new DeviceAuthError('A device token is required (HTTP Basic password, Bearer header or token parameter).');
  let viewer;
  try {
    viewer = await viewerFromToken(app, token);
  } catch (e) {
    if (isAppError(e) && e.extensions.code === 'UNAUTHENTICATED')
      throw new DeviceAuthError('The device token is invalid or has been revoked.');
    throw e;
  }
  if (viewer.kind !== 'device') throw new DeviceAuthError('Use the device token, not an account token.');
  return { deviceId: viewer.deviceId, ownerId: viewer.ownerId };
}

/**
 * Whether the device identifier an OsmAnd sender typed in names the
 * authenticated device: its API id (global or raw) or its own identifier
 * (IMEI or serial number given at registration).
 */
export async function deviceIdentifierMatches(app: AppServices, deviceId: string, claimed: string): Promise<boolean> {
  if (claimed === deviceId || claimed === encodeGlobalID('Device', deviceId)) return true;
  const device = await app.prisma.device.findUnique({ where: { id: deviceId }, select: { identifier: true } });
  return !!device?.identifier && device.identifier.trim() === claimed;
}
