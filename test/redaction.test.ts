import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, signUp, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
});
afterAll(() => server?.stop());

const NODE = `query($id: ID!) { node(id: $id) { ... on Device { name identifier } } }`;

describe('redaction (owner-only fields)', () => {
  it('shows Device.identifier to the owner and null to a grantee, without an error', async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const prisma = server.app.services.prisma;
    const ownerRow = await prisma.account.findUniqueOrThrow({ where: { email: owner.email } });
    const friendRow = await prisma.account.findUniqueOrThrow({ where: { email: friend.email } });
    const device = await prisma.device.create({ data: { ownerId: ownerRow.id, name: 'Car', kind: 'VEHICLE', identifier: 'IMEI-1' } });
    await prisma.sharingGrant.create({
      data: { deviceId: device.id, ownerId: ownerRow.id, granteeId: friendRow.id, inviteeEmail: friend.email, scope: 'LIVE' },
    });
    const id = encodeGlobalID('Device', device.id);

    const mine = await server.gql(NODE, { id }, { token: owner.accessToken });
    expect(mine.errors).toBeUndefined();
    expect(mine.data.node).toEqual({ name: 'Car', identifier: 'IMEI-1' });

    const theirs = await server.gql(NODE, { id }, { token: friend.accessToken });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data.node).toEqual({ name: 'Car', identifier: null });
  });
});
