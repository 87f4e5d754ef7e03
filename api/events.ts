/**
 * Domain events. Core declares its own in CoreEvents; a plugin declares its
 * events by name in definePlugin({ events }) and their payload types by
 * declaration merging into PluginEvents (see plugins/marketing/events.ts).
 * Plugins react to events through hooks (declared in their definePlugin entry). Handlers run in order and are awaited; when the
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
  /**
   * Emitted after the points are committed, without a transaction (ingestion stores them in one statement); writes that
   * must commit with the points go through `extensions.locationOutboxes` (api/context.ts).
   */
  'location.recorded': { deviceId: string; ownerId: string; pointIds: string[]; count: number };
  'consent.changed': { accountId: string; purpose: string; granted: boolean; recordId: string };
  'sharing.changed': { grantId: string; deviceId: string; ownerId: string; granteeId: string | null };
  /**
   * The person objected to processing (GDPR art. 21). Without `purpose`: to all marketing and
   * legitimate-interest processing; with it: to that one purpose of the register (e.g. MARKETING_SIMILAR_PRODUCTS).
   */
  'processing.objected': { accountId: string; purpose?: string | null };
  /** Customer personal data was read or changed by someone other than its owner. */
  'data.accessed': { subjectAccountId: string; action: string; details?: Record<string, unknown> };
}

/** Events that plugins declare (declaration merging): `declare module '../../api/events' { interface PluginEvents {...} }`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PluginEvents {}

export type AllEvents = CoreEvents & PluginEvents;
export type EventName = keyof AllEvents;

export const CORE_EVENT_NAMES: readonly (keyof CoreEvents)[] = [
  'account.registered',
  'account.deleting',
  'account.deleted',
  'account.active',
  'device.registered',
  'device.removed',
  'location.recorded',
  'consent.changed',
  'sharing.changed',
  'processing.objected',
  'data.accessed',
];

export interface EventMeta {
  actor: Actor;
  /** Present when the event is part of a database transaction. */
  tx?: Tx;
  /** Free-form request context a plugin may use (e.g. the open access case). */
  context?: unknown;
}

export type EventHandler<E extends EventName> = (payload: AllEvents[E], meta: EventMeta) => Promise<void> | void;

export class EventBus {
  private handlers = new Map<EventName, EventHandler<EventName>[]>();
  private readonly declared = new Set<string>(CORE_EVENT_NAMES);

  /** Declares plugin events (done by the app for every enabled plugin's `events`). */
  declare(names: readonly string[]) {
    for (const name of names) {
      if (this.declared.has(name)) throw new Error(`event ${name} is declared twice`);
      this.declared.add(name);
    }
  }

  isDeclared(name: string): boolean {
    return this.declared.has(name);
  }

  on<E extends EventName>(name: E, handler: EventHandler<E>): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as EventHandler<EventName>);
    this.handlers.set(name, list);
    return () => {
      const i = list.indexOf(handler as EventHandler<EventName>);
      if (i >= 0) list.splice(i, 1);
    };
  }

  async emit<E extends EventName>(name: E, payload: AllEvents[E], meta: EventMeta): Promise<void> {
    if (!this.declared.has(name)) throw new Error(`event ${String(name)} is not declared by core or by an enabled plugin`);
    for (const handler of this.handlers.get(name) ?? []) await handler(payload, meta);
  }
}
