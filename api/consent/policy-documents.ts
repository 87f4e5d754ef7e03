/**
 * Policy documents (privacy policy, cookie policy): publishing a version's
 * text per locale, its content hash, and the public address the API serves it
 * at. A published text never changes: a new text is a new version.
 */
import { createHash } from 'node:crypto';
import type { Locale, PolicyKind } from '../../generated/prisma/enums';
import { Prisma, type PolicyDocument } from '../../generated/prisma/client';
import type { AppServices } from '../context';
import { badInput, conflict } from '../errors';
import type { Tx } from '../events';

export const POLICY_KINDS: PolicyKind[] = ['PRIVACY_POLICY', 'COOKIE_POLICY'];
export const POLICY_LOCALES: Locale[] = ['LV', 'EN', 'RU'];
const VERSION = /^[\w.-]{1,40}$/;
/** Large enough for any real policy, small enough to refuse a pasted binary. */
export const MAX_POLICY_TEXT_BYTES = 512 * 1024;

export interface PublishPolicyInput {
  kind: PolicyKind;
  version: string;
  locale: Locale;
  /** Markdown. */
  text: string;
  effectiveAt?: Date | null;
}

export const contentHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** URL path segment of a kind: PRIVACY_POLICY -> privacy-policy. */
export const kindSlug = (kind: PolicyKind) => kind.toLowerCase().replace(/_/g, '-');

/** The path the API serves a document's text at. */
export const policyPath = (d: Pick<PolicyDocument, 'kind' | 'version' | 'locale'>) =>
  `/policies/${kindSlug(d.kind)}/${encodeURIComponent(d.version)}/${d.locale.toLowerCase()}`;

/** Parses /policies/{kind}/{version}/{locale} (kind as privacy-policy or PRIVACY_POLICY, any case); null if not one. */
export function parsePolicyPath(pathname: string): { kind: PolicyKind; version: string; locale: Locale } | null {
  const m = /^\/policies\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  const kind = m[1].toUpperCase().replace(/-/g, '_') as PolicyKind;
  const locale = m[3].toUpperCase() as Locale;
  let version: string;
  try {
    version = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  if (!POLICY_KINDS.includes(kind) || !POLICY_LOCALES.includes(locale) || !VERSION.test(version)) return null;
  return { kind, version, locale };
}

/** Checks the input (BAD_USER_INPUT at `path.<field>`) and returns it normalised. */
export function checkPolicyInput(input: PublishPolicyInput, path = 'input'): Required<PublishPolicyInput> & { effectiveAt: Date } {
  const version = input.version.trim();
  if (!POLICY_KINDS.includes(input.kind)) throw badInput(`${path}.kind`, `One of ${POLICY_KINDS.join(', ')}.`);
  if (!VERSION.test(version)) throw badInput(`${path}.version`, 'A version is 1-40 letters, digits, dots, dashes or underscores.');
  if (!POLICY_LOCALES.includes(input.locale)) throw badInput(`${path}.locale`, `One of ${POLICY_LOCALES.join(', ')}.`);
  const text = input.text.replace(/\r\n/g, '\n');
  if (!text.trim()) throw badInput(`${path}.text`, 'The text of the document is empty.');
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_TEXT_BYTES) throw badInput(`${path}.text`, `At most ${MAX_POLICY_TEXT_BYTES} bytes.`);
  if (text.includes('\u0000')) throw badInput(`${path}.text`, 'The text contains a NUL character (not a text file?).');
  const effectiveAt = input.effectiveAt ?? new Date();
  if (Number.isNaN(effectiveAt.getTime())) throw badInput(`${path}.effectiveAt`, 'Not a valid time.');
  return { kind: input.kind, version, locale: input.locale, text, effectiveAt };
}

/**
 * Stores one document (kind, version, locale). Publishing the same text again
 * returns the stored document (so a script can be re-run); a different text
 * for an existing version is a CONFLICT.
 */
export async function publishPolicyDocument(
  db: AppServices['prisma'] | Tx,
  raw: PublishPolicyInput,
  options: { publishedById?: string | null; path?: string } = {},
): Promise<PolicyDocument> {
  const input = checkPolicyInput(raw, options.path);
  const hash = contentHash(input.text);
  const key = { kind: input.kind, version: input.version, locale: input.locale };
  const existing = await db.policyDocument.findUnique({ where: { kind_version_locale: key } });
  if (existing) {
    if (existing.contentHash === hash && existing.text === input.text) return existing;
    throw conflict(
      `${input.kind} version ${input.version} (${input.locale}) is published already with another text; publish a new version.`,
    );
  }
  // Every locale of a version takes effect together: a later locale keeps the version's time.
  const sibling = await db.policyDocument.findFirst({ where: { kind: input.kind, version: input.version }, select: { effectiveAt: true } });
  if (sibling && raw.effectiveAt && sibling.effectiveAt.getTime() !== input.effectiveAt.getTime()) {
    throw badInput(
      `${options.path ?? 'input'}.effectiveAt`,
      `Version ${input.version} takes effect at ${sibling.effectiveAt.toISOString()} (its other locales).`,
    );
  }
  try {
    return await db.policyDocument.create({
      data: {
        ...key,
        text: input.text,
        contentHash: hash,
        effectiveAt: sibling?.effectiveAt ?? input.effectiveAt,
        url: policyPath(key),
        publishedById: options.publishedById ?? null,
      },
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      throw conflict(`${input.kind} version ${input.version} (${input.locale}) was published at the same time by someone else.`);
    }
    throw e;
  }
}

/** The stored document of (kind, version, locale), or null. */
export function findPolicyDocument(db: AppServices['prisma'], key: { kind: PolicyKind; version: string; locale: Locale }) {
  return db.policyDocument.findUnique({ where: { kind_version_locale: key } });
}
