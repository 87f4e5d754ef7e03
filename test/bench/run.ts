/**
 * `npm run bench`: our API side by side with raw node-postgres queries and
 * PostGraphile 5 on the same PostgreSQL tables and data, interleaved
 * (A B C, A B C, ...), 3 repeats, medians; prints a table with ratios and
 * writes test-artifacts/bench.json. Never part of `npm test`.
 *
 * BENCH_DATABASE_URL: the PostgreSQL server to use (default
 * postgresql://postgres@127.0.0.1:5432/postgres); a fresh database is created
 * on it and dropped at the end. BENCH_QUICK=1: small data, short runs (checks
 * that the bench works, numbers meaningless).
 *
 * Scenarios (test/bench/scenarios/): history page and device list at c=1 and
 * c=16 (three contestants), ingestion in 500-point and 1-point calls from 4
 * clients (ours and raw), Device.track (ours and raw), live fan-out to graphql-ws
 * subscribers on one instance and across two through Redis, the permission
 * layer's price, the protocol routes. BENCH_SUBSCRIBERS overrides the number
 * of fan-out subscribers (default 1000, 100 with BENCH_QUICK). Retention at
 * scale (scenarios in retention-scale.ts): purging 90-day-old points from
 * 10 million (200,000 with BENCH_QUICK), against the old batched delete;
 * BENCH_OLD_WAY_POINTS sizes its old-way table (default 1,000,000).
 * BENCH_ONLY=<scenario>[,<scenario>...] runs only those scenarios (history,
 * devices, ingest, ingest500, ingest1, track, fanout, fanout1 (one instance),
 * fanout2 (through Redis), shield, protocols, retention); the data is seeded as
 * for a full run, so the numbers stay comparable. BENCH_ONLY=retention alone
 * starts no server and merges its numbers into an existing test-artifacts/bench.json.
 */
import './env';
import { hostname, cpus } from 'node:os';
import { signUp, startTestServer } from '../helpers/server';
import { compare, type Comparison } from './compare';
import { countingPool } from './counting-pool';
import { closeLoad } from './load';
import { startPostGraphile } from './postgraphile';
import { startRawServer } from './raw-server';
import { startRedisPair, stopInstances } from './redis-pair';
import { mergeArtifact, table, writeArtifact, type Row } from './report';
import { retentionScale, retentionTable } from './retention-scale';
import { fanout, type FanoutResult } from './scenarios/fanout';
import { ingestContestants, storedPoints } from './scenarios/ingest';
import { protocolRoutes } from './scenarios/protocols';
import { checkReads, devicesContestants, historyContestants } from './scenarios/reads';
import { shieldPrice } from './scenarios/shield';
import { trackContestants } from './scenarios/track';
import { seed } from './seed';
import type { Targets } from './targets';

const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = QUICK
  ? {
      historyPoints: 20_000,
      trackPoints: 10_000,
      durationMs: 600,
      warmupMs: 300,
      subscribers: Number(process.env.BENCH_SUBSCRIBERS ?? 100),
      osmand: 50,
      overland: 5,
    }
  : {
      historyPoints: 1_000_000,
      trackPoints: 100_000,
      durationMs: 2000,
      warmupMs: 1000,
      subscribers: Number(process.env.BENCH_SUBSCRIBERS ?? 1000),
      osmand: 500,
      overland: 20,
    };
const REPEATS = 3;
const RETENTION_SIZES = QUICK
  ? { points: 200_000, oldWayPoints: 20_000 }
  : { points: 10_000_000, oldWayPoints: Number(process.env.BENCH_OLD_WAY_POINTS ?? 1_000_000) };

const SCENARIOS = [
  'history',
  'devices',
  'ingest',
  'ingest500',
  'ingest1',
  'track',
  'fanout',
  'fanout1',
  'fanout2',
  'shield',
  'protocols',
  'retention',
];
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of ONLY) if (!SCENARIOS.includes(name)) throw new Error(`BENCH_ONLY: unknown scenario ${name} (${SCENARIOS.join(', ')})`);
/** Whether to run a scenario: `names` are the scenario and the groups it belongs to (e.g. ingest1, ingest). */
const want = (...names: string[]) => !ONLY.length || names.some((n) => ONLY.includes(n));

