/**
 * The protocol routes. Each one: reads the body within the size limit,
 * authenticates the device token, parses the protocol, and hands the points
 * to the one ingestion path (validation, dedupe by clientId, live publish,
 * lastSeen) shared with recordLocations.
 *
 * Statuses (the apps keep a fix and resend it until they get a 2xx):
 *   200  stored, or a duplicate of what is stored, or nothing to store
 *        (OwnTracks non-location message, OsmAnd valid=false);
 *        when some points of a batch are rejected the rest are stored, and
 *        the reply lists the rejected ones (OsmAnd; OwnTracks always gets []);
 *   400  unreadable input, or no point of the request passed validation;
 *   401  no token, a bad or revoked token, or an account token;
 *   403  the OsmAnd device identifier names another device;
 *   400  also for a body over the limit (code PAYLOAD_TOO_LARGE); 415  neither JSON nor a form.
 * Nothing is stored unless the answer is 200.
 */
import { authenticateDevice, deviceIdentifierMatches, DeviceAuthError, presentedDeviceToken, type AuthenticatedDevice } from './auth';
import { maxBodyBytes } from './config';
import { BodyTooLargeError, bodyKind, errorResponse, jsonResponse, parseJson, readBodyText, type BodyKind } from './http';
import { parseOsmAndJson, parseOsmAndParams } from './osmand';
import { parseOwnTracks } from './owntracks';
import { ProtocolInputError } from './values';
import { type Actor, type AppServices, ingestLocations, type IngestPoint, type IngestResult, isAppError, MAX_POINTS_PER_CALL } from '../../schema/plugin-api';

type Protocol = 'osmand' | 'owntracks';

class UnsupportedBodyError extends Error {}

/** Device-level refusal after authentication (HTTP 403). */
class WrongDeviceError extends Error {}

export async function handleOsmAnd(request: Request, app: AppServices): Promise<Response> {
  return answerErrors('osmand', async () => {
    const { text, kind } = await readBody(request, app);
    const params = new URL(request.url).searchParams;
    if (kind === 'form') for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
    const device = await authenticateDevice(app, presentedDeviceToken(request, params));

    const report = kind === 'json' ? parseOsmAndJson(parseJson(text)) : parseOsmAndParams(params);
    const claimed = report.claimedDeviceId ?? (params.get('id') ?? params.get('deviceid'))?.trim() ?? null;
    if (claimed && !(await deviceIdentifierMatches(app, device.deviceId, claimed))) {
      throw new WrongDeviceError(`The device identifier "${claimed}" does not belong to the device of this token.`);
    }
    if (report.points.length === 0) return jsonResponse({ accepted: 0, duplicates: 0, rejected: [], invalidFixesIgnored: report.invalidFixes });

    const result = await ingest(app, 'osmand', device, report.points);
    if (nothingStored(result)) return nothingValid(result);
    return jsonResponse({ accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected });
  });
}

export async function handleOwnTracks(request: Request, app: AppServices): Promise<Response> {
  return answerErrors('owntracks', async () => {
    const { text, kind } = await readBody(request, app);
    if (kind === 'form') throw new UnsupportedBodyError('OwnTracks messages are JSON; send them with content type application/json.');
    const device = await authenticateDevice(app, presentedDeviceToken(request, new URL(request.url).searchParams));

    const report = parseOwnTracks(kind === 'empty' ? undefined : parseJson(text));
    // OwnTracks reads the reply as a list of messages for the app; we have none for it.
    if (report.points.length === 0) return jsonResponse([]);

    const result = await ingest(app, 'owntracks', device, report.points);
    if (nothingStored(result)) return nothingValid(result);
    return jsonResponse([]);
  });
}

async function readBody(request: Request, app: AppServices): Promise<{ text: string; kind: BodyKind }> {
  const text = await readBodyText(request, maxBodyBytes(app));
  const kind = bodyKind(request, text);
  if (kind === 'unsupported') {
    throw new UnsupportedBodyError('Send query parameters, a form (application/x-www-form-urlencoded) or JSON (application/json).');
  }
  return { text, kind };
}

async function ingest(app: AppServices, protocol: Protocol, device: AuthenticatedDevice, points: IngestPoint[]): Promise<IngestResult> {
  if (points.length > MAX_POINTS_PER_CALL) {
    throw new ProtocolInputError('body', `At most ${MAX_POINTS_PER_CALL} points per request (got ${points.length}).`);
  }
  const actor: Actor = { kind: 'DEVICE', accountId: device.ownerId, deviceId: device.deviceId };
  const result = await ingestLocations(app, device.deviceId, points, actor);
  app.logger.debug('protocol points received', {
    protocol,
    deviceId: device.deviceId,
    accepted: result.accepted,
    duplicates: result.duplicates,
    rejected: result.rejected.length,
  });
  return result;
}

const nothingStored = (r: IngestResult) => r.accepted + r.duplicates === 0 && r.rejected.length > 0;

function nothingValid(result: IngestResult): Response {
  const first = result.rejected[0];
  const message =
    result.rejected.length === 1 ? `The point was not stored: ${first.message}` : `No point was stored; the first problem: ${first.message}`;
  return errorResponse(400, 'BAD_USER_INPUT', message, { rejected: result.rejected });
}

/** Maps every expected failure to its status; anything else is the server's 500. */
async function answerErrors(protocol: Protocol, handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (e) {
    if (e instanceof BodyTooLargeError) return errorResponse(400, 'PAYLOAD_TOO_LARGE', e.message, { limit: e.limit });
    if (e instanceof UnsupportedBodyError) return errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', e.message);
    if (e instanceof DeviceAuthError) {
      // OwnTracks shows the Basic challenge; OsmAnd senders carry the token in the URL.
      const challenge = protocol === 'owntracks' ? 'Basic realm="location-platform", charset="UTF-8"' : 'Bearer realm="location-platform"';
      return errorResponse(401, 'UNAUTHENTICATED', e.message, {}, { 'www-authenticate': challenge });
    }
    if (e instanceof WrongDeviceError) return errorResponse(403, 'FORBIDDEN', e.message);
    if (e instanceof ProtocolInputError) return errorResponse(400, 'BAD_USER_INPUT', e.message, { field: e.field });
    if (isAppError(e) && e.extensions.code === 'BAD_USER_INPUT') {
      return errorResponse(400, 'BAD_USER_INPUT', e.message, { field: e.extensions.field });
    }
    throw e;
  }
}
