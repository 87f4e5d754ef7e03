/**
 * Where webhooks may point: https only, and never at loopback, private,
 * link-local or otherwise internal addresses (checked on creation and again
 * before every delivery, against DNS rebinding). WEBHOOKS_ALLOW_PRIVATE=on
 * lifts both for tests and development.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { badInput } from '../../schema/plugin-api';

function privateV4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) return privateV4(ip);
  const v6 = ip.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}

/** BAD_USER_INPUT (field input.url) unless the URL is an allowed webhook target. */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('input.url', 'Give an absolute https:// URL.');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw badInput('input.url', 'Webhook URLs must use https.');
  if (url.username || url.password) throw badInput('input.url', 'Webhook URLs must not contain credentials.');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw badInput('input.url', `The host ${host} does not resolve.`);
  }
  if (!addresses.length || addresses.some(isPrivateAddress)) {
    throw badInput('input.url', 'Webhook URLs must not point at loopback, private or internal addresses.');
  }
  return url;
}