interface FanoutOutcome {
  result: FanoutResult | null;
  error?: string;
}

/** A fan-out that fails is reported in the table and the artifact, not the end of the whole run. */
async function measureFanout(run: () => Promise<FanoutResult>): Promise<FanoutOutcome> {
  try {
    return { result: await run() };
  } catch (e) {
    log(`fan-out failed: ${String(e)}`);
    return { result: null, error: String(e instanceof Error ? e.message : e) };
  }
}

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function onlyRetention() {
  const result = await retentionScale(RETENTION_SIZES, log);
  mergeArtifact({ retentionScale: result });
  console.log(retentionTable(result));
  console.log(
    `\ndevice list's last-location join:\n${result.explain.deviceListLastLocation}\n\nhistory page:\n${result.explain.historyPage}`,
  );
}

async function main() {
  if (process.env.BENCH_ONLY === 'retention') return onlyRetention();
  const started = Date.now();
  const server = await startTestServer({ env: { LOG_LEVEL: 'error' } });
  const databaseUrl = server.app.services.config.databaseUrl!;
  const raw = countingPool(databaseUrl);
  const peerPool = countingPool(databaseUrl);
  const rawServer = await startRawServer(raw.pool);
  const peer = await startPostGraphile(peerPool.pool);
  const t: Targets = { ours: server, raw: rawServer, rawStatements: raw.statements, peer, peerStatements: peerPool.statements };
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { host: hostname(), cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    quick: QUICK,
    only: ONLY.length ? ONLY : undefined,
    repeats: REPEATS,
    durationMsPerRun: SIZES.durationMs,
  };
  const rows: Row[] = [];
  try {
    log(
      `seeding (${SIZES.historyPoints.toLocaleString('en-US')} history points, ${SIZES.trackPoints.toLocaleString('en-US')} track points)`,
    );
    const data = await seed(server, raw.pool, SIZES);
    const postgres = await raw.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    results.postgresql = postgres.rows[0].v;
    log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);

    const history = historyContestants(t, data);
    const devices = devicesContestants(t, data);
    if (want('history'))
      await checkReads(history, 100, (name, json: any) =>
        name === 'raw'
          ? json.data.locations.nodes.length
          : name === 'postgraphile'
            ? json.data.allLocationPoints.edges.length
            : json.data.device.locations.edges.length,
      );
    if (want('devices'))
      await checkReads(devices, 100, (name, json: any) =>
        name === 'raw'
          ? json.data.devices.nodes.length
          : name === 'postgraphile'
            ? json.data.allDevices.edges.length
            : json.data.devices.edges.length,
      );
    const options = (concurrency: number) => ({
      concurrency,
      durationMs: SIZES.durationMs,
      warmupMs: SIZES.warmupMs,
      repeats: REPEATS,
      countStatements: true,
    });
    const measure = async (measure: string, comparison: () => Promise<Comparison>, pointsPerRequest?: number) => {
      log(measure);
      rows.push({ measure, comparison: await comparison(), pointsPerRequest });
    };
    const historyLabel = `history page: 100 newest of ${SIZES.historyPoints.toLocaleString('en-US')} points`;
    if (want('history')) {
      await measure(`${historyLabel}, c=1`, () => compare(history, options(1)));
      await measure(`${historyLabel}, c=16`, () => compare(history, options(16)));
    }
    if (want('devices')) {
      await measure('`devices(first: 100)` + lastLocation + owner, c=1', () => compare(devices, options(1)));
      await measure('`devices(first: 100)` + lastLocation + owner, c=16', () => compare(devices, options(16)));
    }
    if (want('ingest', 'ingest500'))
      await measure('`recordLocations`, 500-point batches, 4 clients', () => compare(ingestContestants(t, data, 500), options(4)), 500);
    if (want('ingest', 'ingest1'))
      await measure('`recordLocations`, 1-point calls, 4 clients', () => compare(ingestContestants(t, data, 1), options(4)), 1);
    if (want('ingest', 'ingest500', 'ingest1')) results.ingestionStoredPoints = await storedPoints(t, data);
    if (want('track'))
      await measure(`Device.track over ${SIZES.trackPoints.toLocaleString('en-US')} points, c=1`, () =>
        compare(trackContestants(t, data), { ...options(1), durationMs: Math.max(SIZES.durationMs, 2000) }),
      );
    results.comparisons = rows;
    await closeLoad();

    const skipped: FanoutOutcome = { result: null, error: 'not run (BENCH_ONLY)' };
    let fanSingle = skipped;
    if (want('fanout', 'fanout1')) {
      log(`live fan-out: ${SIZES.subscribers} subscribers, one instance`);
      fanSingle = await measureFanout(() =>
        fanout(
          { graphqlUrl: server.graphqlUrl, wsUrl: server.wsUrl, statements: server.statements },
          data.fanout,
          data.owner.accessToken,
          SIZES.subscribers,
          REPEATS,
        ),
      );
    }
    let fanRedis = skipped;
    const pair = want('fanout', 'fanout2') ? await startRedisPair(databaseUrl, server.dataDir) : null;
    if (want('fanout', 'fanout2') && !pair) fanRedis = { result: null, error: 'Redis not reachable at 127.0.0.1:6379' };
    if (pair) {
      log(`live fan-out: ${SIZES.subscribers} subscribers on a second instance, fix recorded on the first, through Redis`);
      try {
        const [a, b] = pair;
        fanRedis = await measureFanout(() =>
          fanout(
            { graphqlUrl: a.graphqlUrl, wsUrl: b.wsUrl, statements: () => a.database.stats.statements + b.database.stats.statements },
            data.fanout,
            data.owner.accessToken,
            SIZES.subscribers,
            REPEATS,
          ),
        );
      } finally {
        await stopInstances(pair);
      }
    }
    results.fanout = { singleInstance: fanSingle, twoInstancesThroughRedis: fanRedis };

    if (want('shield')) log('permission layer price (in-process, device list)');
    const shield = want('shield') ? await shieldPrice(server, data.fleetOwner.accessToken, QUICK ? 20 : 60, REPEATS) : null;
    results.permissionLayer = shield;
    if (want('protocols') && server.app.services.plugins.includes('protocols')) {
      log('protocol routes');
      const protocolOwner = await signUp(server);
      results.protocolRoutes = await protocolRoutes(server, protocolOwner.accessToken, SIZES.osmand, SIZES.overland);
    }

    const retention = want('retention') ? await retentionScale(RETENTION_SIZES, (m) => log(`retention at scale: ${m}`)) : null;
    if (retention) results.retentionScale = retention;

    const fanLabel = `live fan-out: ${SIZES.subscribers.toLocaleString('en-US')} graphql-ws subscribers, one fix`;
    const md = table(
      rows,
      [
        { measure: `${fanLabel}, one instance`, ...fanSingle, run: want('fanout', 'fanout1') },
        { measure: `${fanLabel}, two instances through Redis`, ...fanRedis, run: want('fanout', 'fanout2') },
      ].filter((f) => f.run),
    );
    results.table = md;
    if (retention) results.retentionTable = retentionTable(retention);
    results.totalSeconds = Math.round((Date.now() - started) / 1000);
    writeArtifact(results);
    console.log(md);
    if (results.retentionTable) console.log(`\n${String(results.retentionTable)}`);
    if (shield)
      console.log(
        `\npermission layer in the device list (in-process p50): ${shield.withShieldP50ms.toFixed(1)} ms with graphql-shield, ${shield.withoutShieldP50ms.toFixed(1)} ms without`,
      );
    if (results.protocolRoutes) console.log(`protocol routes: ${JSON.stringify(results.protocolRoutes)}`);
    console.log(
      `\n${QUICK ? 'BENCH_QUICK run (small data, short runs: numbers not comparable). ' : ''}PostgreSQL ${String(results.postgresql)}, ${cpus().length} cores, Node ${process.version}; ` +
        `${REPEATS} interleaved repeats of ${SIZES.durationMs} ms each, medians; total ${String(results.totalSeconds)} s. ` +
        'Other processes on the machine share its cores: compare ratios, not absolute numbers. Details: test-artifacts/bench.json',
    );
  } finally {
    // Each step on its own: a failing one must not leave the bench database behind.
    for (const step of [
      closeLoad,
      () => peer.stop(),
      () => rawServer.stop(),
      () => raw.pool.end(),
      () => peerPool.pool.end(),
      () => server.stop(),
    ]) {
      await step().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
