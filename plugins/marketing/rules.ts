import { allow, and, canReadAccount, hasAnyRole, isAccount, type RuleMap, supportWhenForAnotherAccount } from '../../schema/plugin-api';
/** Who may use the marketing plugin's fields (deny by default covers anything not listed). */

export const marketingRules: RuleMap = {
  Query: { marketingAudience: hasAnyRole('MARKETING') },
  Mutation: {
    optOutOfMarketing: and(isAccount, supportWhenForAnotherAccount),
    // Public: the signed token is the authorization.
    unsubscribe: allow,
  },
  Account: { marketing: canReadAccount },
  // Reached only through the guarded fields above.
  MarketingPreferences: allow,
  MarketingOptOut: allow,
  UnsubscribeResult: allow,
  MarketingRecipient: allow,
  MarketingRecipientEdge: allow,
  MarketingRecipientConnection: allow,
};
