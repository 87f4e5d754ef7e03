/**
 * Single-use tokens sent by mail: e-mail verification, e-mail change and
 * password reset. The token (32 random bytes, base64url) appears only in the
 * mail's link; the database keeps its SHA-256, the address it went to, when it
 * expires, when it was used and when the SMTP server accepted the mail.
 * A new token for the same account and purpose replaces the unused older ones.
 *
 * Delivery (deliverTokenMail) tries three times with a short backoff. When
 * every attempt fails the token stays stored with mailedAt = null and the
 * failure is logged at error level with the token's id (never the token), so
 * nothing is lost silently; the person can ask again (resendVerificationEmail,
 * requestEmailChange, requestPasswordReset), and each caller documents whether
 * the failure fails its request. Used and expired tokens are deleted by the
 * retention plugin (category ACCOUNT_TOKENS).
 */
import type { AccountTokenPurpose } from '../../generated/prisma/enums';
import type { AppServices } from '../context';
import type { Tx } from '../events';
import { badInput } from '../errors';
import type { RenderedMail } from '../mail/templates';
import { hashToken, newOpaqueToken } from './sessions';

/** How long a mailed link works, per purpose. */
export const TOKEN_TTL_SECONDS: Record<AccountTokenPurpose, number> = {
  VERIFY_EMAIL: 48 * 3600,
  CHANGE_EMAIL: 24 * 3600,
  RESET_PASSWORD: 3600,
};

type Db = Tx | AppServices['prisma'];

export async function issueAccountToken(
  db: Db,
  input: { accountId: string; purpose: AccountTokenPurpose; email: string },
  now = new Date(),
) {
  const token = newOpaqueToken(32);
  await db.accountToken.deleteMany({ where: { accountId: input.accountId, purpose: input.purpose, usedAt: null } });
  const row = await db.accountToken.create({
    data: {
      accountId: input.accountId,
      purpose: input.purpose,
      email: input.email,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + TOKEN_TTL_SECONDS[input.purpose] * 1000),
    },
  });
  return { token, row };
}

export const INVALID_LINK = 'The link is invalid, has expired or was already used; ask for a new one.';

/**
 * Spends a token of one of the purposes (conditional update: of two concurrent uses only one wins).
 * Unknown, expired, used or wrong-purpose tokens are all the same BAD_USER_INPUT on `field`.
 */
export async function consumeAccountToken(tx: Tx, token: string, purposes: AccountTokenPurpose[], field = 'token', now = new Date()) {
  if (!token || token.length > 200) throw badInput(field, INVALID_LINK);
  const tokenHash = hashToken(token);
  const spent = await tx.accountToken.updateMany({
    where: { tokenHash, purpose: { in: purposes }, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (spent.count === 0) throw badInput(field, INVALID_LINK);
  return tx.accountToken.findUniqueOrThrow({ where: { tokenHash } });
}

/** Checks a token without spending it (so bad input elsewhere leaves it usable). */
export async function peekAccountToken(db: Db, token: string, purposes: AccountTokenPurpose[], field = 'token', now = new Date()) {
  const row = token && token.length <= 200 ? await db.accountToken.findUnique({ where: { tokenHash: hashToken(token) } }) : null;
  if (!row || !purposes.includes(row.purpose) || row.usedAt || row.expiresAt <= now) throw badInput(field, INVALID_LINK);
  return row;
}

const RETRY_DELAYS_MS = [0, 250, 1000];

/** Sends the mail that carries a token; true when the SMTP server accepted it (then mailedAt is set). */
export async function deliverTokenMail(app: AppServices, tokenId: string, to: string, mail: RenderedMail): Promise<boolean> {
  let lastError: unknown;
  for (const delay of RETRY_DELAYS_MS) {
    if (delay) await new Promise((r) => setTimeout(r, delay));
    try {
      await app.mailer.send({ to, subject: mail.subject, text: mail.text, kind: mail.kind });
      await app.prisma.accountToken.updateMany({ where: { id: tokenId }, data: { mailedAt: new Date() } });
      return true;
    } catch (e) {
      lastError = e;
    }
  }
  app.logger.error('mail with a token could not be delivered; the token stays stored undelivered', {
    kind: mail.kind,
    // Key names with "token" are redacted by the logger; the row id is not secret.
    recordId: tokenId,
    error: lastError,
  });
  return false;
}

/** The link in a mail: `${PUBLIC_URL}/<path>?token=...`. */
export const tokenLink = (app: AppServices, path: string, token: string) =>
  `${app.config.publicUrl}/${path}?token=${encodeURIComponent(token)}`;
