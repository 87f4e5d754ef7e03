/**
 * Structured JSON logs (pino) on stderr. Values under sensitive keys are
 * replaced before writing: logs never hold passwords, tokens, personal codes,
 * IBANs or precise coordinates. Errors keep their stack. `child()` gives a
 * logger with bound fields (the HTTP layer binds a request id per request).
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';

const SENSITIVE =
  /pass(word)?|token|secret|authorization|cookie|personal_?code|iban|latitude|longitude|^lat$|^lon$|^lng$|coords?|receipt|private/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const cause = (value as { cause?: unknown }).cause;
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: value.message,
      ...(code !== undefined ? { code } : {}),
      stack: value.stack,
      ...(cause !== undefined ? { cause: redact(cause, depth + 1) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines all carry `bindings` (redacted like any field). */
  child(bindings: Record<string, unknown>): Logger;
}

function wrap(p: PinoLogger): Logger {
  const log = (lvl: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(lvl)) return;
    p[lvl]((fields ? redact(fields) : {}) as object, msg);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (bindings) => wrap(p.child(redact(bindings) as Record<string, unknown>)),
  };
}

export function createLogger(level: Level | 'silent', write?: (line: string) => void): Logger {
  // Through process.stderr (synchronous for files, terminals and, on Linux, pipes), so nothing is lost at exit
  // and whoever wraps stderr (a test, a supervisor) sees every line.
  const destination = write
    ? { write: (chunk: string) => write(chunk.replace(/\n$/, '')) }
    : { write: (chunk: string) => void process.stderr.write(chunk) };
  return wrap(
    pino(
      {
        level,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    ),
  );
}
