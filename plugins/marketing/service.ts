/**
 * Marketing preferences, opt-outs and one-click unsubscribe. Authorization is
 * in rules.ts; these functions check input and do the work.
 */
import { Prisma } from '../../generated/prisma/client';
import type { ConsentMethod, MarketingChannel, MarketingScope, OptOutVia } from '../../generated/prisma/enums';
import { CHANNELS, consentPurposeFor } from './purposes';
import { mayReceive, type MarketingFacts } from './eligibility';
import {
  appendConsentRecord,
  type AppServices,
  badInput,
  currentPolicyDocument,
  InvalidTokenError,
  subjectAccount,
  type Tx,
  type Viewer,
  requireAccount,
} from '../../schema/plugin-api';

const SCOPES: MarketingScope[] = ['SIMILAR_PRODUCTS', 'OTHER', 'ALL'];
export const UNSUBSCRIBE_TOKEN_TYPE = 'unsubscribe';
/** Ways a request reaches SUPPORT staff; ACCOUNT is the customer's own settings. */
const STAFF_VIA: OptOutVia[] = ['EMAIL', 'PHONE', 'OFFICE'];
const CONSENT_METHOD_OF: Record<OptOutVia, ConsentMethod> = {
  ACCOUNT: 'API',
  EMAIL: 'EMAIL',
  PHONE: 'PHONE',
  OFFICE: 'IN_PERSON',
  UNSUBSCRIBE_LINK: 'UNSUBSCRIBE_LINK',
};

async function loadFacts(
  app: AppServices,
  db: AppServices['prisma'] | Tx,
  accountId: string,
): Promise<MarketingFacts & { optOutRows: OptOutRow[] }> {
  const check = app.extensions.purchaseCheck;
  const [account, optOutRows, consentRows, purchased] = await Promise.all([
    db.account.findUniqueOrThrow({ where: { id: accountId }, select: { roles: true, status: true, processingObjectedAt: true } }),
    db.marketingOptOut.findMany({ where: { accountId }, orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }] }),
    db.consentRecord.findMany({
      where: { accountId, purpose: { in: CHANNELS.map(consentPurposeFor) } },
      orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
      select: { purpose: true, granted: true, recordedAt: true },
    }),
    check ? check.hasBought(db, accountId) : true,
  ]);
  const consents: MarketingFacts['consents'] = {};
  for (const channel of CHANNELS) {
    const latest = consentRows.find((r) => r.purpose === consentPurposeFor(channel));
    if (latest) consents[channel] = latest;
  }
  return { account, optOuts: optOutRows, optOutRows, consents, purchased };
}

export type OptOutRow = Prisma.MarketingOptOutGetPayload<object>;

export interface MarketingPreferences {
  similarProducts: boolean;
  otherNotices: boolean;
  channels: MarketingChannel[];
  optOuts: OptOutRow[];
}

export async function preferences(app: AppServices, accountId: string): Promise<MarketingPreferences> {
  const facts = await loadFacts(app, app.prisma, accountId);
  const channelsFor = (scope: MarketingScope) => CHANNELS.filter((c) => mayReceive(facts, scope, c));
  const similar = channelsFor('SIMILAR_PRODUCTS');
  const other = channelsFor('OTHER');
  return {
    similarProducts: similar.length > 0,
    otherNotices: other.length > 0,
    channels: CHANNELS.filter((c) => similar.includes(c) || other.includes(c)),
    optOuts: facts.optOutRows,
  };
}

interface OptOutRequest {
  accountId: string;
  scope: MarketingScope;
  channel: MarketingChannel | null;
  via: OptOutVia;
  recordedById: string | null;
  tokenId?: string | null;
}

/**
 * Stores the opt-out, effective at once, and withdraws the matching consents
 * for "other" notices in the consent ledger, so both views agree.
 */
