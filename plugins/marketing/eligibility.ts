/**
 * Who may receive which commercial notice on which channel, now. One rule,
 * written twice for two uses: `mayReceive` decides for one account (its
 * preferences), `audiencePage` asks the database for everyone at once (the
 * audience). Both must say the same thing; marketing.test.ts checks both.
 *
 * The rule, for scope S on channel C:
 * - the account is a customer, ACTIVE (not RESTRICTED or scheduled for
 *   deletion) and has not objected to processing (processingObjectedAt);
 * - an opt-out blocks S on C when its scope is S or ALL and its channel is C
 *   or every channel; a consent to MARKETING_<C> given after the last
 *   blocking opt-out lifts it again (the person asked for notices anew);
 * - SIMILAR_PRODUCTS (soft opt-in): to a customer who bought something
 *   (a paid invoice, as app.extensions.purchaseCheck tells; without a
 *   billing plugin every customer counts as one) allowed unless blocked;
 *   to anyone else only with consent, like OTHER;
 * - OTHER: only with a granted MARKETING_<C> consent that is newer than any
 *   blocking opt-out;
 * - ALL: both of the above.
 */
import { Prisma } from '../../generated/prisma/client';
import type { MarketingChannel, MarketingScope } from '../../generated/prisma/enums';
import { consentPurposeFor } from './purposes';
import type { AppServices } from '../../schema/plugin-api';

export interface MarketingFacts {
  account: { roles: string[]; status: string; processingObjectedAt: Date | null };
  optOuts: { scope: MarketingScope; channel: MarketingChannel | null; effectiveAt: Date }[];
  /** Bought something (soft opt-in applies only to customers who did). */
  purchased: boolean;
  /** Latest consent record per channel's purpose. */
  consents: Partial<Record<MarketingChannel, { granted: boolean; recordedAt: Date }>>;
}

export function reachable(account: MarketingFacts['account']): boolean {
  return account.roles.includes('CUSTOMER') && account.status === 'ACTIVE' && account.processingObjectedAt === null;
}

/** Opt-outs take effect when received (effectiveAt = receivedAt), so every stored one counts. */
function lastBlock(facts: MarketingFacts, scope: 'SIMILAR_PRODUCTS' | 'OTHER', channel: MarketingChannel): Date | null {
  let last: Date | null = null;
  for (const o of facts.optOuts) {
    if ((o.scope === scope || o.scope === 'ALL') && (o.channel === null || o.channel === channel)) {
      if (!last || o.effectiveAt > last) last = o.effectiveAt;
    }
  }
  return last;
}

export function mayReceive(facts: MarketingFacts, scope: MarketingScope, channel: MarketingChannel): boolean {
  if (!reachable(facts.account)) return false;
  const consent = facts.consents[channel];
  const consentAfter = (block: Date | null) => !!consent?.granted && (!block || consent.recordedAt > block);
  const similar = () => {
    const block = lastBlock(facts, 'SIMILAR_PRODUCTS', channel);
    return facts.purchased ? !block || consentAfter(block) : consentAfter(block);
  };
  const other = () => consentAfter(lastBlock(facts, 'OTHER', channel));
  if (scope === 'SIMILAR_PRODUCTS') return similar();
  if (scope === 'OTHER') return other();
  return similar() && other();
}

/** The contact detail a channel needs; an account without it is not in that channel's audience. */
export const CONTACT_COLUMN: Record<MarketingChannel, 'email' | 'phone' | 'address'> = {
  EMAIL: 'email',
  SMS: 'phone',
  PHONE: 'phone',
  POST: 'address',
};

export interface AudienceRow {
  id: string;
  givenName: string | null;
  familyName: string | null;
  email: string;
  phone: string | null;
  address: string | null;
}

/** The SQL condition of `mayReceive` over "Account" a (see the rule above). */
function audienceCondition(app: AppServices, scope: MarketingScope, channel: MarketingChannel): Prisma.Sql {
  const purpose = consentPurposeFor(channel);
  const consent = Prisma.sql`(
    SELECT c."granted", c."recordedAt" FROM "ConsentRecord" c
    WHERE c."accountId" = a."id" AND c."purpose" = ${purpose}
    ORDER BY c."recordedAt" DESC, c."id" DESC LIMIT 1)`;
  const block = (s: 'SIMILAR_PRODUCTS' | 'OTHER') => Prisma.sql`(
    SELECT max(o."effectiveAt") FROM "MarketingOptOut" o
    WHERE o."accountId" = a."id" AND o."scope"::text IN (${s}, 'ALL')
      AND (o."channel" IS NULL OR o."channel"::text = ${channel}))`;
  const consentAfter = (s: 'SIMILAR_PRODUCTS' | 'OTHER') => Prisma.sql`EXISTS (
    SELECT 1 FROM ${consent} AS latest
    WHERE latest."granted" AND (${block(s)} IS NULL OR latest."recordedAt" > ${block(s)}))`;
  const purchased = app.extensions.purchaseCheck?.sqlCondition('a') ?? Prisma.sql`TRUE`;
  const similar = Prisma.sql`((${purchased} AND ${block('SIMILAR_PRODUCTS')} IS NULL) OR ${consentAfter('SIMILAR_PRODUCTS')})`;
  const other = consentAfter('OTHER');
  const byScope = scope === 'SIMILAR_PRODUCTS' ? similar : scope === 'OTHER' ? other : Prisma.sql`${similar} AND ${other}`;
  return Prisma.sql`'CUSTOMER' = ANY(a."roles"::text[])
    AND a."status"::text = 'ACTIVE'
    AND a."processingObjectedAt" IS NULL
    AND a.${Prisma.raw(`"${CONTACT_COLUMN[channel]}"`)} IS NOT NULL
    AND ${byScope}`;
}

/** One page of the audience, ordered by account id, and the total. */
export async function audiencePage(
  app: AppServices,
  scope: MarketingScope,
  channel: MarketingChannel,
  page: { afterId: string | null; limit: number },
): Promise<{ rows: AudienceRow[]; total: number }> {
  const where = audienceCondition(app, scope, channel);
  const after = page.afterId ? Prisma.sql`AND a."id" > ${page.afterId}` : Prisma.empty;
  const [rows, count] = await Promise.all([
    app.prisma.$queryRaw<AudienceRow[]>`
      SELECT a."id", a."givenName", a."familyName", a."email", a."phone", a."address"
      FROM "Account" a WHERE ${where} ${after}
      ORDER BY a."id" LIMIT ${page.limit}`,
    app.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Account" a WHERE ${where}`,
  ]);
  return { rows, total: Number(count[0]?.n ?? 0) };
}
