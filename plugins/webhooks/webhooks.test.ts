/**
 * Webhooks, black-box: a receiving HTTP server in the test verifies every
 * request with the `standardwebhooks` package. The outbox row is written with
 * the change; a receiver that fails twice then succeeds gets the event once
 * (three attempts, one success, same webhook-id); two instances claiming at
 * the same time deliver each event once; disabling stops deliveries; targets
 * must be https and public in production.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../api/config';
import { createApp, type App } from '../../server/app';
import { errorCodes, signUp, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';
import { retentionRules, runRetentionAsDpo } from '../../test/helpers/retention';
import { createDevice, recordPoint, type TestDevice } from '../../test/helpers/sharing-fixtures';
import { deliverDue } from './deliver';
import { checkWebhookTarget } from './targets';
import { webhookSettings } from './config';

interface Received {
  id: string;
  body: string;
  verified: unknown;
}

let server: TestServer;
let owner: SignedIn;
let device: TestDevice;
let receiver: Server;
let receiverUrl: string;
/** Per path: how many requests to fail before answering 200. */
const failFirst = new Map<string, number>();
const received = new Map<string, Received[]>();
const attempts = new Map<string, number>();
const secrets = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer({
    plugins: ['webhooks', 'retention'],
    env: { WEBHOOKS_ALLOW_PRIVATE: 'on', WEBHOOKS_RETRY_BASE_MS: '1000' },
  });
  owner = await signUp(server);
  device = await createDevice(server, owner, 'Hooked phone');
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = (attempts.get(path) ?? 0) + 1;
      attempts.set(path, n);
      if (n <= (failFirst.get(path) ?? 0)) {
        res.writeHead(500).end('try later');
        return;
      }
      const verified = new Webhook(secrets.get(path)!).verify(body, req.headers as Record<string, string>);
      received.set(path, [...(received.get(path) ?? []), { id: String(req.headers['webhook-id']), body, verified }]);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
  await server?.stop();
});

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { signingSecret webhook { id url events enabled } } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(webhookId: $id, first: 10) { edges { node { id event status attempts lastResponseCode } } } }`;

async function hook(path: string, events: string[], user = owner) {
  const r = await server.gql(CREATE, { i: { url: `${receiverUrl}${path}`, events } }, { token: user.accessToken });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  secrets.set(path, r.data.createWebhook.signingSecret);
  return r.data.createWebhook.webhook.id as string;
}

/** Runs the delivery job until nothing is due at `now` (advancing the clock past each backoff). */
async function drain(app = server.app.services, rounds = 6) {
  let now = new Date();
  for (let i = 0; i < rounds; i++) {
    await deliverDue(app, { now });
    now = new Date(now.getTime() + 60_000);
  }
}

describe('webhooks', () => {
  it('delivers a signed LOCATION_RECORDED event; the outbox row is written with the points', async () => {
    const id = await hook('/a', ['LOCATION_RECORDED']);
    await recordPoint(server, device, new Date(), 56.95);
    const rows = await server.app.services.prisma.webhookDelivery.findMany({ where: { webhook: { url: `${receiverUrl}/a` } } });
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('PENDING');
    await drain();
    const got = received.get('/a')!;
    expect(got).toHaveLength(1);
    expect(got[0].verified).toMatchObject({
      type: 'location.recorded',
      data: { deviceId: device.id, points: [expect.objectContaining({ latitude: 56.95 })] },
    });
    expect(got[0].id).toBe(rows[0].id);
    // A forged signature is refused by the receiver's check.
    expect(() =>
      new Webhook(secrets.get('/a')!).verify(`${got[0].body} `, {
        'webhook-id': got[0].id,
        'webhook-timestamp': `${Math.floor(Date.now() / 1000)}`,
        'webhook-signature': 'v1,AAAA',
      }),
    ).toThrow();
    const log = await server.gql(DELIVERIES, { id }, { token: owner.accessToken });
    expect(log.data.webhookDeliveries.edges[0].node).toMatchObject({
      event: 'LOCATION_RECORDED',
      status: 'SUCCEEDED',
      attempts: 1,
      lastResponseCode: 204,
    });
  });

  it('a receiver that fails twice then succeeds gets the delivery once', async () => {
    failFirst.set('/b', 2);
    const id = await hook('/b', ['LOCATION_RECORDED']);
    await recordPoint(server, device, new Date(), 56.96);
    await deliverDue(server.app.services);
    const afterFirst = await server.app.services.prisma.webhookDelivery.findFirst({
      where: { webhookId: { not: undefined }, webhook: { url: `${receiverUrl}/b` } },
    });
    expect(afterFirst).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500 });
    // Not due again before its backoff.
    expect(await deliverDue(server.app.services)).toBe(0);
    await drain();
    expect(attempts.get('/b')).toBe(3);
    expect(received.get('/b')).toHaveLength(1);
    const log = await server.gql(DELIVERIES, { id }, { token: owner.accessToken });
    expect(log.data.webhookDeliveries.edges[0].node).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastResponseCode: 204 });
    // redeliverWebhook sends it again with the same webhook-id.
    const again = await server.gql(
      `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status } }`,
      { id: log.data.webhookDeliveries.edges[0].node.id },
      { token: owner.accessToken },
    );
    expect(again.data.redeliverWebhook.status).toBe('PENDING');
    await drain();
    expect(received.get('/b')!.map((r) => r.id)).toEqual([received.get('/b')![0].id, received.get('/b')![0].id]);
  });

  it('with two instances each event is delivered once', async () => {
    await hook('/c', ['LOCATION_RECORDED']);
    for (let i = 0; i < 12; i++) await recordPoint(server, device, new Date(), 57 + i / 1000);
    // A second instance on the same database (PostgreSQL), or a second concurrent worker on the embedded one.
    let second: App | null = null;
    if (server.app.services.config.databaseUrl) {
      second = await createApp(loadConfig({ ...server.app.services.config.raw, PLUGINS: 'webhooks' }));
    }
    const other = second?.services ?? server.app.services;
    try {
      await Promise.all([deliverDue(server.app.services, { limit: 3 }), deliverDue(other, { limit: 3 }), drain(), drain(other)]);
    } finally {
      await second?.close();
    }
    const got = received.get('/c')!;
    expect(got).toHaveLength(12);
    expect(new Set(got.map((r) => r.id)).size).toBe(12);
  });

  it('disabling a webhook stops its deliveries; another account sees none of its log', async () => {
    const id = await hook('/d', ['LOCATION_RECORDED']);
    await recordPoint(server, device, new Date(), 56.97);
    const off = await server.gql(
      `mutation($id: ID!) { setWebhookEnabled(id: $id, enabled: false) { enabled } }`,
      { id },
      { token: owner.accessToken },
    );
    expect(off.data.setWebhookEnabled.enabled).toBe(false);
    await recordPoint(server, device, new Date(), 56.98);
    await drain();
    expect(received.get('/d')).toBeUndefined();
    const stranger = await signUp(server);
    expect(errorCodes(await server.gql(DELIVERIES, { id }, { token: stranger.accessToken }))).toEqual([]);
    const theirs = await server.gql(DELIVERIES, { id }, { token: stranger.accessToken });
    expect(theirs.data.webhookDeliveries.edges).toEqual([]);
    expect(
      errorCodes(await server.gql(`mutation($id: ID!) { deleteWebhook(id: $id) { id } }`, { id }, { token: stranger.accessToken })),
    ).toEqual(['NOT_FOUND']);
  });

  it("only events of the subscribed kinds, and only for the webhook account's own data", async () => {
    await hook('/e', ['DEVICE_REMOVED']);
    const stranger = await signUp(server);
    await hook('/f', ['LOCATION_RECORDED'], stranger);
    await recordPoint(server, device, new Date(), 56.99);
    await drain();
    expect(received.get('/e')).toBeUndefined();
    expect(received.get('/f')).toBeUndefined();
  });

  it('targets: https only and no loopback or private addresses without WEBHOOKS_ALLOW_PRIVATE', async () => {
    await expect(checkWebhookTarget('http://example.com/hook', false)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.url' },
    });
    for (const url of [
      'https://127.0.0.1/h',
      'https://10.1.2.3/h',
      'https://192.168.0.5/h',
      'https://[::1]/h',
      'https://169.254.169.254/latest',
      'https://localhost/h',
    ]) {
      await expect(checkWebhookTarget(url, false), url).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    }
    await expect(checkWebhookTarget('https://93.184.215.14/hook', false)).resolves.toBeInstanceOf(URL);
    const r = await server.gql(CREATE, { i: { url: 'ftp://x', events: ['LOCATION_RECORDED'] } }, { token: owner.accessToken });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
  });
  it('the delivery log is in the data export and is purged after RETENTION_WEBHOOK_DELIVERIES (default P30D) once final', async () => {
    const user = await signUp(server);
    const own = await createDevice(server, user, 'Logged phone');
    await hook('/log', ['LOCATION_RECORDED'], user);
    await recordPoint(server, own, new Date(), 56.91);
    await recordPoint(server, own, new Date(), 56.92);
    await drain();
    const prisma = server.app.services.prisma;
    const { id: webhookId, accountId } = await prisma.webhook.findFirstOrThrow({ where: { url: `${receiverUrl}/log` } });
    const rows = await prisma.webhookDelivery.findMany({ where: { webhookId }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);

    const contributor = server.app.services.extensions.exportContributors.find((c) => c.section === 'webhooks')!;
    expect(JSON.stringify(await contributor.collect(server.app.services, accountId))).toContain('56.91');

    // One final delivery and one still pending, both older than 30 days; the final one goes, the pending one stays.
    const old = new Date(Date.now() - 31 * 86_400_000);
    await prisma.webhookDelivery.update({ where: { id: rows[0].id }, data: { createdAt: old } });
    await prisma.webhookDelivery.update({ where: { id: rows[1].id }, data: { createdAt: old, status: 'PENDING' } });
    expect(await retentionRules(server)).toContainEqual({ dataCategory: 'WEBHOOK_DELIVERIES', period: 'P30D' });
    expect(await runRetentionAsDpo(server)).toContainEqual({ dataCategory: 'WEBHOOK_DELIVERIES', deleted: 1 });
    expect((await prisma.webhookDelivery.findMany({ where: { webhookId } })).map((r) => r.id)).toEqual([rows[1].id]);
  });

  it('refuses a delivery log shorter than the 24 h of retries', () => {
    const config = loadConfig({ NODE_ENV: 'test', RETENTION_WEBHOOK_DELIVERIES: 'PT12H' });
    expect(() => webhookSettings.parse(config)).toThrow(/RETENTION_WEBHOOK_DELIVERIES must be at least P2D/);
  });
});
