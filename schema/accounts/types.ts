/** Accounts, sign-in and profile. */
import { requireAccount } from '../../api/context';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Builder, SchemaTypes } from '../builder';
import type { CoreRefs } from '../core-refs';
import { mask } from '../../api/crypto/field-cipher';
import * as accounts from '../../api/auth/account-service';
import * as passwords from '../../api/auth/password-service';
import * as emails from '../../api/accounts/email-verification';
import { admitForThisRequest } from '../../api/permissions/policy';
import { erasureNoticesFor } from '../../api/accounts/erasure';
import { localized } from '../core-refs';
import type { Context } from '../../api/context';
import type { Role } from '../../generated/prisma/enums';

export function displayName(a: { id: string; givenName: string | null; familyName: string | null }): string {
  const name = [a.givenName, a.familyName].filter(Boolean).join(' ').trim();
  return name || `Account ${a.id.slice(-4)}`;
}

/** The editable profile fields (updateProfile, and staff rectification in the rights plugin). */
export function profileInputFields(
  t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>, 'InputObject'>,
  refs: CoreRefs,
) {
  return {
    givenName: t.string(),
    familyName: t.string(),
    phone: t.string(),
    address: t.string(),
    personalCode: t.string(),
    iban: t.string(),
    locale: t.field({ type: refs.Locale }),
  };
}

