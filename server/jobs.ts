/**
 * Runs background work: the plugins' scheduled jobs (`jobs`, every N
 * seconds) and queued jobs (`workers`, fed by `app.jobs.send`).
 *
 * PostgreSQL: pg-boss in its own schema (JOBS_SCHEMA, default pgboss).
 * Each schedule has fixed time slots (slot = floor(now / interval)); every
 * instance offers the current slot's job with a pg-boss singleton, so one
 * job exists per slot however many instances run, and a restart neither
 * repeats a slot (its job row is kept) nor skips the current one. A queue
 * runs one job at a time (policy "singleton"); failures retry with
 * exponential backoff (JOB_RETRY_LIMIT, default 3).
 * Embedded database (one instance): the same slots and retries in-process.
 * Core's own jobs (core-jobs.ts, queues `core.<job>`) run beside the plugins'.
 */
import { PgBoss } from 'pg-boss';
import type { AppServices } from '../api/context';
import type { JobName, JobPayloads, JobQueue, SendOptions } from '../api/jobs';
import type { Logger } from '../api/logger';
import type { PluginDefinition } from '../schema/plugin-api';
import type { Metrics } from './observability/metrics';
import { coreJobs } from './core-jobs';

interface Schedule {
  queue: string;
  everySeconds: number;
  run(app: AppServices): Promise<unknown>;
}
interface Worker {
  queue: string;
  work(app: AppServices, payload: unknown): Promise<unknown>;
}

export interface JobEngine extends JobQueue {
  readonly kind: 'pg-boss' | 'in-process';
  /** Starts workers and schedules (the server does; CLI commands only enqueue). */
  start(app: AppServices, metrics?: Metrics): Promise<void>;
  /** Stops taking work and waits (up to a few seconds) for running jobs. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

const RETRY_DELAY_SECONDS = 2;
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export function scheduledQueue(plugin: string, job: string): string {
  return `${plugin}.${job}`;
}

/** The schedule slot a moment falls in (its start, in whole seconds since the epoch). */
export function slotOf(nowMs: number, everySeconds: number): number {
  return Math.floor(nowMs / 1000 / everySeconds) * everySeconds;
}

function declared(plugins: PluginDefinition[], services: AppServices) {
  const schedules: Schedule[] = [];
  const workers: Worker[] = [];
  // Core's jobs first; the plugin list is read at start (the array the app holds, not a copy).
  for (const plugin of [coreJobs, ...plugins]) {
    for (const job of plugin.jobs ?? []) {
      const every = typeof job.everySeconds === 'function' ? job.everySeconds(services) : job.everySeconds;
      if (every && every > 0) schedules.push({ queue: scheduledQueue(plugin.name, job.name), everySeconds: every, run: job.run });
    }
    for (const w of plugin.workers ?? []) workers.push({ queue: w.name, work: w.work });
  }
  return { schedules, workers };
}

function jobsEnabled(config: AppServices['config']): boolean {
  const setting = config.raw.JOBS?.trim().toLowerCase();
  if (setting === 'off') return false;
  if (setting === 'on') return true;
  return config.env !== 'test';
}

function retryLimit(config: AppServices['config']): number {
  const n = Number(config.raw.JOB_RETRY_LIMIT ?? 3);
  return Number.isInteger(n) && n >= 0 && n <= 20 ? n : 3;
}

/** The engine for this app's database. Nothing runs until start(). */
export function createJobEngine(config: AppServices['config'], plugins: PluginDefinition[], logger: Logger): JobEngine {
  return config.databaseUrl ? pgBossEngine(config, plugins, logger) : inProcessEngine(config, plugins, logger);
}

async function timed(metrics: Metrics | undefined, queue: string, log: Logger, run: () => Promise<unknown>) {
  try {
    await run();
    metrics?.jobRuns.inc({ job: queue, outcome: 'ok' });
  } catch (e) {
    metrics?.jobRuns.inc({ job: queue, outcome: 'failed' });
    log.error('job failed', { job: queue, error: e });
    throw e;
  }
}

function pgBossEngine(config: AppServices['config'], plugins: PluginDefinition[], logger: Logger): JobEngine {
  const schema = config.raw.JOBS_SCHEMA?.trim() || 'pgboss';
  if (!SCHEMA.test(schema)) throw new Error(`JOBS_SCHEMA must be a lowercase SQL identifier (got "${schema}")`);
  const boss = new PgBoss({ connectionString: config.databaseUrl!, schema, application_name: 'location-platform-jobs' });
  boss.on('error', (e) => logger.error('job engine error', { error: e }));
  const limit = retryLimit(config);
  let started: Promise<void> | undefined;
  const queues = new Set<string>();
  const ensureStarted = () => (started ??= boss.start().then(() => undefined));
  const ensureQueue = async (name: string) => {
    if (queues.has(name)) return;
    await ensureStarted();
    await boss.createQueue(name, {
      policy: 'singleton',
      retryLimit: limit,
      retryDelay: RETRY_DELAY_SECONDS,
      retryBackoff: true,
      retryDelayMax: 300,
    });
    queues.add(name);
  };
  const timers: NodeJS.Timeout[] = [];
  let running = false;

  return {
    kind: 'pg-boss',
    async send<N extends JobName>(name: N, payload: JobPayloads[N], options: SendOptions = {}) {
      await ensureQueue(name);
      return boss.send(name, (payload ?? {}) as object, {
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      });
    },
    async start(services, metrics) {
      if (!jobsEnabled(config) || running) return;
      running = true;
      const { schedules, workers } = declared(plugins, services);
      for (const s of schedules) {
        await ensureQueue(s.queue);
        await boss.work(s.queue, { pollingIntervalSeconds: Math.min(2, Math.max(0.5, s.everySeconds / 4)) }, async () => {
          await timed(metrics, s.queue, logger, () => s.run(services));
        });
        const offer = async () => {
          if (!running) return;
          const slot = slotOf(Date.now(), s.everySeconds);
          try {
            // One job per slot across instances: pg-boss keeps (queue, time slot) unique (singletonSeconds).
            await boss.send(s.queue, { slot }, { singletonSeconds: s.everySeconds });
          } catch (e) {
            logger.warn('could not offer scheduled job', { job: s.queue, error: e });
          }
        };
        await offer();
        const timer = setInterval(offer, Math.max(500, Math.min(s.everySeconds * 250, 15_000)));
        timer.unref();
        timers.push(timer);
      }
      for (const w of workers) {
        await ensureQueue(w.queue);
        await boss.work(w.queue, { pollingIntervalSeconds: 1 }, async (jobs) => {
          for (const job of jobs) await timed(metrics, w.queue, logger, () => w.work(services, job.data));
        });
      }
    },
    async stop() {
      running = false;
      timers.splice(0).forEach(clearInterval);
      if (started) await boss.stop({ graceful: true, timeout: 4000, close: false }).catch(() => {});
    },
    async close() {
      running = false;
      timers.splice(0).forEach(clearInterval);
      if (started) await boss.stop({ graceful: false, close: true, timeout: 1000 }).catch(() => {});
      started = undefined;
    },
  };
}

function inProcessEngine(config: AppServices['config'], plugins: PluginDefinition[], logger: Logger): JobEngine {
  const limit = retryLimit(config);
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  const pending: { queue: string; payload: unknown; at: number }[] = [];
  let handlers = new Map<string, (payload: unknown) => Promise<unknown>>();
  let running = false;
  let metrics: Metrics | undefined;
  let counter = 0;

  /** Runs a job now, retrying with exponential backoff; one run per queue at a time. */
  const busy = new Set<string>();
  const execute = (queue: string, payload: unknown, attempt = 0): void => {
    const handler = handlers.get(queue);
    if (!running || !handler) return void pending.push({ queue, payload, at: Date.now() });
    if (busy.has(queue)) return later(() => execute(queue, payload, attempt), 500);
    busy.add(queue);
    const p = timed(metrics, queue, logger, () => handler(payload))
      .catch(() => {
        if (attempt < limit) later(() => execute(queue, payload, attempt + 1), Math.min(300, RETRY_DELAY_SECONDS * 2 ** attempt) * 1000);
      })
      .finally(() => {
        busy.delete(queue);
        inFlight.delete(p);
      });
    inFlight.add(p);
  };
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };

