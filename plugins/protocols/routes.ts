/**
 * The protocol routes. Each one: reads the body within the size limit,
 * authenticates the device token, parses the protocol into fixes, and hands
 * the points to the one ingestion path (validation, dedupe by clientId, live
 * publish, lastSeen) shared with recordLocations.
 *
 * The apps keep a fix and resend it, oldest first, until they get a 2xx; a
 * fix refused for ever would block every fix queued behind it. So:
 *   200  stored, a duplicate, acknowledged (OwnTracks non-location messages),
 *        or REFUSED for good: a fix that no resend can make valid (out of
 *        range, older than retention, too far in the future, no coordinates,
 *        an unreadable value, valid=false, a body that is not JSON) is not
 *        stored, is recorded in the device's quarantine (Device.rejectedFixes,
 *        kept RETENTION_REJECTED_FIXES) and is listed in `rejected` (OsmAnd);
 *        a fix without a timestamp is stored with the receive time, a fix up
 *        to PROTOCOLS_MAX_CLOCK_SKEW ahead with its time clamped to now;
 *   400  a body over the limit (code PAYLOAD_TOO_LARGE);
 *   401  no token, a bad or revoked token, or an account token;
 *   403  the OsmAnd device identifier names another device;
 *   415  neither JSON nor a form (OsmAnd, GPSLogger);
 *   5xx  a temporary server problem: the device must retry.
 */
import { authenticateDevice, deviceIdentifierMatches, DeviceAuthError, presentedDeviceToken, type AuthenticatedDevice } from './auth';
import { maxBodyBytes, protocolSettings } from './config';
import type { Fix } from './fixes';
import { friendMessages } from './friends';
import { parseGpsLogger } from './gpslogger';
import { BodyTooLargeError, bodyKind, errorResponse, jsonResponse, parseJson, readBodyText, type BodyKind } from './http';
import { parseOsmAndJson, parseOsmAndParams, type OsmAndReport } from './osmand';
import { parseOverland } from './overland';
import { looksLikeOwnTracks, parseOwnTracks } from './owntracks';
import { quarantine, type QuarantinedFix } from './quarantine';
import { ProtocolInputError } from './values';
import { type Actor, type AppServices, ingestLocations, type IngestPoint, isAppError, MAX_POINTS_PER_CALL } from '../../schema/plugin-api';

export type Protocol = 'osmand' | 'owntracks' | 'gpslogger' | 'overland';

class UnsupportedBodyError extends Error {}
/** Device-level refusal after authentication (HTTP 403). */
class WrongDeviceError extends Error {}

export async function handleOsmAnd(request: Request, app: AppServices): Promise<Response> {
  return answerErrors('osmand', async () => {
    const now = new Date();
    const { text, kind } = await readBody(request, app);
    const params = new URL(request.url).searchParams;
    if (kind === 'form') for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
    const device = await authenticateDevice(app, presentedDeviceToken(request, params));
    const report: OsmAndReport =
      kind === 'json' ? jsonOrRefusal(text, (body) => parseOsmAndJson(body, now)) : parseOsmAndParams(params, now);
    const claimed = report.claimedDeviceId ?? (params.get('id') ?? params.get('deviceid'))?.trim() ?? null;
    if (claimed && !(await deviceIdentifierMatches(app, device.deviceId, claimed))) {
      throw new WrongDeviceError(`The device identifier "${claimed}" does not belong to the device of this token.`);
    }
    const outcome = await storeFixes(app, 'osmand', device, report.fixes, now);
    return jsonResponse({ accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected });
  });
}

/** A JSON body that does not parse is a fix no resend can cure: refused into the quarantine, not a 400. */
function jsonOrRefusal(text: string, parse: (body: unknown) => OsmAndReport): OsmAndReport {
  let body: unknown;
  try {
    body = parseJson(text);
  } catch (e) {
    return {
      claimedDeviceId: null,
      fixes: [{ refusal: { code: 'UNREADABLE_BODY', reason: (e as Error).message }, raw: { body: text.slice(0, 2048) } }],
    };
  }
  return parse(body);
}

export async function handleOwnTracks(request: Request, app: AppServices): Promise<Response> {
  return answerErrors('owntracks', async () => {
    const now = new Date();
    const text = await readBodyText(request, maxBodyBytes(app));
    const device = await authenticateDevice(app, presentedDeviceToken(request, new URL(request.url).searchParams));
    let fixes: Fix[] = [];
    if (text.trim() !== '') {
      // The booklet's own curl example posts JSON as a form: any content type will do when the body is an OwnTracks message.
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (body === undefined || !looksLikeOwnTracks(body)) {
        const declared = bodyKind(request, text);
        if (declared !== 'json') throw new UnsupportedBodyError('OwnTracks messages are JSON objects with a "_type".');
        fixes = [
          {
            refusal: { code: 'UNREADABLE_BODY', reason: 'The body is not an OwnTracks JSON message.' },
            raw: { body: text.slice(0, 2048) },
          },
        ];
      } else {
        fixes = parseOwnTracks(body, now).fixes;
      }
    }
    await storeFixes(app, 'owntracks', device, fixes, now);
    // The reply is a list of messages for the app: the people who share their location with this account.
    return jsonResponse(await friendMessages(app, device.ownerId, now));
  });
}

