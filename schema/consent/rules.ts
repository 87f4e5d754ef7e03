/** Rules for the purpose register, policy documents and the consent ledger. */
import { allow, and, defineRule, hasAnyRole, isAccount, type RuleMap } from '../permissions/kit';
import { canReadAccount } from '../accounts/rules';
import { forbidden, notFound } from '../../api/errors';
import { hasRole } from '../../api/context';
import { accountReadable } from '../../api/permissions/policy';

/** A record is seen by whoever may read its account, and by the staff member who entered it. */
export const canReadConsentRecord = defineRule<{ accountId: string | null; recordedById: string | null }>(
  'canReadConsentRecord',
  async (record, _a, ctx) =>
    (ctx.viewer.kind === 'account' && record.recordedById === ctx.viewer.accountId) ||
    (record.accountId !== null && (await accountReadable(ctx, record.accountId))) ||
    notFound('Consent record'),
);

/**
 * Acting for another account (input.accountId) is SUPPORT staff's job: they
 * enter choices and requests received by phone, e-mail or at the office.
 */
export const supportWhenForAnotherAccount = defineRule<unknown, { input: { accountId?: string | null } }>(
  'supportWhenForAnotherAccount',
  (_p, args, ctx) =>
    args.input.accountId == null || hasRole(ctx.viewer, 'SUPPORT') || forbidden('Only SUPPORT staff act for another account.'),
);

export const consentRules: RuleMap = {
  Query: { processingPurposes: allow, currentPolicy: allow, policyDocuments: allow, controller: allow },
  Controller: allow,
  SupervisoryAuthority: allow,
  Mutation: {
    setConsent: and(isAccount, supportWhenForAnotherAccount),
    publishPolicyDocument: hasAnyRole('ADMIN'),
    acknowledgePolicy: isAccount,
  },
  Account: { policyAcknowledgement: canReadAccount },
  PolicyAcknowledgement: allow,
  ProcessingPurpose: allow,
  AutomatedDecision: allow,
  RetentionRule: allow,
  PolicyDocument: allow,
  ConsentState: allow,
  ConsentRecord: canReadConsentRecord,
  ConsentRecordConnection: allow,
  ConsentRecordEdge: allow,
};
