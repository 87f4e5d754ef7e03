/**
 * One GraphQL execution per live event and group of subscribers, instead of
 * one per subscriber (issue 18: 1,000 dashboards watching one device ran
 * 1,000 executions of the same selection on the same point).
 *
 * Subscribers are in one group when the result cannot differ between them:
 * the same document (object, as Yoga's parser cache returns it) and operation,
 * the same variables, the same viewer (identity, roles, status, API-key
 * scopes: rules may consult any of them) and the same access decision of
 * their stream's last check (api/sharing/live.ts keeps it current by wake-ups
 * and timers; every stream still checks on its own and ends on its own). The
 * first subscriber of a group executes with its own context; the others get
 * that result. Only `locationUpdated` operations whose selection is scalar
 * fields of LocationPoint share (nested objects could consult more than the
 * decision); any other operation, an `ended` item (its error is the
 * subscriber's own), a replayed point and a result with errors are executed
 * per subscriber, as before.
 *
 * Results are kept per event in a WeakMap on the event's point (one object
 * for every stream of the same published event, see sharedLivePoint): they go
 * when the event is delivered, so memory does not grow per event.
 */
import { execute } from '@graphql-tools/executor';
import {
  createSourceEventStream,
  getNamedType,
  isLeafType,
  isObjectType,
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../api/context';
import type { LiveItem } from '../api/sharing/live-stream';
import type { LivePointDelivery } from '../api/sharing/live';

const SHARED_FIELD = 'locationUpdated';

/** Per-event executions of shareable operations so far: run, and handed to another subscriber of the group (tests read it). */
export const liveExecutionStats = { executed: 0, reused: 0 };

/** The operation when it is `locationUpdated { <scalar fields of LocationPoint> }` (fragments allowed), else null. */
export function shareableOperation(args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName'>): OperationDefinitionNode | null {
  const operations = args.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = args.operationName
    ? operations.find((o) => o.name?.value === args.operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation || operation.operation !== 'subscription') return null;
  const fragments = new Map(
    args.document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f] as const),
  );
  const subscription = args.schema.getSubscriptionType();
  const pointType = args.schema.getType('LocationPoint');
  if (!subscription || !pointType || !isObjectType(pointType)) return null;

  const roots: SelectionSetNode[] = [];
  const rootsOk = walk(operation.selectionSet, subscription, fragments, (field) => {
    if (field.name.value !== SHARED_FIELD || !field.selectionSet) return false;
    roots.push(field.selectionSet);
    return true;
  });
  if (!rootsOk || roots.length !== 1) return null;
  const fields = pointType.getFields();
  const leaves = walk(roots[0], pointType, fragments, (field) => {
    if (field.selectionSet) return false;
    if (field.name.value === '__typename') return true;
    const def = fields[field.name.value];
    return !!def && isLeafType(getNamedType(def.type));
  });
  return leaves ? operation : null;
}

/** Every field of a selection set (through fragments on `type`) passes `ok`. */
function walk(
  set: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: Map<string, FragmentDefinitionNode>,
  ok: (field: Extract<SelectionSetNode['selections'][number], { kind: Kind.FIELD }>) => boolean,
  seen = new Set<string>(),
): boolean {
  return set.selections.every((s) => {
    if (s.kind === Kind.FIELD) return ok(s);
    if (s.kind === Kind.INLINE_FRAGMENT) {
      return (!s.typeCondition || s.typeCondition.name.value === type.name) && walk(s.selectionSet, type, fragments, ok, seen);
    }
    const fragment = fragments.get(s.name.value);
    if (!fragment || fragment.typeCondition.name.value !== type.name || seen.has(fragment.name.value)) return false;
    seen.add(fragment.name.value);
    return walk(fragment.selectionSet, type, fragments, ok, seen);
  });
}

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/** What of the viewer a rule may consult (not its session or key id: two tabs of one person share). */
function viewerKey(ctx: Context): string {
  const v = ctx.viewer;
  if (v.kind === 'account')
    return JSON.stringify(['account', v.accountId, [...v.roles].sort(), v.status, v.apiKey ? [...v.apiKey.scopes].sort() : null]);
  if (v.kind === 'device') return JSON.stringify(['device', v.deviceId, v.ownerId, v.tokenVersion]);
  return JSON.stringify([v.kind]);
}

