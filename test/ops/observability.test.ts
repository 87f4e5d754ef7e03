/**
 * What an operator looks at (issue 12, items 6-8): access log lines with a
 * request id, operation, status, duration and viewer id (no tokens), error
 * stacks, Prometheus metrics behind METRICS_TOKEN, readiness with Redis,
 * GraphiQL without any CDN, and OpenTelemetry spans (in-memory exporter).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../../api/config';
import { createLogger } from '../../api/logger';
import { createApp, type App } from '../../server/app';
import { startServer, type RunningServer } from '../../server/http-server';
import { seedPolicies } from '../../seeds';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { gql, signUp, type TestServer } from '../helpers/server';

const METRICS_TOKEN = 'metrics-secret-123';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('observability', () => {
  let db: TestDatabase;
  let app: App;
  let running: RunningServer;
  let url: string;
  let dataDir: string;
  let redis: ChildProcess;
  const lines: Record<string, any>[] = [];
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    const redisPort = await freePort();
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    dataDir = mkdtempSync(join(tmpdir(), 'lp-obs-'));
    db = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://localhost:4000',
      METRICS_TOKEN,
      GRAPHIQL: 'true',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      ...(db.url ? { DATABASE_URL: db.url } : {}),
    });
    app = await createApp(config, { database: db.database });
    app.services.logger = createLogger('info', (l) => lines.push(JSON.parse(l)));
    // A route that fails unexpectedly, to see its stack in the log.
    app.plugins.push({
      name: 'boom',
      description: 'test only',
      routes: [
        {
          method: 'GET',
          path: '/boom',
          handler: () => {
            throw new Error('kaboom in a route');
          },
        },
      ],
    });
    await seedPolicies(app);
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    running = await startServer(app, { port: 0, host: '127.0.0.1', tracerProvider: provider });
    url = `http://127.0.0.1:${running.port}`;
  });

  afterAll(async () => {
    await running?.stop();
    await app?.close();
    await db?.drop();
    redis?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const server = () =>
    ({ gql: (q: string, v?: Record<string, unknown>, o?: any) => gql(`${url}/graphql`, q, v, o) }) as unknown as TestServer;

  it("returns the caller's X-Request-Id, or a new one", async () => {
    const given = await fetch(`${url}/health`, { headers: { 'x-request-id': 'abc-123.XYZ' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123.XYZ');
    const fresh = await fetch(`${url}/health`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const junk = await fetch(`${url}/health`, { headers: { 'x-request-id': 'no spaces <script>' } });
    expect(junk.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one line per request with operation, status, duration and viewer id, never the token', async () => {
    const user = await signUp(server(), {}, { verified: false });
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}`, 'x-request-id': 'req-me-1' },
      body: JSON.stringify({ query: 'query WhoAmI { me { id } }' }),
    });
    expect(res.status).toBe(200);
    const line = lines.find((l) => l.requestId === 'req-me-1' && l.msg === 'request');
    expect(line).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200, operation: 'WhoAmI' });
    expect(typeof line!.durationMs).toBe('number');
    expect(line!.viewer).toMatch(/^account:/);
    expect(line!.viewer).not.toContain(user.email);
    const all = JSON.stringify(lines);
    expect(all).not.toContain(user.accessToken);
    expect(all).not.toContain(user.email);
  });

  it('logs unexpected errors with their stack under the request id', async () => {
    const res = await fetch(`${url}/boom`, { headers: { 'x-request-id': 'req-boom' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('req-boom');
    expect(await res.text()).not.toContain('kaboom');
    const failure = lines.find((l) => l.requestId === 'req-boom' && l.msg === 'request failed');
    expect(failure?.level).toBe('error');
    expect(failure?.error?.stack).toContain('kaboom in a route');
    expect(failure?.error?.stack).toMatch(/observability\.test\.ts/);
  });

  it('serves Prometheus metrics only with the token', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+/);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toMatch(/graphql_envelop_request\{[^}]*operationName="WhoAmI"[^}]*\} 1/);
    expect(text).toContain('graphql_envelop_request_duration');
    expect(text).toMatch(/graphql_live_subscriptions \d+/);
    expect(text).toMatch(/location_points_ingested_total \d+/);
    expect(text).toContain('job_runs_total');
  });

  it('reports readiness of the database and Redis, with the reason when one is down', async () => {
    const ok = await fetch(`${url}/ready`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    redis.kill('SIGKILL');
    // Redis down is reported with its reason, but the instance stays ready (HTTP and ingestion work without it).
    await waitFor(async () => ((await (await fetch(`${url}/ready`)).json()) as { checks: Record<string, string> }).checks.redis !== 'ok');
    const response = await fetch(`${url}/ready`);
    const down = (await response.json()) as { status: string; checks: Record<string, string> };
    expect(response.status).toBe(200);
    expect(down.status).toBe('ready');
    expect(down.checks.database).toBe('ok');
    expect(down.checks.redis).not.toBe('ok');
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('serves GraphiQL with every asset inline (nothing from a CDN)', async () => {
    const res = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh|fonts\.googleapis/);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=["']?https?:/i);
  });

  it('traces GraphQL operations when a tracer is configured, without variables', async () => {
    exporter.reset();
    const r = await gql(`${url}/graphql`, 'query Traced($x: String!) { __type(name: $x) { name } }', { x: 'secret-variable-value' });
    expect(r.errors).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).join(' ')).toContain('Traced');
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('secret-variable-value');
  });
});
