/**
 * The per-client limit on public inquiries, behind one small function so the
 * shared limiter (hardening work) can replace it: rate-limiter-flexible's
 * RateLimiterMemory, one per app instance, N inquiries per address per hour.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { type AppServices, rateLimited } from '../../schema/plugin-api';
import { communicationSettings } from './config';

const limiters = new WeakMap<AppServices, RateLimiterMemory>();

/** Counts one inquiry from `clientAddress`; RATE_LIMITED when the hour's allowance is spent. */
export async function takeInquiryAllowance(app: AppServices, clientAddress: string): Promise<void> {
  let limiter = limiters.get(app);
  if (!limiter) {
    limiter = new RateLimiterMemory({ keyPrefix: 'inquiry', points: communicationSettings.of(app).inquiryRateLimit, duration: 3600 });
    limiters.set(app, limiter);
  }
  try {
    await limiter.consume(clientAddress);
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      throw rateLimited(`Too many inquiries from your address; try again in ${Math.ceil(e.msBeforeNext / 60000)} minutes.`);
    }
    throw e;
  }
}
