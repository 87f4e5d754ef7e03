/**
 * The job queue as the domain sees it: enqueue background work by name with
 * a typed payload; a plugin declares the worker (definePlugin `workers`).
 * Payload types by declaration merging, like events:
 *
 *   declare module '../../api/jobs' {
 *     interface JobPayloads { 'webhooks.deliver': { deliveryId: string } }
 *   }
 *
 * On PostgreSQL the queue is pg-boss (durable, once across instances,
 * retries with backoff); on the embedded database it is in-process.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

export interface SendOptions {
  /** Run no earlier than this many seconds from now. */
  startAfterSeconds?: number;
  /** At most one queued job with this key (per job name). */
  singletonKey?: string;
}

export interface JobQueue {
  /** Enqueues a job for the named worker; returns its id (null when a singleton key already holds one). */
  send<N extends JobName>(name: N, payload: JobPayloads[N], options?: SendOptions): Promise<string | null>;
}
