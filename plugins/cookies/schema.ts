/** GraphQL types of the cookies plugin: the policy, the visitor's consent, publishing a new version. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { CookieConsent } from '../../generated/prisma/client';
import { currentCookiePolicy, type CookieCategoryDef, type CookieDef, type CookiePolicyShape } from './policy';
import * as cookies from './service';
import { type Builder, type Context, type CoreRefs, localized, notFound } from '../../schema/plugin-api';

type Locale = 'LV' | 'EN' | 'RU';
/** Texts default to the locale the policy was asked in. */
type InLocale<T> = T & { locale: Locale };

/** The current version's number, read once per request (for needsRenewal). */
function currentVersion(ctx: Context): Promise<string | null> {
  const key = 'cookies.currentVersion';
  if (!ctx.memo.has(key))
    ctx.memo.set(
      key,
      currentCookiePolicy(ctx.app.prisma).then((p) => p?.version ?? null),
    );
  return ctx.memo.get(key) as Promise<string | null>;
}

export function addCookieSchema(builder: Builder, refs: CoreRefs) {
  const CookieCategory = builder.objectRef<InLocale<CookieCategoryDef>>('CookieCategory').implement({
    fields: (t) => ({
      key: t.exposeString('key', { description: 'necessary | performance | functional | advertising' }),
      title: t.string({ args: { locale: t.arg({ type: refs.Locale }) }, resolve: (c, a) => localized(c.title, a.locale ?? c.locale) }),
      description: t.string({
        args: { locale: t.arg({ type: refs.Locale }) },
        resolve: (c, a) => localized(c.description, a.locale ?? c.locale),
      }),
      required: t.exposeBoolean('required', { description: 'Necessary cookies need no consent and cannot be refused.' }),
      saleOrSharing: t.exposeBoolean('saleOrSharing', {
        description: 'Sells or shares data for advertising: always refused when the browser sends Sec-GPC: 1.',
      }),
    }),
  });

  const CookieDefinition = builder.objectRef<InLocale<CookieDef>>('CookieDefinition').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      provider: t.exposeString('provider'),
      category: t.exposeString('category'),
      purpose: t.string({ args: { locale: t.arg({ type: refs.Locale }) }, resolve: (c, a) => localized(c.purpose, a.locale ?? c.locale) }),
      duration: t.exposeString('duration', { description: "ISO-8601 duration, or 'session'." }),
      thirdParty: t.exposeBoolean('thirdParty'),
    }),
  });

  const CookiePolicy = builder.objectRef<InLocale<CookiePolicyShape>>('CookiePolicy').implement({
    fields: (t) => ({
      version: t.exposeString('version'),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
      categories: t.field({ type: [CookieCategory], resolve: (p) => p.categories.map((c) => ({ ...c, locale: p.locale })) }),
      cookies: t.field({ type: [CookieDefinition], resolve: (p) => p.cookies.map((c) => ({ ...c, locale: p.locale })) }),
      document: t.prismaField({
        type: 'PolicyDocument',
        nullable: true,
        description: 'The full cookie policy text of this version, as a policy document.',
        args: { locale: t.arg({ type: refs.Locale }) },
        resolve: async (_q, p, a, ctx) => {
          const docs = await ctx.app.prisma.policyDocument.findMany({ where: { kind: 'COOKIE_POLICY', version: p.version } });
          const locale = a.locale ?? p.locale;
          return docs.find((d) => d.locale === locale) ?? docs.find((d) => d.locale === 'EN') ?? docs[0] ?? null;
        },
      }),
    }),
  });

  const CookieChoice = builder.objectRef<{ category: string; granted: boolean }>('CookieChoice').implement({
    fields: (t) => ({ category: t.exposeString('category'), granted: t.exposeBoolean('granted') }),
  });

  const CookieConsentRef = builder.objectRef<CookieConsent>('CookieConsent').implement({
    fields: (t) => ({
      id: t.id({ resolve: (c) => encodeGlobalID('CookieConsent', c.id) }),
      visitorId: t.exposeString('visitorId'),
      choices: t.field({
        type: [CookieChoice],
        resolve: (c) => Object.entries(c.choices as cookies.CookieChoices).map(([category, granted]) => ({ category, granted })),
      }),
      policyVersion: t.exposeString('policyVersion'),
      recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      globalPrivacyControl: t.exposeBoolean('globalPrivacyControl', {
        description: 'The browser sent Sec-GPC: 1; advertising was refused for it.',
      }),
      needsRenewal: t.boolean({
        description: 'True when the policy changed or the consent expired: ask again.',
        resolve: async (c, _a, ctx) => cookies.needsRenewal(c, await currentVersion(ctx)),
      }),
      receipt: t.exposeString('receipt', { description: 'Signed consent receipt (compact JWS), as for ConsentRecord.receipt.' }),
    }),
  });

  const CookieChoiceInput = builder.inputType('CookieChoiceInput', {
    fields: (t) => ({ category: t.string({ required: true }), granted: t.boolean({ required: true }) }),
  });
  const SetCookieConsentInput = builder.inputType('SetCookieConsentInput', {
    fields: (t) => ({
      visitorId: t.string({ required: true }),
      choices: t.field({ type: [CookieChoiceInput], required: true }),
      policyVersion: t.string({ required: true }),
    }),
  });

  const TextsInput = builder.inputType('LocalizedTextInput', {
    fields: (t) => ({ LV: t.string({ required: true }), EN: t.string({ required: true }), RU: t.string() }),
  });
  const CookieCategoryInput = builder.inputType('CookieCategoryInput', {
    fields: (t) => ({
      key: t.string({ required: true }),
      title: t.field({ type: TextsInput, required: true }),
      description: t.field({ type: TextsInput, required: true }),
      required: t.boolean({ defaultValue: false }),
      saleOrSharing: t.boolean({ defaultValue: false }),
    }),
  });
  const CookieDefinitionInput = builder.inputType('CookieDefinitionInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      provider: t.string({ required: true }),
      category: t.string({ required: true }),
      purpose: t.field({ type: TextsInput, required: true }),
      duration: t.string({ required: true, description: "ISO-8601 duration, or 'session'." }),
      thirdParty: t.boolean({ required: true }),
    }),
  });
  const CookiePolicyTextInput = builder.inputType('CookiePolicyTextInput', {
    fields: (t) => ({ locale: t.field({ type: refs.Locale, required: true }), text: t.string({ required: true }) }),
  });
  const PublishCookiePolicyInput = builder.inputType('PublishCookiePolicyInput', {
    fields: (t) => ({
      version: t.string({ required: true }),
      updatedAt: t.field({ type: 'DateTime', required: true, description: 'The date the policy text states.' }),
      categories: t.field({ type: [CookieCategoryInput], required: true }),
      cookies: t.field({ type: [CookieDefinitionInput], required: true }),
      texts: t.field({
        type: [CookiePolicyTextInput],
        description: 'The policy text (Markdown) per locale; LV and EN not given are written from the categories and cookies.',
      }),
    }),
  });

  const texts = (x: { LV: string; EN: string; RU?: string | null }) => ({ LV: x.LV, EN: x.EN, ...(x.RU ? { RU: x.RU } : {}) });

  builder.queryFields((t) => ({
    cookiePolicy: t.field({
      type: CookiePolicy,
      description: 'Public: the current cookie policy (categories and every cookie).',
      args: { locale: t.arg({ type: refs.Locale, defaultValue: 'LV' }) },
      resolve: async (_r, args, ctx) => {
        const policy = await currentCookiePolicy(ctx.app.prisma);
        if (!policy) throw notFound('Cookie policy');
        return { ...policy, locale: args.locale ?? 'LV' };
      },
    }),
    cookieConsent: t.field({
      type: CookieConsentRef,
      nullable: true,
      description: "Public: the visitor's latest choice; null if never asked.",
      args: { visitorId: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => cookies.latestCookieConsent(ctx.app, args.visitorId),
    }),
  }));

  builder.mutationFields((t) => ({
    setCookieConsent: t.field({
      type: CookieConsentRef,
      description:
        'Public: stores the choice as a new record. Necessary is always granted; categories not named are refused; with Sec-GPC: 1 advertising is refused whatever was asked.',
      args: { input: t.arg({ type: SetCookieConsentInput, required: true }) },
      resolve: (_r, { input }, ctx) => cookies.setCookieConsent(ctx.app, ctx.viewer, ctx.request, input),
    }),
    withdrawCookieConsent: t.field({
      type: CookieConsentRef,
      description: 'Public: refuses every optional category (a new record).',
      args: { visitorId: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => cookies.withdrawCookieConsent(ctx.app, ctx.viewer, ctx.request, args.visitorId),
    }),
    publishCookiePolicy: t.field({
      type: CookiePolicy,
      description: 'ADMIN: publishes a new cookie policy version and its COOKIE_POLICY documents; every earlier choice then needs renewal.',
      args: { input: t.arg({ type: PublishCookiePolicyInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const policy: CookiePolicyShape = {
          version: input.version.trim(),
          updatedAt: input.updatedAt,
          categories: input.categories.map((c) => ({
            key: c.key,
            title: texts(c.title),
            description: texts(c.description),
            required: c.required ?? false,
            saleOrSharing: c.saleOrSharing ?? false,
          })),
          cookies: input.cookies.map((c) => ({ ...c, purpose: texts(c.purpose) })),
        };
        await cookies.publishCookiePolicy(ctx.app, ctx.viewer, policy, input.texts ?? []);
        return { ...policy, locale: 'LV' as const };
      },
    }),
  }));

  builder.prismaObjectField('Account', 'cookieConsents', (t) =>
    t.field({
      type: [CookieConsentRef],
      description: 'Cookie choices made while signed in to this account, newest first.',
      resolve: (account, _a, ctx) =>
        ctx.app.prisma.cookieConsent.findMany({ where: { accountId: account.id }, orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }] }),
    }),
  );

  return { CookiePolicy, CookieConsent: CookieConsentRef };
}