export async function handleGpsLogger(request: Request, app: AppServices): Promise<Response> {
  return answerErrors('gpslogger', async () => {
    const now = new Date();
    const { text, kind } = await readBody(request, app);
    const params = new URL(request.url).searchParams;
    if (kind === 'form') for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
    if (kind === 'json')
      throw new UnsupportedBodyError('GPSLogger sends query parameters or a form; see docs/device-protocols.md for the template.');
    const device = await authenticateDevice(app, presentedDeviceToken(request, params));
    const outcome = await storeFixes(app, 'gpslogger', device, [parseGpsLogger(params, now)], now);
    return jsonResponse({ accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected });
  });
}

export async function handleOverland(request: Request, app: AppServices): Promise<Response> {
  return answerErrors('overland', async () => {
    const now = new Date();
    const text = await readBodyText(request, maxBodyBytes(app));
    const params = new URL(request.url).searchParams;
    const token = presentedDeviceToken(request, params) ?? params.get('access_token')?.trim() ?? null;
    const device = await authenticateDevice(app, token);
    let fixes: Fix[];
    try {
      fixes = parseOverland(JSON.parse(text), now);
    } catch (e) {
      if (!(e instanceof ProtocolInputError) && !(e instanceof SyntaxError)) throw e;
      fixes = [{ refusal: { code: 'UNREADABLE_BODY', reason: e.message }, raw: { body: text.slice(0, 2048) } }];
    }
    await storeFixes(app, 'overland', device, fixes, now);
    // Overland deletes the batch from its queue on exactly this answer, sent only after the points are stored.
    return jsonResponse({ result: 'ok' });
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

export interface StoreOutcome {
  accepted: number;
  duplicates: number;
  rejected: { index: number; code: string; message: string }[];
}

/**
 * Stores the points of a request and quarantines what can never be stored. Clock skew: a fix ahead of the
 * server by at most PROTOCOLS_MAX_CLOCK_SKEW is stored at the receive time (its clientId keeps the device's
 * time, so a resend is still a duplicate); further ahead it is refused.
 */
export async function storeFixes(
  app: AppServices,
  protocol: Protocol,
  device: AuthenticatedDevice,
  fixes: Fix[],
  now: Date,
): Promise<StoreOutcome> {
  const { maxClockSkewMs } = protocolSettings.of(app);
  const refused: (QuarantinedFix & { index: number })[] = [];
  const points: { index: number; point: IngestPoint; raw: unknown }[] = [];
  fixes.forEach((fix, index) => {
    if ('refusal' in fix) return refused.push({ index, ...fix.refusal, raw: fix.raw });
    const ahead = fix.point.recordedAt.getTime() - now.getTime();
    if (ahead > maxClockSkewMs) {
      return refused.push({
        index,
        code: 'RECORDED_IN_FUTURE',
        reason: `The fix time is more than ${maxClockSkewMs / 60_000} minutes ahead of the server clock.`,
        raw: fix.raw,
      });
    }
    points.push({ index, point: ahead > 0 ? { ...fix.point, recordedAt: now } : fix.point, raw: fix.raw });
  });
  let accepted = 0;
  let duplicates = 0;
  const actor: Actor = { kind: 'DEVICE', accountId: device.ownerId, deviceId: device.deviceId };
  for (let start = 0; start < points.length; start += MAX_POINTS_PER_CALL) {
    const chunk = points.slice(start, start + MAX_POINTS_PER_CALL);
    const result = await ingestLocations(
      app,
      device.deviceId,
      chunk.map((c) => c.point),
      actor,
    );
    accepted += result.accepted;
    duplicates += result.duplicates;
    for (const r of result.rejected)
      refused.push({ index: chunk[r.index].index, code: r.code, reason: r.message, raw: chunk[r.index].raw });
  }
  await quarantine(app, device.deviceId, protocol, refused, now);
  refused.sort((a, b) => a.index - b.index);
  app.logger.debug('protocol fixes received', { protocol, deviceId: device.deviceId, accepted, duplicates, refused: refused.length });
  return { accepted, duplicates, rejected: refused.map((r) => ({ index: r.index, code: r.code, message: r.reason })) };
}

/** Maps every expected failure to its status; anything else is the server's 500 (the device retries). */
async function answerErrors(protocol: Protocol, handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (e) {
    if (e instanceof BodyTooLargeError) return errorResponse(400, 'PAYLOAD_TOO_LARGE', e.message, { limit: e.limit });
    if (e instanceof UnsupportedBodyError) return errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', e.message);
    if (e instanceof DeviceAuthError) {
      // OwnTracks shows the Basic challenge; the other apps carry the token in the URL or a Bearer header.
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
