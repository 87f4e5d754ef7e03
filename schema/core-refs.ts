/**
 * Object, enum and interface refs that plugins need to extend the schema
 * (Prisma-backed types are also reachable by model name through the builder).
 */
import {
  Locale as LocaleEnum,
  PolicyKind as PolicyKindEnum,
  RecipientCategory as RecipientCategoryEnum,
  Role as RoleEnum,
} from '../generated/prisma/enums';
import type { Builder } from './builder';
import type { ConfiguredRetentionRule, ErasureNotice } from '../api/context';

export interface Texts {
  LV: string;
  EN: string;
  RU?: string;
}

export interface AccountSummaryShape {
  id: string;
  givenName: string | null;
  familyName: string | null;
}

export function createCoreRefs(builder: Builder) {
  const Locale = builder.enumType(LocaleEnum, { name: 'Locale' });
  const Role = builder.enumType(RoleEnum, { name: 'Role' });
  const AccountStatus = builder.enumType('AccountStatus', {
    values: {
      ACTIVE: {},
      RESTRICTED: { description: "Processing restricted at the data subject's request (GDPR art. 18)." },
      SCHEDULED_FOR_DELETION: { description: 'Erasure requested or inactivity limit reached; deleted at scheduledDeletionAt.' },
    } as const,
  });
  const LegalBasis = builder.enumType('LegalBasis', {
    values: ['CONSENT', 'CONTRACT', 'LEGAL_OBLIGATION', 'LEGITIMATE_INTEREST'] as const,
  });
  const SortOrder = builder.enumType('SortOrder', { values: ['ASC', 'DESC'] as const });
  const AccountSummary = builder.objectRef<AccountSummaryShape>('AccountSummary');
  const PolicyKind = builder.enumType(PolicyKindEnum, { name: 'PolicyKind' });
  /** Implemented in schema/consent/register.ts; the retention plugin lists the rules through it. */
  const RetentionRule = builder.objectRef<ConfiguredRetentionRule>('RetentionRule');
  const RecipientCategory = builder.enumType(RecipientCategoryEnum, {
    name: 'RecipientCategory',
    description: 'Categories of recipients named in the privacy policy: processors and other controllers.',
  });
  const KeptAfterDeletion = builder.objectRef<ErasureNotice>('KeptAfterDeletion');
  return {
    Locale,
    Role,
    AccountStatus,
    LegalBasis,
    SortOrder,
    AccountSummary,
    PolicyKind,
    RetentionRule,
    RecipientCategory,
    KeptAfterDeletion,
  };
}

export type CoreRefs = ReturnType<typeof createCoreRefs>;

/** Picks the text for a locale, falling back to English, then Latvian. */
export function localized(texts: Texts, locale: string | null | undefined): string {
  return (locale && texts[locale as keyof Texts]) || texts.EN || texts.LV;
}