export async function recordOptOut(app: AppServices, tx: Tx, request: OptOutRequest) {
  const receivedAt = new Date();
  const optOut = await tx.marketingOptOut.create({
    data: { ...request, tokenId: request.tokenId ?? null, receivedAt, effectiveAt: receivedAt },
  });
  if (request.scope !== 'SIMILAR_PRODUCTS') {
    const facts = await loadFacts(app, tx, request.accountId);
    const subject = await tx.account.findUniqueOrThrow({ where: { id: request.accountId }, select: { locale: true } });
    for (const channel of request.channel ? [request.channel] : CHANNELS) {
      const consent = facts.consents[channel];
      if (!consent?.granted) continue;
      const policy = await currentPolicyDocument(tx, 'PRIVACY_POLICY', subject.locale);
      await appendConsentRecord(app, tx, {
        accountId: request.accountId,
        purpose: consentPurposeFor(channel),
        granted: false,
        method: CONSENT_METHOD_OF[request.via],
        policyVersion: policy?.version ?? 'unknown',
        locale: subject.locale,
        recordedById: request.recordedById,
      });
    }
  }
  await app.events.emit(
    'marketing.optedOut',
    { accountId: request.accountId, optOutId: optOut.id, scope: request.scope, channel: request.channel, via: request.via },
    {
      actor: request.recordedById ? { kind: 'STAFF', accountId: request.recordedById } : { kind: 'CUSTOMER', accountId: request.accountId },
      tx,
    },
  );
  return optOut;
}

export interface OptOutInput {
  scope: MarketingScope;
  channel?: MarketingChannel | null;
  via?: OptOutVia | null;
  accountId?: string | null;
}

/** The customer's own opt-out (via ACCOUNT), or one SUPPORT staff enter for a request by e-mail, phone or at the office. */
export async function optOut(app: AppServices, anyViewer: Viewer, input: OptOutInput) {
  const viewer = requireAccount(anyViewer);
  const byStaff = input.accountId != null;
  const via = input.via ?? 'ACCOUNT';
  if (byStaff && !STAFF_VIA.includes(via)) {
    throw badInput('input.via', `Say how the request arrived: ${STAFF_VIA.join(', ')}.`);
  }
  if (!byStaff && via !== 'ACCOUNT') {
    throw badInput('input.via', 'Requests by e-mail, phone or at the office are entered by staff; your own opt-out is via ACCOUNT.');
  }
  const subjectId = byStaff ? (await subjectAccount(app, input.accountId!)).id : viewer.accountId;
  await app.prisma.$transaction((tx) =>
    recordOptOut(app, tx, {
      accountId: subjectId,
      scope: input.scope,
      channel: input.channel ?? null,
      via,
      recordedById: byStaff ? viewer.accountId : null,
    }),
  );
  return preferences(app, subjectId);
}

/** How long an unsubscribe link works: years (old notices stay in mailboxes), but every token expires. */
const UNSUBSCRIBE_LINK_TTL_SECONDS = 5 * 366 * 24 * 3600;

/** A signed, long-lived link for the end of a notice: it can only ever opt its account out. */
export async function unsubscribeUrl(app: AppServices, accountId: string, scope: MarketingScope, channel: MarketingChannel) {
  const token = await app.tokens.sign(UNSUBSCRIBE_TOKEN_TYPE, accountId, { scope, channel }, UNSUBSCRIBE_LINK_TTL_SECONDS);
  return `${app.config.publicUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
}

export interface UnsubscribeResult {
  ok: boolean;
  scope: MarketingScope;
  channel: MarketingChannel | null;
}

/** Idempotent: the token's jti is stored with the opt-out it made, so a second use changes nothing. */
export async function unsubscribe(app: AppServices, token: string): Promise<UnsubscribeResult> {
  let claims;
  try {
    claims = await app.tokens.verify(token, UNSUBSCRIBE_TOKEN_TYPE);
  } catch (e) {
    if (e instanceof InvalidTokenError) throw badInput('token', 'This unsubscribe link is not valid.');
    throw e;
  }
  const scope = claims.scope as MarketingScope;
  const channel = (claims.channel ?? null) as MarketingChannel | null;
  if (!claims.sub || !claims.jti || !SCOPES.includes(scope) || (channel !== null && !CHANNELS.includes(channel))) {
    throw badInput('token', 'This unsubscribe link is not valid.');
  }
  const result = { ok: true, scope, channel };
  const accountId = claims.sub;
  const tokenId = claims.jti;
  if (await app.prisma.marketingOptOut.findUnique({ where: { tokenId }, select: { id: true } })) return result;
  // The account may be gone (erased): nothing left to stop, and the link still says so.
  if (!(await app.prisma.account.findUnique({ where: { id: accountId }, select: { id: true } }))) return result;
  try {
    await app.prisma.$transaction((tx) =>
      recordOptOut(app, tx, { accountId, scope, channel, via: 'UNSUBSCRIBE_LINK', recordedById: null, tokenId }),
    );
  } catch (e) {
    // Two clicks at once: the other one stored it.
    if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')) throw e;
  }
  return result;
}
