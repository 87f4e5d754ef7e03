/**
 * Body handling on its own: the limit holds even when the sender announces no
 * length (chunked upload), and the encodings are told apart as the apps send them.
 */
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, bodyKind, readBodyText } from './http';

/** A request whose body arrives in chunks with no content-length, as a chunked upload does. */
function chunkedRequest(chunks: string[]): Request {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
  // @ts-expect-error duplex is required by Node for streamed bodies
  return new Request('http://x/ingest/owntracks', { method: 'POST', body: stream, duplex: 'half' });
}

describe('readBodyText', () => {
  it('reads a body within the limit', async () => {
    const req = chunkedRequest(['{"_type":', '"location"}']);
    expect(req.headers.get('content-length')).toBeNull();
    expect(await readBodyText(req, 1024)).toBe('{"_type":"location"}');
  });

  it('stops reading once a body without a length passes the limit', async () => {
    const req = chunkedRequest(['x'.repeat(600), 'y'.repeat(600), 'z'.repeat(600)]);
    await expect(readBodyText(req, 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('refuses an announced length over the limit without reading', async () => {
    const req = new Request('http://x/', { method: 'POST', body: 'a'.repeat(2000), headers: { 'content-length': '2000' } });
    await expect(readBodyText(req, 1024)).rejects.toThrow('larger than the limit of 1024 bytes');
    expect(req.bodyUsed).toBe(false);
  });
});

describe('bodyKind', () => {
  const kind = (contentType: string | null, text: string) =>
    bodyKind(new Request('http://x/', { method: 'POST', headers: contentType ? { 'content-type': contentType } : {} }), text);

  it('tells JSON, forms and empty bodies apart', () => {
    expect(kind('application/json; charset=utf-8', '{}')).toBe('json');
    expect(kind('application/x-www-form-urlencoded', 'lat=1')).toBe('form');
    expect(kind('application/json', '')).toBe('empty');
    expect(kind(null, '  ')).toBe('empty');
  });

  it('guesses for senders without a content type, and refuses other types', () => {
    expect(kind(null, '{"location":{}}')).toBe('json');
    expect(kind(null, 'id=1&lat=2')).toBe('form');
    expect(kind('application/xml', '<a/>')).toBe('unsupported');
  });
});
