/**
 * Cookie consent per visitor: every choice is a new, signed record. Necessary
 * cookies are always on; anything else only when the visitor said yes, and
 * never advertising (sale/sharing) when the browser sends Global Privacy Control.
 */
import { randomUUID } from 'node:crypto';
import type { CookieConsent } from '../../generated/prisma/client';
import { currentCookiePolicy, validatePolicy, type CookiePolicyShape } from './policy';
import {
  addDuration,
  type AppServices,
  badInput,
  conflict,
  notFound,
  publishPolicyDocument,
  signReceipt,
  type Viewer,
} from '../../schema/plugin-api';
import { COOKIE_DOCUMENT_LOCALES, renderCookiePolicy } from './document';

/** A choice is asked again after this long (EDPB: renew consent periodically). */
export const CONSENT_VALIDITY = 'P12M';
const VISITOR_ID = /^[A-Za-z0-9_-]{8,100}$/;

export interface CookieChoiceInput {
  category: string;
  granted: boolean;
}

export type CookieChoices = Record<string, boolean>;

/** Sec-GPC: 1 (https://privacycg.github.io/gpc-spec/) is the browser's "do not sell or share". */
export const globalPrivacyControl = (request: Request) => request.headers.get('sec-gpc')?.trim() === '1';

async function requireCurrentPolicy(app: AppServices): Promise<CookiePolicyShape> {
  const policy = await currentCookiePolicy(app.prisma);
  if (!policy) throw notFound('Cookie policy');
  return policy;
}

function checkVisitorId(visitorId: string, field: string) {
  if (!VISITOR_ID.test(visitorId)) throw badInput(field, 'A visitor id is 8-100 letters, digits, - or _ (random, kept by the banner).');
}

/** The stored choice for every category of the policy: what was asked, corrected by the rules above. */
export function resolveChoices(
  policy: CookiePolicyShape,
  asked: CookieChoiceInput[],
  gpc: boolean,
  field = 'input.choices',
): CookieChoices {
  const seen = new Set<string>();
  const byKey = new Map(policy.categories.map((c) => [c.key, c]));
  asked.forEach((choice, i) => {
    if (!byKey.has(choice.category)) throw badInput(`${field}.${i}.category`, `Unknown cookie category "${choice.category}".`);
    if (seen.has(choice.category)) throw badInput(`${field}.${i}.category`, `Category "${choice.category}" is given twice.`);
    seen.add(choice.category);
  });
  const choices: CookieChoices = {};
  for (const category of policy.categories) {
    const askedFor = asked.find((c) => c.category === category.key)?.granted ?? false;
    if (category.required) choices[category.key] = true;
    else if (gpc && category.saleOrSharing) choices[category.key] = false;
    else choices[category.key] = askedFor;
  }
  return choices;
}

async function storeChoice(
  app: AppServices,
  viewer: Viewer,
  visitorId: string,
  policy: CookiePolicyShape,
  choices: CookieChoices,
  gpc: boolean,
): Promise<CookieConsent> {
  const id = randomUUID();
  const recordedAt = new Date();
  // Linked to the account only for a signed-in person (then it is in their data export).
  const accountId = viewer.kind === 'account' ? viewer.accountId : null;
  const receipt = await signReceipt(app, 'cookie-consent', visitorId, {
    rid: id,
    purpose: 'COOKIES',
    choices,
    method: 'COOKIE_BANNER',
    policyVersion: policy.version,
    recordedAt: recordedAt.toISOString(),
    gpc,
    ...(accountId ? { account: accountId } : {}),
  });
  return app.prisma.cookieConsent.create({
    data: {
      id,
      visitorId,
      accountId,
      policyVersion: policy.version,
      choices,
      globalPrivacyControl: gpc,
      receipt,
      recordedAt,
      expiresAt: addDuration(recordedAt, CONSENT_VALIDITY),
    },
  });
}

export async function setCookieConsent(
  app: AppServices,
  viewer: Viewer,
  request: Request,
  input: { visitorId: string; choices: CookieChoiceInput[]; policyVersion: string },
) {
  checkVisitorId(input.visitorId, 'input.visitorId');
  const policy = await requireCurrentPolicy(app);
  if (input.policyVersion !== policy.version) {
    throw badInput('input.policyVersion', `The current cookie policy is version ${policy.version}; show it and ask again.`);
  }
  const gpc = globalPrivacyControl(request);
  return storeChoice(app, viewer, input.visitorId, policy, resolveChoices(policy, input.choices, gpc), gpc);
}

/** Withdrawal is a new record with every optional category refused (as easy as giving consent). */
export async function withdrawCookieConsent(app: AppServices, viewer: Viewer, request: Request, visitorId: string) {
  checkVisitorId(visitorId, 'visitorId');
  const policy = await requireCurrentPolicy(app);
  return storeChoice(app, viewer, visitorId, policy, resolveChoices(policy, [], false), globalPrivacyControl(request));
}

export async function latestCookieConsent(app: AppServices, visitorId: string) {
  return app.prisma.cookieConsent.findFirst({ where: { visitorId }, orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }] });
}

/** Ask again when a newer policy was published or the choice is 12 months old. */
export function needsRenewal(consent: Pick<CookieConsent, 'policyVersion' | 'expiresAt'>, currentVersion: string | null, now = new Date()) {
  return consent.policyVersion !== currentVersion || consent.expiresAt <= now;
}

/**
 * Publishes a version and its COOKIE_POLICY documents (LV and EN): the text
 * given for a locale, else one written from the categories and cookies.
 */
export async function publishCookiePolicy(
  app: AppServices,
  viewer: Viewer,
  policy: CookiePolicyShape,
  texts: { locale: 'LV' | 'EN' | 'RU'; text: string }[] = [],
) {
  validatePolicy(policy);
  if (await app.prisma.cookiePolicyVersion.findUnique({ where: { version: policy.version } })) {
    throw conflict(`Cookie policy version ${policy.version} exists already; versions are never changed.`);
  }
  const publishedById = viewer.kind === 'account' ? viewer.accountId : null;
  const documents = [
    ...texts.map((t, i) => ({ ...t, path: `input.texts.${i}` })),
    ...COOKIE_DOCUMENT_LOCALES.filter((l) => !texts.some((t) => t.locale === l)).map((locale) => ({
      locale,
      text: renderCookiePolicy(policy, locale),
      path: 'input',
    })),
  ];
  return app.prisma.$transaction(async (tx) => {
    const row = await tx.cookiePolicyVersion.create({
      data: {
        version: policy.version,
        updatedAt: policy.updatedAt,
        categories: policy.categories as never,
        cookies: policy.cookies as never,
        publishedById,
      },
    });
    for (const d of documents) {
      await publishPolicyDocument(
        tx,
        { kind: 'COOKIE_POLICY', version: policy.version, locale: d.locale, text: d.text },
        { publishedById, path: d.path },
      );
    }
    return row;
  });
}

/** Idempotent seed of the first version (the portal's policy of 07.03.2025). */
export async function seedCookiePolicy(app: AppServices, policy: CookiePolicyShape) {
  if (await app.prisma.cookiePolicyVersion.findUnique({ where: { version: policy.version } })) return;
  await app.prisma.cookiePolicyVersion.create({
    data: {
      version: policy.version,
      updatedAt: policy.updatedAt,
      publishedAt: policy.updatedAt,
      categories: policy.categories as never,
      cookies: policy.cookies as never,
    },
  });
}
