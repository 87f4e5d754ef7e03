/**
 * Core domain events. Plugins react to them through hooks (declared in their
 * definePlugin entry). Handlers run in order and are awaited; when the
 * emitter passes a transaction, handlers write within it, so their effects
 * (audit entries, cascades) commit or roll back with the change itself.
 */
import type { Prisma } from '../generated/prisma/client';

export type Tx = Prisma.TransactionClient;

export interface Actor {
  kind: 'CUSTOMER' | 'STAFF' | 'DEVICE' | 'SYSTEM';
  accountId: string | null;
  deviceId?: string | null;
}

export interface CoreEvents {
  'account.registered': { accountId: string; email: string };
  /** Emitted inside the deleting transaction, before the account row goes. */
  'account.deleting': { accountId: string; reason: 'request' | 'erasure' | 'inactivity' | string };
  'account.deleted': { accountId: string; reason: string };
  /** Any authenticated activity of the account or its devices. */
  'account.active': { accountId: string; at: Date };
  'device.registered': { deviceId: string; ownerId: string };
  'device.removed': { deviceId: string; ownerId: string; deletedLocations: number };
  'location.recorded': { deviceId: string; ownerId: string; pointIds: string[]; count: number };
  'consent.changed': { accountId: string; purpose: string; granted: boolean; recordId: string };
  'sharing.changed': { grantId: string; deviceId: string; ownerId: string; granteeId: string | null };
  /** The person objected to processing (GDPR art. 21): marketing and legitimate-interest processing stop. */
  'processing.objected': { accountId: string };
  /** Customer personal data was read or changed by someone other than its owner. */
  'data.accessed': { subjectAccountId: string; action: string; details?: Record<string, unknown> };
  /** Marketing plugin: an opt-out was stored (effective at once). */
  'marketing.optedOut': { accountId: string; optOutId: string; scope: string; channel: string | null; via: string };
}

export type EventName = keyof CoreEvents;

export interface EventMeta {
  actor: Actor;
  /** Present when the event is part of a database transaction. */
  tx?: Tx;
  /** Free-form request context a plugin may use (e.g. the open access case). */
  context?: unknown;
}

export type EventHandler<E extends EventName> = (payload: CoreEvents[E], meta: EventMeta) => Promise<void> | void;

export class EventBus {
  private handlers = new Map<EventName, EventHandler<EventName>[]>();

  on<E extends EventName>(name: E, handler: EventHandler<E>): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as EventHandler<EventName>);
    this.handlers.set(name, list);
    return () => {
      const i = list.indexOf(handler as EventHandler<EventName>);
      if (i >= 0) list.splice(i, 1);
    };
  }

  async emit<E extends EventName>(name: E, payload: CoreEvents[E], meta: EventMeta): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) await handler(payload, meta);
  }
}
