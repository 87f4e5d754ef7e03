/**
 * The network address a request came from, for per-client limits (e.g. the
 * public inquiry form). The HTTP server notes the socket's remote address for
 * each incoming Request; code further in reads it back by the Request object.
 * Behind a reverse proxy this is the proxy's address (no X-Forwarded-For trust yet).
 */
const addresses = new WeakMap<Request, string>();

export function rememberClientAddress(request: Request, address: string | null | undefined): void {
  if (address) addresses.set(request, address);
}

/** The client's address, or 'unknown' when the request did not come through the HTTP server (then all such callers share one limit). */
export function clientAddressOf(request: Request): string {
  return addresses.get(request) ?? 'unknown';
}
