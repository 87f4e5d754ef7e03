/**
 * The one error type the SDK throws. `code` is the contract's extensions.code
 * (or NETWORK_ERROR when no GraphQL answer arrived); `field` is the input path
 * of a BAD_USER_INPUT error, e.g. "input.points.3.latitude".
 */

export type ContractErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/**
 * NETWORK_ERROR: no answer (unreachable, connection dropped; live streams retry these themselves);
 * PROTOCOL_ERROR: the server closed the WebSocket for a protocol reason;
 * WEBSOCKET_UNAVAILABLE: subscriptions on a runtime without WebSocket (pass `webSocketImpl`).
 */
export type SdkErrorCode = ContractErrorCode | 'NETWORK_ERROR' | 'PROTOCOL_ERROR' | 'WEBSOCKET_UNAVAILABLE';

/** A GraphQL error as it arrives in a response. */
export interface GraphQLErrorInfo {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export class SdkError extends Error {
  readonly code: SdkErrorCode;
  readonly field: string | undefined;
  readonly path: readonly (string | number)[] | undefined;
  /** Every error of the response (the first one names this error). */
  readonly errors: readonly GraphQLErrorInfo[];
  /** HTTP status, when the error came over HTTP. */
  readonly status: number | undefined;

  constructor(code: SdkErrorCode, message: string, details: { field?: string; path?: readonly (string | number)[]; errors?: readonly GraphQLErrorInfo[]; status?: number } = {}) {
    super(message);
    this.name = 'SdkError';
    this.code = code;
    this.field = details.field;
    this.path = details.path;
    this.errors = details.errors ?? [];
    this.status = details.status;
  }

  static fromGraphQLErrors(errors: readonly GraphQLErrorInfo[], status?: number): SdkError {
    const first = errors[0] ?? { message: 'Unknown error.' };
    const code = (first.extensions?.code ?? 'INTERNAL_SERVER_ERROR') as SdkErrorCode;
    return new SdkError(code, first.message, { field: first.extensions?.field, path: first.path, errors, status });
  }
}

export function isSdkError(e: unknown, code?: SdkErrorCode): e is SdkError {
  return e instanceof SdkError && (code === undefined || e.code === code);
}
