/**
 * The client's address, the key of every per-client limit. It is the socket's
 * peer address, unless TRUST_PROXY says how many reverse proxies of ours sit in
 * front: then it is read from X-Forwarded-For, counting that many hops from
 * the right (entries further left are written by the client and can be forged).
 */
import type { IncomingMessage } from 'node:http';

const normalize = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

export function clientAddress(req: IncomingMessage | undefined, trustProxy: number): string {
  const peer = normalize(req?.socket?.remoteAddress ?? 'unknown');
  if (!trustProxy || !req) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map(normalize).filter(Boolean);
  // The chain as our last proxy sees it: what it was told, then who told it.
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustProxy)];
}
