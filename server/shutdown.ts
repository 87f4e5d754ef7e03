/**
 * Graceful stop of one HTTP server: stop accepting connections, close
 * WebSockets with 1001 (going away), let in-flight requests finish, then
 * after a grace period cut what is left (long SSE streams, clients that
 * ignore the close), then run the remaining steps (jobs, tracing...).
 * Whole sequence stays well under 10 s, the usual orchestrator kill timeout.
 */
import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';

export interface ShutdownParts {
  server: Server;
  wss: WebSocketServer;
  /** graphql-ws's dispose: closes every socket with 1001 "Going away". */
  disposeWebSockets(): Promise<void>;
  /** Run after the HTTP side is closed, in order (stop jobs, flush traces, ...). */
  after: (() => Promise<void> | void)[];
  /** How long in-flight requests may take before their connections are cut (ms). */
  graceMs?: number;
}

export function gracefulStop(parts: ShutdownParts): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      const { server, wss } = parts;
      const graceMs = parts.graceMs ?? 5000;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections go now; busy ones as soon as their response is sent.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      server.closeIdleConnections();
      const sockets = [...wss.clients];
      const cut = setTimeout(() => {
        for (const s of sockets) s.terminate();
        server.closeAllConnections();
      }, graceMs);
      cut.unref();
      // Resolves once every socket has closed (ws waits for them), so it runs beside the HTTP close.
      const wsClosed = parts.disposeWebSockets().catch(() => {});
      await Promise.all([closed, wsClosed]);
      clearInterval(idleSweep);
      clearTimeout(cut);
      for (const step of parts.after) await step();
    })());
}
