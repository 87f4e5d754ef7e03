/** Who may use the marketing plugin's fields (deny by default covers anything not listed). */
import { allow, and, hasAnyRole, isAccount, type RuleMap } from '../../schema/permissions/kit';
import { canReadAccount } from '../../schema/accounts/rules';
import { supportWhenForAnotherAccount } from '../../schema/consent/rules';

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
