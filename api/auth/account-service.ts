/**
 * Registration, sign-in, token refresh and profile changes. Resolvers call
 * these; they hold no authorization (the rule map decides who may call them).
 */
import { Prisma } from '../../generated/prisma/client';
import type { Locale } from '../../generated/prisma/enums';
import type { AppServices } from '../context';
import { badInput, conflict, unauthenticated } from '../errors';
import { blocked, count, take } from '../rate-limits';
import { appendConsentRecord } from '../consent/ledger';
import { normalizeEmail, normalizeIban, normalizeLatvianPersonalCode } from '../validation/identity';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyAgainstDummy, verifyPassword } from './passwords';
import { logoutWithRefreshToken, rotateRefreshToken, startSession } from './sessions';
import { sendVerificationMail } from '../accounts/email-verification';
import { publishAccountAccessChange } from '../sharing/notify';

export interface RegisterInput {
  email: string;
  password: string;
  givenName?: string | null;
  familyName?: string | null;
  locale?: Locale | null;
  privacyPolicyVersion: string;
}

const MAX_PASSWORD_LENGTH = 1024;
const MAX_NAME_LENGTH = 100;

export function checkPassword(password: string, field: string) {
  if (password.length < MIN_PASSWORD_LENGTH) throw badInput(field, `Password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (password.length > MAX_PASSWORD_LENGTH) throw badInput(field, `Password must have at most ${MAX_PASSWORD_LENGTH} characters.`);
}

function checkText(value: string | null | undefined, field: string, max: number) {
  if (value != null && value.length > max) throw badInput(field, `At most ${max} characters.`);
  return value == null ? value : value.trim() || null;
}

async function issueTokens(app: AppServices, accountId: string) {
  const account = await app.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  const { session, refreshToken } = await startSession(app.prisma, accountId, app.config.jwt.refreshTokenTtlSeconds);
  const access = await app.tokens.signAccessToken({ accountId, sessionId: session.id, roles: account.roles });
  return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, account, sessionId: session.id };
}

export async function register(app: AppServices, input: RegisterInput) {
  const email = normalizeEmail(input.email);
  if (!email) throw badInput('input.email', 'Not a valid e-mail address.');
  checkPassword(input.password, 'input.password');
  const givenName = checkText(input.givenName, 'input.givenName', MAX_NAME_LENGTH);
  const familyName = checkText(input.familyName, 'input.familyName', MAX_NAME_LENGTH);
  const locale = input.locale ?? 'LV';
  const policy = await app.prisma.policyDocument.findFirst({
    where: { kind: 'PRIVACY_POLICY', version: input.privacyPolicyVersion },
  });
  if (!policy) throw badInput('input.privacyPolicyVersion', 'Unknown privacy policy version.');

  const passwordHash = await hashPassword(input.password);
  let accountId: string;
  try {
    accountId = await app.prisma.$transaction(async (tx) => {
      // Invitations sent to this address bind only once the address is verified (api/accounts/email-verification.ts).
      const account = await tx.account.create({ data: { email, passwordHash, givenName, familyName, locale } });
      await appendConsentRecord(app, tx, {
        accountId: account.id,
        purpose: 'ACCOUNT',
        granted: true,
        method: 'API',
        policyVersion: input.privacyPolicyVersion,
        locale,
      });
      await app.events.emit(
        'account.registered',
        { accountId: account.id, email },
        {
          actor: { kind: 'CUSTOMER', accountId: account.id },
          tx,
        },
      );
      return account.id;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      throw conflict('An account with this e-mail address already exists.');
    }
    throw e;
  }
  // A failed delivery does not fail the registration: the account exists and resendVerificationEmail sends a new link.
  await sendVerificationMail(app, accountId);
  return issueTokens(app, accountId);
}

/**
 * Same answer, after the same work, for an unknown e-mail and a wrong password.
 * Throttled per client address (api/rate-limits.ts): sign-ins per client (spraying
 * many accounts), and consecutive failures per (client, e-mail) (guessing one
 * password), so strangers' failures never lock the owner out of their account.
 */
export async function login(app: AppServices, input: { email: string; password: string }, client = 'unknown') {
  const email = normalizeEmail(input.email);
  const pair = `${client}|${email ?? input.email.toLowerCase()}`;
  const limited =
    (await blocked(app.limiters.signInFailures, pair, 'Too many failed sign-ins for this address; try again later.')) ??
    (await take(app.limiters.signInAttempts, client, 'Too many sign-in attempts from this client; try again later.'));
  if (limited) throw limited;
  const account = email ? await app.prisma.account.findUnique({ where: { email }, select: { id: true, passwordHash: true } }) : null;
  const ok = account ? await verifyPassword(input.password, account.passwordHash) : await verifyAgainstDummy(input.password);
  if (!account || !ok) {
    await count(app.limiters.signInFailures, pair);
    throw unauthenticated('E-mail or password is wrong.');
  }
  await app.limiters.signInFailures.delete(pair);
  return issueTokens(app, account.id);
}

export async function refresh(app: AppServices, refreshToken: string) {
  const { session, refreshToken: next } = await rotateRefreshToken(
    app.prisma,
    refreshToken,
    app.config.jwt.refreshTokenTtlSeconds,
    new Date(),
    (id) => publishAccountAccessChange(app, id, 'session.reused'),
  );
  const account = await app.prisma.account.findUnique({ where: { id: session.accountId } });
  if (!account) throw unauthenticated('Session has ended; sign in again.');
  const access = await app.tokens.signAccessToken({ accountId: account.id, sessionId: session.id, roles: account.roles });
  return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken: next, account, sessionId: session.id };
}

/** Ends the session; its open live streams end at once ('access:account'). */
export async function logout(app: AppServices, refreshToken: string) {
  const accountId = await logoutWithRefreshToken(app.prisma, refreshToken);
  if (accountId) publishAccountAccessChange(app, accountId, 'session.logout');
  return true;
}

export interface UpdateProfileInput {
  givenName?: string | null;
  familyName?: string | null;
  phone?: string | null;
  address?: string | null;
  personalCode?: string | null;
  iban?: string | null;
  locale?: Locale | null;
}

/** Fields left out stay as they are; an empty string clears a field. */
export async function updateProfile(app: AppServices, accountId: string, input: UpdateProfileInput) {
  const data: Prisma.AccountUpdateInput = {};
  if (input.givenName !== undefined) data.givenName = checkText(input.givenName, 'input.givenName', MAX_NAME_LENGTH);
  if (input.familyName !== undefined) data.familyName = checkText(input.familyName, 'input.familyName', MAX_NAME_LENGTH);
  if (input.address !== undefined) data.address = checkText(input.address, 'input.address', 300);
  if (input.phone !== undefined) {
    const phone = checkText(input.phone, 'input.phone', 32);
    if (phone && !/^\+?[0-9 ()-]{6,20}$/.test(phone)) throw badInput('input.phone', 'Not a valid phone number.');
    data.phone = phone ? phone.replace(/[ ()-]/g, '') : null;
  }
  if (input.personalCode !== undefined) {
    if (!input.personalCode) data.personalCodeEnc = null;
    else {
      const code = normalizeLatvianPersonalCode(input.personalCode);
      if (!code) throw badInput('input.personalCode', 'Not a valid Latvian personal code.');
      data.personalCodeEnc = app.cipher.encrypt(code, `personalCode:${accountId}`);
    }
  }
  if (input.iban !== undefined) {
    if (!input.iban) data.ibanEnc = null;
    else {
      const iban = normalizeIban(input.iban);
      if (!iban) throw badInput('input.iban', 'Not a valid IBAN.');
      data.ibanEnc = app.cipher.encrypt(iban, `iban:${accountId}`);
    }
  }
  if (input.locale != null) data.locale = input.locale;
  return app.prisma.account.update({ where: { id: accountId }, data });
}
