/**
 * The one decoder of Relay global ids. An id of another type, or one that
 * does not decode, is "no such object" (null here, NOT_FOUND to the client).
 */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { notFound } from './errors';

/** { typename, id } of any global id, or null when it does not decode. */
export function decodeAnyId(globalId: unknown): { typename: string; id: string } | null {
  if (typeof globalId !== 'string') return null;
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return typename && id ? { typename, id } : null;
  } catch {
    return null;
  }
}

/** The database id inside `globalId` when it names a `typename`, else null. */
export function idOf(globalId: unknown, typename: string): string | null {
  const decoded = decodeAnyId(globalId);
  return decoded?.typename === typename ? decoded.id : null;
}

/** The database id inside `globalId` (raw or decoded by Pothos), or NOT_FOUND naming the type. */
export function requireId(globalId: unknown, typename: string): string {
  const id = rawId(globalId, typename);
  if (!id) throw notFound(typename);
  return id;
}

/** Pothos decodes `t.arg.globalID` arguments to { typename, id }; rules see the raw string. Accept both. */
export function rawId(value: unknown, typename: string): string | null {
  if (value && typeof value === 'object' && 'id' in value) {
    const v = value as { typename?: string; id: unknown };
    return v.typename === typename && typeof v.id === 'string' ? v.id : null;
  }
  return idOf(value, typename);
}
