/**
 * A subscription stream that re-checks access while it runs. graphql-shield
 * does not guard `subscribe`, and a grant or link can end while a stream is
 * open, so every stream here:
 * - checks once when it starts (fresh, uncached), after its subscriptions are open;
 * - re-checks at once when told access may have changed (wake-up topics such
 *   as 'access:device' and 'access:account', published by every path that
 *   can end access: revoke, logout, token rotation, restriction, erasure...);
 * - re-checks at the next scheduled change the check reports (an expiresAt),
 *   by a timer, so expiry ends the stream at that moment, not at the next point.
 * Events are NOT re-checked one by one: between checks the last decision
 * stands (the check keeps it for `map`), so delivering an event costs no SQL
 * however many subscribers there are (issue 18: 1,000 subscribers on one
 * device had waited on 3,000 statements per fix).
 * When access is gone it yields one `ended` item (the field's resolver turns
 * it into a FORBIDDEN error, so the client gets a coded error) and completes.
 */
import { Repeater } from 'graphql-yoga';
import type { AppError } from '../errors';

export type LiveItem<T> = { kind: 'event'; value: T } | { kind: 'ended'; error: AppError };

export interface CheckResult<T> {
  /** When access may change next (e.g. the soonest expiresAt); null = no scheduled change. */
  next: Date | null;
  /** Items the check itself wants to emit (e.g. grants that just expired). */
  items?: T[];
}

export interface LiveStreamOptions<E, T> {
  /** Events to forward (mapped; null skips one). */
  events: AsyncIterable<E>[];
  /**
   * Re-check before each event too: for streams whose events are rare and change what the check schedules
   * (sharingGrantChanged: a new grant's expiry). Not for location streams (no SQL per delivery).
   */
  recheckEachEvent?: boolean;
  /** Events that only trigger a re-check. */
  wakeups: AsyncIterable<unknown>[];
  /** `since` = the previous check's time. An AppError ends the stream. */
  check(now: Date, since: Date): Promise<CheckResult<T> | AppError>;
  /** The item an event delivers, from the last check's decision (no SQL here: it runs for every subscriber and event). */
  map(event: E): T | null | Promise<T | null>;
  /**
   * Resuming: items stored before the stream started that it should deliver
   * first (e.g. points since the client's `since`), oldest first. Runs once,
   * after the first access check and after the event subscriptions are open,
   * so nothing falls between the replay and the live events.
   */
  replay?(): Promise<T[]>;
  /** Identity of an item, so a live event that the replay already delivered is not sent twice. */
  key?(item: T): string;
  onError?(error: unknown): void;
}

// setTimeout takes at most a 32-bit delay; longer waits re-arm when they wake.
const MAX_DELAY_MS = 2 ** 31 - 1;

export function liveStream<E, T>(options: LiveStreamOptions<E, T>): AsyncIterableIterator<LiveItem<T>> {
  return new Repeater<LiveItem<T>>(async (push, stop) => {
    let ended = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastCheck = new Date();
    // One step at a time: events and re-checks are handled in arrival order.
    let queue: Promise<unknown> = Promise.resolve();
    const serially = (step: () => Promise<unknown>) => {
      queue = queue
        .then(() => (ended ? undefined : step()))
        .catch((e) => {
          options.onError?.(e);
          ended = true;
          stop(e);
        });
    };

    const arm = (at: Date | null) => {
      clearTimeout(timer);
      if (!at) return;
      // A few ms late rather than early: the check compares with `<=`/`>` against now.
      const delay = Math.min(Math.max(0, at.getTime() - Date.now()) + 5, MAX_DELAY_MS);
      timer = setTimeout(() => serially(recheck), delay);
    };

    const recheck = async (): Promise<boolean> => {
      const now = new Date();
      const result = await options.check(now, lastCheck);
      lastCheck = now;
      if (result instanceof Error) {
        ended = true;
        clearTimeout(timer);
        await push({ kind: 'ended', error: result });
        stop();
        return false;
      }
      for (const value of result.items ?? []) await push({ kind: 'event', value });
      arm(result.next);
      return true;
    };

    const iterators = [...options.events, ...options.wakeups].map((s) => s[Symbol.asyncIterator]());
    const pump = (it: AsyncIterator<unknown>, onValue: (v: unknown) => void) =>
      (async () => {
        for (;;) {
          const r = await it.next();
          if (r.done || ended) return;
          onValue(r.value);
        }
      })().catch((e) => options.onError?.(e));

    options.events.forEach((_, i) =>
      pump(iterators[i], (event) =>
        serially(async () => {
          if (options.recheckEachEvent && !(await recheck())) return;
          const value = await options.map(event as E);
          if (value === null) return;
          if (replayed.size && options.key && replayed.has(options.key(value))) return;
          await push({ kind: 'event', value });
        }),
      ),
    );
    iterators.slice(options.events.length).forEach((it) => pump(it, () => serially(recheck)));
    // Checked after subscribing, so a change between the caller's check and now is not missed.
    serially(recheck);
    const replayed = new Set<string>();
    if (options.replay) {
      const replay = options.replay;
      serially(async () => {
        for (const value of await replay()) {
          if (options.key) replayed.add(options.key(value));
          await push({ kind: 'event', value });
        }
      });
    }

    await stop;
    ended = true;
    clearTimeout(timer);
    await Promise.all(iterators.map((it) => it.return?.().catch(() => undefined)));
  });
}