const decisionKeys = new WeakMap<object, string>();

/** The stream's decision, as a key (memoised per decision object: a check replaces it, deliveries reuse it). */
function decisionKey(delivery: LivePointDelivery): string {
  let key = decisionKeys.get(delivery.access);
  if (key === undefined) {
    key = JSON.stringify(delivery.access);
    decisionKeys.set(delivery.access, key);
  }
  return `${key}|${delivery.locationsReadable}`;
}

interface Shared {
  result: Promise<ExecutionResult> | ExecutionResult;
  /** Set once the execution finished: later subscribers take it without waiting on a promise. */
  done?: ExecutionResult;
}

/** Per event (its shared point object): the execution of each group. */
const executions = new WeakMap<object, Map<string, Shared>>();

const isThenable = <T>(v: T | PromiseLike<T>): v is PromiseLike<T> => typeof (v as { then?: unknown } | null)?.then === 'function';

/**
 * The source stream mapped to results, like the executor's own mapping: return() reaches the source at once (an
 * async generator would wait for the pending event first, keeping an unsubscribed stream open until the next fix),
 * and a failing source is reported as a GraphQLError located at the operation.
 */
function mapStream(
  source: AsyncIterable<unknown>,
  operation: OperationDefinitionNode,
  fn: (item: unknown) => Promise<ExecutionResult> | ExecutionResult,
): AsyncIterableIterator<ExecutionResult> {
  const it = source[Symbol.asyncIterator]();
  const done = (): IteratorResult<ExecutionResult> => ({ done: true, value: undefined });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      let r: IteratorResult<unknown>;
      try {
        r = await it.next();
      } catch (e) {
        throw new GraphQLError(e instanceof Error ? e.message : String(e), { originalError: e as Error, nodes: [operation] });
      }
      if (r.done) return done();
      const value = fn(r.value);
      return { done: false, value: isThenable(value) ? await value : value };
    },
    async return() {
      await it.return?.();
      return done();
    },
    async throw(e: unknown) {
      if (it.throw) await it.throw(e);
      throw e;
    },
  };
}

export function useSharedLiveExecution(): Plugin<Record<string, unknown>> {
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const operation = shareableOperation(args);
      if (!operation) return;
      setSubscribeFn(async (subscribeArgs) => {
        const source = await createSourceEventStream(subscribeArgs as ExecutionArgs);
        // Refused (bad variables, access): the executor's own path answers, with its error shapes and codes.
        if (!(Symbol.asyncIterator in source)) return subscribeFn(subscribeArgs);
        let documentId = documentIds.get(subscribeArgs.document);
        if (documentId === undefined) documentIds.set(subscribeArgs.document, (documentId = nextDocumentId++));
        const group = `${documentId}|${subscribeArgs.operationName ?? ''}|${JSON.stringify(subscribeArgs.variableValues ?? {})}|${viewerKey(subscribeArgs.contextValue as Context)}`;
        const own = (item: unknown) => {
          liveExecutionStats.executed++;
          return execute({ ...subscribeArgs, rootValue: item }) as Promise<ExecutionResult> | ExecutionResult;
        };
        // An error is the first subscriber's to see as it is; the others execute on their own, as before.
        const reuse = (item: unknown, result: ExecutionResult) => {
          if (result.errors?.length) return own(item);
          liveExecutionStats.reused++;
          return result;
        };
        return mapStream(source, operation, (item) => {
          const live = item as LiveItem<LivePointDelivery>;
          if (live.kind !== 'event') return own(item);
          let groups = executions.get(live.value.point);
          if (!groups) executions.set(live.value.point, (groups = new Map()));
          const key = `${group}|${decisionKey(live.value)}`;
          const shared = groups.get(key);
          if (shared) return shared.done ? reuse(item, shared.done) : Promise.resolve(shared.result).then((r) => reuse(item, r));
          const result = own(item);
          const entry: Shared = { result };
          groups.set(key, entry);
          if (isThenable(result))
            void result.then(
              (r) => (entry.done = r),
              () => undefined,
            );
          else entry.done = result;
          return result;
        });
      });
    },
  };
}
