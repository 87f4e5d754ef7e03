/**
 * HTTP plumbing shared by the protocol routes: reading a body no larger than
 * the configured limit (before any parsing), telling form from JSON, and the
 * answers the apps get.
 */
import { ProtocolInputError } from './values';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Refused before parsing (HTTP 400, code PAYLOAD_TOO_LARGE). */
export class BodyTooLargeError extends Error {
  constructor(public readonly limit: number) {
    super(`The request body is larger than the limit of ${limit} bytes; send fewer points per request.`);
    this.name = 'BodyTooLargeError';
  }
}

/** The raw body as text, reading at most `limit` bytes; an announced or actual larger body is refused. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const announced = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(announced) && announced > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

export type BodyKind = 'empty' | 'json' | 'form';

/** Which of the accepted encodings the body is in; anything else is refused (HTTP 415). */
export function bodyKind(request: Request, text: string): BodyKind | 'unsupported' {
  if (text.trim() === '') return 'empty';
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  // Some trackers send JSON or a form without a content type.
  if (type === '' || type === 'text/plain') return /^\s*[[{]/.test(text) ? 'json' : 'form';
  return 'unsupported';
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolInputError('body', 'The body is not valid JSON.');
  }
}

export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** Every refusal has the same shape: a contract-style code and a sentence for a person. */
export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return jsonResponse({ error: { code, message, ...extra } }, status, headers);
}