  return {
    kind: 'in-process',
    async send(name, payload, options = {}) {
      const id = `local-${++counter}`;
      if (options.startAfterSeconds) later(() => execute(name, payload), options.startAfterSeconds * 1000);
      else queueMicrotask(() => execute(name, payload));
      return id;
    },
    async start(services, m) {
      if (!jobsEnabled(config) || running) return;
      running = true;
      metrics = m;
      const { schedules, workers } = declared(plugins, services);
      handlers = new Map();
      for (const w of workers) handlers.set(w.queue, (payload) => w.work(services, payload));
      for (const s of schedules) {
        handlers.set(s.queue, () => s.run(services));
        let lastSlot = slotOf(Date.now(), s.everySeconds);
        const t = setInterval(
          () => {
            const slot = slotOf(Date.now(), s.everySeconds);
            if (slot === lastSlot) return;
            lastSlot = slot;
            execute(s.queue, { slot });
          },
          Math.max(250, Math.min(s.everySeconds * 250, 15_000)),
        );
        t.unref();
        timers.add(t);
      }
      for (const job of pending.splice(0)) execute(job.queue, job.payload);
    },
    async stop() {
      running = false;
      timers.forEach((t) => clearTimeout(t));
      timers.clear();
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 4000).unref())]);
    },
    async close() {
      await this.stop();
    },
  };
}

/** Starts the app's job engine for a running server; returns how to stop it. */
export async function startJobs(app: { services: AppServices; jobs: JobEngine }, metrics?: Metrics): Promise<{ stop(): Promise<void> }> {
  await app.jobs.start(app.services, metrics);
  return { stop: () => app.jobs.stop() };
}
