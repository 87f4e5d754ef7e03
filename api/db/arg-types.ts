/**
 * Argument types for Database.queryRows (the driver adapter converts each
 * argument by its type, e.g. a Date to PostgreSQL's timestamp text): the ones
 * the hot reads use, declared once.
 */
import type { ArgType } from '@prisma/driver-adapter-utils';

export const INT: ArgType = { scalarType: 'int', arity: 'scalar' };
export const TEXT: ArgType = { scalarType: 'string', arity: 'scalar' };
export const TIME: ArgType = { scalarType: 'datetime', arity: 'scalar' };
export const TEXTS: ArgType = { scalarType: 'string', arity: 'list' };
export const TIMES: ArgType = { scalarType: 'datetime', arity: 'list' };
