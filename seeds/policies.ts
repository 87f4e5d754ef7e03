/**
 * The policy documents the demo (and the tests) start with: the customer's
 * real privacy and cookie policy, the Latvian original as the customer wrote
 * it and an English translation made for this project, kept as data files in
 * seeds/documents/. Production installs publish theirs with
 * `npm run admin -- publish-policy` (see the README).
 */
import { readFileSync } from 'node:fs';
import type { Locale, PolicyKind } from '../generated/prisma/enums';

export const PRIVACY_POLICY_VERSION = '2025-03-07';
export const COOKIE_POLICY_VERSION = '2025-03-07';
export const POLICY_EFFECTIVE_AT = new Date('2025-03-07T00:00:00.000Z');

export interface SeedDocument {
  kind: PolicyKind;
  version: string;
  locale: Locale;
  /** File name under seeds/documents/. */
  file: string;
}

export const SEED_DOCUMENTS: SeedDocument[] = [
  { kind: 'PRIVACY_POLICY', version: PRIVACY_POLICY_VERSION, locale: 'LV', file: 'privacy-policy.lv.md' },
  { kind: 'PRIVACY_POLICY', version: PRIVACY_POLICY_VERSION, locale: 'EN', file: 'privacy-policy.en.md' },
  { kind: 'COOKIE_POLICY', version: COOKIE_POLICY_VERSION, locale: 'LV', file: 'cookie-policy.lv.md' },
  { kind: 'COOKIE_POLICY', version: COOKIE_POLICY_VERSION, locale: 'EN', file: 'cookie-policy.en.md' },
];

export const seedDocumentPath = (file: string) => new URL(`./documents/${file}`, import.meta.url);
export const seedDocumentText = (file: string) => readFileSync(seedDocumentPath(file), 'utf8');
