/**
 * The fields of one operation, fragments expanded, each with its schema
 * definition: shared by the cost estimate and the input checks, which both
 * run before execution on HTTP, SSE and WebSocket alike.
 */
import {
  getNamedType,
  isCompositeType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map.set(d.name.value, d);
  return map;
}

export interface WalkedField {
  node: FieldNode;
  parent: GraphQLCompositeType;
  def: GraphQLField<unknown, unknown> | undefined;
  /** The composite type of the field's result (for its sub-selection), if any. */
  type: GraphQLCompositeType | undefined;
}

/**
 * Calls `visit` for each field of `selectionSet` on `parent` (fragments and
 * inline fragments flattened); `visit` decides whether and how to descend.
 */
export function eachField(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  fragments: Map<string, FragmentDefinitionNode>,
  visit: (field: WalkedField) => void,
  seen: Set<string> = new Set(),
): void {
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      const def = 'getFields' in parent ? (parent.getFields()[name] as GraphQLField<unknown, unknown> | undefined) : undefined;
      const named = def ? getNamedType(def.type) : undefined;
      visit({ node: sel, parent, def, type: named && isCompositeType(named) ? named : undefined });
    } else {
      const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel;
      if (!fragment) continue;
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        if (seen.has(sel.name.value)) continue; // cycles are a validation error; never loop here
        seen = new Set(seen).add(sel.name.value);
      }
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
      const on = condition && isCompositeType(condition) ? condition : parent;
      eachField(schema, fragment.selectionSet, on, fragments, visit, seen);
    }
  }
}

/** Variable values as execution sees them: the request's, else the operation's defaults. */
export function effectiveVariables(operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined) {
  const out: Record<string, unknown> = { ...(variables ?? {}) };
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (out[name] === undefined && def.defaultValue) out[name] = literalValue(def.defaultValue, {});
  }
  return out;
}

/** A literal argument value (variables resolved), as plain JSON-ish data. */
export function literalValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => literalValue(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalValue(f.value, variables)]));
  }
}
