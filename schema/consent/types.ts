/**
 * Consent and transparency: the public register of processing purposes, the
 * policy documents, and the append-only consent ledger with its receipts.
 */
import type { Builder } from '../builder';
import { localized, type CoreRefs } from '../core-refs';
import { inConsentLedger, requiresConsent, type ProcessingPurposeDefinition } from '../../api/consent/purposes';
import type { ConsentRecord } from '../../generated/prisma/client';
import * as consent from '../../api/consent/consent-service';
import { policyPath } from '../../api/consent/policy-documents';
import { addPolicyTypes } from './policies';
import { addControllerTypes } from './controller';
import { addRegisterTypes } from './register';
import { acknowledgementPurpose, isAcknowledgementPurpose } from '../../api/consent/acknowledgements';

export function addConsentTypes(builder: Builder, refs: CoreRefs, purposes: ProcessingPurposeDefinition[]) {
  const consentPurposes = purposes.filter(inConsentLedger);
  /** Records may name a purpose whose plugin is now off: show its code rather than fail. */
  const purposeOf = (code: string): ProcessingPurposeDefinition =>
    purposes.find((p) => p.code === code) ??
    (isAcknowledgementPurpose(code) ? acknowledgementPurpose(code) : null) ?? {
      code,
      title: { LV: code, EN: code },
      description: { LV: 'Šis nolūks vairs netiek izmantots.', EN: 'This purpose is no longer in use.' },
      legalBasis: 'CONSENT',
      dataCategories: [],
      recipients: [],
      recipientCategories: [],
      retentionRules: [],
      retentionCriteria: { LV: 'Vairs netiek apstrādāts.', EN: 'Not processed any more.' },
    };

  const ProcessingPurpose = builder.objectRef<ProcessingPurposeDefinition>('ProcessingPurpose').implement({
    description: 'One processing activity (GDPR art. 13 and 30): what, why, on which basis, how long.',
    fields: (t) => ({
      code: t.exposeString('code'),
      title: t.string({ args: { locale: t.arg({ type: refs.Locale }) }, resolve: (p, args) => localized(p.title, args.locale) }),
      description: t.string({
        args: { locale: t.arg({ type: refs.Locale }) },
        resolve: (p, args) => localized(p.description, args.locale),
      }),
      legalBasis: t.field({ type: refs.LegalBasis, resolve: (p) => p.legalBasis }),
      dataCategories: t.exposeStringList('dataCategories'),
      recipients: t.exposeStringList('recipients'),
      requiresConsent: t.boolean({ resolve: (p) => requiresConsent(p) }),
      consentRecordedBy: t.string({
        nullable: true,
        description: 'For consent-based purposes recorded outside setConsent: the mutation that records them (e.g. setCookieConsent).',
        resolve: (p) => p.consentRecordedBy ?? null,
      }),
    }),
  });

  addRegisterTypes(builder, refs, ProcessingPurpose);
  const PolicyKind = refs.PolicyKind;
  const ConsentMethod = builder.enumType('ConsentMethod', {
    values: ['WEB_FORM', 'MOBILE_APP', 'EMAIL', 'PHONE', 'IN_PERSON', 'UNSUBSCRIBE_LINK', 'COOKIE_BANNER', 'API'] as const,
  });

  builder.prismaNode('PolicyDocument', {
    id: { field: 'id' },
    fields: (t) => ({
      kind: t.field({ type: PolicyKind, resolve: (d) => d.kind }),
      version: t.exposeString('version'),
      locale: t.field({ type: refs.Locale, resolve: (d) => d.locale }),
      effectiveAt: t.expose('effectiveAt', { type: 'DateTime' }),
      url: t.string({
        nullable: true,
        description: 'Where the API serves the text (text/markdown, cacheable by its ETag): /policies/{kind}/{version}/{locale}.',
        resolve: (d, _a, ctx) => (d.text != null ? `${ctx.app.config.publicUrl}${policyPath(d)}` : d.url),
      }),
      contentHash: t.exposeString('contentHash', { description: 'SHA-256 of the text the person was shown.' }),
      text: t.exposeString('text', { nullable: true, description: 'The document (Markdown).' }),
    }),
  });

  const ConsentRecordRef = builder.prismaNode('ConsentRecord', {
    id: { field: 'id' },
    description: 'Append-only: a change of mind adds a record, nothing is overwritten.',
    fields: (t) => ({
      purpose: t.field({ type: ProcessingPurpose, resolve: (r) => purposeOf(r.purpose) }),
      granted: t.exposeBoolean('granted'),
      method: t.field({ type: ConsentMethod, resolve: (r) => r.method }),
      policyVersion: t.exposeString('policyVersion', { description: 'Policy version in force when the choice was made.' }),
      recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
      recordedBy: t.field({
        type: refs.AccountSummary,
        nullable: true,
        description: 'Staff member who entered a choice received by phone, email or in person.',
        select: { recordedBy: { select: { id: true, givenName: true, familyName: true } } },
        resolve: (r) => r.recordedBy,
      }),
      locale: t.field({ type: refs.Locale, resolve: (r) => r.locale }),
      receipt: t.exposeString('receipt', {
        description:
          "Consent receipt: a compact JWS signed with the platform's key (verifiable\nagainst /.well-known/jwks.json) whose payload names the subject, purpose,\nchoice, method, policy version and time. The person can keep it as proof.",
      }),
    }),
  });

  const ConsentState = builder.objectRef<consent.ConsentState>('ConsentState').implement({
    fields: (t) => ({
      purpose: t.field({ type: ProcessingPurpose, resolve: (s) => s.purpose }),
      granted: t.exposeBoolean('granted'),
      since: t.expose('since', {
        type: 'DateTime',
        nullable: true,
        description: 'Time of the record that set this state; null if never asked.',
      }),
      record: t.field({ type: ConsentRecordRef, nullable: true, resolve: (s) => s.record }),
    }),
  });

  const SetConsentInput = builder.inputType('SetConsentInput', {
    fields: (t) => ({
      purpose: t.string({ required: true }),
      granted: t.boolean({ required: true }),
      method: t.field({ type: ConsentMethod, defaultValue: 'API' }),
      policyVersion: t.string({ description: 'Defaults to the current privacy policy version.' }),
      accountId: t.id({ description: 'Staff only: record a choice received by phone, email or in person for this account.' }),
    }),
  });

  builder.queryFields((t) => ({
    processingPurposes: t.field({
      type: [ProcessingPurpose],
      description: 'Public: every processing purpose, its legal basis and retention.',
      resolve: () => purposes,
    }),
    currentPolicy: t.prismaField({
      type: 'PolicyDocument',
      description: 'Public: the current policy of a kind.',
      args: { kind: t.arg({ type: PolicyKind, required: true }), locale: t.arg({ type: refs.Locale, defaultValue: 'LV' }) },
      resolve: async (_q, _r, args, ctx) => {
        const doc = await consent.currentPolicyDocument(ctx.app.prisma, args.kind, args.locale ?? 'LV');
        if (!doc) throw consent.noPolicy(args.kind);
        return doc;
      },
    }),
    policyDocuments: t.prismaField({
      type: ['PolicyDocument'],
      description: 'Public: every published version (newest first), optionally of one kind or locale.',
      args: { kind: t.arg({ type: PolicyKind }), locale: t.arg({ type: refs.Locale }) },
      resolve: (query, _r, args, ctx) =>
        ctx.app.prisma.policyDocument.findMany({
          ...query,
          where: { ...(args.kind ? { kind: args.kind } : {}), ...(args.locale ? { locale: args.locale } : {}) },
          orderBy: [{ effectiveAt: 'desc' }, { kind: 'asc' }, { locale: 'asc' }],
        }),
    }),
  }));

  builder.mutationField('setConsent', (t) =>
    t.field({
      type: ConsentState,
      description:
        'Records a choice for a consent-based purpose (a new record; nothing is overwritten). SUPPORT staff pass accountId and the method (PHONE, EMAIL, IN_PERSON) by which the choice arrived.',
      args: { input: t.arg({ type: SetConsentInput, required: true }) },
      resolve: (_r, { input }, ctx) => consent.setConsent(ctx.app, purposes, ctx.viewer, input),
    }),
  );

  builder.prismaObjectFields('Account', (t) => ({
    consents: t.field({
      type: [ConsentState],
      description: 'Current consent state, one entry per consent-based purpose.',
      resolve: async (account, _a, ctx) => {
        const latest = await ctx
          .loader<string, Map<string, ConsentRecord>>('consent.latestByAccount', async (ids) => {
            const byAccount = await consent.latestConsentRecords(
              ctx.app,
              ids,
              consentPurposes.map((p) => p.code),
            );
            return ids.map((id) => byAccount.get(id) ?? new Map());
          })
          .load(account.id);
        return consentPurposes.map((p) => consent.consentState(p, latest.get(p.code)));
      },
    }),
    consentHistory: t.relatedConnection(
      'consentRecords',
      {
        description: 'Every consent record of the account, newest first (the privacy policy accepted at registration included).',
        cursor: 'id',
        maxSize: 500,
        query: () => ({ orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }] }),
      },
      { name: 'ConsentRecordConnection' },
      { name: 'ConsentRecordEdge' },
    ),
  }));

  addPolicyTypes(builder, refs);
  addControllerTypes(builder);

  return { ProcessingPurpose, PolicyKind, ConsentMethod, ConsentRecord: ConsentRecordRef, ConsentState };
}
