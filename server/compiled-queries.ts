/**
 * Hot queries run compiled (graphql-jit) instead of interpreted field by
 * field: a history page is about 900 field executions, and the interpreter's
 * bookkeeping per field was a fifth of the request's CPU (issue 18).
 *
 * Only where the answer is graphql-js's answer:
 * - queries only: mutations keep the interpreter's serial execution and
 *   subscriptions the shared live execution (server/live-sharing.ts);
 * - variables are coerced by graphql-js first: a variable of the wrong type
 *   gets the interpreter's BAD_USER_INPUT error, never the compiler's;
 * - a document is compiled only once it has run `hotAfter` times (tiering:
 *   GRAPHQL_COMPILE_AFTER), so a client sending ever new documents never
 *   makes the server compile, and at most MAX_COMPILED compiled documents are
 *   kept (least recently used go); one the compiler refuses stays interpreted;
 * - errors are reported as graphql-js reports them (errorsAsGraphqlJs): where
 *   non-null fields fail under one nullable parent, graphql-js reports the
 *   first and the compiler all of them.
 * The same field resolvers, rules (graphql-shield and the per-object
 * decisions) and scalars run either way; test/compiled-queries.test.ts
 * compares the two executors' answers.
 */
import {
  getNamedType,
  GraphQLNonNull,
  GraphQLString,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

const TYPENAME = new GraphQLNonNull(GraphQLString);

/** Compiled documents kept. */
export const MAX_COMPILED = 500;

type Compiled = { query: CompiledQuery['query']; operation: OperationDefinitionNode } | 'interpreted';

interface ExecuteArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  rootValue?: unknown;
  contextValue?: unknown;
  variableValues?: Record<string, unknown> | null;
}

export type QueryExecutor = 'compiled' | 'interpreted';

export interface CompiledQueriesOptions {
  /** Executions before compiling (tests: 0 compiles every query on its first run). */
  hotAfter: number;
  /** Told for each query execution which executor ran it (the metric graphql_query_executions_total). */
  countQuery?: (executor: QueryExecutor) => void;
}

export function useCompiledQueries({ hotAfter, countQuery }: CompiledQueriesOptions): Plugin {
  const count = countQuery ?? (() => {});
  /** Runs per document (Yoga's parser cache hands out one document object per query text). */
  const runs = new WeakMap<DocumentNode, number>();
  /** Compiled per document and operation name, in order of last use. */
  const compiled = new Map<DocumentNode, Map<string, Compiled>>();

  const compiledFor = (args: ExecuteArgs, operation: OperationDefinitionNode): Compiled => {
    const key = args.operationName ?? '';
    let byName = compiled.get(args.document);
    if (byName) {
      compiled.delete(args.document);
      compiled.set(args.document, byName);
    } else {
      if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
      compiled.set(args.document, (byName = new Map()));
    }
    let entry = byName.get(key);
    if (!entry) {
      const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
      entry = isCompiledQuery(result) ? { query: result.query, operation } : 'interpreted';
      byName.set(key, entry);
    }
    return entry;
  };

  /** The compiled query for this execution, or 'interpreted' (not hot yet, variables graphql-js refuses, compiler refused). */
  const hotEntry = (a: ExecuteArgs, operation: OperationDefinitionNode): Compiled => {
    const n = (runs.get(a.document) ?? 0) + 1;
    runs.set(a.document, n);
    if (n <= hotAfter) return 'interpreted';
    const coerced = getVariableValues(a.schema, operation.variableDefinitions ?? [], a.variableValues ?? {}, { maxErrors: 1 });
    if ('errors' in coerced && coerced.errors) return 'interpreted';
    return compiledFor(a, operation);
  };

  return {
    onExecute({ args, setExecuteFn }) {
      const a = args as unknown as ExecuteArgs;
      const operation = getOperationAST(a.document, a.operationName ?? undefined);
      if (operation?.operation !== 'query') return;
      const entry = hotEntry(a, operation);
      count(entry === 'interpreted' ? 'interpreted' : 'compiled');
      if (entry === 'interpreted') return;
      setExecuteFn((async (run: ExecuteArgs) => {
        const result = await entry.query(run.rootValue, run.contextValue, run.variableValues ?? {});
        return errorsAsGraphqlJs(result, run.schema, run.document, entry.operation);
      }) as never);
    },
  };
}

