/**
 * The register's detail fields on ProcessingPurpose (GDPR art. 13 and 30):
 * recipient categories, automated decisions, and the retention rules a
 * purpose is bound by, with the retention text generated from their
 * configured periods. RetentionRule is a core type; the retention plugin
 * publishes the configured rules (app.extensions.retentionRules).
 */
import type { Builder } from '../builder';
import { localized, type CoreRefs } from '../core-refs';
import type { ConfiguredRetentionRule, Context } from '../../api/context';
import { retentionText, type AutomatedDecisionDefinition, type ProcessingPurposeDefinition } from '../../api/consent/purposes';

/** The configured rules a purpose names (unknown or unconfigured categories are left out). */
export function rulesOf(ctx: Context, purpose: ProcessingPurposeDefinition): ConfiguredRetentionRule[] {
  const all = ctx.app.extensions.retentionRules?.list() ?? [];
  return purpose.retentionRules.flatMap((category) => all.filter((r) => r.dataCategory === category));
}

export function addRegisterTypes(builder: Builder, refs: CoreRefs, PurposeRef: unknown) {
  const ProcessingPurpose = PurposeRef as ReturnType<typeof builder.objectRef<ProcessingPurposeDefinition>>;
  const RecipientCategory = refs.RecipientCategory;

  refs.RetentionRule.implement({
    description: 'One configured retention rule (RETENTION_<CATEGORY>).',
    fields: (t) => ({
      dataCategory: t.exposeString('dataCategory', {
        description: 'e.g. LOCATION_POINTS, INACTIVE_ACCOUNTS, REMOVED_DEVICES, COOKIE_CONSENTS, EXPIRED_SESSIONS',
      }),
      period: t.exposeString('period', { description: 'ISO-8601 duration.' }),
      description: t.string({
        args: { locale: t.arg({ type: refs.Locale }) },
        resolve: (r, args) => localized(r.description, args.locale),
      }),
    }),
  });

  const AutomatedDecision = builder.objectRef<{ decision: AutomatedDecisionDefinition | null }>('AutomatedDecision').implement({
    description: 'Automated decision-making with legal or similarly significant effects (GDPR art. 13(2)(f), 22).',
    fields: (t) => ({
      exists: t.boolean({ resolve: ({ decision: d }) => d != null }),
      logic: t.string({
        nullable: true,
        args: { locale: t.arg({ type: refs.Locale }) },
        resolve: ({ decision: d }, a) => (d ? localized(d.logic, a.locale) : null),
      }),
      significance: t.string({
        nullable: true,
        description: 'The envisaged consequences for the person.',
        args: { locale: t.arg({ type: refs.Locale }) },
        resolve: ({ decision: d }, a) => (d ? localized(d.significance, a.locale) : null),
      }),
      basis: t.field({ type: refs.LegalBasis, nullable: true, resolve: ({ decision: d }) => d?.basis ?? null }),
    }),
  });

  builder.objectFields(ProcessingPurpose, (t) => ({
    recipientCategories: t.field({ type: [RecipientCategory], resolve: (p) => p.recipientCategories }),
    automatedDecision: t.field({
      type: AutomatedDecision,
      nullable: true,
      description: 'Always present: `exists` says whether the purpose involves automated decisions.',
      resolve: (p) => ({ decision: p.automatedDecision ?? null }),
    }),
    retentionRules: t.field({
      type: [refs.RetentionRule],
      description: 'The configured retention rules that bound how long this purpose keeps its data.',
      resolve: (p, _a, ctx) => rulesOf(ctx, p),
    }),
    retention: t.string({
      description: 'Generated from retentionRules (their configured periods) and the criteria in words.',
      args: { locale: t.arg({ type: refs.Locale }) },
      resolve: (p, args, ctx) => retentionText(p, rulesOf(ctx, p), (args.locale ?? 'EN') as 'LV' | 'EN' | 'RU'),
    }),
  }));
  return { RecipientCategory, AutomatedDecision };
}
