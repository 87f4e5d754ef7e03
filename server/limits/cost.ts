/**
 * Operation cost, estimated before execution from the real list bounds: a
 * connection field multiplies the cost of what it selects by its page size
 * (`first`/`last` from literals OR variables, else the field's default), so
 * `devices(first: $n) { locations(first: $n) }` costs n x n. Heavy fields
 * (tracks) have a fixed price. Over QUERY_MAX_COST (default 20,000: one page
 * of 500 points with every field is about 6,500) the operation is refused
 * with QUERY_TOO_COMPLEX, its cost and the limit, before any resolver runs.
 * Runs as an envelop plugin on execute and subscribe, so HTTP, SSE and
 * WebSocket operations get the same limit.
 */
import { GraphQLError, isListType, isNonNullType, isLeafType, getNamedType, type GraphQLSchema, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { eachField, effectiveVariables, findOperation, fragmentsOf, literalValue, type WalkedField } from './operation-walk';

/** Largest page of any connection (api/locations/history.ts MAX_PAGE_SIZE; larger is refused as BAD_USER_INPUT). */
export const MAX_PAGE = 500;
/** Page size assumed when a connection gets neither first nor last (the largest default page). */
export const DEFAULT_PAGE = 50;
/** Items assumed in a plain list field (grants, share links of one device...). */
export const LIST_ESTIMATE = 10;
/** Fields whose work does not show in their selection: price per call, whatever they select. */
export const FIXED_COSTS: Record<string, number> = {
  'Device.track': 5000, // up to 100,000 points read and simplified
  'SharedLocation.recentTrack': 500, // up to 5,000 points
};

const tooComplex = (cost: number, limit: number) =>
  new GraphQLError(`Operation is too complex: its estimated cost ${cost} is over the limit of ${limit}. Ask for smaller pages.`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit },
  });

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
): number {
  const operation = findOperation(document, operationName);
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = fragmentsOf(document);
  const variables = effectiveVariables(operation, rawVariables);

  const costOf = (field: WalkedField): number => {
    if (field.node.name.value.startsWith('__')) return 0; // introspection is governed by INTROSPECTION
    if (!field.def) return 1;
    const fixed = FIXED_COSTS[`${field.parent.name}.${field.def.name}`];
    if (fixed !== undefined) return fixed;
    if (!field.type || !field.node.selectionSet) return 1;
    let inner = 0;
    eachField(schema, field.node.selectionSet, field.type, fragments, (f) => (inner += costOf(f)));
    return 1 + multiplier(field, variables) * inner;
  };

  let total = 0;
  eachField(schema, operation.selectionSet, root, fragments, (f) => (total += costOf(f)));
  return total;
}

function multiplier(field: WalkedField, variables: Record<string, unknown>): number {
  const def = field.def!;
  const args = new Map(def.args.map((a) => [a.name, a]));
  if (args.has('first') || args.has('last')) {
    const given = ['first', 'last'].map((name) => {
      const node = field.node.arguments?.find((a) => a.name.value === name);
      const value = node ? literalValue(node.value, variables) : args.get(name)?.defaultValue;
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    });
    const n = given[0] ?? given[1] ?? DEFAULT_PAGE;
    return Math.min(Math.max(0, n), MAX_PAGE);
  }
  // A connection's edges are already counted by the connection field's page size.
  if ('getFields' in field.parent && 'pageInfo' in field.parent.getFields()) return 1;
  const type = isNonNullType(def.type) ? def.type.ofType : def.type;
  if (isListType(type) && !isLeafType(getNamedType(type))) return LIST_ESTIMATE;
  return 1;
}

/** Refuses operations over `limit` before execution (HTTP, SSE and WebSocket). */
export function costLimit(limit: number): Plugin {
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: unknown }) => {
    const cost = operationCost(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown>);
    return cost > limit ? tooComplex(cost, limit) : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
