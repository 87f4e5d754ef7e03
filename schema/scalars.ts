import { GraphQLError, Kind, type ValueNode } from 'graphql';
import type { Builder } from './builder';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) {
    throw new GraphQLError('DateTime must be an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00.000Z', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw new GraphQLError(`Not a valid date-time: ${value}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return d;
}

function literalToJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    default:
      throw new GraphQLError('Variables are not allowed inside JSON literals');
  }
}

export function addScalars(builder: Builder) {
  builder.scalarType('DateTime', {
    description: 'ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00.000Z.',
    serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(v as string).toISOString()),
    parseValue: parseDateTime,
    parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
  });
  builder.scalarType('JSON', {
    description: 'Arbitrary JSON value (used for GeoJSON and exports).',
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: literalToJson,
  });
}
