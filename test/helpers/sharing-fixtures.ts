/**
 * Fixtures for sharing and live tests: devices with tokens, recorded points,
 * grants, and a graphql-ws client. Devices and points go through the public
 * API when the schema has it (registerDevice, recordLocations).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestServer, SignedIn } from './server';

export interface TestDevice {
  id: string;
  rawId: string;
  token: string;
}

const hasMutation = (server: TestServer, name: string) => !!server.app.built.schema.getMutationType()?.getFields()[name];

export async function createDevice(server: TestServer, owner: SignedIn, name = 'Test phone'): Promise<TestDevice> {
  if (hasMutation(server, 'registerDevice')) {
    const r = await server.gql(
      `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { deviceToken device { id } } }`,
      { i: { name, kind: 'PHONE', identifier: `IMEI-${name}` } },
      { token: owner.accessToken },
    );
    if (r.errors) throw new Error(`registerDevice failed: ${JSON.stringify(r.errors)}`);
    const id = r.data.registerDevice.device.id as string;
    const rawId = Buffer.from(id, 'base64').toString('utf8').split(':').slice(1).join(':');
    return { id, rawId, token: r.data.registerDevice.deviceToken };
  }
  const { prisma, tokens } = server.app.services;
  const account = await prisma.account.findUniqueOrThrow({ where: { email: owner.email } });
  const device = await prisma.device.create({ data: { ownerId: account.id, name, kind: 'PHONE', identifier: `IMEI-${name}` } });
  const token = await tokens.signDeviceToken({ deviceId: device.id, tokenVersion: device.tokenVersion });
  return { id: encodeGlobalID('Device', device.id), rawId: device.id, token };
}

let seq = 0;

/** Records one fix as the device would, so it is stored and published to live subscribers. */
export async function recordPoint(server: TestServer, device: TestDevice, at: Date, lat = 56.95, lon = 24.1) {
  const clientId = `p-${++seq}`;
  if (hasMutation(server, 'recordLocations') && process.env.SHARING_TESTS_DIRECT_POINTS !== '1') {
    const r = await server.gql(
      `mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted acknowledgedClientIds } }`,
      {
        i: { points: [{ clientId, recordedAt: at.toISOString(), latitude: lat, longitude: lon, accuracy: 5, battery: 80, source: 'GPS' }] },
      },
      { token: device.token },
    );
    if (r.errors || r.data.recordLocations.accepted !== 1) throw new Error(`recordLocations failed: ${JSON.stringify(r.errors ?? r.data)}`);
    return;
  }
  const { prisma, pubsub } = server.app.services;
  const point = await prisma.locationPoint.create({
    data: { deviceId: device.rawId, clientId, recordedAt: at, latitude: lat, longitude: lon, accuracy: 5, battery: 80, source: 'GPS' },
  });
  const d = await prisma.device.update({ where: { id: device.rawId }, data: { lastLocationId: point.id, lastSeenAt: point.receivedAt } });
  pubsub.publish('location:device', device.rawId, {
    ...point,
    ownerId: d.ownerId,
    recordedAt: point.recordedAt.toISOString(),
    receivedAt: point.receivedAt.toISOString(),
  });
}

export const GRANT = `mutation($i: GrantSharingInput!) { grantSharing(input: $i) { id status scope historyFrom expiresAt inviteeEmail grantee { id } } }`;
export const REVOKE = `mutation($id: ID!) { revokeSharing(grantId: $id) { id status revokedAt } }`;
export const CREATE_LINK = `mutation($i: CreateShareLinkInput!) { createShareLink(input: $i) { id url scope status expiresAt views } }`;
export const REVOKE_LINK = `mutation($id: ID!) { revokeShareLink(id: $id) { id status revokedAt } }`;
export const SHARED_LOCATION = `query($t: String!) { sharedLocation(token: $t) { deviceName expiresAt lastLocation { recordedAt latitude longitude } } }`;

export async function grant(server: TestServer, owner: SignedIn, device: TestDevice, input: Record<string, unknown>) {
  const r = await server.gql(GRANT, { i: { deviceId: device.id, scope: 'LIVE', ...input } }, { token: owner.accessToken });
  if (r.errors) throw new Error(`grantSharing failed: ${JSON.stringify(r.errors)}`);
  return r.data.grantSharing as { id: string; status: string };
}

export async function createLink(server: TestServer, owner: SignedIn, device: TestDevice, input: Record<string, unknown> = {}) {
  const expiresAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
  const r = await server.gql(CREATE_LINK, { i: { deviceId: device.id, expiresAt, ...input } }, { token: owner.accessToken });
  if (r.errors) throw new Error(`createShareLink failed: ${JSON.stringify(r.errors)}`);
  const link = r.data.createShareLink as { id: string; url: string };
  return { ...link, token: link.url.split('/share/')[1] };
}

export function wsClient(server: { wsUrl: string }, accessToken?: string): Client {
  return createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
  });
}

export interface Subscription<T = any> {
  /** Results received so far (data and/or errors). */
  results: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }[];
  /** Set when the server completed the stream. */
  completed: boolean;
  /** Set when the stream failed (an `error` message or a closed socket). */
  error: unknown;
  /** Resolves when `n` results arrived (or rejects after the timeout). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the stream completed or failed. */
  ended(timeoutMs?: number): Promise<void>;
  dispose(): void;
}

export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  const sub: Subscription<T> = {
    results: [],
    completed: false,
    error: undefined,
    waitFor: (n, timeoutMs = 5000) => until(() => sub.results.length >= n, `${n} results`, timeoutMs),
    ended: (timeoutMs = 5000) => until(() => sub.completed || sub.error !== undefined, 'end of stream', timeoutMs),
    dispose: () => unsubscribe(),
  };
  const until = (cond: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (cond()) return resolve();
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(sub.results)} error=${JSON.stringify(sub.error)}`));
      }, timeoutMs);
      const check = () => {
        if (!cond()) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
    });
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        sub.results.push(r as Subscription<T>['results'][number]);
        notify();
      },
      error: (e) => {
        sub.error = e ?? 'error';
        notify();
      },
      complete: () => {
        sub.completed = true;
        notify();
      },
    },
  );
  return sub;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
