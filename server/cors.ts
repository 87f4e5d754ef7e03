/**
 * Cross-origin access for browser frontends. Only the origins listed in
 * CORS_ORIGINS are allowed, without credentials (the API uses bearer tokens,
 * never cookies). Empty means no cross-origin access at all: Yoga's own
 * default would reflect any origin, which is what `false` turns off.
 */
import type { Config } from '../api/config';

export function corsOptions(config: Config) {
  if (!config.corsOrigins.length) return false as const;
  return {
    origin: config.corsOrigins,
    credentials: false,
    allowedHeaders: ['authorization', 'content-type', 'sec-gpc'],
    exposedHeaders: ['retry-after'],
  };
}
