/**
 * The register of processing purposes (GDPR art. 13 and 30). Core declares the
 * purposes of the core service and every purpose and legitimate interest the
 * privacy policy names; each plugin adds its own through definePlugin.
 * Retention is never written as a period here: a purpose names the retention
 * rules (data categories of RETENTION_<CATEGORY>) that bound its data, and the
 * register shows their configured periods (see checkPurposes).
 */
import type { RecipientCategory } from '../../generated/prisma/enums';

export type LegalBasis = 'CONSENT' | 'CONTRACT' | 'LEGAL_OBLIGATION' | 'LEGITIMATE_INTEREST';
export type Texts = { LV: string; EN: string; RU?: string };

/** A decision with legal or similarly significant effects taken without a person (GDPR art. 22). */
export interface AutomatedDecisionDefinition {
  logic: Texts;
  significance: Texts;
  basis: LegalBasis;
}

export interface ProcessingPurposeDefinition {
  code: string;
  title: Texts;
  description: Texts;
  legalBasis: LegalBasis;
  /** Personal-data categories, from the vocabulary of the personal-data map (api/consent/personal-data.ts). */
  dataCategories: string[];
  /** Recipients in words (e.g. "hosting provider in the EU/EEA"). */
  recipients: string[];
  recipientCategories: RecipientCategory[];
  automatedDecision?: AutomatedDecisionDefinition | null;
  /** Retention rules (their data categories, e.g. LOCATION_POINTS) that bound how long this purpose's data is kept. */
  retentionRules: string[];
  /** The criteria in words for what no configured rule covers. Never a period: periods come from the rules. */
  retentionCriteria: Texts;
  /**
   * For a consent-based purpose whose choices are recorded by another
   * mutation (e.g. cookies: setCookieConsent per visitor): that mutation's
   * name. Such purposes are listed in the register but not in setConsent or
   * Account.consents.
   */
  consentRecordedBy?: string;
}

/** Only purposes whose legal basis is consent can be granted or withdrawn. */
export function requiresConsent(purpose: Pick<ProcessingPurposeDefinition, 'legalBasis'>): boolean {
  return purpose.legalBasis === 'CONSENT';
}

/** Consent-based purposes whose choices live in the consent ledger (setConsent, Account.consents). */
export function inConsentLedger(purpose: ProcessingPurposeDefinition): boolean {
  return requiresConsent(purpose) && !purpose.consentRecordedBy;
}

/** A period written by hand (ISO-8601 or in words, EN or LV): periods belong in the configured rules. */
export const HAND_WRITTEN_PERIOD = /\bP\d|\bPT\d|\d+\s*(days?|weeks?|months?|years?|dien|nedēļ|mēneš|gad)/i;

/** Refuses a register that contradicts itself: duplicate codes, or a period written by hand. */
export function checkPurposes(purposes: ProcessingPurposeDefinition[]): void {
  const seen = new Set<string>();
  for (const p of purposes) {
    if (seen.has(p.code)) throw new Error(`processing purpose ${p.code} is declared twice`);
    seen.add(p.code);
    for (const [locale, text] of Object.entries(p.retentionCriteria)) {
      if (HAND_WRITTEN_PERIOD.test(text)) {
        throw new Error(
          `processing purpose ${p.code}: retentionCriteria.${locale} states a period ("${text}"); name a retention rule instead`,
        );
      }
    }
    if (p.automatedDecision && p.automatedDecision.basis === 'LEGITIMATE_INTEREST') {
      throw new Error(`processing purpose ${p.code}: an automated decision with legal effects needs contract or consent (GDPR art. 22(2))`);
    }
  }
}

/** The generated retention text: the criteria, then each linked rule with its configured period. */
export function retentionText(
  purpose: Pick<ProcessingPurposeDefinition, 'retentionCriteria'>,
  rules: { dataCategory: string; period: string }[],
  locale: 'LV' | 'EN' | 'RU' = 'EN',
): string {
  const criteria = purpose.retentionCriteria[locale] ?? purpose.retentionCriteria.EN;
  if (!rules.length) return criteria;
  const label = locale === 'LV' ? 'Glabāšanas noteikumi' : 'Retention rules';
  return `${criteria} ${label}: ${rules.map((r) => `${r.dataCategory} ${r.period}`).join(', ')}.`;
}
