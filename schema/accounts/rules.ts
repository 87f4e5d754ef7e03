/** Rules for accounts, sign-in and profile. */
import { allow, defineRule, isAccount, type RuleMap } from '../permissions/kit';
import { forbidden } from '../../api/errors';
import { accountReadable } from '../../api/permissions/policy';

/** Account fields: the account itself, or whoever an access policy admits (e.g. staff with an open case). */
export const canReadAccount = defineRule<{ id: string }>(
  'canReadAccount',
  async (account, _a, ctx) => (await accountReadable(ctx, account.id)) || forbidden('You may not read this account.'),
);

export const accountRules: RuleMap = {
  Query: { me: allow },
  Mutation: {
    register: allow,
    login: allow,
    refreshSession: allow,
    logout: allow,
    updateProfile: isAccount,
    // The token is the credential (single use, mailed to the address).
    verifyEmail: allow,
    resendVerificationEmail: isAccount,
    requestEmailChange: isAccount,
    changePassword: isAccount,
    // Same answer for every address; rate-limited per address in the service.
    requestPasswordReset: allow,
    resetPassword: allow,
  },
  Account: canReadAccount,
  AccountSummary: allow,
  KeptAfterDeletion: allow, // reached only through Account.keptAfterDeletion and deletion results
  AuthPayload: allow,
};
