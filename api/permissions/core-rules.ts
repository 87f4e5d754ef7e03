/**
 * Who may read and call what in the core schema: the union of each core
 * module's rule map (api/permissions/rules/*). A field with no rule is denied
 * (shield fallback), so every new field needs an entry in one of them.
 */
import { allow, mergeRuleMaps, type RuleMap } from './kit';
import { accountRules } from './rules/accounts';
import { deviceRules } from './rules/devices';
import { sharingRules } from './rules/sharing';
import { consentRules } from './rules/consent';

export function coreRules(): RuleMap {
  return mergeRuleMaps(
    {
      Query: { node: allow },
      PageInfo: allow,
    },
    accountRules,
    deviceRules,
    sharingRules,
    consentRules,
  );
}
