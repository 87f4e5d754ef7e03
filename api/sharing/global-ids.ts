/** Relay global ids of a given type; anything else is treated as "no such object". */
import { decodeGlobalID } from '@pothos/plugin-relay';

/** The database id inside `globalId` when it names a `typename`, else null. */
export function idOf(globalId: unknown, typename: string): string | null {
  if (typeof globalId !== 'string') return null;
  try {
    const decoded = decodeGlobalID(globalId);
    return decoded.typename === typename ? decoded.id : null;
  } catch {
    return null;
  }
}

/** Pothos decodes `t.arg.globalID` arguments to { typename, id }; rules see the raw string. Accept both. */
export function rawId(value: unknown, typename: string): string | null {
  if (value && typeof value === 'object' && 'id' in value) {
    const v = value as { typename?: string; id: unknown };
    return v.typename === typename && typeof v.id === 'string' ? v.id : null;
  }
  return idOf(value, typename);
}
