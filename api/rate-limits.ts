/**
 * Per-client limits (rate-limiter-flexible), shared by every instance through
 * Redis when REDIS_URL is set, with an in-memory insurance limiter per
 * instance so a Redis outage never blocks sign-in (limits then hold per
 * instance until Redis is back). The key is the client address (socket, or
 * X-Forwarded-For behind TRUST_PROXY trusted hops; server/limits/client-address.ts).
 *
 * - requests: every GraphQL request and WebSocket subscribe, per client per minute;
 * - signInAttempts: sign-ins per client per 15 minutes, so one client cannot
 *   spray passwords over many accounts;
 * - signInFailures: consecutive failures per (client, e-mail), blocked 15
 *   minutes; keyed with the client so a stranger's wrong guesses never lock
 *   the real owner out; a success clears it;
 * - anonymousWrites: mutations without a signed-in viewer (register, cookie
 *   choices, ...) per client per hour.
 * A refusal is RATE_LIMITED with `retryAfter` (seconds); over HTTP it is a 429 with Retry-After.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Limits } from './config';
import { rateLimited, type AppError } from './errors';
import type { RedisClients } from './redis';

export interface RateLimiters {
  requests: RateLimiterAbstract;
  signInAttempts: RateLimiterAbstract;
  signInFailures: RateLimiterAbstract;
  anonymousWrites: RateLimiterAbstract;
  /** Wrong current passwords in changePassword, per account (blocked 15 minutes after 10). */
  passwordChangeFailures: RateLimiterAbstract;
  /** Password-reset mails per address per hour. */
  passwordResets: RateLimiterAbstract;
}

export const PASSWORD_RESETS_PER_HOUR = 5;

const QUARTER_HOUR = 15 * 60;

export function createRateLimiters(limits: Limits, redis: RedisClients | null): RateLimiters {
  const make = (keyPrefix: string, points: number, duration: number, blockDuration = 0): RateLimiterAbstract => {
    const options = { keyPrefix: `rl:${keyPrefix}`, points, duration, blockDuration };
    if (!redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: redis.commands,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  };
  return {
    requests: make('requests', limits.requestsPerMinute, 60),
    signInAttempts: make('signin-attempts', limits.signInAttempts, QUARTER_HOUR),
    signInFailures: make('signin-failures', limits.signInFailures, QUARTER_HOUR, QUARTER_HOUR),
    anonymousWrites: make('anonymous-writes', limits.anonymousWrites, 3600),
    passwordChangeFailures: make('password-change-failures', 10, QUARTER_HOUR, QUARTER_HOUR),
    passwordResets: make('password-resets', PASSWORD_RESETS_PER_HOUR, 3600),
  };
}

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** RATE_LIMITED with retryAfter (seconds); Yoga turns `http` into a 429 with a Retry-After header. */
export function rateLimitedFor(retryAfter: number, message = 'Too many requests; try again later.'): AppError {
  return rateLimited(message, retryAfter);
}

/** Takes `points` from `key`; null when allowed, else the RATE_LIMITED error. */
export async function take(limiter: RateLimiterAbstract, key: string, message?: string, points = 1): Promise<AppError | null> {
  try {
    await limiter.consume(key, points);
    return null;
  } catch (e) {
    if (e instanceof RateLimiterRes) return rateLimitedFor(secondsOf(e), message);
    throw e;
  }
}

/** Null, or the RATE_LIMITED error while `key` is used up (nothing consumed). */
export async function blocked(limiter: RateLimiterAbstract, key: string, message?: string): Promise<AppError | null> {
  const res = await limiter.get(key);
  if (res && res.consumedPoints >= limiter.points && res.msBeforeNext > 0) return rateLimitedFor(secondsOf(res), message);
  return null;
}

/** Counts one against `key`, never throwing when it is already used up. */
export async function count(limiter: RateLimiterAbstract, key: string): Promise<void> {
  await limiter.consume(key).catch((e) => {
    if (!(e instanceof RateLimiterRes)) throw e;
  });
}
