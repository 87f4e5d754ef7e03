import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { readFileSync } from 'node:fs';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { errorCodes, signUp, signUpStaff, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';
import { CSV_HEADER } from './export/formats';

let server: TestServer;
let support: SignedIn;
let dpo: SignedIn;

beforeAll(async () => {
  server = await startTestServer({ plugins: ['audit', 'rights'] });
  support = await signUpStaff(server, ['SUPPORT']);
  dpo = await signUpStaff(server, ['DPO']);
});
afterAll(() => server?.stop());

const rawId = (globalId: string) => decodeGlobalID(globalId).id;
const db = () => server.app.services.prisma;

/** A device with a short track, written directly (devices are another module's API). */
async function deviceWithTrack(owner: SignedIn, name: string, points: number) {
  const device = await db().device.create({ data: { ownerId: rawId(owner.id), name, kind: 'TRACKER', identifier: 'IMEI-1' } });
  const start = Date.now() - 3600_000;
  await db().locationPoint.createMany({
    data: Array.from({ length: points }, (_, i) => ({
      deviceId: device.id,
      clientId: `c${i}`,
      recordedAt: new Date(start + i * 60_000),
      latitude: 56.9496 + i * 0.001,
      longitude: 24.1052 + i * 0.001,
      altitude: i % 2 ? 12.5 : null,
      accuracy: 5,
    })),
  });
  return device;
}

const SUBMIT = `mutation($i: SubmitDataSubjectRequestInput!) { submitDataSubjectRequest(input: $i) { id kind status submittedAt dueAt verificationMethod account { id } } }`;
const VERIFY = `mutation($id: ID!, $m: VerificationMethod!) { verifyDataSubjectRequest(id: $id, method: $m) { id status verifiedAt verificationMethod } }`;
const COMPLETE = `mutation($id: ID!, $r: RectificationInput) { completeDataSubjectRequest(id: $id, rectification: $r) { id status completedAt export { format free sizeBytes } } }`;
const REJECT = `mutation($id: ID!, $r: String!) { rejectDataSubjectRequest(id: $id, reason: $r) { status rejectionReason } }`;
const EXTEND = `mutation($id: ID!, $r: String!, $u: DateTime!) { extendDataSubjectRequest(id: $id, reason: $r, until: $u) { dueAt extensionReason } }`;
const EXPORT = `query($f: ExportFormat) { exportMyData(format: $f) { id format free sizeBytes content } }`;

async function submit(user: SignedIn, kind: string, details?: string) {
  const r = await server.gql(SUBMIT, { i: { kind, details } }, { token: user.accessToken });
  expect(r.errors).toBeUndefined();
  return r.data.submitDataSubjectRequest;
}

async function complete(id: string, rectification?: Record<string, unknown>) {
  const r = await server.gql(COMPLETE, { id, r: rectification }, { token: support.accessToken });
  expect(r.errors).toBeUndefined();
  return r.data.completeDataSubjectRequest;
}

/** The person reads the export their request produced. */
async function myRequestExport(user: SignedIn, requestId: string) {
  const r = await server.gql(
    `{ me { dataSubjectRequests { id status export { format free sizeBytes content } } } }`,
    {},
    { token: user.accessToken },
  );
  expect(r.errors).toBeUndefined();
  return r.data.me.dataSubjectRequests.find((x: any) => x.id === requestId).export;
}

describe('submitting and handling requests', () => {
  it('a customer request is verified by the session and due one month later', async () => {
    const user = await signUp(server);
    const r = await submit(user, 'ACCESS', 'Please send me my data');
    expect(r).toMatchObject({
      kind: 'ACCESS',
      status: 'IN_PROGRESS',
      verificationMethod: 'AUTHENTICATED_SESSION',
      account: { id: user.id },
    });
    const submitted = new Date(r.submittedAt);
    const due = new Date(r.dueAt);
    expect(due.getUTCMonth()).toBe((submitted.getUTCMonth() + 1) % 12);
    const mine = await server.gql(`{ me { dataSubjectRequests { id kind } } }`, {}, { token: user.accessToken });
    expect(mine.data.me.dataSubjectRequests).toEqual([{ id: r.id, kind: 'ACCESS' }]);
  });

  it('SUPPORT files a signed written request for an account; it waits for verification', async () => {
    const user = await signUp(server);
    const r = await server.gql(SUBMIT, { i: { kind: 'RESTRICTION', accountId: user.id } }, { token: support.accessToken });
    expect(r.data.submitDataSubjectRequest).toMatchObject({
      status: 'AWAITING_VERIFICATION',
      verificationMethod: null,
      account: { id: user.id },
    });
    const id = r.data.submitDataSubjectRequest.id;
    const early = await server.gql(COMPLETE, { id }, { token: support.accessToken });
    expect(errorCodes(early)).toEqual(['CONFLICT']);
    const v = await server.gql(VERIFY, { id, m: 'HANDWRITTEN_SIGNATURE' }, { token: support.accessToken });
    expect(v.data.verifyDataSubjectRequest).toMatchObject({ status: 'IN_PROGRESS', verificationMethod: 'HANDWRITTEN_SIGNATURE' });
    await complete(id);
    expect((await db().account.findUniqueOrThrow({ where: { id: rawId(user.id) } })).status).toBe('RESTRICTED');
  });

  it('customers cannot file for others, handle requests or list them', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    expect(errorCodes(await server.gql(SUBMIT, { i: { kind: 'ERASURE', accountId: other.id } }, { token: user.accessToken }))).toEqual([
      'FORBIDDEN',
    ]);
    const r = await submit(user, 'ACCESS');
    expect(errorCodes(await server.gql(COMPLETE, { id: r.id }, { token: user.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(`{ dataSubjectRequests { id } }`, {}, { token: user.accessToken }))).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(
        await server.gql(
          `query($id: ID!) { node(id: $id) { id ... on DataSubjectRequest { kind } } }`,
          { id: r.id },
          { token: other.accessToken },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it('DPO and SUPPORT list requests by status', async () => {
    const user = await signUp(server);
    const r = await submit(user, 'OBJECTION');
    const list = await server.gql(
      `query($s: DataSubjectRequestStatus) { dataSubjectRequests(status: $s) { id status } }`,
      { s: 'IN_PROGRESS' },
      { token: dpo.accessToken },
    );
    expect(list.data.dataSubjectRequests.map((x: any) => x.id)).toContain(r.id);
    expect(list.data.dataSubjectRequests.every((x: any) => x.status === 'IN_PROGRESS')).toBe(true);
  });

  it('a rejection tells the person they may complain to the Data State Inspectorate', async () => {
    const user = await signUp(server);
    const r = await submit(user, 'ERASURE');
    const rej = await server.gql(REJECT, { id: r.id, r: 'An unpaid contract claim is pending.' }, { token: support.accessToken });
    expect(rej.data.rejectDataSubjectRequest.status).toBe('REJECTED');
    expect(rej.data.rejectDataSubjectRequest.rejectionReason).toMatch(
      /An unpaid contract claim is pending\.[\s\S]*Data State Inspectorate/,
    );
    expect(errorCodes(await server.gql(REJECT, { id: r.id, r: 'Again, once more' }, { token: support.accessToken }))).toEqual(['CONFLICT']);
  });

  it('the DPO extends a deadline once, by at most two months, with a reason', async () => {
    const user = await signUp(server);
    const r = await submit(user, 'ACCESS');
    const submitted = new Date(r.submittedAt);
    const tooLate = new Date(submitted);
    tooLate.setUTCMonth(tooLate.getUTCMonth() + 3);
    tooLate.setUTCDate(tooLate.getUTCDate() + 1);
    expect(
      errorCodes(await server.gql(EXTEND, { id: r.id, r: 'Very many records', u: tooLate.toISOString() }, { token: dpo.accessToken })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(await server.gql(EXTEND, { id: r.id, r: 'Very many records', u: tooLate.toISOString() }, { token: support.accessToken })),
    ).toEqual(['FORBIDDEN']);
    const until = new Date(submitted);
    until.setUTCMonth(until.getUTCMonth() + 3);
    const ok = await server.gql(
      EXTEND,
      { id: r.id, r: 'Very many records to collect', u: until.toISOString() },
      { token: dpo.accessToken },
    );
    expect(ok.data.extendDataSubjectRequest).toEqual({ dueAt: until.toISOString(), extensionReason: 'Very many records to collect' });
    expect(
      errorCodes(await server.gql(EXTEND, { id: r.id, r: 'And once more', u: until.toISOString() }, { token: dpo.accessToken })),
    ).toEqual(['CONFLICT']);
  });

  it('extension is refused after the first month', async () => {
    const user = await signUp(server);
    const r = await submit(user, 'ACCESS');
    const old = new Date(Date.now() - 40 * 86400_000);
    await db().dataSubjectRequest.update({
      where: { id: rawId(r.id) },
      data: { submittedAt: old, dueAt: new Date(old.getTime() + 30 * 86400_000) },
    });
    const r2 = await server.gql(
      EXTEND,
      { id: r.id, r: 'Too late for this', u: new Date(Date.now() + 86400_000).toISOString() },
      { token: dpo.accessToken },
    );
    expect(errorCodes(r2)).toEqual(['CONFLICT']);
  });
});

describe('carrying out each right', () => {
  it('ACCESS produces a JSON export with every personal datum; the first copy is free', async () => {
    const user = await signUp(server, { givenName: 'Līga', familyName: 'Ozola' });
    await server.gql(
      `mutation { updateProfile(input: { phone: "+37120000000", personalCode: "32123456789" }) { id } }`,
      {},
      { token: user.accessToken },
    );
    await deviceWithTrack(user, 'Car', 3);
    const r = await submit(user, 'ACCESS');
    const done = await complete(r.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.export).toMatchObject({ format: 'JSON', free: true });
    // Staff handling the request see that it was made, not its content (that needs an access case).
    const staffView = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on DataSubjectRequest { export { content } } } }`,
      { id: r.id },
      { token: support.accessToken },
    );
    expect(errorCodes(staffView)).toEqual(['FORBIDDEN']);
    const c = (await myRequestExport(user, r.id)).content;
    expect(c.profile).toMatchObject({ email: user.email, givenName: 'Līga', phone: '+37120000000', personalCode: '321234-56789' });
    expect(c.devices[0].points).toHaveLength(3);
    for (const key of [
      'sessions',
      'sharingGrantsGiven',
      'sharingGrantsReceived',
      'shareLinks',
      'consents',
      'dataSubjectRequests',
      'dataExports',
      'mailedLinks',
      'accessLog',
    ]) {
      expect(c).toHaveProperty(key);
    }
    expect(c.consents[0]).toMatchObject({ purpose: 'ACCOUNT', granted: true });
    expect(c.mailedLinks[0]).toMatchObject({ purpose: 'VERIFY_EMAIL', email: user.email });
    expect(JSON.stringify(c)).not.toMatch(/passwordHash|tokenHash|scrypt\$/);
  });

  it('PORTABILITY produces an export too; later copies are not free', async () => {
    const user = await signUp(server);
    const first = await server.gql(EXPORT, {}, { token: user.accessToken });
    expect(first.data.exportMyData.free).toBe(true);
    const r = await submit(user, 'PORTABILITY');
    const done = await complete(r.id);
    expect(done.export).toMatchObject({ format: 'JSON', free: false });
  });

  it('RECTIFICATION is applied by staff with the corrected data, validated', async () => {
    const user = await signUp(server);
    const r = await submit(user, 'RECTIFICATION', 'My family name is misspelled');
    const missing = await server.gql(COMPLETE, { id: r.id }, { token: support.accessToken });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rectification' });
    const bad = await server.gql(COMPLETE, { id: r.id, r: { iban: 'LV00BANK0000000000000' } }, { token: support.accessToken });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    await complete(r.id, { familyName: 'Kalniņa' });
    const me = await server.gql(`{ me { familyName } }`, {}, { token: user.accessToken });
    expect(me.data.me.familyName).toBe('Kalniņa');
  });

  it('RESTRICTION sets the account RESTRICTED; the person can still export', async () => {
    const user = await signUp(server);
    await complete((await submit(user, 'RESTRICTION')).id);
    const me = await server.gql(`{ me { status } }`, {}, { token: user.accessToken });
    expect(me.data.me.status).toBe('RESTRICTED');
    expect((await server.gql(EXPORT, {}, { token: user.accessToken })).errors).toBeUndefined();
  });

  it('OBJECTION records the objection time and tells other modules', async () => {
    const user = await signUp(server);
    const seen: string[] = [];
    const off = server.app.services.events.on('processing.objected', (p) => void seen.push(p.accountId));
    await complete((await submit(user, 'OBJECTION')).id);
    off();
    const row = await db().account.findUniqueOrThrow({ where: { id: rawId(user.id) } });
    expect(row.processingObjectedAt).toBeInstanceOf(Date);
    expect(seen).toEqual([rawId(user.id)]);
  });

  it('ERASURE deletes the account and everything it owns, keeping only a minimised consent proof', async () => {
    const user = await signUp(server);
    const friend = await signUp(server);
    const device = await deviceWithTrack(user, 'Phone', 5);
    const friendsDevice = await deviceWithTrack(friend, 'Bike', 1);
    const accountId = rawId(user.id);
    await db().sharingGrant.create({
      data: { deviceId: device.id, ownerId: accountId, granteeId: rawId(friend.id), inviteeEmail: friend.email, scope: 'LIVE' },
    });
    await db().sharingGrant.create({
      data: { deviceId: friendsDevice.id, ownerId: rawId(friend.id), granteeId: accountId, inviteeEmail: user.email, scope: 'HISTORY' },
    });
    await db().shareLink.create({
      data: { deviceId: device.id, ownerId: accountId, tokenHash: `h-${accountId}`, expiresAt: new Date(Date.now() + 86400_000) },
    });

    const r = await submit(user, 'ERASURE');
    const done = await complete(r.id);
    expect(done.status).toBe('COMPLETED');

    expect(await db().account.findUnique({ where: { id: accountId } })).toBeNull();
    expect(await db().device.count({ where: { ownerId: accountId } })).toBe(0);
    expect(await db().locationPoint.count({ where: { deviceId: device.id } })).toBe(0);
    expect(await db().sharingGrant.count({ where: { OR: [{ ownerId: accountId }, { granteeId: accountId }] } })).toBe(0);
    expect(await db().shareLink.count({ where: { ownerId: accountId } })).toBe(0);
    expect(await db().session.count({ where: { accountId } })).toBe(0);
    expect(await db().consentRecord.count({ where: { accountId } })).toBe(0);
    expect(await db().dataSubjectRequest.count({ where: { accountId } })).toBe(0);
    // The friend keeps their own device.
    expect(await db().device.count({ where: { id: friendsDevice.id } })).toBe(1);

    const proof = await db().auditEvent.findFirstOrThrow({ where: { subjectAccountId: accountId, action: 'consent.proofRetained' } });
    const text = JSON.stringify(proof.details);
    expect(text).toContain('"purpose":"ACCOUNT"');
    expect(text).not.toContain(user.email);
    expect(await db().auditEvent.count({ where: { subjectAccountId: accountId, action: 'account.erased' } })).toBe(1);

    const login = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
      i: { email: user.email, password: user.password },
    });
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('deleteMyAccount', () => {
  it('needs the password, then erases at once: login fails and the ids are NOT_FOUND', async () => {
    const user = await signUp(server);
    const device = await deviceWithTrack(user, 'Watch', 2);
    const wrong = await server.gql(`mutation { deleteMyAccount(password: "not my password") }`, {}, { token: user.accessToken });
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const ok = await server.gql(
      `mutation($p: String!) { deleteMyAccount(password: $p) }`,
      { p: user.password },
      { token: user.accessToken },
    );
    expect(ok.data.deleteMyAccount).toBe(true);

    const login = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
      i: { email: user.email, password: user.password },
    });
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(`{ me { id } }`, {}, { token: user.accessToken }))).toEqual(['UNAUTHENTICATED']);

    const c = await server.gql(
      `mutation($a: ID!) { openAccessCase(accountId: $a, reason: "Checking the erasure") { id } }`,
      { a: user.id },
      { token: dpo.accessToken },
    );
    expect(errorCodes(c)).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(await server.gql(`query($id: ID!) { account(id: $id) { id } }`, { id: user.id }, { token: dpo.accessToken })),
    ).toEqual(['NOT_FOUND']);
    expect(await db().device.findUnique({ where: { id: device.id } })).toBeNull();
  });
});

describe('exportMyData formats', () => {
  let user: SignedIn;
  beforeAll(async () => {
    user = await signUp(server);
    await deviceWithTrack(user, 'Car <"A&B">', 4);
    await deviceWithTrack(user, 'Spare', 1);
    await deviceWithTrack(user, 'Unused', 0);
  });

  it('GeoJSON: a FeatureCollection with one Feature per device', async () => {
    const r = await server.gql(EXPORT, { f: 'GEOJSON' }, { token: user.accessToken });
    const fc = r.data.exportMyData.content;
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(3);
    const [car, spare, unused] = fc.features;
    expect(car).toMatchObject({ type: 'Feature', geometry: { type: 'LineString' }, properties: { name: 'Car <"A&B">', pointCount: 4 } });
    expect(car.geometry.coordinates).toHaveLength(4);
    for (const pos of car.geometry.coordinates) {
      expect(pos[0]).toBeGreaterThanOrEqual(-180);
      expect(pos[0]).toBeLessThanOrEqual(180);
      expect(pos[1]).toBeGreaterThanOrEqual(-90);
      expect(pos[1]).toBeLessThanOrEqual(90);
      expect(pos[0]).toBeCloseTo(24.1, 0); // [longitude, latitude] order
    }
    expect(car.properties.times).toHaveLength(4);
    expect(spare.geometry).toMatchObject({ type: 'Point', coordinates: [24.1052, 56.9496] });
    expect(unused.geometry).toBeNull();
  });

  it('GPX 1.1: one track per device, valid against the official GPX 1.1 schema', async () => {
    const r = await server.gql(EXPORT, { f: 'GPX' }, { token: user.accessToken });
    const gpx: string = r.data.exportMyData.content;
    expect(gpx).toContain('xmlns="http://www.topografix.com/GPX/1/1"');
    expect(gpx.match(/<trk>/g)).toHaveLength(3);
    expect(gpx.match(/<trkpt /g)).toHaveLength(5);
    const xsd = readFileSync(new URL('./fixtures/gpx-1.1.xsd', import.meta.url), 'utf8');
    const result = await validateXML({
      xml: [{ fileName: 'export.gpx', contents: gpx }],
      schema: [{ fileName: 'gpx.xsd', contents: xsd }],
    });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the GPX check fails for a broken document (the validator is real)', async () => {
    const xsd = readFileSync(new URL('./fixtures/gpx-1.1.xsd', import.meta.url), 'utf8');
    const bad = `<?xml version="1.0"?><gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="91" lon="0"><time>2026-01-01T00:00:00Z</time><ele>1</ele></trkpt></trkseg></trk></gpx>`;
    const result = await validateXML({ xml: [{ fileName: 'bad.gpx', contents: bad }], schema: [{ fileName: 'gpx.xsd', contents: xsd }] });
    expect(result.valid).toBe(false);
  });

  it('CSV: a header and one row per point', async () => {
    const r = await server.gql(EXPORT, { f: 'CSV' }, { token: user.accessToken });
    const lines = (r.data.exportMyData.content as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines).toHaveLength(1 + 5);
    expect(lines[1]).toContain('"Car <""A&B"">"');
  });

  it('sizeBytes matches, and copies after the first are not free', async () => {
    const r = await server.gql(EXPORT, { f: 'JSON' }, { token: user.accessToken });
    expect(r.data.exportMyData.free).toBe(false);
    expect(r.data.exportMyData.sizeBytes).toBe(Buffer.byteLength(JSON.stringify(r.data.exportMyData.content)));
    const events = await db().auditEvent.count({ where: { subjectAccountId: rawId(user.id), action: 'data.exported' } });
    expect(events).toBe(4);
  });
});
