/**
 * The contract's error codes. Every error a client sees is one of these;
 * anything else is masked as INTERNAL_SERVER_ERROR by Yoga.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  /** The purchase needs the buyer's identity checked first (billing: plans that require it). */
  | 'IDENTITY_VERIFICATION_REQUIRED'
  | 'INTERNAL_SERVER_ERROR';

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const unauthenticated = (message = 'Sign in first.') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You may not do this.') => new AppError('FORBIDDEN', message);
export const notFound = (what = 'Object') => new AppError('NOT_FOUND', `${what} not found.`);
export const conflict = (message: string) => new AppError('CONFLICT', message);
/** `retryAfter` in seconds; over HTTP also the status 429 and a Retry-After header (the `http` extension is Yoga's, never sent). */
export const rateLimited = (message = 'Too many requests; try again later.', retryAfter?: number) =>
  new AppError(
    'RATE_LIMITED',
    message,
    retryAfter === undefined ? {} : { retryAfter, http: { status: 429, headers: { 'Retry-After': String(retryAfter) } } },
  );
export const identityVerificationRequired = (message: string) => new AppError('IDENTITY_VERIFICATION_REQUIRED', message);
/** `field` is the input path, e.g. "input.points.3.latitude". */
export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, { field });

export function isAppError(e: unknown): e is AppError {
  return e instanceof GraphQLError && typeof e.extensions?.code === 'string';
}
