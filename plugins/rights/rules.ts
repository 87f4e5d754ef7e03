import {
  accountReadable,
  allow,
  canReadAccount,
  defineRule,
  forbidden,
  hasAnyRole,
  hasRole,
  isAccount,
  type RuleMap,
  unauthenticated,
} from '../../schema/plugin-api';
/** Who may file, handle and read data-subject requests and exports. */

const handlers = hasAnyRole('DPO', 'SUPPORT');

/** Customers file for themselves; SUPPORT and DPO file written requests for a named account. */
const canSubmit = defineRule<unknown, { input: { accountId?: string | null } }>('canSubmitDataSubjectRequest', (_p, args, ctx) => {
  if (ctx.viewer.kind !== 'account') return unauthenticated();
  if (!args.input.accountId) return true;
  return hasRole(ctx.viewer, 'SUPPORT', 'DPO') || forbidden('Only SUPPORT or DPO may file a request for another account.');
});

const canSeeRequest = defineRule<{ accountId: string }>('canSeeDataSubjectRequest', (r, _a, ctx) => {
  if (ctx.viewer.kind !== 'account') return unauthenticated();
  return r.accountId === ctx.viewer.accountId || hasRole(ctx.viewer, 'DPO', 'SUPPORT') || forbidden();
});

/** An export holds all of a person's data: the person, or staff with an open access case. */
const canSeeExport = defineRule<{ accountId: string }>(
  'canSeeDataExport',
  async (e, _a, ctx) => (await accountReadable(ctx, e.accountId)) || forbidden('Open an access case to read this export.'),
);

const canSeeRequestExport = defineRule<{ accountId: string }>('canSeeDataExportFacts', async (e, _a, ctx) => {
  if (ctx.viewer.kind !== 'account') return unauthenticated();
  return e.accountId === ctx.viewer.accountId || hasRole(ctx.viewer, 'DPO', 'SUPPORT') || forbidden();
});

export const rightsRules: RuleMap = {
  Query: {
    exportMyData: isAccount,
    dataSubjectRequests: handlers,
  },
  Mutation: {
    submitDataSubjectRequest: canSubmit,
    verifyDataSubjectRequest: handlers,
    completeDataSubjectRequest: handlers,
    rejectDataSubjectRequest: handlers,
    extendDataSubjectRequest: hasAnyRole('DPO'),
    liftRestriction: hasAnyRole('DPO'),
    deleteMyAccount: isAccount,
    deleteMyAccountWithNotice: isAccount,
  },
  AccountDeletionResult: allow, // only ever returned to the person who deleted their own account
  Account: { dataSubjectRequests: canReadAccount },
  DataSubjectRequest: canSeeRequest,
  // Handlers see that an export was made; its content needs an access case like any other personal data.
  DataExport: { '*': canSeeRequestExport, content: canSeeExport },
};
