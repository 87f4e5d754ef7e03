/**
 * NUL characters (U+0000) in input strings. PostgreSQL refuses them in text,
 * so they would surface as INTERNAL_SERVER_ERROR from deep inside a write.
 * Every string in an operation's arguments (literals and variable values) is
 * checked before execution and refused as BAD_USER_INPUT with its input path
 * (`input.email`). The exception is recordLocations: there one bad point must
 * not sink the batch, so its points are checked one by one by ingestion
 * (INVALID_CLIENT_ID) and the others are stored.
 */
import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badInput } from '../../api/errors';
import { findOperation } from './operation-walk';

/** Root mutation fields that validate their own strings item by item. */
const CHECKED_PER_ITEM = new Set(['recordLocations']);

const hasNul = (s: string) => s.includes('\u0000');

/** Path of the first string holding a NUL in a JSON value, e.g. "points.3.clientId". */
function nulPathInValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return hasNul(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nulPathInValue(value[i], `${path}.${i}`);
      if (p) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = hasNul(k) ? `${path}.${k}` : nulPathInValue(v, `${path}.${k}`);
      if (p) return p;
    }
  }
  return null;
}

function nulPathInLiteral(node: ValueNode, path: string, variableUses: Set<string>): string | null {
  switch (node.kind) {
    case Kind.STRING:
      return hasNul(node.value) ? path : null;
    case Kind.VARIABLE:
      variableUses.add(node.name.value);
      return null;
    case Kind.LIST:
      for (let i = 0; i < node.values.length; i++) {
        const p = nulPathInLiteral(node.values[i], `${path}.${i}`, variableUses);
        if (p) return p;
      }
      return null;
    case Kind.OBJECT:
      for (const f of node.fields) {
        const p = nulPathInLiteral(f.value, `${path}.${f.name.value}`, variableUses);
        if (p) return p;
      }
      return null;
    default:
      return null;
  }
}

/** The input path of the first NUL in the operation's arguments, or null. */
export function findNul(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
) {
  // Fast path (every request): no NUL in the query text (raw or escaped) and none in the variables.
  const body = document.loc?.source.body;
  if (body !== undefined && !body.includes('\u0000') && !/\\u0000/i.test(body) && !nulPathInValue(variables, '')) return null;
  const operation = findOperation(document, operationName);
  if (!operation) return null;
  const used = new Set<string>();
  let found: string | null = null;
  const isMutation = operation.operation === 'mutation';
  const rootFields = new Set(operation.selectionSet.selections);
  visit(document, {
    Field(node) {
      if (found) return false;
      // Arguments of a per-item-checked root field are skipped; its selection is not.
      if (isMutation && rootFields.has(node) && CHECKED_PER_ITEM.has(node.name.value)) return undefined;
      for (const arg of node.arguments ?? []) {
        found = nulPathInLiteral(arg.value, arg.name.value, used);
        if (found) return false;
      }
      return undefined;
    },
    Directive(node) {
      for (const arg of node.arguments ?? []) found ??= nulPathInLiteral(arg.value, arg.name.value, used);
    },
  });
  if (found) return found;
  for (const name of used) {
    const p = nulPathInValue(variables?.[name], name);
    if (p) return p;
  }
  return null;
}

export function rejectNulStrings(): Plugin {
  const check = (args: { document: DocumentNode; operationName?: string | null; variableValues?: unknown }) => {
    const path = findNul(args.document, args.operationName, args.variableValues as Record<string, unknown>);
    return path ? badInput(path, 'Text must not contain NUL characters (U+0000).') : null;
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