/**
 * The result as graphql-js reports it:
 * - a failing non-null field nulls its nearest nullable ancestor (or the
 *   whole data); graphql-js reports one error per ancestor so nulled (the
 *   first), the compiler one per failing field;
 * - each error is graphql-js's GraphQLError with its field's nodes, as
 *   graphql-js locates it (the compiler's own error class carries no nodes,
 *   so masking would drop the locations);
 * - `errors` comes before `data`, as graphql-js builds the response.
 * Errors of nullable fields are all kept; an error this cannot place in the
 * operation is kept as it is.
 */
export function errorsAsGraphqlJs(
  result: ExecutionResult,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): ExecutionResult {
  const errors = result.errors;
  if (!errors?.length) return result;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = schema.getRootType(operation.operation);
  const nulled = new Set<string>();
  const kept: GraphQLError[] = [];
  for (const error of errors) {
    const path = error.path;
    const placed = path && root ? walkPath(path, root, [operation.selectionSet], fragments, schema) : null;
    if (!path || !placed) {
      kept.push(error);
      continue;
    }
    // As graphql-js's locatedError builds it: the field's nodes (masking reads their locations), the thrown error.
    const located = new GraphQLError(error.message, {
      nodes: placed.fieldNodes,
      path,
      originalError: error.originalError ?? undefined,
      extensions: error.extensions,
    });
    const { nullable } = placed;
    if (nullable[nullable.length - 1]) {
      kept.push(located);
      continue;
    }
    let j = nullable.length - 2;
    while (j >= 0 && !nullable[j]) j--;
    const target = JSON.stringify(path.slice(0, j + 1));
    if (nulled.has(target)) continue;
    nulled.add(target);
    kept.push(located);
  }
  const { errors: _errors, data, ...rest } = result;
  return { errors: kept, data, ...rest };
}

interface Placed {
  /** For each step of the path, whether the value there may be null. */
  nullable: boolean[];
  /** The field nodes of the path's last field (its locations). */
  fieldNodes: FieldNode[];
}

/** Follows a response path through the operation (aliases, fragments); null when it leaves it. */
function walkPath(
  path: readonly (string | number)[],
  rootType: GraphQLOutputType,
  rootSelections: readonly SelectionSetNode[],
  fragments: Map<string, FragmentDefinitionNode>,
  schema: GraphQLSchema,
): Placed | null {
  const nullable: boolean[] = [];
  let type: GraphQLOutputType = rootType;
  let selections = rootSelections;
  let fieldNodes: FieldNode[] = [];
  for (const step of path) {
    if (typeof step === 'number') {
      const list = getNullableType(type);
      if (!isListType(list)) return null;
      type = list.ofType as GraphQLOutputType;
      nullable.push(!isNonNullType(type));
      continue;
    }
    const found = fieldsAt(step, getNamedType(type).name, selections, fragments, schema);
    if (!found) return null;
    ({ type, fieldNodes } = found);
    selections = fieldNodes.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
    nullable.push(!isNonNullType(type));
  }
  return { nullable, fieldNodes };
}

/** The fields under response key `key` in these selection sets (through fragments), with the type of the first. */
function fieldsAt(
  key: string,
  parentName: string,
  sets: readonly SelectionSetNode[],
  fragments: Map<string, FragmentDefinitionNode>,
  schema: GraphQLSchema,
): { type: GraphQLOutputType; fieldNodes: FieldNode[] } | null {
  let type: GraphQLOutputType | null = null;
  const fieldNodes: FieldNode[] = [];
  const visit = (set: SelectionSetNode, typeName: string) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if ((s.alias?.value ?? s.name.value) !== key) continue;
        fieldNodes.push(s);
        if (s.name.value === '__typename') type ??= TYPENAME;
        const owner = schema.getType(typeName);
        if (isObjectType(owner) || isInterfaceType(owner)) type ??= owner.getFields()[s.name.value]?.type ?? null;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        visit(s.selectionSet, s.typeCondition?.name.value ?? typeName);
      } else {
        const f = fragments.get(s.name.value);
        if (f) visit(f.selectionSet, f.typeCondition.name.value);
      }
    }
  };
  for (const set of sets) visit(set, parentName);
  return type ? { type, fieldNodes } : null;
}