export function addAccountTypes(builder: Builder, refs: CoreRefs) {
  refs.AccountSummary.implement({
    description: 'What one account may see of another: no contact data.',
    fields: (t) => ({
      id: t.id({ resolve: (a) => encodeGlobalID('Account', a.id) }),
      displayName: t.string({ resolve: displayName }),
    }),
  });

  refs.KeptAfterDeletion.implement({
    description: 'Records that outlive the account’s deletion (e.g. invoices for tax law): which, why and until when.',
    fields: (t) => ({
      dataCategory: t.exposeString('dataCategory'),
      purpose: t.exposeString('purpose', { description: 'Code in processingPurposes (with its legal basis).' }),
      count: t.exposeInt('count'),
      reason: t.string({ args: { locale: t.arg({ type: refs.Locale }) }, resolve: (n, a) => localized(n.reason, a.locale) }),
      keptUntil: t.expose('keptUntil', { type: 'DateTime', nullable: true, description: 'Then deleted.' }),
    }),
  });

  const Account = builder.prismaNode('Account', {
    id: { field: 'id' },
    fields: (t) => ({
      email: t.exposeString('email'),
      keptAfterDeletion: t.field({
        type: [refs.KeptAfterDeletion],
        description: 'What would be kept if this account were deleted now, why and until when (show it before deleteMyAccount).',
        resolve: (a, _args, ctx) => erasureNoticesFor(ctx.app, ctx.app.prisma, a.id),
      }),
      emailVerified: t.exposeBoolean('emailVerified'),
      givenName: t.exposeString('givenName', { nullable: true }),
      familyName: t.exposeString('familyName', { nullable: true }),
      phone: t.exposeString('phone', { nullable: true }),
      address: t.exposeString('address', { nullable: true }),
      personalCode: t.string({
        nullable: true,
        description:
          'Latvian personal code. Masked (first two digits kept) unless unmasked is true and the viewer is the owner or staff with an open access case.\nStored encrypted at rest.',
        args: { unmasked: t.arg.boolean({ defaultValue: false }) },
        select: { personalCodeEnc: true },
        resolve: (a, args, ctx) => {
          if (!a.personalCodeEnc) return null;
          const plain = ctx.app.cipher.decrypt(a.personalCodeEnc, `personalCode:${a.id}`);
          return args.unmasked ? plain : mask(plain);
        },
      }),
      iban: t.string({
        nullable: true,
        description: 'Bank account (IBAN), masked like personalCode. Stored encrypted at rest.',
        args: { unmasked: t.arg.boolean({ defaultValue: false }) },
        select: { ibanEnc: true },
        resolve: (a, args, ctx) => {
          if (!a.ibanEnc) return null;
          const plain = ctx.app.cipher.decrypt(a.ibanEnc, `iban:${a.id}`);
          return args.unmasked ? plain : mask(plain);
        },
      }),
      locale: t.field({ type: refs.Locale, resolve: (a) => a.locale }),
      roles: t.field({ type: [refs.Role], resolve: (a) => a.roles }),
      status: t.field({ type: refs.AccountStatus, resolve: (a) => a.status }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      lastActiveAt: t.expose('lastActiveAt', {
        type: 'DateTime',
        description: 'Last authenticated activity of the account or any of its devices.',
      }),
      restrictedAt: t.expose('restrictedAt', {
        type: 'DateTime',
        nullable: true,
        description: 'Since when processing is restricted (GDPR art. 18; status RESTRICTED); null when not restricted.',
      }),
      scheduledDeletionAt: t.expose('scheduledDeletionAt', {
        type: 'DateTime',
        nullable: true,
        description: 'When the account will be removed (6 months after lastActiveAt, or earlier on request).',
      }),
    }),
  });

  const AuthPayload = builder.objectRef<Awaited<ReturnType<typeof accounts.login>>>('AuthPayload').implement({
    fields: (t) => ({
      accessToken: t.exposeString('accessToken', { description: 'Short-lived JWT (jose); send as Authorization: Bearer.' }),
      accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
      refreshToken: t.exposeString('refreshToken', {
        description: 'Opaque, single use: each refresh returns a new one; reuse revokes the whole session.',
      }),
      account: t.field({ type: Account, resolve: (p) => p.account }),
    }),
  });

  const RegisterInput = builder.inputType('RegisterInput', {
    fields: (t) => ({
      email: t.string({ required: true }),
      password: t.string({ required: true, description: 'At least 10 characters.' }),
      givenName: t.string(),
      familyName: t.string(),
      locale: t.field({ type: refs.Locale, defaultValue: 'LV' }),
      privacyPolicyVersion: t.string({ required: true, description: 'The privacy policy version the person was shown when registering.' }),
    }),
  });
  const LoginInput = builder.inputType('LoginInput', {
    fields: (t) => ({ email: t.string({ required: true }), password: t.string({ required: true }) }),
  });
  const UpdateProfileInput = builder.inputType('UpdateProfileInput', { fields: (t) => profileInputFields(t, refs) });

  /** After register/login/refresh the rest of the operation runs as the signed-in account. */
  const signedIn = <T extends { account: { id: string; roles: Role[]; status: string }; sessionId: string }>(ctx: Context, payload: T) => {
    ctx.viewer = {
      kind: 'account',
      accountId: payload.account.id,
      sessionId: payload.sessionId,
      roles: payload.account.roles,
      status: payload.account.status,
    };
    return payload;
  };

  builder.queryField('me', (t) =>
    t.prismaField({
      type: 'Account',
      nullable: true,
      description: 'The signed-in account; null when anonymous.',
      resolve: (query, _root, _args, ctx) =>
        ctx.viewer.kind === 'account' ? ctx.app.prisma.account.findUnique({ ...query, where: { id: ctx.viewer.accountId } }) : null,
    }),
  );

  builder.mutationFields((t) => ({
    register: t.field({
      type: AuthPayload,
      args: { input: t.arg({ type: RegisterInput, required: true }) },
      resolve: async (_r, { input }, ctx) => signedIn(ctx, await accounts.register(ctx.app, input)),
    }),
    login: t.field({
      type: AuthPayload,
      args: { input: t.arg({ type: LoginInput, required: true }) },
      resolve: async (_r, { input }, ctx) => signedIn(ctx, await accounts.login(ctx.app, input, ctx.clientAddress)),
    }),
    refreshSession: t.field({
      type: AuthPayload,
      args: { refreshToken: t.arg.string({ required: true }) },
      resolve: async (_r, args, ctx) => signedIn(ctx, await accounts.refresh(ctx.app, args.refreshToken)),
    }),
    logout: t.boolean({
      args: { refreshToken: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => accounts.logout(ctx.app, args.refreshToken),
    }),
    verifyEmail: t.prismaField({
      type: 'Account',
      description:
        'Confirms an e-mail address with the token from the mailed link (${PUBLIC_URL}/verify-email?token=...): after registration,\n' +
        'or the new address of requestEmailChange. Single use. Pending sharing invitations to the address become grants.',
      args: { token: t.arg.string({ required: true }) },
      resolve: async (query, _r, args, ctx) => {
        const accountId = await emails.verifyEmail(ctx.app, args.token);
        // The mailed token proves who asks, also when the link is opened without signing in.
        admitForThisRequest(ctx, accountId);
        return ctx.app.prisma.account.findUniqueOrThrow({ ...query, where: { id: accountId } });
      },
    }),
    resendVerificationEmail: t.boolean({
      description: 'Mails a new verification link for the current address (the older link stops working).',
      resolve: (_r, _a, ctx) => emails.resendVerificationEmail(ctx.app, requireAccount(ctx.viewer).accountId),
    }),
    requestEmailChange: t.boolean({
      description: 'Mails a confirmation link to the new address; the address changes only when verifyEmail is called with it.',
      args: { newEmail: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => emails.requestEmailChange(ctx.app, requireAccount(ctx.viewer).accountId, args.newEmail),
    }),
    changePassword: t.boolean({
      description: 'Needs the current password; every other session of the account is signed out.',
      args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => passwords.changePassword(ctx.app, requireAccount(ctx.viewer), args.currentPassword, args.newPassword),
    }),
    requestPasswordReset: t.boolean({
      description:
        'Mails a single-use link (valid one hour) to reset the password. Answers true whether or not the address has an account;\n' +
        `at most ${passwords.RESETS_PER_HOUR} requests per address an hour (RATE_LIMITED).`,
      args: { email: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => passwords.requestPasswordReset(ctx.app, args.email),
    }),
    resetPassword: t.boolean({
      description: 'Sets a new password with the mailed token (single use); every session of the account is signed out.',
      args: { token: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => passwords.resetPassword(ctx.app, args.token, args.newPassword),
    }),
    updateProfile: t.prismaField({
      type: 'Account',
      args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
      resolve: async (query, _r, { input }, ctx) => {
        const updated = await accounts.updateProfile(ctx.app, requireAccount(ctx.viewer).accountId, input);
        return ctx.app.prisma.account.findUniqueOrThrow({ ...query, where: { id: updated.id } });
      },
    }),
  }));

  return { Account, AuthPayload };
}
